"""The forms job: one report form per child of a plan, never over a filled-in one."""

from __future__ import annotations

from pathlib import Path

from .. import contract as c
from ..engine.catalogue import Catalogue
from ..engine.forms import form_filename, plan_forms
from ..engine.model import Issue
from ..errors import InputError, UsageError, WorkbookError
from ..reader.form_reader import read_form
from ..reader.guard import judge_file
from ..silent import Silent
from ..writer.batch import write_forms
from ..writer.save import refuse_clobbering
from .reading import carried_catalogue, usable_plan


def make_forms(
    plan_path: Path,
    out_dir: Path,
    *,
    due_date: str | None = None,
    password: str | None = None,
    catalogue: Catalogue | None = None,
    period: str | None = None,
    progress: Silent | None = None,
    replace_filled: bool = False,
) -> tuple[list[Path], list[Issue]]:
    """One report form per child unit of the plan for ``period`` (contract §8; default
    the plan's round), in ``out_dir``; each form carries its own due date.  A form
    already there with results typed in is never replaced (unless ``replace_filled``)."""
    from ..engine.periods import parse_period

    catalogue = carried_catalogue(plan_path, catalogue)
    plan, issues = usable_plan(plan_path, catalogue)
    if not plan.children:
        raise InputError(f"{plan_path}: bảng kế hoạch chưa có đơn vị cấp dưới nào.")
    if period:
        wanted = parse_period(period)
        if wanted.is_calendar and plan.meta.year and wanted.year != plan.meta.year:
            raise UsageError(
                f"Kỳ {wanted.label()} không thuộc năm {plan.meta.year} của bảng kế hoạch."
            )
        period = wanted.text
    due = due_date or plan.meta.due_date
    forms = [(form, out_dir / form_filename(form.meta.unit_code, form.meta.unit_name, period))
             for form in plan_forms(plan, due_date=due, catalogue=catalogue, period=period)]
    refuse_clobbering([plan_path], [path for _, path in forms])
    if not replace_filled:
        refuse_filled([path for _, path in forms], catalogue)
    issues += blank_target_issues(str(plan_path), [form for form, _ in forms])
    progress = progress or Silent()
    progress.phase("Đang ghi biểu mẫu", len(forms))
    return write_forms(
        forms, password=password, catalogue=catalogue, progress=progress.step
    ), issues


def _asked(form) -> list:
    """The count and stock rows a form gives a target to: not the rates, nor the numerator
    and denominator rows a rate brings (a form never has a target for those)."""
    rate_inputs = {part for row in form.rows if row.is_rate for part in row.parts}
    return [row for row in form.rows
            if not row.is_rate and not (row.code in rate_inputs and row.round_target is None)]


def refuse_filled(paths: list[Path], catalogue: Catalogue) -> None:
    """A :class:`UsageError` when one of ``paths`` is a form with results typed in: an
    officer's returned form is an input, and ``forms --out`` must never destroy it."""
    filled = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            reading = judge_file(path, lambda grid: read_form(grid, catalogue))
        except WorkbookError:
            filled.append(path)  # something else under that name: not ours to replace
            continue
        if reading.form is None or any(r.result not in (None, 0) for r in reading.form.rows):
            filled.append(path)
    if filled:
        names = ", ".join(p.name for p in filled[:3]) + (
            f" và {len(filled) - 3} tệp khác" if len(filled) > 3 else ""
        )
        raise UsageError(
            f"Thư mục {paths[0].parent} đã có biểu mẫu đã điền kết quả ({names}): xladdin không "
            "ghi đè. Hãy chọn thư mục khác cho biểu mẫu mới."
        )


def blank_target_issues(source: str, forms) -> list[Issue]:
    """A form whose Chỉ tiêu đợt is blank asks a unit for nothing: an error when no form
    asks for anything, a warning naming the indicators left blank otherwise."""
    counts = [row for form in forms for row in _asked(form)]
    blank = [row for row in counts if row.round_target is None]
    if not counts or not blank:
        return []
    sheet = c.PLAN_SHEET
    if len(blank) == len(counts):
        return [
            Issue(
                c.ERROR,
                source,
                sheet,
                None,
                "no-round-targets",
                "Bảng kế hoạch chưa có Chỉ tiêu đợt nào (hoặc chưa chia được cho đơn vị nào): các "
                "biểu mẫu "
                "có cột Chỉ tiêu đợt trống. Nhập Chỉ tiêu đợt và trọng số rồi tạo lại biểu mẫu.",
            )
        ]
    codes = list(dict.fromkeys(row.code for row in blank))
    shown = ", ".join(codes[:8]) + (f" và {len(codes) - 8} chỉ tiêu khác" if len(codes) > 8 else "")
    return [
        Issue(
            c.WARNING,
            source,
            sheet,
            None,
            "blank-round-targets",
            f"Chỉ tiêu đợt còn trống ở {len(codes)} chỉ tiêu ({shown}): biểu mẫu để trống các ô "
            "này.",
        )
    ]
