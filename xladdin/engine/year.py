"""The reporting year (contract §8): one inbox holding forms of several periods.

Pure.  The forms are grouped by the period their ``_meta`` names; each period is
consolidated on its own (:func:`.consolidate.consolidate`: a unit's forms for two
periods are not duplicates), then the year to date is put together per unit and
indicator by its kind:

* ``count``: the sum over the periods;
* ``stock``: the unit's latest counted period (a level, never summed over time);
* ``rate``: the year's numerator over the year's denominator (each by its own kind);
* a combined row: the sum of its parts.

Across units everything but a rate is a sum (DHIS2's "last value, sum in org unit
hierarchy" for stocks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from fractions import Fraction

from ..contract import KEY_PERIOD
from .catalogue import Catalogue
from .consolidate import (
    MISSING,
    RECEIVED,
    REJECTED,
    Submission,
    Summary,
    UnitStatus,
    consolidate,
    wrong_plan,
)
from .model import ERROR, FormReading, FormRow, Issue, Plan, Value, now_iso
from .periods import MONTH, QUARTER, ROUND, Period, due_date, parse_period, period_of
from .plan_values import resolve_plan
from .remainder import annual_shares


def consolidate_year(plan: Plan, submissions: Sequence[Submission], catalogue: Catalogue,
                     created_at: str | None = None, *, allow_partial: bool = False) -> Summary:
    """The summary of every period found, with the year to date in ``results``.

    One period only: exactly what :func:`consolidate` gives for it (its targets, its
    results), with ``periods`` holding that one period.

    Only a form that belongs to this plan opens a period: one of another plan, round or
    year, with a garbled ``_meta``, or of a period that overlaps the inbox's periods
    (:func:`_one_kind`) is an error on its file and changes no period and no target.
    """
    created_at = created_at or now_iso()
    default = f"round-{plan.meta.round}"
    groups: dict[str, list[Submission]] = {}
    unread: list[Submission] = []
    outside: list[tuple[Submission, Issue | None]] = []  # forms that open no period
    for submission in submissions:
        reading = submission.reading
        if reading is None or reading.form is None:
            unread.append(submission)
        elif _untrusted(plan, reading):
            outside.append((submission, _wrong_year(plan, reading)))
        else:
            groups.setdefault(period_of(reading.form.meta).text, []).append(submission)
    outside += _one_kind(plan, groups)
    order = sorted(groups, key=lambda text: parse_period(text).sort_key) or [default]
    groups.setdefault(order[-1], []).extend(_placed(plan, groups, outside))
    if len(order) == 1:
        only = order[0]
        explicit = None if only == default else only
        summary = consolidate(
            plan, list(unread) + groups.get(only, []), catalogue, created_at, explicit,
            allow_partial=allow_partial,
        )
        return replace(summary, periods=(summary,))
    # files that are not forms are reported once: with the period their name says
    # (…_2024-03.xlsx: a unit's unreadable March form makes it «sent with errors» in March),
    # else with the first period
    unread_in: dict[str, list[Submission]] = {}
    for submission in unread:
        unread_in.setdefault(_named_period(submission.path, order), []).append(submission)
    periods = []
    for text in order:
        extra = unread_in.get(text, [])
        periods.append(consolidate(plan, extra + groups[text], catalogue, created_at, text,
                                   allow_partial=allow_partial))
    return _year(plan, periods)


def _named_period(path: str, order: Sequence[str]) -> str:
    """The period a file's name ends with (``form_filename``: ``…_2024-03.xlsx``), when it
    is one of the inbox's periods; else the first period."""
    stem = path.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
    named = stem.rsplit("_", 1)[-1]
    return named if named in order else order[0]


def _untrusted(plan: Plan, reading: FormReading) -> bool:
    """A form whose ``_meta`` cannot say which period it is, or says another plan's."""
    return (wrong_plan(plan, reading) is not None or _wrong_year(plan, reading) is not None
            or any(i.is_error and i.rule in _META_RULES for i in reading.issues))


_META_RULES = ("meta-garbled", "wrong-period")


def _wrong_year(plan: Plan, reading: FormReading) -> Issue | None:
    """A month or quarter outside the plan's year (whatever the form's own year says)."""
    assert reading.form is not None  # only forms are sorted into periods
    period = period_of(reading.form.meta)
    if period.year is None or not plan.meta.year or period.year == plan.meta.year:
        return None
    return Issue(ERROR, reading.source, reading.meta_sheet, reading.meta_cells.get(KEY_PERIOD),
                 "wrong-period", f"Biểu mẫu kỳ {period.label()}, không thuộc năm "
                 f"{plan.meta.year} của bảng kế hoạch này: không được cộng.")


