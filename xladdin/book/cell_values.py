"""A layout's cell as the open-book runtime writes it (the layouts are computed once in
:mod:`xladdin.writer`: :mod:`~xladdin.writer.form_layout`, :mod:`~xladdin.writer.summary_layout`).

XlsxWriter writes a formula with the engine's value as its cache; Excel computes a formula
written into an open book itself, so only the formula goes.  Numbers go as numbers
(a Fraction as a float), texts as texts, None as an empty cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..writer.cells import Cell
from ..writer.period_layout import SheetLayout
from ..writer.styles import STYLES
from .session import Formula


def cell_value(cell: Cell) -> object:
    if cell.formula:
        return Formula(cell.formula)
    value = cell.value
    if value is None or isinstance(value, str | int):
        return value
    return float(value)  # type: ignore[arg-type]  # Fraction, Decimal: a number Excel can hold


def row_values(cells: Iterable[Cell], width: int) -> list[object]:
    """One row of ``width`` columns from A: each cell in its column, None elsewhere."""
    values: list[object] = [None] * width
    for cell in cells:
        values[cell.col] = cell_value(cell)
    return values


def layout_rows(layout: SheetLayout) -> tuple[list[list[object]], list[Run]]:
    """A one-table sheet's layout as one block of values from A1 (its lines, the header
    row, then every row of cells; rows it leaves out stay empty) and its percent runs."""
    found: dict[int, list[object]] = {}
    for text in layout.lines:
        found[text.row] = [None] * text.first_col + [text.text]
    found[layout.head] = list(layout.headers)
    rows = []
    for row, cells in layout.rows:
        found[row] = row_values(cells, max((cell.col for cell in cells), default=-1) + 1)
        rows.append((row, cells))
    return [found.get(row, []) for row in range(max(found) + 1)], percent_runs(rows)


Run = tuple[int, int, int, str]  # column, first row, last row, number format


def percent_runs(rows: Iterable[tuple[int, Iterable[Cell]]]) -> list[Run]:
    """The cells a layout styles as rates or % đạt, as runs down a column (one format per
    run, not per cell: 10,000 units' rates are one run)."""
    by_col: dict[tuple[int, str], list[int]] = {}
    for row, cells in rows:
        for cell in cells:
            fmt = STYLES.get(cell.style, {}).get("num_format")
            if isinstance(fmt, str) and "%" in fmt:
                by_col.setdefault((cell.col, fmt), []).append(row)
    return [(col, first, last, fmt) for (col, fmt), found in by_col.items()
            for first, last in row_runs(sorted(found))]


def row_runs(rows: Iterable[int], same: Callable[[int, int], bool] = lambda a, b: True
             ) -> list[tuple[int, int]]:
    """Sorted rows as runs of consecutive rows, (first, last), a run also ending where
    ``same(first of the run, row)`` says no: one action a run, not one a cell."""
    found: list[tuple[int, int]] = []
    for row in rows:
        if found and found[-1][1] == row - 1 and same(found[-1][0], row):
            found[-1] = (found[-1][0], row)
        else:
            found.append((row, row))
    return found
