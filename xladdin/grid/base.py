"""A workbook as grids of values: the one interface every reader works on.

Two runtimes implement it: :mod:`.calamine_grid` for files on disk (the CLI, fast,
read-only, never runs macros) and :mod:`.xlwings_grid` for a book open in Excel (the
one-click scripts, in any xlwings runtime).  Readers and validators never know which.

Cells are addressed 0-based (row, col).  A cell holds None (empty), str, float, int,
bool, a date/time, or an :class:`~xladdin.engine.values.ExcelError` (errors are values).
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Self

from xlsxwriter.utility import xl_rowcol_to_cell

_CELL_REF = re.compile(r"^([A-Z]{1,3})([1-9]\d{0,6})$")  # bounded: no 4,300-digit row


@functools.lru_cache(maxsize=4096)
def a1(row: int, col: int) -> str:
    """'E7' for (6, 4); no $ signs (contract §5)."""
    return xl_rowcol_to_cell(row, col)


def parse_a1(ref: str) -> tuple[int, int] | None:
    """(6, 4) for 'E7' (or '$E$7'); None for anything that is not a cell reference."""
    match = _CELL_REF.match((ref or "").replace("$", "").upper())
    if not match:
        return None
    letters, digits = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + (ord(letter) - 64)
    return int(digits) - 1, col - 1


@dataclass(frozen=True)
class TableLocation:
    """Where an Excel Table is: its header row and data rows (0-based, inclusive)."""

    name: str
    sheet: str
    header_row: int
    first_col: int
    last_row: int
    last_col: int
    headers: tuple[str, ...]


class SheetGrid(ABC):
    name: str
    hidden: bool = False
    #: False when the runtime cannot tell formulas (a remote xlwings book: Excel sends
    #: the computed values only); ``formula()`` then returns None for every cell.
    knows_formulas: bool = True

    @abstractmethod
    def value(self, row: int, col: int) -> object: ...

    @abstractmethod
    def formula(self, row: int, col: int) -> str | None:
        """The formula text of a cell (without '='), or None for a constant."""

    @property
    @abstractmethod
    def n_rows(self) -> int: ...

    @property
    @abstractmethod
    def n_cols(self) -> int: ...

    def row_values(self, row: int) -> list[object]:
        return [self.value(row, col) for col in range(self.n_cols)]

    def rows(self) -> Iterator[list[object]]:
        for row in range(self.n_rows):
            yield self.row_values(row)


class RowsSheetGrid(SheetGrid):
    """A sheet whose values a runtime has already read into ``self._data`` (rows from A1)."""

    _data: list[list[object]]

    @property
    def n_rows(self) -> int:
        return len(self._data)

    @property
    def n_cols(self) -> int:
        return max((len(row) for row in self._data), default=0)


class WorkbookGrid(ABC):
    source: str  # the file path (or book name) issues name

    @property
    @abstractmethod
    def sheet_names(self) -> list[str]: ...

    @abstractmethod
    def sheet(self, name: str) -> SheetGrid: ...

    @abstractmethod
    def tables(self) -> list[TableLocation]: ...

    def table(self, name: str) -> TableLocation | None:
        wanted = name.casefold()
        return next((t for t in self.tables() if t.name.casefold() == wanted), None)

    def close(self) -> None:  # noqa: B027 (a grid with nothing to release keeps this)
        """Release the file; a reader holds no more than one workbook at a time."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """``with open_workbook(path) as grid:`` closes the file whatever happens."""
        self.close()


class OneSheet(WorkbookGrid):
    """One sheet of a workbook seen as a workbook of its own (forms pasted as sheets)."""

    def __init__(self, grid: WorkbookGrid, sheet: str):
        self._grid, self._sheet = grid, sheet
        self.source = grid.source

    @property
    def sheet_names(self) -> list[str]:
        return [self._sheet]

    def sheet(self, name: str) -> SheetGrid:
        return self._grid.sheet(name)

    def tables(self) -> list[TableLocation]:
        return [t for t in self._grid.tables() if t.sheet == self._sheet]
