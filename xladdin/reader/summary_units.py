"""Each unit's numbers in a summary of many units, whose «Tổng hợp» has no column per unit
(the units are rows of «Theo kỳ», see :mod:`xladdin.writer.summary_layout`).

:func:`unit_totals` gives what a «Tổng hợp» column would hold: each unit's number of
each indicator over the periods of the summary (a count summed, a stock its latest
period, a rate and a combined row from their parts: :func:`xladdin.engine.year.cumulate`,
the rule the summary itself was made with).
"""

from __future__ import annotations

from fractions import Fraction

from ..bundled import catalogue as bundled_catalogue
from ..contract import PCT
from ..engine.catalogue import COUNT, RATE, STOCK, Catalogue
from ..engine.model import FormRow, Issue
from ..engine.tidy import COMBINED, Number, ReportData
from ..engine.year import cumulate
from ..grid.base import TableLocation, WorkbookGrid
from .carried import catalogue_of
from .locate import column_index


def has_unit_columns(table: TableLocation) -> bool:
    """TongHop of a few units: a column per unit after «% đạt»."""
    pct = column_index(table, PCT)
    return pct is None or table.last_col > pct


def unit_totals(grid: WorkbookGrid, catalogue: Catalogue | None = None, *, in_plan: bool = False
                ) -> tuple[dict[str, dict[str, Number]], list[Issue]]:
    """unit code → indicator code → its number, for the units that were counted (a unit
    with no number is left out, as a blank column is); the issues of reading «Theo kỳ»
    (``in_plan``: the one the «Tổng hợp» button wrote into the plan's workbook)."""
    from .summary_reader import report_records  # the one reader of «Theo kỳ»

    known = catalogue or catalogue_of(grid, bundled_catalogue())
    data, issues = report_records(grid, known, in_plan=in_plan)
    return (totals_of(data, known) if data is not None else {}), issues


def totals_of(data: ReportData, catalogue: Catalogue) -> dict[str, dict[str, Number]]:
    """:func:`unit_totals` of «Theo kỳ» already read."""
    rows = _rows(data, catalogue)
    periods: dict[str, dict[str, dict[str, Number | None]]] = {}  # unit → period → code → value
    for record in data.records:
        if record.result is not None:
            mine = periods.setdefault(record.unit_code, {})
            mine.setdefault(record.period, {})[record.indicator_code] = record.result
    totals: dict[str, dict[str, Number]] = {}
    for unit, by_period in periods.items():
        ordered = [by_period[p] for p in data.periods if p in by_period]
        numbers = {code: value for code, value in cumulate(rows, ordered).items()
                   if isinstance(value, int | Fraction)}
        if numbers:
            totals[unit] = numbers
    return totals


def whole_unit(grid: WorkbookGrid, code: str, by_unit: dict[str, dict[str, Number]]
               ) -> Number | None:
    """The whole unit's number of ``code`` from its units' (a rate: Σ numerator over Σ
    denominator, never a sum of rates)."""
    found = catalogue_of(grid, bundled_catalogue()).find(code)
    if found is not None and found.is_rate and found.numerator and found.denominator:
        num, den = (whole_unit(grid, p, by_unit) for p in (found.numerator, found.denominator))
        return Fraction(num, den) if num is not None and den else None
    mine = [numbers[code] for numbers in by_unit.values() if code in numbers]
    return sum(mine) if mine else None


def _rows(data: ReportData, catalogue: Catalogue) -> list[FormRow]:
    """The summary's indicators as rows that :func:`cumulate` understands."""
    rows = []
    for info in data.indicators:
        found = catalogue.find(info.code)
        if info.kind == RATE and found is not None and found.numerator and found.denominator:
            parts: tuple[str, ...] = (found.numerator, found.denominator)
        elif info.kind == COMBINED and found is not None:
            parts = found.parts
        else:
            parts = ()
        kind = info.kind if info.kind in (RATE, STOCK) else COUNT
        rows.append(FormRow(info.code, info.name, info.unit, None, kind=kind, parts=parts))
    return rows
