"""A summary's numbers as a DHIS2 data value set (contract §11), pure.

One data value per unit, indicator and DHIS2 period, in DHIS2's CSV import layout.
Months and quarters keep their own period (``202403``, ``2024Q1``).  A campaign round
has no DHIS2 period, and DHIS2 replaces a value sent twice for one period: so the officer
names the DHIS2 period of a rounds summary (``--period 2023-05``, the month the round ran,
or ``2023`` for a year-to-date summary); without it the export is refused rather than
guessed.  Several rounds sent to one period add up for a count and keep the latest round
for a stock (as the year to date is computed, §8).  Rates and
combined rows are not sent: DHIS2 computes them from their parts, and a combined row
sent beside its parts would be counted twice.

Identifiers are our codes (import with ``idScheme=CODE``) unless a mapping gives DHIS2's
own for a kind (indicators → data elements, units → organisation units); once a kind is
mapped, every code of that kind that is sent must be, and the error names those that
are not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from .. import contract as c
from ..errors import InputError, UsageError
from .catalogue import RATE, STOCK
from .periods import MONTH, QUARTER, ROUND, parse_period
from .tidy import COMBINED, ReportData

COLUMNS = c.DHIS2_COLUMNS
INDICATOR, UNIT = "indicator", "unit"  # the kinds of MAP.csv
STORED_BY = "xladdin"


@dataclass(frozen=True)
class Dhis2Mapping:
    """Our code → DHIS2 identifier, per kind; an empty kind is sent as codes."""

    indicators: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DataValue:
    dataelement: str
    period: str
    orgunit: str
    value: int
    lastupdated: str
    indicator_code: str  # ours, for messages and checks
    unit_code: str
    storedby: str = STORED_BY
    categoryoptioncombo: str = ""  # DHIS2's default
    attributeoptioncombo: str = ""
    comment: str = ""
    followup: str = "false"

    def row(self) -> list[str]:
        return [getattr(self, name) if name != "value" else str(self.value) for name in COLUMNS]


@dataclass(frozen=True)
class DataValueSet:
    values: tuple[DataValue, ...]
    left_out: tuple[str, ...]  # indicator codes not sent (rates, combined rows)
    id_schemes: tuple[str, str]  # (data elements, organisation units): CODE or UID


def data_value_set(data: ReportData, mapping: Dhis2Mapping | None = None,
                   round_period: str | None = None) -> DataValueSet:
    """The values to send; ``round_period`` is the DHIS2 period the officer gives a rounds
    summary's results (see the module's docstring)."""
    mapping = mapping or Dhis2Mapping()
    year = data.meta.year
    rounds_to = _rounds_period(data, round_period)
    left_out = tuple(i.code for i in data.indicators if i.kind in (RATE, COMBINED))
    order = {p: n for n, p in enumerate(data.periods)}
    merged: dict[tuple[str, str, str], tuple[int, int]] = {}  # (unit, code, pe) → (order, value)
    for record in sorted(data.records, key=lambda r: order.get(r.period, 0)):
        kind = data.kind(record.indicator_code)
        if kind in (RATE, COMBINED) or record.result is None:
            continue
        value = _whole(record.result, record.indicator_code, record.unit_code, record.period)
        parsed = parse_period(record.period)
        period = rounds_to if parsed.kind == ROUND else parsed.dhis2(year)
        key = (record.unit_code, record.indicator_code, period)
        if key in merged and kind != STOCK:
            value += merged[key][1]  # rounds of one year: a count adds up
        merged[key] = (order.get(record.period, 0), value)  # a stock: the latest
    _check_mapped(mapping, {k[1] for k in merged}, {k[0] for k in merged})
    updated = data.meta.created_at
    values = tuple(
        DataValue(mapping.indicators.get(code, code), period, mapping.units.get(unit, unit), value,
                  updated, code, unit)
        for (unit, code, period), (_, value) in merged.items())
    schemes = ("UID" if mapping.indicators else "CODE", "UID" if mapping.units else "CODE")
    return DataValueSet(values, left_out, schemes)


def _rounds_period(data: ReportData, given: str | None) -> str:
    """The DHIS2 period of a rounds summary's results, from ``--period``; refuses to guess."""
    year = data.meta.year
    rounds = sorted({p for p in data.periods if parse_period(p).kind == ROUND},
                    key=lambda p: parse_period(p).sort_key)
    if not rounds:
        if given:
            raise UsageError("--period chỉ dùng cho bảng tổng hợp theo đợt; bảng này đã có kỳ "
                             "tháng/quý của DHIS2.")
        return ""
    named = ", ".join(parse_period(p).label(year) for p in rounds)
    if not given:
        raise UsageError(
            f"Bảng tổng hợp này là kết quả theo đợt ({named}); DHIS2 không có kỳ «đợt», và "
            "mỗi lần nhập cùng một kỳ sẽ thay số cũ. Hãy cho kỳ DHIS2 của số liệu bằng "
            f"--period: tháng diễn ra đợt (ví dụ --period {year}-05) hoặc --period {year} "
            "nếu đây là số của cả năm.")
    text = given.strip()
    if text == str(year):
        return text
    dhis2_form = re.fullmatch(r"(\d{4})(\d{2})|(\d{4})[Qq]([1-4])", text)
    if dhis2_form:  # 202305 / 2023Q2, as DHIS2 writes them
        text = (f"{dhis2_form[1]}-{dhis2_form[2]}" if dhis2_form[1]
                else f"{dhis2_form[3]}-Q{dhis2_form[4]}")
    try:
        period = parse_period(text)
    except UsageError:
        period = None
    if period is None or period.kind not in (MONTH, QUARTER) or period.year != year:
        raise UsageError(f"--period «{given}» không dùng được: cần một tháng (YYYY-MM), một quý "
                         f"(YYYY-Qn) hoặc cả năm (YYYY) của năm {year}.")
    return period.dhis2(year)


def _whole(value: int | Fraction, code: str, unit: str, period: str) -> int:
    if isinstance(value, Fraction) and value.denominator != 1:
        raise InputError(
            f"{code} của đơn vị {unit} kỳ {period} là {float(value):g}, không phải số nguyên: "
            "DHIS2 chỉ nhận số đếm nguyên."
        )
    return int(value)


def _check_mapped(mapping: Dhis2Mapping, indicators: set[str], units: set[str]) -> None:
    missing = []
    if mapping.indicators:
        missing += [f"chỉ tiêu {code}" for code in sorted(indicators - set(mapping.indicators))]
    if mapping.units:
        missing += [f"đơn vị {code}" for code in sorted(units - set(mapping.units))]
    if missing:
        shown = ", ".join(missing[:20]) + (
            f" và {len(missing) - 20} mã khác" if len(missing) > 20 else ""
        )
        raise InputError(f"Tệp ánh xạ (MAP.csv) chưa có mã DHIS2 cho: {shown}. Thêm các dòng "
                         "kind,code,dhis2 cho những mã này.")


def adx_period(period: str) -> str:
    """A DHIS2 period as ADX writes it (ISO 8601 start/duration): 202403 → 2024-03-01/P1M,
    2024Q1 → 2024-01-01/P3M, 2024 → 2024-01-01/P1Y."""
    if len(period) == 6 and period.isdigit():
        return f"{period[:4]}-{period[4:]}-01/P1M"
    if len(period) == 6 and period[4] == "Q":
        return f"{period[:4]}-{(int(period[5]) - 1) * 3 + 1:02d}-01/P3M"
    return f"{period}-01-01/P1Y"
