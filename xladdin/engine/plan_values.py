"""Every derived number of a plan, computed in Python.

This is the reference the plan workbook's native formulas must equal after any
recalculation (tests compare the two through LibreOffice):

* Còn lại = Kế hoạch năm − Đã thực hiện (raw);
* Chỉ tiêu đợt = ⌈Kế hoạch năm × share⌉ when the row has a share, else as typed;
* children = the typed shares, or the largest-remainder split of Chỉ tiêu đợt by the
  children's weights (a blank weight counts as 0, as it does in Excel; the validator
  warns about it);
* a total row (all its parts present) = the sum of its parts, column by column;
* a rate row gives every child the same target rate (rates are not split).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from .apportion import largest_remainder
from .model import Plan, PlanRow, Value
from .plan import SplitCheck, check_split, round_target
from .values import exact, whole_count


@dataclass(frozen=True)
class RowValues:
    code: str
    annual_plan: int | Fraction | None
    done: int | Fraction | None
    remaining: int | None
    round_target: int | Fraction | None
    shares: tuple[int | Fraction | None, ...]
    check: SplitCheck | None  # None for rates and rows without a round target


def child_weights(plan: Plan) -> list[Fraction]:
    weights = []
    for child in plan.children:
        try:
            weights.append(exact(child.weight))
        except TypeError:
            weights.append(Fraction(0))
    return weights


_last: list[tuple[Plan, dict[str, RowValues]]] = []  # the plan resolved last (plans are frozen)


def resolve_plan(plan: Plan) -> dict[str, RowValues]:
    """Row code → its values, in plan order.  The reader, the consolidation and the summary
    each ask for the same plan: a plan of 10,000 children is resolved once, not five times."""
    if _last and _last[0][0] is plan:
        return dict(_last[0][1])
    resolved = _resolve(plan)
    _last[:] = [(plan, resolved)]
    return dict(resolved)


def _resolve(plan: Plan) -> dict[str, RowValues]:
    weights = child_weights(plan)
    resolved: dict[str, RowValues] = {}
    for row in plan.rows:
        if row.is_rate:
            resolved[row.code] = _rate_row(row, len(plan.children))
        elif not plan.parts_present(row):
            resolved[row.code] = _count_row(row, weights)
    for row in plan.rows:  # totals after their parts are known (parts may be totals too)
        if row.code not in resolved:
            resolved[row.code] = _total_row(plan, row, resolved, weights)
    return {row.code: resolved[row.code] for row in plan.rows}


def _round_target(row: PlanRow) -> int | None:
    annual = whole_count(row.annual_plan)
    if row.round_share is not None:
        if annual is None:
            return None
        done = (whole_count(row.done) or 0) if row.round_cumulative else 0
        return (
            round_target(annual, done, row.round_share)
            if row.round_cumulative
            else ceil(annual * row.round_share)
        )
    return whole_count(row.round_target)


def _count_row(row: PlanRow, weights: list[Fraction]) -> RowValues:
    target = _round_target(row)
    if row.shares is not None:
        shares = tuple(row.shares)
    elif target is None or sum(weights) == 0:
        shares = (None,) * len(weights)
    else:
        shares = tuple(largest_remainder(target, weights))
    return RowValues(
        code=row.code,
        annual_plan=row.annual_plan,
        done=row.done,
        remaining=_remaining(row.annual_plan, row.done),
        round_target=target,
        shares=shares,
        check=None if target is None else check_split(target, [s or 0 for s in shares]),
    )


def _remaining(annual_plan: Value, done: Value) -> int | None:
    """Còn lại of a count row, raw (below 0 when the plan is exceeded)."""
    annual = whole_count(annual_plan)
    if annual is None:
        return None
    return annual - (whole_count(done) or 0)


def _rate_row(row: PlanRow, children: int) -> RowValues:
    target = row.round_target if row.round_target is not None else row.annual_plan
    return RowValues(row.code, row.annual_plan, row.done, None, target, (target,) * children, None)


def _total_row(
    plan: Plan, row: PlanRow, resolved: dict[str, RowValues], weights: list[Fraction]
) -> RowValues:
    parts = []
    for code in row.parts:
        if code not in resolved:  # a total of totals: resolve the inner one first
            inner = plan.row(code)
            assert inner is not None  # a total's parts are all in the plan (parts_present)
            resolved[code] = _total_row(plan, inner, resolved, weights)
        parts.append(resolved[code])

    def total(values: Iterable[Value]) -> int | None:  # a total adds counts
        present = [n for n in map(whole_count, values) if n is not None]
        return sum(present) if present else None

    annual = total(p.annual_plan for p in parts)
    done = total(p.done for p in parts)
    target = total(p.round_target for p in parts)
    shares = tuple(total(p.shares[i] for p in parts) for i in range(len(plan.children)))
    return RowValues(
        code=row.code,
        annual_plan=annual,
        done=done,
        remaining=_remaining(annual, done),
        round_target=target,
        shares=shares,
        check=None if target is None else check_split(target, [s or 0 for s in shares]),
    )
