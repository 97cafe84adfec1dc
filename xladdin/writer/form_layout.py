"""The report form's layout (contract §4), computed once for both renderers.

:func:`form_layout` says what goes in every cell of the «Báo cáo» sheet: the
letterhead, the BaoCao table (constants, native formulas with the engine's values,
styles, which cells are inputs), the signature block, widths and heights.  Two
renderers write it: XlsxWriter for a new form file (:mod:`xladdin.writer.form`) and
the open-book runtime for «Tạo biểu mẫu» / «Báo cáo lên» in Excel
(:func:`xladdin.book.forms.write_form_sheet`).  A change to the form is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..contract import FORM
from ..engine.model import Form, FormRow
from ..engine.periods import shown_date
from ..engine.units import is_neighbourhood
from ..templates import definition, form_note, period_title
from . import parts
from .cells import Cell
from .form_cells import form_row


@dataclass(frozen=True)
class Text:
    """A line of text over columns ``first_col``..``last_col`` (merged when wider than one)."""

    row: int
    first_col: int
    last_col: int
    text: str
    style: str
    height: float | None = None


@dataclass(frozen=True)
class TableRow:
    row: int
    cells: tuple[Cell, ...]  # Mã, Chỉ tiêu, ĐVT, Ghi chú, then Chỉ tiêu đợt, Kết quả, % đạt
    is_input: bool  # Kết quả is typed by the unit (validated, unlocked)
    height: float
    placeholder: bool = False  # the blank row an empty Table needs in a file


@dataclass(frozen=True)
class FormLayout:
    spec: dict[str, Any]
    col: dict[str, int]  # column of each key of form.toml
    head: int  # the table's header row
    headers: list[str]
    widths: list[float]
    letterhead: tuple[Text, ...]  # in writing order (merged ranges keep it)
    rows: tuple[TableRow, ...]
    signatures: tuple[Text, ...]
    end: int  # the last printed row

    @property
    def last_col(self) -> int:
        return len(self.headers) - 1

    @property
    def last(self) -> int:
        """The table's last row."""
        return self.head + len(self.rows)

    @property
    def title_row(self) -> int:
        return next(t.row for t in self.letterhead if t.style == "title")




def form_layout(form: Form) -> FormLayout:
    spec = definition(FORM)
    sheet, meta = spec["sheet"], form.meta
    columns = spec["columns"]
    col = {c["key"]: i for i, c in enumerate(columns)}
    last_col = len(columns) - 1
    head = sheet["header_row"] - 1
    letterhead = (
        Text(0, 0, 1, form.parent_name.upper(), "letterhead"),
        Text(1, 0, 1, meta.unit_name.upper(), "letterhead_bold"),
        Text(0, 2, last_col, sheet["motto_1"], "letterhead_bold"),
        Text(1, 2, last_col, sheet["motto_2"], "letterhead_bold"),
        Text(3, 0, last_col, sheet["title"].format(period_title=period_title(meta)), "title", 24),
        Text(4, 0, last_col,
             sheet["unit_line"].format(unit_name=meta.unit_name, unit_code=meta.unit_code),
             "subtitle"),
        Text(5, 0, last_col, sheet["due_line"].format(due_date=shown_date(meta.due_date) or "…"),
             "subtitle"),
        Text(6, 0, last_col, form_note(meta), "note", 28),
    )
    rows = form.rows or (FormRow("", "", "", None),)
    row_of = {r.code: head + 1 + i for i, r in enumerate(rows)}
    results: dict[str, int | Fraction | None] = {r.code: r.result for r in rows}
    name_width = columns[col["name"]]["width"]
    table = tuple(
        _table_row(r, row_of[r.code], col, row_of, results, name_width, not form.rows)
        for r in rows
    )
    signatures = _signatures(spec, form, head + len(rows) + 2, last_col)
    return FormLayout(
        spec=spec, col=col, head=head, headers=[c["header"] for c in columns],
        widths=[c["width"] for c in columns], letterhead=letterhead, rows=table,
        signatures=signatures, end=head + len(rows) + 2 + 7,  # room to sign
    )


def _table_row(r: FormRow, row: int, col: dict[str, int], row_of: dict[str, int],
               results: dict[str, int | Fraction | None], name_width: float,
               placeholder: bool) -> TableRow:
    cells = [
        Cell(col["code"], r.code, style="text"),
        Cell(col["name"], r.name, style="text"),
        Cell(col["unit"], r.unit, style="text_center"),
        Cell(col["note"], r.note or None, style="text_input"),
    ]
    is_input = False
    if r.code:
        computed = form_row(r, row, col, row_of, results)
        cells += computed.cells
        is_input = computed.is_input
    return TableRow(row, tuple(cells), is_input, parts.row_height(r.name, name_width), placeholder)


def _signatures(
    spec: dict[str, Any], form: Form, first_row: int, last_col: int
) -> tuple[Text, ...]:
    sheet, meta = spec["sheet"], form.meta
    right = (
        "signer_right_neighbourhood"
        if is_neighbourhood(meta.unit_code, meta.unit_name, meta.parent_code)
        else "signer_right"
    )
    texts = [Text(first_row, 3, last_col, sheet["date_line"], "date_input")]
    for col_from, col_to, title, hint in (
        (0, 1, sheet["signer_left"], sheet["signer_left_hint"]),
        (3, last_col, sheet[right], sheet[right + "_hint"]),
    ):
        texts.append(Text(first_row + 1, col_from, col_to, title, "signer"))
        texts.append(Text(first_row + 2, col_from, col_to, hint, "small"))
    return tuple(texts)
