"""Each unit's own remainder (contract §9): pure, no I/O.

A plan knows, for every child and indicator, the child's annual share (the
largest-remainder split of ``Kế hoạch năm`` by ``Trọng số``), what the child has done
(``PlanRow.child_done``, carried by next-round from the summary) and what it has left.
A new round's ``Chỉ tiêu đợt`` is split in proportion to what each child has left, not
to the weights: a child that is ahead gets less.  When the round target equals the sum
of what the children have left, each child gets exactly its own remainder (largest
remainder is exact when the quotas are whole numbers).

Stocks and rates have no remainder (a level is not used up); combined rows are the sum
of their parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .apportion import largest_remainder
from .catalogue import COUNT
from .model import Plan, PlanRow
from .plan_values import child_weights
from .split_exact import too_big


@dataclass(frozen=True)
class Standing:
    """One child's standing on one indicator."""

    share: int | None  # its part of Kế hoạch năm
    done: int | None  # what it has done so far
    left: int | None  # share − done, raw (negative when the child is past its share)

    @property
    def left_for_split(self) -> int:
        """What the child still needs, never below 0 (an ahead child gets nothing more)."""
        return max(0, self.left or 0)


def splittable(plan: Plan, row: PlanRow) -> bool:
    """Rows that have a remainder of their own: counts that are not combined rows."""
    return row.kind == COUNT and not plan.parts_present(row)


def annual_shares(plan: Plan) -> dict[str, tuple[int | None, ...]]:
    """Indicator code → each child's share of Kế hoạch năm (counts and stocks; combined
    rows are the sums of their parts; rates are not split)."""
    weights = child_weights(plan)
    shares: dict[str, tuple[int | None, ...]] = {}
    none = (None,) * len(plan.children)
    for row in plan.rows:
        if row.is_rate or plan.parts_present(row):
            continue
        if (
            row.annual_plan is None
            or sum(weights) == 0
            or isinstance(row.annual_plan, Fraction)
            and row.annual_plan.denominator != 1
        ):
            shares[row.code] = none
        else:
            shares[row.code] = tuple(largest_remainder(int(row.annual_plan), weights))
    for row in plan.rows:
        if not row.is_rate and plan.parts_present(row):
            shares[row.code] = _sum_parts(plan, row, shares)
    return shares


def _sum_parts(plan: Plan, row: PlanRow, shares: dict[str, tuple[int | None, ...]]
               ) -> tuple[int | None, ...]:
    columns = []
    for code in row.parts:
        if code not in shares:
            inner = plan.row(code)
            assert inner is not None  # parts_present(row) checked it
            shares[code] = _sum_parts(plan, inner, shares)
        columns.append(shares[code])
    return _column_sums(columns, len(plan.children))


def standings(plan: Plan) -> dict[str, tuple[Standing, ...]]:
    """Indicator code → each child's standing (counts and their combined rows)."""
    shares = annual_shares(plan)
    found: dict[str, tuple[Standing, ...]] = {}
    for row in plan.rows:
        if row.code not in shares or row.kind != COUNT:
            continue
        done = _child_done(plan, row)
        found[row.code] = tuple(
            Standing(share, d, None if share is None else share - (d or 0))
            for share, d in zip(shares[row.code], done))
    return found


def _child_done(plan: Plan, row: PlanRow) -> tuple[int | None, ...]:
    if plan.parts_present(row):
        columns = [_child_done(plan, part) for part in (plan.row(p) for p in row.parts) if part]
        return _column_sums(columns, len(plan.children))
    if row.child_done is None:
        return (None,) * len(plan.children)
    return tuple(row.child_done) + (None,) * (len(plan.children) - len(row.child_done))


def split_by_remainder(target: int, standing: tuple[Standing, ...],
                       weights: list[Fraction]) -> list[int]:
    """``target`` split in proportion to what each child has left; by the weights when
    nobody has anything left (a round past the plan: seed 001 aims beyond it)."""
    lefts = [Fraction(s.left_for_split) for s in standing]
    if sum(lefts) > 0:
        return largest_remainder(target, lefts)
    return largest_remainder(target, weights)


def live_remainders(plan: Plan, targets: Mapping[str, object]
                    ) -> dict[str, tuple[Fraction, ...]]:
    """Indicator code → the weights its round target is split by, for the rows whose shares
    are the split by remainder (``targets``: code → the round target): each child's
    remainder (never below 0), or the unit list's weights when nobody has anything left —
    what :func:`split_by_remainder` uses, and what the workbook's live split follows."""
    standing = standings(plan)
    weights = child_weights(plan)
    found: dict[str, tuple[Fraction, ...]] = {}
    for row in plan.rows:
        target = targets.get(row.code)
        if (row.child_done is None or row.shares is None or not splittable(plan, row)
                or row.code not in standing or not isinstance(target, int | Fraction)
                or Fraction(target).denominator != 1 or target < 0
                or any(s.share is None for s in standing[row.code])):
            continue
        lefts = tuple(Fraction(s.left_for_split) for s in standing[row.code])
        used = lefts if sum(lefts) > 0 else tuple(weights)
        if too_big(int(target), list(used)):
            continue
        if tuple(row.shares) != tuple(split_by_remainder(int(target), standing[row.code],
                                                         weights)):
            continue  # shares typed by hand: they stay numbers
        found[row.code] = used
    return found


def _column_sums(columns: Sequence[tuple[int | None, ...]], count: int
                 ) -> tuple[int | None, ...]:
    """Per child, the sum of a combined row's parts (None where no part has a number)."""
    out: list[int | None] = []
    for i in range(count):
        present = [v for v in (col[i] for col in columns) if v is not None]
        out.append(sum(present) if present else None)
    return tuple(out)
