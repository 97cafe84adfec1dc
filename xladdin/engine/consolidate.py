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

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from .catalogue import Catalogue
from .form_vs_plan import (
    extra_rows,
    impossible_rates,
    partial_judged,
    plan_disagreements,
    twins,
    unreadable_by_unit,
    wrong_plan,
    wrong_unit,
)
from .forms import ANNUAL_SHARE, plan_forms, target_basis
from .model import ERROR, SUMMARY, WARNING, Form, FormRow, Issue, Meta, Plan, Value, now_iso
from .numbers import show
from .periods import due_date, parse_period
from .summary import (
    FILE_TIME,
    MISSING,
    RECEIVED,
    REJECTED,
    TYPED_DATE,
    Duplicate,
    Submission,
    Summary,
    UnitStatus,
)

# Callers import the summary's shapes and the plan check from here too.
__all__ = [
    "FILE_TIME",
    "MISSING",
    "RECEIVED",
    "REJECTED",
    "TYPED_DATE",
    "Duplicate",
    "Submission",
    "Summary",
    "UnitStatus",
    "consolidate",
    "wrong_plan",
]


def consolidate(plan: Plan, submissions: Sequence[Submission], catalogue: Catalogue,
                created_at: str | None = None, period: str | None = None, *,
                allow_partial: bool = False, same_book: bool = False) -> Summary:
    """``allow_partial``: a form marked partial by its own report-up is counted with a
    warning instead of left out with an error (engine.form_vs_plan.partial_judged).
    ``same_book``: the forms are sheets of the plan's own workbook (a target edited since
    they were made is a warning, engine.form_vs_plan.plan_disagreements)."""
    issues: list[Issue] = []
    children = {c.code: c for c in plan.children}
    forms_rows = next(iter(plan_forms(plan, due_date=plan.meta.due_date, catalogue=catalogue,
                                      period=period)), None)
    rows = forms_rows.rows if forms_rows else ()
    targets = _targets(plan, catalogue, period)
    annual_share = target_basis(plan, period) == ANNUAL_SHARE  # a month's or quarter's form

    by_unit: dict[str, list[Submission]] = {}
    for sent in submissions:
        if sent.problem is not None:
            issues.append(sent.problem)
        reading = sent.reading
        if reading is None:
            continue
        reading = partial_judged(reading, allow_partial)
        sent = replace(sent, reading=reading)
        issues.extend(reading.issues)
        if reading.form is None:
            continue
        code = reading.form.meta.unit_code
        if code not in children:
            issues.append(
                Issue(
                    ERROR,
                    sent.path,
                    reading.sheet,
                    None,
                    "unexpected-unit",
                    f"Biểu mẫu của đơn vị mã {code}, không có trong bảng kế hoạch: không được "
                    "cộng.",
                )
            )
            continue
        by_unit.setdefault(code, []).append(sent)

    duplicates: list[Duplicate] = []
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
                cell, changes = _changes(older, found[-1], rows)
                issues.append(
                    Issue(
                        WARNING,
                        older.path,
                        older.read_form()[0].sheet if cell else None,
                        cell,
                        "duplicate",
                        f"Đơn vị {children[code].name} ({code}) gửi nhiều tệp cho kỳ "
                        f"{period_named}; dùng tệp mới nhất {found[-1].path}, bỏ qua tệp này"
                        + (f". Số liệu khác nhau: {changes} (nếu tệp mới là số của kỳ khác, "
                           "hãy kiểm tra với đơn vị)." if changes else ", cùng số liệu."),
                    )
                )

    unreadable = unreadable_by_unit(submissions, plan.children)
    added_later = _in_no_form(rows, chosen.values())  # indicators the plan gained since
    plan_due = plan.meta.due_date
    units: list[UnitStatus] = []
    results: dict[str, dict[str, Value]] = {}
    sources: dict[str, str] = {}
    for child in plan.children:
        submission = chosen.get(child.code)
        if submission is None and child.code in unreadable:  # sent, but nothing readable
            broken = unreadable[child.code]
            due = due_date(plan_due)  # its own deadline is unreadable: the plan's, by file time
            units.append(UnitStatus(child.code, child.name, REJECTED, broken.path,
                                    broken.modified, due is not None and broken.arrived > due,
                                    errors=1, due_date=plan_due, arrived_from=FILE_TIME))
            continue
        if submission is None:
            units.append(UnitStatus(child.code, child.name, MISSING))
            continue
        reading, form = submission.read_form()
        own = list(reading.issues)
        for wrong in (wrong_plan(plan, reading), wrong_unit(child, reading)):
            if wrong:
                issues.append(wrong)
                own.append(wrong)
        if child.code in tied and tied[child.code].is_error:
            own.append(tied[child.code])
        disagreements = plan_disagreements(reading, child, rows, targets, plan.children, own,
                                           annual_share=annual_share, same_book=same_book,
                                           added_later=added_later)
        disagreements += impossible_rates(reading, rows, catalogue)  # CPR above 100 %
        issues.extend(disagreements)  # whole, and this unit's? (engine.form_vs_plan)
        own.extend(disagreements)
        errors = sum(i.is_error for i in own)
        due_text = form.meta.due_date or plan_due  # the form's own deadline first
        due = due_date(due_text)
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
        results[child.code] = _results(form, rows)
        sources[child.code] = submission.path
        issues.extend(extra_rows(submission.path, reading, form, rows))

    names = {child.code: child.name for child in plan.children}
    twin = twins(results, rows, names, sources)  # a copy, or the copied? (a warning each)
    issues.extend(twin.values())
    units = [replace(u, warnings=u.warnings + 1) if u.code in twin else u for u in units]

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


