"""«Chỉ tiêu đơn vị» of the summary (table ``ChiTieuDonVi``): what the plan gave each unit.

Two shapes, as «Tổng hợp»: up to MANY_UNITS units, one row per indicator and one column
per unit (beside «Tổng hợp», the same columns); above, one row per unit and one column per
indicator code (names on «Tổng hợp»), a table of constant width that prints and filters.
Constants: the plan's shares, which every target formula of the summary reads.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from .. import contract as c
from ..engine.consolidate import Summary
from . import parts
from .cells import Cell, put
from .form_layout import Text
from .period_layout import SheetLayout
from .period_layout import code_width as bold_code_width
from .styles import Formats
from .summary_layout import HEAD, code_width, many_units, year_mode

UNIT_WIDTHS = (12.0, 24.0)  # Mã đơn vị, Tên đơn vị (one row per unit)


class TargetsLayout:
    """Where each unit's target is, and (many units) the sheet's cells: computed once for
    the summary file and the «Tổng hợp» button."""

    def __init__(self, summary: Summary, spec: dict[str, Any]):
        self.s, self.spec = summary, spec
        self.units, self.rows = list(summary.units), list(summary.rows)
        self.long = many_units(summary)
        self.row_of = {r.code: HEAD + 1 + i for i, r in enumerate(self.rows)}
        self.col_of = {r.code: len(UNIT_WIDTHS) + i for i, r in enumerate(self.rows)}
        self.quoted = "'" + c.TARGETS_SHEET.replace("'", "''") + "'"

    def ref(self, code: str, unit_index: int) -> str:
        """The cell of a unit's target (``unit_index``: its place in the summary's units)."""
        if self.long:
            return f"{self.quoted}!{parts.cell(HEAD + 1 + unit_index, self.col_of[code])}"
        return f"{self.quoted}!{parts.cell(self.row_of[code], 3 + unit_index)}"

    def refs(self, code: str) -> list[str]:
        return [self.ref(code, i) for i in range(len(self.units))]

    def column(self, code: str) -> str:
        """Every unit's target of ``code`` (one row per unit)."""
        col = parts.column(self.col_of[code])
        return f"{self.quoted}!${col}${HEAD + 2}:${col}${HEAD + 1 + max(len(self.units), 1)}"

    def title(self) -> str:
        spec = self.spec["targets_sheet"]
        return str(spec["title_year"] if year_mode(self.s) else spec["title"])

    def by_unit(self) -> SheetLayout:
        """Many units: one row per unit, one column per indicator code."""
        headers = [c.UNIT_CODE, c.UNIT_NAME] + [r.code for r in self.rows]
        widths = [max(10.0, bold_code_width(r.code)) for r in self.rows]  # never mid-code
        title_col = parts.first_page([*UNIT_WIDTHS, *widths])
        lines = (Text(0, 0, title_col, self.title(), "title", 24),
                 Text(2, 0, title_col, self.spec["targets_sheet"]["note_many"].format(
                     summary_sheet=c.SUMMARY_SHEET), "note", 30))
        return SheetLayout(lines, HEAD, tuple(headers), (*UNIT_WIDTHS, *widths),
                           self._unit_rows())

    def _unit_rows(self):
        styles = ["percent" if r.is_rate else "count" for r in self.rows]
        for i, unit in enumerate(self.units):
            mine = self.s.targets.get(unit.code, {})
            yield HEAD + 1 + i, [Cell(0, unit.code, style="text"), Cell(1, unit.name, style="text")
                                 ] + [Cell(2 + j, mine.get(r.code), style=styles[j])
                                      for j, r in enumerate(self.rows)]


class TargetsSheet(TargetsLayout):
    """«Chỉ tiêu đơn vị» written with XlsxWriter."""

    def __init__(self, formats: Formats, summary: Summary, spec: dict[str, Any]):
        super().__init__(summary, spec)
        self.f = formats

    def write(self, sheet: Worksheet) -> None:
        if self.long:
            self._by_unit(sheet)
        else:
            self._by_indicator(sheet, self.title())

    def _by_indicator(self, sheet: Worksheet, title: str) -> None:
        f, spec = self.f, self.spec
        last_col = 2 + len(self.units)
        parts.line(sheet, f, 0, title, last_col, "title", 24)
        headers = [c.CODE, c.NAME, c.UNIT] + [u.name for u in self.units]
        last = HEAD + max(len(self.rows), 1)
        parts.add_table(sheet, f, spec["targets_sheet"]["table"], HEAD, last, headers)
        sheet.set_column(0, 0, code_width(self.s, spec))
        sheet.set_column(1, 1, spec["columns"][1]["width"])
        sheet.set_column(2, 2, 6)
        unit_width = spec["unit_columns"]["width"]
        sheet.set_column(3, 3 + max(len(self.units) - 1, 0), unit_width)
        sheet.set_row(HEAD, max(
            [45.0] + [parts.row_height(u.name, unit_width * 0.85) for u in self.units]))
        name_width = spec["columns"][1]["width"]
        for r in self.rows:
            row = self.row_of[r.code]
            sheet.write_string(row, 0, r.code, f["text"])
            sheet.write_string(row, 1, r.name, f["text"])
            sheet.write_string(row, 2, r.unit, f["text_center"])
            sheet.set_row(row, parts.row_height(r.name, name_width))
            for index, unit in enumerate(self.units):
                value = self.s.targets.get(unit.code, {}).get(r.code)
                parts.put_value(
                    sheet, row, 3 + index, value, f["percent" if r.is_rate else "count"]
                )
        parts.protect(sheet)
        parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=last_col, last_row=last)

    def _by_unit(self, sheet: Worksheet) -> None:
        f, layout = self.f, self.by_unit()
        last_col, last = len(layout.headers) - 1, HEAD + max(len(self.units), 1)
        for text in layout.lines:
            parts.line(sheet, f, text.row, text.text, text.last_col, text.style, text.height)
        parts.add_table(sheet, f, self.spec["targets_sheet"]["table"], HEAD, last,
                        list(layout.headers), filters=True)
        for col, width in enumerate(layout.widths):
            sheet.set_column(col, col, width)
        sheet.set_row(HEAD, 32)
        for row, cells in layout.rows:
            for cell in cells:
                put(sheet, f, row, cell)
        sheet.freeze_panes(HEAD + 1, 2)
        parts.protect(sheet, filters=True)
        parts.print_a4(sheet, landscape=True, title_row=HEAD, last_col=last_col, last_row=last,
                       across=(0, 1, sum(layout.widths)))
