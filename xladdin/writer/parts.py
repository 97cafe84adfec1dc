"""The sheet-level parts every template shares: table, validation, protection, printing.

One function per part of the file format (as XlsxWriter itself keeps one module per
part), so each template module only says *what* goes where.  Rows and columns are
0-based, as in XlsxWriter.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..contract import NOTE
from ..engine.text import printable
from .styles import FONT, Formats


def cached(value, cache: bool = True):
    """The result XlsxWriter stores with a formula: the engine's value ("" for blank), or
    0 everywhere when ``cache`` is off (tests use it to prove recalculation happens)."""
    if not cache:
        return 0
    if value is None:
        return ""
    return value if isinstance(value, str) else float(value)


def put_value(sheet, row: int, col: int, value, fmt) -> None:
    """A constant cell: blank, text or number (Fractions become floats)."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, printable(value), fmt)  # no control character reaches XML
    else:
        sheet.write_number(row, col, float(value), fmt)


@lru_cache(maxsize=4096)  # every form of a plan wraps the same indicator names
def row_height(text: str, width: float) -> float:
    """Points for ``text`` wrapped at word boundaries (as Excel and LibreOffice wrap it) in
    a column ``width`` digits wide (Times 11: about 1.05 characters a digit, counted short
    so that a row is rather a little tall than cut), at least one comfortable line."""
    chars = max(1, int(width * 1.05))
    if len(text) <= chars and "\n" not in text:  # one line: no need to wrap (10,000 names)
        return 20
    lines = max(1, len(textwrap.wrap(text, chars)))
    return max(20, 15 * lines + 5)


def cell(row: int, col: int) -> str:
    """A1 reference of a 0-based (row, col)."""
    return xl_rowcol_to_cell(row, col)


def column(col: int) -> str:
    return xl_col_to_name(col)


def add_table(sheet, formats: Formats, name: str, first_row: int, last_row: int,
              headers: list[str], style: str = "Table Style Light 1", *,
              filters: bool = False) -> None:
    """An Excel Table (ListObject) with these headers; data cells are written after.
    ``filters``: the header's filter buttons (a table of many units: find one, or the
    late ones; the sheet's protection must then allow them, see :func:`protect`)."""
    sheet.add_table(
        first_row, 0, last_row, len(headers) - 1,
        {
            "name": name,
            "style": style,
            "autofilter": filters,
            "banded_rows": False,
            "columns": [{"header": printable(h, one_line=True), "header_format": formats["header"]}
                        for h in headers],
        },
    )


def whole_number_validation(sheet, first_row, first_col, last_row, last_col, *, title, prompt,
                            error_title, error, other_cells: list[list[int]] | None = None) -> None:
    """Whole numbers ≥ 0, with a Vietnamese input message and a stop alert; one record
    for the range and ``other_cells`` ([[row1, col1, row2, col2], …])."""
    options = {
        "validate": "integer", "criteria": ">=", "value": 0, "ignore_blank": True,
        "input_title": title[:32], "input_message": prompt[:255],
        "error_title": error_title[:32], "error_message": error[:255], "error_type": "stop",
    }
    if other_cells:
        options["other_cells"] = other_cells
    sheet.data_validation(first_row, first_col, last_row, last_col, options)


def percent_validation(sheet, first_row, first_col, last_row, last_col, *, prompt, error) -> None:
    sheet.data_validation(
        first_row, first_col, last_row, last_col,
        {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
            "input_title": "Tỷ lệ", "input_message": prompt[:255],
            "error_title": "Tỷ lệ không hợp lệ", "error_message": error[:255],
        },
    )


def text_prompt(sheet, first_row, first_col, last_row, last_col, prompt: str) -> None:
    sheet.data_validation(
        first_row, first_col, last_row, last_col,
        {
            "validate": "length", "criteria": "<=", "value": 255,
            "input_title": NOTE, "input_message": prompt[:255],
            "error_title": "Ghi chú quá dài", "error_message": "Ghi chú tối đa 255 ký tự.",
        },
    )


def protect(sheet, password: str | None = None, *, filters: bool = False) -> None:
    """Lock every cell but the inputs (their formats are unlocked); no password by
    default, so an officer who must change the layout can unprotect the sheet.
    ``filters``: the table's filter buttons still work."""
    options = {"format_columns": True, "format_rows": True, "select_locked_cells": True,
               "select_unlocked_cells": True}
    if filters:
        options["autofilter"] = True
    sheet.protect(password or "", options)


# A landscape A4 page holds about 150 digits of Times 11 at 100 %: a table wider than this
# fitted to one page wide would print below 75 % (a 29-indicator «Theo kỳ»: 3 pt text).
WIDE_TABLE = 200


def first_page(widths: list[float]) -> int:
    """The last column a title may span: all of them, or those of the first page when
    the table prints across pages (a title merged wider would land on a later page)."""
    if sum(widths) <= WIDE_TABLE:
        return len(widths) - 1
    total, last = 0.0, 0
    for col, width in enumerate(widths):
        total += width
        if total > WIDE_TABLE:
            break
        last = col
    return last


def print_a4(
    sheet, *, landscape: bool, title_row: int | None, last_col: int, last_row: int,
    across: tuple[int, int, float] | None = None,
) -> None:
    """A4, fit to one page wide, header row repeated on every page, page numbers.
    ``across`` (first, last column that name a row, the table's width in digits): a table
    wider than WIDE_TABLE prints at 75 % over pages side by side, those columns repeated
    on each, rather than shrunk unreadable onto one page's width."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    if across is not None and across[2] > WIDE_TABLE:
        sheet.set_print_scale(75)
        sheet.repeat_columns(across[0], across[1])
    else:
        sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    if title_row is not None:
        sheet.repeat_rows(title_row)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.set_footer(f'&C&"{FONT},Regular"&9Trang &P/&N')


def highlight(sheet, formats: Formats, first_row, col, last_row, formula: str,
              style: str = "error_highlight") -> None:
    """Colour the cells of one column where ``formula`` (for its first cell) is true."""
    sheet.conditional_format(first_row, col, last_row, col,
                             {"type": "formula", "criteria": formula, "format": formats[style]})


def line(sheet, formats: Formats, row: int, text: str, last_col: int, style: str,
         height: float | None = None) -> None:
    """A merged line across the table's width (title, subtitle, note)."""
    if last_col > 0:
        sheet.merge_range(row, 0, row, last_col, text, formats[style])
    else:
        sheet.write_string(row, 0, text, formats[style])
    if height:
        sheet.set_row(row, height)