def _placed(plan: Plan, groups: dict[str, list[Submission]],
            outside: list[tuple[Submission, Issue | None]]) -> list[Submission]:
    """Where the forms that open no period are reported: with the latest period.  A unit
    with no other form is listed there as sent with errors; a unit that has forms of this
    year's periods keeps them, and this file is only named (its form set aside)."""
    counted = {_unit(s) for found in groups.values() for s in found}
    placed = []
    for submission, issue in outside:
        reading = submission.read_form()[0]
        extra: tuple[Issue, ...] = (issue,) if issue else ()
        if _unit(submission) in counted:
            wrong = wrong_plan(plan, reading)
            extra += (wrong,) if wrong else ()
            reading = replace(reading, form=None)
        placed.append(replace(submission, reading=replace(reading, issues=reading.issues + extra)))
    return placed


_FINER = {MONTH: 2, QUARTER: 1, ROUND: 0}
_KIND_WORDS = {MONTH: "tháng", QUARTER: "quý", ROUND: "đợt"}


def _one_kind(plan: Plan, groups: dict[str, list[Submission]]
              ) -> list[tuple[Submission, Issue | None]]:
    """Months, quarters and rounds are never mixed in one inbox: a quarter holds its
    months, a round has no place in the calendar, so adding them would count the same
    events twice.  The kind most forms use stays (a tie: the finer); the other forms are
    taken out of ``groups`` and each gets an error naming what it overlaps."""
    kinds: dict[str, int] = {}
    for text, found in groups.items():
        kind = parse_period(text).kind
        kinds[kind] = kinds.get(kind, 0) + len(found)
    if len(kinds) < 2:
        return []
    kept = max(kinds, key=lambda k: (kinds[k], _FINER[k]))
    kept_periods = sorted((parse_period(t) for t in groups if parse_period(t).kind == kept),
                          key=lambda p: p.sort_key)
    year = plan.meta.year
    left_out: list[tuple[Submission, Issue | None]] = []
    for text in [t for t in groups if parse_period(t).kind != kept]:
        period = parse_period(text)
        overlaps = [p.label(year) for p in kept_periods if _months(p) & _months(period)]
        why = (f"kỳ này trùng với {', '.join(overlaps)}: cộng cả hai sẽ tính cùng kết quả "
               "hai lần" if overlaps else "không trộn hai cách chia kỳ trong một lần tổng hợp")
        for submission in groups.pop(text):
            reading = submission.read_form()[0]
            left_out.append((submission, Issue(
                ERROR, reading.source, reading.meta_sheet, reading.meta_cells.get(KEY_PERIOD),
                "period-overlap",
                f"Biểu mẫu kỳ {period.label(year)}, nhưng hộp thư này tổng hợp theo "
                f"{_KIND_WORDS[kept]} ({kinds[kept]} biểu mẫu: "
                f"{', '.join(p.label(year) for p in kept_periods)}); {why}. Biểu mẫu này KHÔNG "
                f"được cộng. Nếu cần tổng hợp theo {_KIND_WORDS[period.kind]}, hãy để các biểu "
                "mẫu đó trong một thư mục riêng và tổng hợp riêng.")))
    return left_out


def _unit(submission: Submission) -> str:
    return submission.read_form()[1].meta.unit_code


def _months(period: Period) -> set[int]:
    """The months a period covers (a campaign round: the whole year)."""
    if period.kind == MONTH:
        return {period.number}
    if period.kind == QUARTER:
        return {3 * period.number - 2, 3 * period.number - 1, 3 * period.number}
    return set(range(1, 13))


def _year(plan: Plan, periods: list[Summary]) -> Summary:
    first = periods[0]
    rows = first.rows
    units: list[UnitStatus] = []
    results: dict[str, dict[str, Value]] = {}
    sources: dict[str, str] = {}
    for i, child in enumerate(plan.children):
        statuses = [p.units[i] for p in periods]
        counted = [(p, s) for p, s in zip(periods, statuses) if s.status == RECEIVED]
        sent = [s for s in statuses if s.status != MISSING]
        latest: UnitStatus | None
        if counted:
            results[child.code] = cumulate(rows, [p.results[child.code] for p, _ in counted])
            latest = counted[-1][1]
            sources[child.code] = latest.file or ""
            status = RECEIVED
        else:
            latest = sent[-1] if sent else None
            status = REJECTED if sent else MISSING
        units.append(
            UnitStatus(
                child.code,
                child.name,
                status,
                latest.file if latest else None,
                latest.modified if latest else None,
                any(s.late for s in statuses),
                warnings=sum(s.warnings for s in statuses),
                errors=sum(s.errors for s in statuses),
                due_date=latest.due_date if latest else None,
                arrived_from=latest.arrived_from if latest else None,
                typed_date=latest.typed_date if latest else None,
            )
        )
    meta = replace(first.meta, period=None)
    return Summary(meta, plan, rows, tuple(units), year_targets(plan, rows), results,
                   tuple(d for p in periods for d in p.duplicates),
                   tuple(i for p in periods for i in p.issues), sources, periods=tuple(periods))


