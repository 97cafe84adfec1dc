"""What a consolidation gives (contract §5): the :class:`Summary` and its JSON report.

:func:`.consolidate.consolidate` fills it; the writers print it.  Pure, no I/O.  The
totals over the counted units are computed here, by kind: a rate from the sums of its
numerators and denominators (:mod:`.rates`), everything else a sum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NotRequired, TypedDict

from .model import Form, FormReading, FormRow, Issue, Meta, Plan, Value
from .periods import period_of
from .plan_values import resolve_plan
from .rates import RatePart, aggregate_rate
from .values import whole_count

JsonNumber = int | float | None


class DuplicateReport(TypedDict):
    unit_code: str
    files: list[str]
    used: str


class IndicatorTotal(TypedDict):
    """One indicator's total over the counted units; a rate also gives its parts' sums."""

    target: JsonNumber
    result: JsonNumber
    numerator: NotRequired[int]
    denominator: NotRequired[int]


class Attendance(TypedDict):
    """Who was expected, who sent a form, who did not, who was late, who was counted."""

    expected: list[str]
    received: list[str]
    missing: list[str]
    late: list[str]
    counted: list[str]


class PeriodReport(Attendance):
    """One period's entry of the report's ``periods`` (contract §8)."""

    label: str
    due_date: str | None
    totals: dict[str, IndicatorTotal]


class YearToDate(TypedDict):
    annual_plan: JsonNumber
    result: JsonNumber
    pct: float | None  # result / Kế hoạch năm × 100


class AsOf(TypedDict):
    date: str  # ISO date
    owed: dict[str, list[str]]  # period → units whose form is due and not here


class Report(Attendance):
    """The JSON report of a consolidation (contract §5)."""

    unit_code: str
    year: int
    round: int
    duplicates: list[DuplicateReport]
    totals: dict[str, IndicatorTotal]
    by_unit: dict[str, dict[str, JsonNumber]]
    sources: dict[str, str]
    issues: list[dict[str, str | None]]
    periods: dict[str, PeriodReport]
    cumulative: dict[str, YearToDate]
    arrived_from: str
    as_of: NotRequired[AsOf]  # `consolidate --as-of`
    regions: NotRequired[dict[str, RegionReport]]  # `consolidate --by-region`


class RegionReport(TypedDict):
    units: list[str]
    totals: dict[str, JsonNumber]


RECEIVED = "received"
MISSING = "missing"
REJECTED = "error"  # a form came, but with errors: not counted


FILE_TIME = "file_time"  # what "arrived" was taken from: the file's modification time
TYPED_DATE = "typed_date"  # … or the date the officer typed in the form


@dataclass(frozen=True)
class Submission:
    """One file found in the inbox."""

    path: str
    modified: dt.datetime
    reading: FormReading | None  # None: not a workbook we could open
    problem: Issue | None = None  # why it could not be opened / was skipped
    typed_date: dt.date | None = None  # «Ngày gửi» typed in the form, when there is one

    def read_form(self) -> tuple[FormReading, Form]:
        """What was read from this file and its form, for a file known to hold one (one
        sorted to a unit or a period)."""
        assert self.reading is not None and self.reading.form is not None, self.path
        return self.reading, self.reading.form

    @property
    def arrived(self) -> dt.date:
        return self.typed_date or self.modified.date()

    @property
    def arrived_from(self) -> str:
        return TYPED_DATE if self.typed_date else FILE_TIME


@dataclass(frozen=True)
class UnitStatus:
    code: str
    name: str
    status: str  # received | missing | error
    file: str | None = None
    modified: dt.datetime | None = None
    late: bool = False
    warnings: int = 0
    errors: int = 0
    due_date: str | None = None  # the form's own (else the plan's)
    arrived_from: str | None = None  # FILE_TIME | TYPED_DATE
    typed_date: dt.date | None = None  # the date the unit typed in its form, if any


@dataclass(frozen=True)
class Duplicate:
    unit_code: str
    files: tuple[str, ...]
    used: str

    def as_dict(self) -> DuplicateReport:
        return {"unit_code": self.unit_code, "files": list(self.files), "used": self.used}


@dataclass(frozen=True)
class Summary:
    meta: Meta
    plan: Plan
    rows: tuple[FormRow, ...]  # the indicators, as the forms list them
    units: tuple[UnitStatus, ...]
    targets: dict[str, dict[str, Value]]  # unit → code → its Chỉ tiêu đợt (rates: target rate)
    results: dict[str, dict[str, Value]]  # counted unit → code → result (rates: Fraction)
    duplicates: tuple[Duplicate, ...]
    issues: tuple[Issue, ...]
    sources: dict[str, str] = field(default_factory=dict)  # counted unit → file
    # contract §8: each period's own summary, oldest first (engine.year); this summary's
    # results are then the year to date
    periods: tuple[Summary, ...] = ()

    @property
    def expected(self) -> list[str]:
        return [u.code for u in self.units]

    @property
    def received(self) -> list[str]:
        return [u.code for u in self.units if u.status != MISSING]

    @property
    def missing(self) -> list[str]:
        return [u.code for u in self.units if u.status == MISSING]

    @property
    def late(self) -> list[str]:
        return [u.code for u in self.units if u.late]

    @property
    def counted(self) -> list[str]:
        return [u.code for u in self.units if u.status == RECEIVED]

    def total_result(self, code: str) -> int | Fraction | None:
        row = next(r for r in self.rows if r.code == code)
        if row.is_rate:
            num, den = row.parts
            part = aggregate_rate(
                RatePart(whole(self.results[u].get(num)), whole(self.results[u].get(den)))
                for u in self.counted
            )
            return part.rate
        values = [self.results[u].get(code) for u in self.counted]
        return sum(v for v in values if v is not None) if self.counted else None

    def total_target(self, code: str, units: Sequence[str] | None = None) -> int | Fraction | None:
        """Σ of the units' round targets (all expected units by default); rates: the plan's."""
        row = next(r for r in self.rows if r.code == code)
        units = self.expected if units is None else units
        values = [self.targets.get(u, {}).get(code) for u in units]
        if row.is_rate:
            return next((v for v in values if v is not None), None)
        present = [v for v in values if v is not None]
        return sum(present) if present else None

    def report(self) -> Report:
        """The JSON report (contract §5): totals over the forms that were counted."""
        totals = self.report_totals()
        return {
            "unit_code": self.meta.unit_code,
            "year": self.meta.year,
            "round": self.meta.round,
            "expected": self.expected,
            "received": self.received,
            "missing": self.missing,
            "late": self.late,
            "counted": self.counted,
            "duplicates": [d.as_dict() for d in self.duplicates],
            "totals": totals,
            "by_unit": {
                u: {code: json_number(v) for code, v in self.results[u].items()}
                for u in self.counted
            },
            "sources": dict(self.sources),
            "issues": [i.as_dict() for i in self.issues],
            "periods": {p.period_text: p.period_report() for p in (self.periods or (self,))},
            "cumulative": self.cumulative(),
            "arrived_from": _arrived_words(self.periods or (self,)),
        }

    @property
    def period_text(self) -> str:
        return self.meta.period or f"round-{self.meta.round}"

    def period_report(self) -> PeriodReport:
        """One period's entry of ``periods`` (contract §8)."""
        full = self.report_totals()
        return {"label": _label(self), "due_date": _due_text(self), "expected": self.expected,
                "received": self.received, "missing": self.missing, "late": self.late,
                "counted": self.counted, "totals": full}

    def report_totals(self) -> dict[str, IndicatorTotal]:
        totals: dict[str, IndicatorTotal] = {}
        for row in self.rows:
            entry: IndicatorTotal = {
                "target": json_number(self.total_target(row.code, self.counted)),
                "result": json_number(self.total_result(row.code))}
            if row.is_rate:
                num, den = row.parts
                entry["numerator"] = sum(whole(self.results[u].get(num)) for u in self.counted)
                entry["denominator"] = sum(whole(self.results[u].get(den)) for u in self.counted)
            totals[row.code] = entry
        return totals

    def cumulative(self) -> dict[str, YearToDate]:
        """Year to date against Kế hoạch năm: ``pct`` = result / annual plan × 100."""
        values = resolve_plan(self.plan)
        out: dict[str, YearToDate] = {}
        for row in self.rows:
            found = values.get(row.code)
            annual = found.annual_plan if found is not None else None
            result = self.total_result(row.code)
            pct = (
                None
                if annual in (None, 0) or result is None
                else Fraction(result) / Fraction(annual) * 100
            )
            out[row.code] = {"annual_plan": json_number(annual), "result": json_number(result),
                             "pct": None if pct is None else round(float(pct), 4)}
        return out


