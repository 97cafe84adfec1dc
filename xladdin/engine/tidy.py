"""What a summary or a form holds, as tidy records: one per unit, indicator and period.

The shape ``read_report`` gives analysts and ``export --dhis2`` sends to DHIS2
(contract §11): ``unit_code, unit_name, indicator_code, period, target, result``.
``period`` is the contract's own string (``2024-03``, ``2024-Q1``, ``round-2``, §8);
``target`` is the unit's Chỉ tiêu đợt as its form carried it (for a month or a quarter
without a period target: the unit's annual share, as the form said).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .catalogue import COUNT, RATE, Catalogue, Indicator
from .model import Form, Meta
from .periods import period_of

COMBINED = "combined"  # a row that is the sum of other rows present (never sent to DHIS2)

Number = int | Fraction


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    unit: str  # ĐVT
    kind: str  # count | stock | rate | combined


@dataclass(frozen=True)
class ReportRecord:
    unit_code: str
    unit_name: str
    indicator_code: str
    period: str
    target: Number | None
    result: Number | None


@dataclass(frozen=True)
class ReportData:
    """A workbook's numbers: its identity, its indicators in order, its records in the
    order the workbook lists them (unit by unit, periods oldest first)."""

    meta: Meta
    indicators: tuple[IndicatorInfo, ...]
    records: tuple[ReportRecord, ...]
    periods: tuple[str, ...]  # oldest first
    units: tuple[tuple[str, str], ...] = ()  # (code, name) of every unit listed, counted or not

    def kind(self, code: str) -> str:
        return next((i.kind for i in self.indicators if i.code == code), COUNT)


def indicator_kinds(codes: list[str], names: dict[str, tuple[str, str]],
                    catalogue: Catalogue) -> tuple[IndicatorInfo, ...]:
    """Each code's kind as the summary computes it: a rate, a combined row (its parts all
    present), else the catalogue's kind (count for a code the catalogue does not know)."""
    present = set(codes)
    infos = []
    for code in codes:
        found = catalogue.find(code)
        name, unit = names.get(code, (found.name if found else code, found.unit if found else ""))
        if found is not None and found.is_rate:
            kind = RATE
        elif found is not None and found.is_combined and all(p in present for p in found.parts):
            kind = COMBINED
        else:
            kind = catalogue.kind(code)
        infos.append(IndicatorInfo(code, name, unit, kind))
    return tuple(infos)


def from_parts(indicator: Indicator | None, values: Mapping[str, object]) -> Number | None:
    """A rate (numerator / denominator) or a combined row (sum of its parts) from the
    other values of its row, as the workbook's formula computes it; None without them."""
    if indicator is None:
        return None
    if indicator.is_rate and indicator.numerator and indicator.denominator:
        num, den = values.get(indicator.numerator), values.get(indicator.denominator)
        if isinstance(num, int | Fraction) and isinstance(den, int | Fraction) and den:
            return Fraction(num) / Fraction(den)
        return None
    if indicator.is_combined:
        present = [v for p in indicator.parts if isinstance(v := values.get(p), int | Fraction)]
        return sum(present, Fraction(0)) if present else None
    return None


def form_report(form: Form, catalogue: Catalogue) -> ReportData:
    """A form's rows as records of its one unit and period (a rate from its parts)."""
    period = period_of(form.meta).text
    by_code = {row.code: row for row in form.rows}
    records = []
    for row in form.rows:
        result: Number | None = row.result
        target: Number | None = row.round_target
        if row.is_rate:
            target = row.target_rate
            num, den = (by_code.get(p) for p in row.parts) if len(row.parts) == 2 else (None, None)
            n, d = (num.result if num else None), (den.result if den else None)
            result = Fraction(n, d) if n is not None and d else None
        records.append(ReportRecord(form.meta.unit_code, form.meta.unit_name, row.code, period,
                                    target, result))
    names = {row.code: (row.name, row.unit) for row in form.rows}
    infos = indicator_kinds([row.code for row in form.rows], names, catalogue)
    return ReportData(form.meta, infos, tuple(records), (period,))
