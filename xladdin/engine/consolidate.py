"""Consolidating the forms that came back (tổng hợp), contract §5.

Pure: it receives what was read from each file (one :class:`Submission` per file) and
the plan, and returns a :class:`Summary`: who was expected, who sent a form, who is
missing or late, which duplicates were set aside, exact totals per indicator and unit,
rates from numerators and denominators, and every issue.

Rules: the newest file of a unit (by modification time) is used and the others are
named; two files of a unit with the same time are equal, not "newer": the same numbers
are used once, different numbers are an error and the unit is not counted; a form with
an error is reported and left out of the totals whole, never half-counted; a warning
keeps it in.  Lateness compares the time a form arrived (``Submission.arrived``: the
file's time, or a date the officer typed in the form) with the form's own due date.

One period at a time (``period``, contract §8); :mod:`.year` puts the periods together.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .catalogue import Catalogue
from .form_vs_plan import plan_disagreements
from .forms import plan_forms
from .model import ERROR, SUMMARY, WARNING, FormReading, FormRow, Issue, Meta, Plan, now_iso
from .periods import parse_period
from .rates import RatePart, aggregate_rate
from .units import Unit

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

    def as_dict(self) -> dict:
        return {"unit_code": self.unit_code, "files": list(self.files), "used": self.used}


@dataclass(frozen=True)
class Summary:
    meta: Meta
    plan: Plan
    rows: tuple[FormRow, ...]  # the indicators, as the forms list them
    units: tuple[UnitStatus, ...]
    targets: dict[str, dict[str, object]]  # unit → code → its Chỉ tiêu đợt (rates: target rate)
    results: dict[str, dict[str, object]]  # counted unit → code → result (rates: Fraction)
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
                RatePart(self.results[u].get(num) or 0, self.results[u].get(den) or 0)
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

    def report(self) -> dict:
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
                u: {code: _json_number(v) for code, v in self.results[u].items()}
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

    def period_report(self) -> dict:
        """One period's entry of ``periods`` (contract §8)."""
        full = self.report_totals()
        return {"label": _label(self), "due_date": _due_text(self), "expected": self.expected,
                "received": self.received, "missing": self.missing, "late": self.late,
                "counted": self.counted, "totals": full}

    def report_totals(self) -> dict:
        totals = {}
        for row in self.rows:
            entry = {"target": _json_number(self.total_target(row.code, self.counted)),
                     "result": _json_number(self.total_result(row.code))}
            if row.is_rate:
                num, den = row.parts
                entry["numerator"] = sum(self.results[u].get(num) or 0 for u in self.counted)
                entry["denominator"] = sum(self.results[u].get(den) or 0 for u in self.counted)
            totals[row.code] = entry
        return totals

    def cumulative(self) -> dict:
        """Year to date against Kế hoạch năm: ``pct`` = result / annual plan × 100."""
        from .plan_values import resolve_plan

        values = resolve_plan(self.plan)
        out = {}
        for row in self.rows:
            found = values.get(row.code)
            annual = found.annual_plan if found is not None else None
            result = self.total_result(row.code)
            pct = (
                None
                if annual in (None, 0) or result is None
                else Fraction(result) / Fraction(annual) * 100
            )
            out[row.code] = {"annual_plan": _json_number(annual), "result": _json_number(result),
                             "pct": None if pct is None else round(float(pct), 4)}
        return out


def _label(summary: Summary) -> str:
    from .periods import period_of

    return period_of(summary.meta).label(summary.meta.year)


def _due_text(summary: Summary) -> str | None:
    dates = sorted({u.due_date for u in summary.units if u.due_date})
    return dates[0] if len(dates) == 1 else (dates[0] if dates else summary.meta.due_date)


def _arrived_words(periods) -> str:
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


