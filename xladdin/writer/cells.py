"""One cell of a template, whatever writes it: a constant or a native formula, its style.

The template modules say what goes in each cell (:mod:`.plan_cells`, :mod:`.form_cells`);
XlsxWriter writes new workbooks with :func:`put`, and the one-click scripts write the
same cells into a book open in Excel (:mod:`xladdin.book`).  Positions are 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass

from .parts import cached, put_value


@dataclass(frozen=True)
class Cell:
    col: int
    value: object = None  # a constant (None: blank) when there is no formula
    formula: str | None = None
    style: str = "count"  # a name of writer.styles.STYLES
    cached: object = None  # the engine's value of the formula


def put(sheet, formats, row: int, cell: Cell | None, cache: bool = True) -> None:
    """Write ``cell`` with XlsxWriter (a formula with the engine's value as its cache)."""
    if cell is None:
        return
    if cell.formula is None:
        put_value(sheet, row, cell.col, cell.value, formats[cell.style])
    else:
        sheet.write_formula(
            row, cell.col, cell.formula, formats[cell.style], cached(cell.cached, cache)
        )