def _in_no_form(rows: Sequence[FormRow], chosen: Iterable[Submission]) -> set[str]:
    """The plan's codes that none of the period's forms carries, when at least two forms
    came (one form alone cannot tell a row it deleted from a row the plan gained)."""
    forms = [s.reading.form for s in chosen if s.reading is not None and s.reading.form]
    if len(forms) < 2:
        return set()
    carried = {row.code for form in forms for row in form.rows}
    return {row.code for row in rows if row.code not in carried}


def _tie(name: str, code: str, newest: Sequence[Submission], rows: Sequence[FormRow]) -> Issue:
    """Files of one unit with the same time: neither is newer.  Same numbers: one is used
    (a warning); different numbers: nobody can tell which is right (an error)."""
    values = {tuple(sorted(_results(s.read_form()[1], rows).items())) for s in newest}
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
) -> dict[str, dict[str, Value]]:
    targets: dict[str, dict[str, Value]] = {}
    for form in plan_forms(plan, due_date=plan.meta.due_date, catalogue=catalogue, created_at="-",
                           period=period):
        targets[form.meta.unit_code] = {
            r.code: (r.target_rate if r.is_rate else r.round_target) for r in form.rows}
    return targets


def _changes(older: Submission, used: Submission,
             rows: Sequence[FormRow]) -> tuple[str | None, str]:
    """What the newer file changes in the older one's numbers, naming the older file's
    cells, so a re-sent correction and a reused file of another period can be told apart:
    (the first changed cell, «BPTT_DCTC (ô E9) 11 → 50, …»)."""
    (reading, form), (_, used_form) = older.read_form(), used.read_form()
    before, after = _results(form, rows), _results(used_form, rows)
    changed = [r.code for r in rows if not r.is_rate and before.get(r.code) != after.get(r.code)]
    cells = reading.result_cells
    shown = [f"{code} (ô {cells.get(code, '?')}) {_shown(before.get(code))} → "
             f"{_shown(after.get(code))}" for code in changed[:5]]
    more = f" và {len(changed) - 5} chỉ tiêu khác" if len(changed) > 5 else ""
    return (cells.get(changed[0]) if changed else None), ", ".join(shown) + more


def _shown(value: Value) -> str:
    return "trống" if value is None else show(value)


def _results(form: Form, rows: Sequence[FormRow]) -> dict[str, Value]:
    by_code = {r.code: r for r in form.rows}
    results: dict[str, Value] = {}
    for row in rows:
        found = by_code.get(row.code)
        if row.is_rate:
            num, den = (by_code.get(p) for p in row.parts)
            n = num.result if num else None
            d = den.result if den else None
            results[row.code] = Fraction(n, d) if n is not None and d else None
        elif row.parts and all(p in results for p in row.parts):
            # a total is the sum of its parts, whatever its own cell showed
            present = [v for v in (results[p] for p in row.parts) if v is not None]
            results[row.code] = sum(present) if present else None
        else:
            results[row.code] = found.result if found else None
    for code, found in by_code.items():  # rows the officer added with an indicator code
        if code not in results and not found.is_rate:
            results[code] = found.result
    return results
