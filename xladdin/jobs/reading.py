"""Reading a plan or a form for a job: judged on its own, with the catalogue it carries."""

from __future__ import annotations

from pathlib import Path

from ..bundled import catalogue as bundled_catalogue
from ..engine.catalogue import Catalogue
from ..engine.model import FormReading, Issue, Plan, PlanReading
from ..engine.validate import plan_issues
from ..errors import WorkbookError
from ..reader.carried import catalogue_of
from ..reader.form_reader import read_form
from ..reader.guard import add_notices, judge_file
from ..reader.plan_reader import read_plan


def _read_file(path: Path, read, catalogue: Catalogue | None):
    catalogue = catalogue or bundled_catalogue()
    return judge_file(
        path, lambda grid: add_notices(read(grid, catalogue_of(grid, catalogue)), grid)
    )


def carried_catalogue(path: Path, base: Catalogue | None = None) -> Catalogue:
    """The catalogue a workbook was made with: ``base`` (default: the bundled one) plus
    the indicators the workbook carries (contract §8, ``--catalogue``)."""
    return judge_file(path, lambda grid: catalogue_of(grid, base or bundled_catalogue()))


def read_plan_file(path: Path, catalogue: Catalogue | None = None) -> PlanReading:
    return _read_file(path, read_plan, catalogue)


def read_form_file(path: Path, catalogue: Catalogue | None = None) -> FormReading:
    return _read_file(path, read_form, catalogue)


def usable_plan(path: Path, catalogue: Catalogue | None = None) -> tuple[Plan, list[Issue]]:
    """A plan to work from: cell errors stop the job; the split checks come back as issues."""
    return usable(read_plan_file(path, catalogue), path)


def plan_and_catalogue(path: Path, base: Catalogue | None = None
                       ) -> tuple[Catalogue, PlanReading]:
    """:func:`carried_catalogue` and :func:`read_plan_file` with it, from one opening of
    the plan (a national plan is tens of MB of XML: read once, not twice); the reading is
    judged by :func:`usable` when the job needs it."""
    def both(grid) -> tuple[Catalogue, PlanReading]:
        carried = catalogue_of(grid, base or bundled_catalogue())
        return carried, add_notices(read_plan(grid, catalogue_of(grid, carried)), grid)

    return judge_file(path, both)


def usable(reading: PlanReading, path: Path) -> tuple[Plan, list[Issue]]:
    """The plan of a reading, or the reading's first error raised (see usable_plan)."""
    errors = [i for i in reading.issues if i.is_error]
    if errors or reading.plan is None:
        first = errors[0] if errors else None
        raise WorkbookError(
            (first.message if first else "Không đọc được bảng kế hoạch.")
            + (
                f" (và {len(errors) - 1} lỗi khác; chạy «xladdin validate» để xem hết)"
                if len(errors) > 1
                else ""
            ),
            file=str(path),
            sheet=first.sheet if first else None,
            cell=first.cell if first else None,
        )
    return reading.plan, list(reading.issues) + plan_issues(reading)