def _label(summary: Summary) -> str:
    return period_of(summary.meta).label(summary.meta.year)


def _due_text(summary: Summary) -> str | None:
    dates = sorted({u.due_date for u in summary.units if u.due_date})
    return dates[0] if len(dates) == 1 else (dates[0] if dates else summary.meta.due_date)


def _arrived_words(periods: Sequence[Summary]) -> str:
    """What "arrived" (for lateness) was taken from, said once for the report."""
    kinds = {u.arrived_from for p in periods for u in p.units if u.arrived_from}
    if kinds == {TYPED_DATE}:
        return "typed_date: ngày gửi đơn vị ghi trong biểu mẫu"
    if TYPED_DATE in kinds:
        return (
            "typed_date, file_time: ngày gửi ghi trong biểu mẫu khi có, nếu không thì thời gian "
            "sửa tệp "
            "(sao chép tệp có thể làm thay đổi thời gian này)"
        )
    return "file_time: thời gian sửa tệp (sao chép tệp có thể làm thay đổi thời gian này)"


def json_number(value: Value) -> JsonNumber:
    """A number as JSON has it: a whole Fraction as an int, any other as a float."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def whole(value: Value) -> int:
    """A count as a whole number, a blank as 0 (a rate's numerator and denominator)."""
    return whole_count(value) or 0