def _json_number(value):
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def consolidate(plan: Plan, submissions: Sequence[Submission], catalogue: Catalogue,
                created_at: str | None = None, period: str | None = None) -> Summary:
    issues: list[Issue] = []
    children = {c.code: c for c in plan.children}
    forms_rows = next(iter(plan_forms(plan, due_date=plan.meta.due_date, catalogue=catalogue,
                                      period=period)), None)
    rows = forms_rows.rows if forms_rows else ()
    targets = _targets(plan, catalogue, period)

    by_unit: dict[str, list[Submission]] = {}
    for submission in submissions:
        if submission.problem is not None:
            issues.append(submission.problem)
        reading = submission.reading
        if reading is None:
            continue
        issues.extend(reading.issues)
        if reading.form is None:
            continue
        code = reading.form.meta.unit_code
        if code not in children:
            issues.append(
                Issue(
                    ERROR,
                    submission.path,
                    reading.sheet,
                    None,
                    "unexpected-unit",
                    f"Biểu mẫu của đơn vị mã {code}, không có trong bảng kế hoạch: không được "
                    "cộng.",
                )
            )
            continue
        by_unit.setdefault(code, []).append(submission)

    duplicates = []
    period_named = parse_period(period, plan.meta.round).label(plan.meta.year)
    chosen: dict[str, Submission] = {}
    tied: dict[str, Issue] = {}
    for code, found in by_unit.items():
        found = sorted(found, key=lambda s: (s.modified, s.path))
        chosen[code] = found[-1]
        if len(found) > 1:
            duplicates.append(Duplicate(code, tuple(s.path for s in found), found[-1].path))
            newest = [s for s in found if s.modified == found[-1].modified]
            if len(newest) > 1:
                tied[code] = _tie(children[code].name, code, newest, rows)
                issues.append(tied[code])
            for older in found[:-1]:
                issues.append(
                    Issue(
                        WARNING,
                        older.path,
                        None,
                        None,
                        "duplicate",
                        f"Đơn vị {children[code].name} ({code}) gửi nhiều tệp cho kỳ "
                        f"{period_named}; dùng tệp mới nhất {found[-1].path}, bỏ qua tệp này "
                        "(nếu tệp này là số của kỳ khác, hãy kiểm tra với đơn vị).",
                    )
                )

    plan_due = plan.meta.due_date
    units, results, sources = [], {}, {}
    for child in plan.children:
        submission = chosen.get(child.code)
        if submission is None:
            units.append(UnitStatus(child.code, child.name, MISSING))
            continue
        reading = submission.reading
        own = [i for i in reading.issues]
        for wrong in (wrong_plan(plan, reading), _wrong_unit(child, reading)):
            if wrong:
                issues.append(wrong)
                own.append(wrong)
        if child.code in tied and tied[child.code].is_error:
            own.append(tied[child.code])
        wrong = plan_disagreements(reading, child, rows, targets, plan.children, own)
        issues.extend(wrong)  # whole, and this unit's? (engine.form_vs_plan)
        own.extend(wrong)
        errors = sum(i.is_error for i in own)
        due_text = reading.form.meta.due_date or plan_due  # the form's own deadline first
        due = _due(due_text)
        late = due is not None and submission.arrived > due
        status = REJECTED if errors else RECEIVED
        units.append(
            UnitStatus(
                child.code,
                child.name,
                status,
                submission.path,
                submission.modified,
                late,
                warnings=len(own) - errors,
                errors=errors,
                due_date=due_text,
                arrived_from=submission.arrived_from,
                typed_date=submission.typed_date,
            )
        )
        if errors:
            issues.append(
                Issue(
                    ERROR,
                    submission.path,
                    reading.sheet,
                    None,
                    "form-rejected",
                    f"Biểu mẫu của {child.name} có {errors} lỗi: chưa được cộng vào tổng hợp "
                    "cho đến khi đơn vị sửa và gửi lại.",
                )
            )
            continue
        results[child.code] = _results(reading, rows)
        planned = {r.code for r in rows}
        for extra in (r for r in reading.form.rows if r.code not in planned and not r.is_rate):
            issues.append(
                Issue(
                    WARNING,
                    submission.path,
                    reading.sheet,
                    None,
                    "row-not-in-plan",
                    f"Biểu mẫu có thêm chỉ tiêu {extra.code} (kết quả {extra.result}) không có "
                    "trong bảng kế hoạch: không được cộng vào tổng hợp.",
                )
            )
        sources[child.code] = submission.path

    meta = Meta(template=SUMMARY, unit_code=plan.meta.unit_code, unit_name=plan.meta.unit_name,
                parent_code=plan.meta.parent_code, year=plan.meta.year, round=plan.meta.round,
                created_at=created_at or now_iso(), due_date=plan.meta.due_date, period=period)
    return Summary(
        meta,
        plan,
        tuple(rows),
        tuple(units),
        targets,
        results,
        tuple(duplicates),
        tuple(issues),
        sources,
    )


