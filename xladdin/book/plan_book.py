"""The plan of the book open in Excel: read it (refusing one with cell errors, which are
listed on «Kiểm tra»), and write rows of a changed plan back into its cells.

Rows are written with the same cells a new plan has (:mod:`xladdin.writer.plan_cells`),
at the positions the reader found, so a moved column or a reordered row is no problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from .. import contract as c
from ..engine.model import PLAN, Plan, PlanReading
from ..engine.plan_values import child_weights, resolve_plan
from ..engine.validate import plan_issues
from ..errors import InputError, WorkbookError
from ..grid.base import parse_a1
from ..reader.any_workbook import template_of
from ..reader.plan_reader import read_plan
from ..templates import definition, period_title
from ..writer.cells import Cell
from ..writer.plan_cells import RowLayout, count_row
from .check import write_issues
from .session import BookSession, Formula

TEMPLATE_NAMES = {c.FORM: "một biểu mẫu báo cáo", c.SUMMARY: "một bảng tổng hợp"}
FIELDS = ("annual_plan", "done", "remaining", "round_target")


@dataclass(frozen=True)
class UsablePlan(PlanReading):
    """A plan reading without errors: its plan, sheet and table header are there."""

    plan: Plan
    sheet: str
    header_row: int


def usable_plan(session: BookSession, doing: str) -> UsablePlan:
    """The plan of this book; refused (with a message saying why) when it is not a plan or
    has errors in its cells.  Split checks that do not add up are not refusals."""
    template = template_of(session.grid)
    if template not in (None, PLAN):
        what = TEMPLATE_NAMES.get(template, f"một bảng tính loại «{template}»")
        raise InputError(
            f"Bảng tính này là {what}, không phải bảng kế hoạch: hãy mở bảng kế hoạch rồi {doing}."
        )
    reading = read_plan(session.grid, session.catalogue)
    errors = [i for i in reading.issues if i.is_error]
    if reading.plan is None or reading.sheet is None or reading.header_row is None:
        raise InputError(f"{errors[0].message if errors else 'Không đọc được bảng kế hoạch.'} "
                         f"Hãy mở bảng kế hoạch rồi {doing}.")
    if errors:
        write_issues(session, list(reading.issues) + plan_issues(reading), "Bảng kế hoạch")
        first = errors[0]
        where = f" (trang {first.sheet}, ô {first.cell})" if first.cell else ""
        more = f" và {len(errors) - 1} lỗi khác" if len(errors) > 1 else ""
        raise InputError(
            f"Chưa thể {doing}: {first.message}{where}{more}. Hãy sửa theo trang «Kiểm tra» "
            "rồi bấm lại."
        )
    return UsablePlan(**{f.name: getattr(reading, f.name) for f in fields(reading)})


def layout(reading: UsablePlan, code: str) -> RowLayout:
    """Where row ``code`` is, as the reader found it."""
    def at(key: str) -> tuple[int, int] | None:
        ref = reading.cells.get((code, key))
        return parse_a1(ref) if ref else None

    def found(key: str) -> tuple[int, int]:
        where = at(key)
        if where is None:  # the reader names every cell of a plan it accepts
            raise WorkbookError(f"Không tìm thấy ô «{c.PLAN_COLUMNS.get(key, key)}» của chỉ "
                                f"tiêu {code} trong bảng kế hoạch.", sheet=reading.sheet)
        return where

    cols = {key: where[1] for key in FIELDS if (where := at(key)) is not None}
    children = tuple(found(child.code)[1] for child in reading.plan.children)
    check = at("check")
    return RowLayout(found("round_target")[0], cols, children, check[1] if check else None,
                     reading.header_row)


def write_rows(session: BookSession, reading: UsablePlan, plan: Plan, codes: Iterable[str],
               fields: tuple[str, ...] = ()) -> None:
    """Write rows ``codes`` of ``plan`` (a count row's ``fields``, its split and its check;
    a rate row's ``fields``) where ``reading`` found them."""
    values = resolve_plan(plan)
    has_weights = sum(child_weights(plan)) > 0
    rows = {r.code: r for r in plan.rows}
    cells_by_row: list[tuple[int, list[Cell]]] = []
    for code in codes:
        row, at = rows[code], layout(reading, code)
        if row.is_rate:
            wanted = [Cell(at.col["done"], row.done)] if "done" in fields else []
        else:
            cells = count_row(row, values[code], at, has_weights=has_weights)
            wanted = [cells.fields[f] for f in fields if f in cells.fields] + list(cells.children)
            wanted += [cells.check] if cells.check is not None else []
        cells_by_row.append((at.row, wanted))
    with session.unprotected(reading.sheet):
        for number, written in cells_by_row:
            session.write_cells(reading.sheet, number, {
                c.col: Formula(c.formula) if c.formula else c.value for c in written})


def plan_title(plan: Plan) -> str:
    """The plan sheet's first line: «KẾ HOẠCH PHÂN BỔ CHỈ TIÊU ĐỢT 2 NĂM 2024»."""
    return definition(PLAN)["sheet"]["title"].format(period_title=period_title(plan.meta))
