"""A book open in Excel, through xlwings: the grid of the one-click scripts.

Any ``xlwings.Book`` will do: desktop Excel (COM on Windows, AppleScript on macOS), and
the books of xlwings Server and xlwings Lite, built from the JSON Excel's add-in sends
(``xw.Book(json=...)``).  Each sheet's values are read once, from A1 to the last used
cell, with error cells as their text turned into :class:`ExcelError`.

Formulas: desktop Excel tells them.  The JSON of a remote book carries the values Excel
computed but no formulas (xlwings raises NotImplementedError when asked), so such a
sheet says ``knows_formulas = False``: readers then work from the values, which are
exactly what the officer sees, never "a formula without a value".
"""

from __future__ import annotations

import datetime as dt

from ..engine.values import ERROR_CODES, ExcelError
from .base import RowsSheetGrid, TableLocation, WorkbookGrid


class XlwingsGrid(WorkbookGrid):
    def __init__(self, book):
        self.book = book
        self.source = book.name
        self._sheets: dict[str, XlwingsSheetGrid] = {}
        self._tables: list[TableLocation] | None = None

    @property
    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def sheet(self, name: str) -> XlwingsSheetGrid:
        if name not in self._sheets:
            self._sheets[name] = XlwingsSheetGrid(self.book.sheets[name])
        return self._sheets[name]

    def tables(self) -> list[TableLocation]:
        if self._tables is None:
            self._tables = []
            for xl_sheet in self.book.sheets:
                for table in xl_sheet.tables:
                    head = table.header_row_range
                    if head is None:
                        continue  # a table without headers is none of ours
                    body = table.data_body_range or head
                    row, first, last = head.row - 1, head.column - 1, head.last_cell.column - 1
                    sheet = self.sheet(xl_sheet.name)
                    titles = tuple("" if v is None else str(v) for v in
                                   (sheet.value(row, col) for col in range(first, last + 1)))
                    self._tables.append(TableLocation(table.name, xl_sheet.name, row, first,
                                                      body.last_cell.row - 1, last, titles))
        return self._tables


class XlwingsSheetGrid(RowsSheetGrid):
    def __init__(self, xl_sheet):
        self.name = xl_sheet.name
        self.hidden = not xl_sheet.visible
        last = xl_sheet.used_range.last_cell
        area = xl_sheet.range((1, 1), (last.row, last.column))
        if xl_sheet.book.app.engine.name == "remote":
            # The JSON as Excel sent it: xlwings' own conversion fails on a text that looks
            # like an ISO date with a time zone (our _meta's created_at), so it is done here.
            values = area.raw_value
            values = [list(r) for r in values] if isinstance(values, list | tuple) and values and \
                isinstance(values[0], list | tuple) else [[values]]
            self._data = [[_sent(v) for v in row] for row in values]
        else:
            values = area.options(ndim=2, err_to_str=True).value or []
            self._data = [[_cell(v) for v in row] for row in values]
        try:
            formulas = area.formula
        except NotImplementedError:  # a remote book: Excel sent values only
            formulas = None
        self.knows_formulas = formulas is not None
        if isinstance(formulas, str):  # one cell
            formulas = ((formulas,),)
        self._formulas = formulas or ()

    def value(self, row: int, col: int) -> object:
        try:
            return self._data[row][col]
        except IndexError:
            return None

    def formula(self, row: int, col: int) -> str | None:
        try:
            text = self._formulas[row][col]
        except IndexError:
            return None
        return text[1:] if isinstance(text, str) and text.startswith("=") else None


def _sent(value: object) -> object:
    """One cell of the JSON Excel's add-in sends: dates are ISO texts ending in Z."""
    if isinstance(value, str) and value.endswith("Z") and value[:4].isdigit():
        try:
            return dt.datetime.fromisoformat(value[:-1])
        except ValueError:
            pass
    return _cell(value)


def _cell(value: object) -> object:
    """A value as every grid gives it: '' is empty, an error's text is an ExcelError."""
    if value == "":
        return None
    if isinstance(value, str) and value in ERROR_CODES:
        return ExcelError(value)
    return value
