"""Cell formats shared by every workbook we write (XlsxWriter formats, per workbook).

Times New Roman, as Vietnamese administrative documents use (Nghị định 30/2020); on a
PC without it LibreOffice substitutes the metric-compatible Liberation Serif.
"""

from __future__ import annotations

import math
from typing import Any

FONT = "Times New Roman"

COUNT_FORMAT = "#,##0"
# Còn lại: the raw value stays in the cell; a negative shows as "0 (vượt n)".
REMAINING_FORMAT = '#,##0;"0 (vượt "#,##0")";0'
PERCENT_FORMAT = "0.0%"

_BASE = {"font_name": FONT, "font_size": 11, "valign": "vcenter"}
_CELL = {**_BASE, "border": 1, "border_color": "#808080"}

# name → XlsxWriter format properties
STYLES: dict[str, dict[str, Any]] = {
    "title": {**_BASE, "font_size": 14, "bold": True, "align": "center", "text_wrap": True},
    "subtitle": {**_BASE, "font_size": 12, "bold": True, "align": "center", "text_wrap": True},
    "letterhead": {**_BASE, "font_size": 11, "align": "center", "text_wrap": True},
    "letterhead_bold": {
        **_BASE,
        "font_size": 11,
        "bold": True,
        "align": "center",
        "text_wrap": True,
    },
    "note": {
        **_BASE,
        "font_size": 10,
        "italic": True,
        "font_color": "#404040",
        "text_wrap": True,
        "align": "left",
        "valign": "top",
    },
    "small": {**_BASE, "font_size": 10, "italic": True, "align": "center"},
    "small_left": {**_BASE, "font_size": 10, "italic": True},
    # the form's «…, ngày … tháng … năm …» line: typed by the unit, read back as the date it
    # sent the report (contract §8: lateness that survives a copy)
    "date_input": {**_BASE, "font_size": 10, "italic": True, "align": "center",
                   "bg_color": "#FFF2CC", "locked": False},
    "signer": {**_BASE, "bold": True, "align": "center"},
    "guide": {**_BASE, "text_wrap": True, "valign": "top"},
    "header": {**_CELL, "bold": True, "bg_color": "#DDEBF7", "align": "center", "text_wrap": True},
    "text": {**_CELL, "text_wrap": True},
    "text_center": {**_CELL, "align": "center", "text_wrap": True},
    "count": {**_CELL, "num_format": COUNT_FORMAT},
    "count_input": {**_CELL, "num_format": COUNT_FORMAT, "bg_color": "#FFF2CC", "locked": False},
    # a weight with decimals (populations in thousands: 12,5)
    "weight_input": {**_CELL, "num_format": "#,##0.0##", "bg_color": "#FFF2CC", "locked": False},
    "count_total": {**_CELL, "num_format": COUNT_FORMAT, "bg_color": "#EDEDED", "bold": True},
    "remaining": {**_CELL, "num_format": REMAINING_FORMAT},
    "percent": {**_CELL, "num_format": PERCENT_FORMAT},
    "decimal": {**_CELL, "num_format": "0.0000"},
    "small_percent": {**_BASE, "font_size": 9, "font_color": "#808080", "num_format": "0%"},
    "warning_line": {
        **_BASE,
        "font_size": 10,
        "bold": True,
        "font_color": "#9C0006",
        "text_wrap": True,
        "align": "left",
        "valign": "top",
    },
    "percent_input": {
        **_CELL,
        "num_format": PERCENT_FORMAT,
        "bg_color": "#FFF2CC",
        "locked": False,
    },
    "percent_total": {**_CELL, "num_format": PERCENT_FORMAT, "bg_color": "#EDEDED", "bold": True},
    "text_input": {**_CELL, "text_wrap": True, "bg_color": "#FFF2CC", "locked": False},
    "error_highlight": {"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True},
    "late_highlight": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "missing_highlight": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
}


def new_workbook(target):
    """An XlsxWriter workbook whose default font is ours: column widths are counted in
    the default font's digits, so with Times New Roman they mean the same in Excel and in
    LibreOffice (Liberation Serif has its metrics; Calibri has no twin on most Linux)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {
        "in_memory": True,
        "default_format_properties": {"font_name": FONT, "font_size": 11},
    })
    quiet_on_opening(workbook)
    workbook.worksheet_class = _fast_worksheet_class()
    return workbook


# The calculation engine id of Excel 2016 to 365.  Excel recalculates every formula of a
# workbook whose calcId is older than its own (XlsxWriter writes Excel 2007's, 124519) and
# then asks to save it on closing, though nobody changed anything.
EXCEL_CALC_ID = 191029


def quiet_on_opening(workbook) -> None:
    """No full recalculation on opening: XlsxWriter writes ``fullCalcOnLoad="1"``
    (``Workbook.calc_on_load``; its ``set_calc_mode`` only clears it for manual mode), so
    Excel recalculates and asks to save an unchanged workbook.  Every formula we write
    carries the engine's value (tests/test_cached_values.py recalculates and compares
    each one), and calculation stays automatic: an edit recalculates what depends on it."""
    workbook.calc_on_load = False
    workbook.calc_id = EXCEL_CALC_ID


_worksheet_class = None


def _fast_worksheet_class():
    """XlsxWriter's Worksheet without its 29 regex substitutions a formula, which prefix
    Excel 365's dynamic-array functions with ``_xlfn.``: we never write those (contract §2:
    Excel 2010 functions only), and a plan of 10,000 children has 230,000 formulas (a
    minute saved)."""
    global _worksheet_class
    if _worksheet_class is None:
        from xlsxwriter.utility import xl_rowcol_to_cell_fast
        from xlsxwriter.worksheet import (
            CellBlankTuple,
            CellNumberTuple,
            CellStringTuple,
            Worksheet,
        )

        class FastWorksheet(Worksheet):
            def _prepare_formula(self, formula, expand_future_functions=False):
                if self.use_future_functions or expand_future_functions:
                    return super()._prepare_formula(formula, expand_future_functions)
                if formula.startswith("{"):
                    formula = formula[1:]
                if formula.startswith("="):
                    formula = formula[1:]
                return formula[:-1] if formula.endswith("}") else formula

            # Straight into XlsxWriter's cell table for the cells we write (int row and
            # column, a format, a short string or a finite number): its public methods
            # first convert A1 notation, re-dispatch and check what we never pass.
            def write_string(self, row, col, string, cell_format=None):
                if (type(row) is int and type(col) is int and not self.constant_memory
                        and type(string) is str and len(string) < 16_000):
                    if self._check_dimensions(row, col):
                        return -1
                    index = self.str_table._get_shared_string_index(string)
                    self.table[row][col] = CellStringTuple(index, cell_format)
                    return 0
                return super().write_string(row, col, string, cell_format)

            def write_number(self, row, col, number, cell_format=None):
                if (type(row) is int and type(col) is int and not self.constant_memory
                        and (type(number) is int or (type(number) is float
                                                     and math.isfinite(number)))):
                    if self._check_dimensions(row, col):
                        return -1
                    self.table[row][col] = CellNumberTuple(number, cell_format)
                    return 0
                return super().write_number(row, col, number, cell_format)

            def write_blank(self, row, col, blank, cell_format=None):
                if (type(row) is int and type(col) is int and not self.constant_memory
                        and cell_format is not None):
                    if self._check_dimensions(row, col):
                        return -1
                    self.table[row][col] = CellBlankTuple(cell_format)
                    return 0
                return super().write_blank(row, col, blank, cell_format)

            def _write_cell(self, row, col, cell):
                """The same bytes as XlsxWriter's, for our cells (always formatted) in one
                formatted string each: a summary of 10,000 units has 400,000 cells."""
                fmt = cell.format
                kind = type(cell).__name__
                if fmt is None or self.constant_memory:
                    return super()._write_cell(row, col, cell)
                head = f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{fmt._get_xf_index()}"'
                if kind == "Number":
                    self.fh.write(f"{head}><v>{cell.number:.16G}</v></c>")
                elif kind == "String":
                    self.fh.write(f'{head} t="s"><v>{cell.string}</v></c>')
                elif kind == "Blank":
                    self.fh.write(f"{head}/>")
                elif kind == "Formula" and (cell.value == "" or (
                        isinstance(cell.value, int | float) and not isinstance(cell.value, bool))):
                    formula = self._escape_data(cell.formula)
                    self.fh.write(f"{head}><f>{formula}</f><v>{cell.value}</v></c>")
                else:
                    return super()._write_cell(row, col, cell)
                return None

        _worksheet_class = FastWorksheet
    return _worksheet_class


class Formats:
    """The XlsxWriter Format objects of one workbook, created on first use."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str):
        if name not in self._made:
            self._made[name] = self._workbook.add_format(STYLES[name])
        return self._made[name]