def cumulate(rows: Sequence[FormRow], results: Sequence[Mapping[str, Value]]) -> dict[str, Value]:
    """One unit's year to date from its counted periods' results, oldest first."""
    out: dict[str, Value] = {}
    by_code = {r.code: r for r in rows}

    def value(code: str) -> Value:
        if code in out:
            return out[code]
        row = by_code.get(code)
        if row is not None and row.is_rate:
            num, den = (value(p) for p in row.parts)
            out[code] = (Fraction(num, den) if isinstance(num, int | Fraction)
                         and isinstance(den, int | Fraction) and den else None)
        elif row is not None and row.parts and all(p in by_code for p in row.parts):
            present = [v for v in (value(p) for p in row.parts) if isinstance(v, int | Fraction)]
            out[code] = sum(present) if present else None
        else:
            seen = [v for v in (r.get(code) for r in results) if isinstance(v, int | Fraction)]
            if not seen:
                out[code] = None
            elif row is not None and row.is_stock:
                out[code] = seen[-1]  # a level: the latest period that reported it
            else:
                out[code] = sum(seen)
        return out[code]

    for row in rows:
        value(row.code)
    for r in results:  # rows an officer added with an indicator code: summed
        for code in r:
            if code not in out:
                seen = [v for v in (x.get(code) for x in results) if isinstance(v, int | Fraction)]
                out[code] = sum(seen) if seen else None
    return out


def year_targets(plan: Plan, rows: Sequence[FormRow]) -> dict[str, dict[str, Value]]:
    """What each unit was given for the year: its share of Kế hoạch năm (a rate: the
    target rate)."""
    shares = annual_shares(plan)
    values = resolve_plan(plan)
    targets: dict[str, dict[str, Value]] = {}
    for i, child in enumerate(plan.children):
        mine: dict[str, Value] = {}
        for row in rows:
            if row.is_rate:
                mine[row.code] = row.target_rate if row.target_rate is not None else (
                    values[row.code].round_target if row.code in values else None)
            elif row.code in shares:
                mine[row.code] = shares[row.code][i]
        targets[child.code] = mine
    return targets


def owed(summary: Summary, as_of: dt.date) -> dict[str, list[str]]:
    """Per period due by ``as_of``, the units that have not sent a readable form.

    A period's due date is the one its forms carry (else the plan's).  Months or
    quarters of the year that no form in the inbox names are due as the seen ones are
    (the same number of days after the period's end), so a month nobody sent is listed.
    """
    known: dict[str, Summary] = {
        p.meta.period or f"round-{p.meta.round}": p for p in summary.periods
    }
    lags: dict[str, int] = {}
    due_of: dict[str, dt.date | None] = {}
    for text, period_summary in known.items():
        period = parse_period(text)
        due = _period_due(period_summary)
        due_of[text] = due
        end = period.end()
        if due and end is not None:
            lags.setdefault(period.kind, (due - end).days)
    year = summary.meta.year
    for kind, lag in lags.items():
        count = 12 if kind == "month" else 4
        for number in range(1, count + 1):
            text = f"{year}-{number:02d}" if kind == "month" else f"{year}-Q{number}"
            end = parse_period(text).end()
            if text not in due_of and end is not None:
                due_of[text] = end + dt.timedelta(days=lag)
    result: dict[str, list[str]] = {}
    for text in sorted(due_of, key=lambda t: parse_period(t).sort_key):
        due = due_of[text]
        if due is None or due > as_of:
            continue
        if text in known:
            result[text] = [u.code for u in known[text].units if u.status == MISSING]
        else:
            result[text] = [u.code for u in summary.units]
    return result


def _period_due(summary: Summary) -> dt.date | None:
    texts = [u.due_date for u in summary.units if u.due_date] or [summary.meta.due_date or ""]
    dates = [due_date(text) for text in texts if text]
    if not dates or None in dates:  # no date, or one that is not a date
        return None
    return min(d for d in dates if d is not None)


def period_label(summary: Summary) -> str:
    period: Period = period_of(summary.meta)
    return period.label(summary.meta.year)