def _tie(name: str, code: str, newest: Sequence[Submission], rows: Sequence[FormRow]) -> Issue:
    """Files of one unit with the same time: neither is newer.  Same numbers: one is used
    (a warning); different numbers: nobody can tell which is right (an error)."""
    values = {
        tuple(sorted(_results(s.reading, rows).items(), key=lambda kv: kv[0])) for s in newest
    }
    paths = ", ".join(s.path for s in newest)
    if len(values) == 1:
        return Issue(
            WARNING,
            newest[-1].path,
            None,
            None,
            "duplicate-same-time",
            f"Đơn vị {name} ({code}) có {len(newest)} tệp cùng thời gian, cùng số liệu ({paths}): "
            "số liệu được tính một lần.",
        )
    return Issue(
        ERROR,
        newest[-1].path,
        None,
        None,
        "duplicate-same-time",
        f"Đơn vị {name} ({code}) có {len(newest)} tệp cùng thời gian nhưng số liệu khác nhau "
        f"({paths}): không biết tệp nào mới hơn, chưa cộng đơn vị này; hãy giữ lại một tệp.",
    )


def _targets(
    plan: Plan, catalogue: Catalogue, period: str | None = None
) -> dict[str, dict[str, object]]:
    targets: dict[str, dict[str, object]] = {}
    for form in plan_forms(plan, due_date=plan.meta.due_date, catalogue=catalogue, created_at="-",
                           period=period):
        targets[form.meta.unit_code] = {
            r.code: (r.target_rate if r.is_rate else r.round_target) for r in form.rows}
    return targets


def _results(reading: FormReading, rows: Sequence[FormRow]) -> dict[str, object]:
    by_code = {r.code: r for r in reading.form.rows}
    results: dict[str, object] = {}
    for row in rows:
        found = by_code.get(row.code)
        if row.is_rate:
            num, den = (by_code.get(p) for p in row.parts)
            n = num.result if num else None
            d = den.result if den else None
            results[row.code] = Fraction(n, d) if n is not None and d else None
        elif row.parts and all(p in results for p in row.parts):
            # a total is the sum of its parts, whatever its own cell showed
            present = [results[p] for p in row.parts if results[p] is not None]
            results[row.code] = sum(present) if present else None
        else:
            results[row.code] = found.result if found else None
    for code, found in by_code.items():  # rows the officer added with an indicator code
        if code not in results and not found.is_rate:
            results[code] = found.result
    return results


def wrong_plan(plan: Plan, reading: FormReading) -> Issue | None:
    meta = reading.form.meta
    clashes = []
    if meta.parent_code and plan.meta.unit_code and meta.parent_code != plan.meta.unit_code:
        clashes.append(f"đơn vị cấp trên {meta.parent_code}")
    if meta.year and plan.meta.year and meta.year != plan.meta.year:
        clashes.append(f"năm {meta.year}")
    if meta.year and meta.round != plan.meta.round:
        clashes.append(f"đợt {meta.round}")
    if not clashes:
        return None
    return Issue(ERROR, reading.source, reading.sheet, None, "wrong-plan",
                 f"Biểu mẫu thuộc {', '.join(clashes)}, không phải của bảng kế hoạch này "
                 f"({plan.meta.unit_code}, năm {plan.meta.year}, đợt {plan.meta.round}).")


def _wrong_unit(child: Unit, reading: FormReading) -> Issue | None:
    """A form is matched to its unit by code, and checked against the unit's name: a form
    copied from another unit with only its code changed is refused, naming both units."""
    said = reading.form.meta.unit_name if reading.form else ""
    if not said or _name_key(said) == _name_key(child.name):
        return None
    return Issue(
        ERROR,
        reading.source,
        reading.sheet,
        None,
        "unit-mismatch",
        f"Biểu mẫu ghi mã đơn vị {child.code} nhưng tên đơn vị «{said}»; trong bảng kế "
        f"hoạch, mã {child.code} là «{child.name}». Có thể đây là biểu mẫu của đơn vị khác "
        "đã bị sửa mã: hãy kiểm tra với đơn vị rồi nhận lại biểu mẫu đúng.",
    )


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def _due(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
