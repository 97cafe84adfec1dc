"""The cells of one row of a report form (table BaoCao): Chỉ tiêu đợt, Kết quả, % đạt.

Shared by the form writer (a form file, with XlsxWriter) and «Tạo biểu mẫu» when it
adds the forms as sheets of the plan (a book open in Excel, through xlwings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..contract import FORM
from ..engine.model import FormRow
from ..engine.plan import pct_done
from ..templates import definition
from . import formulas
from .cells import Cell
from .parts import cell


@dataclass(frozen=True)
class FormRowCells:
    cells: tuple[Cell, ...]
    is_input: bool  # Kết quả is typed by the unit (validated, unlocked)


def form_row(r: FormRow, row: int, col: dict[str, int], row_of: dict[str, int],
             results: Mapping[str, int | Fraction | None]) -> FormRowCells:
    """``col``: column of each key of form.toml; ``row_of``: the sheet row of each code;
    ``results``: the results known so far (the cached values of the formulas)."""
    result, target = cell(row, col["result"]), cell(row, col["round_target"])
    if r.is_rate:
        num_code, den_code = r.parts
        num, den = results.get(num_code), results.get(den_code)
        value = num / den if num is not None and den else None
        words = definition(FORM)["rate"]
        reached = None
        if value is not None and r.target_rate is not None:
            reached = words["reached"] if value >= r.target_rate else words["not_reached"]
        return FormRowCells(
            (
                Cell(col["round_target"], r.target_rate, style="percent"),
                Cell(
                    col["result"],
                    formula=formulas.rate(
                        cell(row_of[num_code], col["result"]), cell(row_of[den_code], col["result"])
                    ),
                    style="percent_total",
                    cached=value,
                ),
                Cell(
                    col["pct"],
                    formula=formulas.rate_reached(
                        result, target, words["reached"], words["not_reached"]
                    ),
                    style="text_center",
                    cached=reached,
                ),
            ),
            is_input=False,
        )
    if r.parts and all(p in row_of for p in r.parts):
        present = [v for p in r.parts if (v := results.get(p)) is not None]
        value = sum(present, 0) if present else None
        refs = [cell(row_of[p], col["result"]) for p in r.parts]
        result_cell = Cell(
            col["result"], formula=formulas.total_of(refs), style="count_total", cached=value
        )
    else:
        value = r.result
        result_cell = Cell(col["result"], value, style="count_input")
    ratio = None if value is None or not r.round_target else pct_done(value, r.round_target)
    return FormRowCells((
        Cell(col["round_target"], r.round_target, style="count"),
        result_cell,
        Cell(col["pct"], formula=formulas.pct_done(result, target), style="percent", cached=ratio),
    ), is_input=result_cell.formula is None)
