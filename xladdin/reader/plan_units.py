"""Reading «Đơn vị» of a plan (Table DonVi): the children, their codes, names and weights.

A unit listed twice, a weight that is not a number or is negative, a name with control
characters are issues naming the cell; a header renamed away is an error, never a crash.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from ..contract import PLAN
from ..engine.model import ERROR, WARNING
from ..engine.numbers import parse_number
from ..engine.units import Repeats, Unit
from ..errors import InputError
from ..grid.base import TableLocation, WorkbookGrid, a1
from ..templates import definition
from .locate import clean, column_index


class Report(Protocol):
    """Where a reader's issues go: severity, rule, message, cell and sheet."""

    def __call__(self, severity: str, rule: str, message: str, cell: str | None = None,
                 sheet: str | None = None) -> None: ...


def read_children(grid: WorkbookGrid, table: TableLocation, parent_code: str | None,
                  report: Report) -> list[Unit]:
    """The units of Table DonVi, in the order listed (each unit once)."""
    units = definition(PLAN)["units_sheet"]
    sheet = grid.sheet(table.sheet)
    code_col = column_index(table, units["code_header"])
    name_col = column_index(table, units["name_header"])
    weight_col = column_index(table, units["weight_header"])
    if code_col is None or weight_col is None:  # a renamed header: said, never a crash
        lost = [h for h, col in ((units["code_header"], code_col),
                                 (units["weight_header"], weight_col)) if col is None]
        report(ERROR, "column-missing",
               f"Bảng đơn vị «{units['table']}» thiếu cột «{'», «'.join(lost)}» (tiêu đề cột đã "
               "bị đổi hoặc xóa): hãy đặt lại đúng tiêu đề cột.",
               a1(table.header_row, table.first_col), table.sheet)
        return []
    children = []
    repeats = Repeats()  # one unit listed twice: the one check (engine.units)
    for row in range(table.header_row + 1, table.last_row + 1):
        code = clean(sheet.value(row, code_col))
        name = clean(sheet.value(row, name_col)) if name_col is not None else code
        if not code and not name:
            continue
        twice = repeats.see(row + 1, code or name, name or code)
        if twice:
            report(
                ERROR,
                "duplicate-unit",
                f"Đơn vị bị kê hai lần ở trang «{table.sheet}»: {twice}. Mỗi đơn vị chỉ được kê "
                "một lần (nếu không, đơn vị bị bỏ sót hoặc bị cộng hai lần).",
                a1(row, code_col),
                table.sheet,
            )
            continue
        weight = _weight(
            sheet.value(row, weight_col), a1(row, weight_col), name or code, table.sheet, report
        )
        try:
            children.append(
                Unit(code or name, name or code, parent_code or None, weight=weight)
            )
        except InputError as error:  # a name with control characters
            report(ERROR, "bad-unit", error.message, a1(row, code_col), table.sheet)
    return children


def _weight(raw: object, cell: str, who: str, sheet: str, report: Report) -> Fraction | None:
    if raw is None:
        report(WARNING, "blank-weight", f"Đơn vị {who} chưa có trọng số: được tính là 0, "
               "không được phân bổ.", cell, sheet)
        return None
    parsed = parse_number(raw)  # the one parser: the CSV and the command line read alike
    if parsed.problem is not None:
        report(parsed.problem.severity, parsed.problem.rule,
               f"Trọng số của {who}: {parsed.problem.message}", cell, sheet)
    if parsed.value is not None and parsed.value < 0:
        report(ERROR, "negative", f"Trọng số của {who} không được âm.", cell, sheet)
    return parsed.value
