"""Cell formats shared by every workbook we write (XlsxWriter formats, per workbook).

Times New Roman, as Vietnamese administrative documents use (Nghị định 30/2020); on a
PC without it LibreOffice substitutes the metric-compatible Liberation Serif.
"""

from __future__ import annotations

from typing import Any

from .xlsx_speedups import shared_format, workbook_class, worksheet_class

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
    workbook = workbook_class()(target, {
        "in_memory": True,
        "default_format_properties": {"font_name": FONT, "font_size": 11},
        # a text is never a formula: a unit named «=SUM(A1:A9)» stays a name (merged
        # title lines go through write(), which would make it one); formulas are written
        # with write_formula only
        "strings_to_formulas": False,
    })
    quiet_on_opening(workbook)
    workbook.worksheet_class = worksheet_class()
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


class Formats:
    """The XlsxWriter Format objects of one workbook, created on first use.

    Each is what ``add_format`` would make, copied from a prototype made once a process
    (:mod:`.xlsx_speedups`): making Formats was a quarter of writing a report form."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str):
        if name not in self._made:
            self._made[name] = shared_format(self._workbook, name, STYLES[name])
        return self._made[name]
