"""A layout's cell as the open-book runtime writes it (the layouts are computed once in
:mod:`xladdin.writer`: :mod:`~xladdin.writer.form_layout`, :mod:`~xladdin.writer.summary_layout`).

XlsxWriter writes a formula with the engine's value as its cache; Excel computes a formula
written into an open book itself, so only the formula goes.  Numbers go as numbers
(a Fraction as a float), texts as texts, None as an empty cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..writer.cells import Cell
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
