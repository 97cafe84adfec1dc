"""Splitting a plan's round targets again (the «Phân bổ» button): pure, no I/O.

Every count row that is not a total of other rows is split among the children by the
plan's method and minimum (``Plan.split_method``, ``Plan.split_minimum``), except rows
whose shares were typed by hand (a published table): those are kept, unless all their
shares are empty.

* Largest remainder without a minimum is what the plan's native formulas compute: the
  rows go back to the live formulas (``shares = None``).
* Any other method, or a minimum: the engine's shares, as values, marked with the
  method (``PlanRow.split_method``) so that the workbook says so and a later split may
  replace them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import SplitError
from .apportion import LARGEST_REMAINDER, METHOD_NAMES, METHODS, apportion, normalize_method
from .model import Plan, PlanRow
from .plan_values import child_weights, resolve_plan


@dataclass(frozen=True)
class Resplit:
    plan: Plan
    split: tuple[str, ...]  # row codes split again
    kept: tuple[str, ...]  # rows typed by hand, left as they were
    problems: tuple[tuple[str, str], ...]  # (row code, Vietnamese reason): left unchanged

    @property
    def live(self) -> bool:
        return uses_formulas(self.plan)


def uses_formulas(plan: Plan) -> bool:
    """Whether the native formulas compute the plan's split (largest remainder, no minimum)."""
    return plan.split_method == LARGEST_REMAINDER and not plan.split_minimum


def typed_by_hand(row: PlanRow) -> bool:
    return (row.shares is not None and row.split_method is None
            and any(share is not None for share in row.shares))


def resplit(plan: Plan) -> Resplit:
    values = resolve_plan(plan)
    weights = child_weights(plan)
    live = uses_formulas(plan)
    rows: list[PlanRow] = []
    split, kept, problems = [], [], []
    for row in plan.rows:
        if row.is_rate or plan.parts_present(row) or not plan.children:
            rows.append(row)
        elif typed_by_hand(row):
            rows.append(row)
            kept.append(row.code)
        elif live:
            rows.append(replace(row, shares=None, split_method=None))
            split.append(row.code)
        else:
            target = values[row.code].round_target
            try:
                shares = (None,) * len(plan.children) if target is None else tuple(
                    apportion(target, weights, plan.split_method, plan.split_minimum))
            except SplitError as error:
                rows.append(row)
                problems.append((row.code, error.message))
                continue
            rows.append(replace(row, shares=shares, split_method=plan.split_method))
            split.append(row.code)
    return Resplit(replace(plan, rows=tuple(rows)), tuple(split), tuple(kept), tuple(problems))


def method_label(method: str) -> str:
    """The short Vietnamese name of a method: «Phần dư lớn nhất», «D'Hondt»…"""
    return METHOD_NAMES[method].split(" (")[0]


def method_from_text(text: str) -> str | None:
    """The method an officer picked: its full or short name, or its code; None if unknown."""
    wanted = " ".join(str(text).split()).casefold()
    for method in METHODS:
        if wanted in (METHOD_NAMES[method].casefold(), method_label(method).casefold()):
            return method
    try:
        return normalize_method(wanted)
    except SplitError:
        return None
