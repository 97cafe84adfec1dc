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
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from .catalogue import Catalogue
from .consolidate import MISSING, RECEIVED, REJECTED, Submission, Summary, UnitStatus, consolidate
from .model import FormRow, Plan, now_iso
from .periods import Period, parse_period, period_of
from .plan_values import resolve_plan
from .remainder import annual_shares


def consolidate_year(plan: Plan, submissions: Sequence[Submission], catalogue: Catalogue,
                     created_at: str | None = None) -> Summary:
    """The summary of every period found, with the year to date in ``results``.

    One period only: exactly what :func:`consolidate` gives for it (its targets, its
    results), with ``periods`` holding that one period.
    """
    created_at = created_at or now_iso()
    default = f"round-{plan.meta.round}"
    groups: dict[str, list[Submission]] = {}
    unread: list[Submission] = []
    for submission in submissions:
        form = submission.reading.form if submission.reading else None
        if form is None:
            unread.append(submission)
            continue
        groups.setdefault(period_of(form.meta).text, []).append(submission)
    order = sorted(groups, key=lambda text: parse_period(text).sort_key) or [default]
    if len(order) == 1:
        only = order[0]
        explicit = None if only == default else only
        summary = consolidate(
            plan, list(unread) + groups.get(only, []), catalogue, created_at, explicit
        )
        return replace(summary, periods=(summary,))
    periods = []
    for i, text in enumerate(order):
        # files that are not forms are reported once, with the first period
        extra = list(unread) if i == 0 else []
        periods.append(consolidate(plan, extra + groups[text], catalogue, created_at, text))
    return _year(plan, periods)


def _year(plan: Plan, periods: list[Summary]) -> Summary:
    first = periods[0]
    rows = first.rows
    units: list[UnitStatus] = []
    results: dict[str, dict[str, object]] = {}
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


def cumulate(rows: Sequence[FormRow], results: Sequence[dict[str, object]]) -> dict[str, object]:
    """One unit's year to date from its counted periods' results, oldest first."""
    out: dict[str, object] = {}
    by_code = {r.code: r for r in rows}

    def value(code: str) -> object:
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


def year_targets(plan: Plan, rows: Sequence[FormRow]) -> dict[str, dict[str, object]]:
    """What each unit was given for the year: its share of Kế hoạch năm (a rate: the
    target rate)."""
    shares = annual_shares(plan)
    values = resolve_plan(plan)
    targets: dict[str, dict[str, object]] = {}
    for i, child in enumerate(plan.children):
        mine: dict[str, object] = {}
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
    dates = [u.due_date for u in summary.units if u.due_date] or [summary.meta.due_date or ""]
    try:
        return min(dt.date.fromisoformat(d[:10]) for d in dates if d)
    except ValueError:  # no date, or not a date
        return None


def period_label(summary: Summary) -> str:
    period: Period = period_of(summary.meta)
    return period.label(summary.meta.year)
