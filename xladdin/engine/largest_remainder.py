"""Largest remainder (Hamilton), the default split and the one the plan workbooks compute
with native formulas: the whole part of each quota, then the largest remainders; with a
minimum, the units whose quota falls below it are raised to it first.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from .seats import all_zero_error, integer_weights, seats_per_weight


def largest_remainder(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Hamilton's method, no minimum: floor of each quota, then the largest remainders.

    Quota ``total × w / W`` is compared as the integer remainder ``total × w mod W``,
    exactly as the plan workbook's native formula does.
    """
    ints = integer_weights(weights)
    weight_sum = sum(ints)
    if weight_sum == 0:
        if total:
            raise all_zero_error(total)
        return [0] * len(ints)
    floors = [total * w // weight_sum for w in ints]
    remainders = [total * w % weight_sum for w in ints]
    missing = total - sum(floors)
    # Largest remainder first; equal remainders: the earlier unit first (sorted is stable).
    negated = [-r for r in remainders]
    order = sorted(range(len(ints)), key=negated.__getitem__)
    for i in order[:missing]:
        floors[i] += 1
    return floors


def largest_remainder_with_minimum(
    total: int, weights: Sequence[Fraction], minimum: int
) -> list[int]:
    """Units whose quota is below ``minimum`` get the minimum; the rest is re-split.

    Raising a unit lowers everyone else's share of what is left, so the raised units
    are those below the minimum at the fixed point ``x`` of Σ max(minimum, w·x) = total,
    found exactly in one pass over the weights sorted (:func:`seats_per_weight`).
    """
    raised = raised_to_minimum(total, weights, minimum)
    others = [i for i in range(len(weights)) if i not in raised]
    left = total - minimum * len(raised)
    if left and not any(weights[i] for i in others):
        raise all_zero_error(total)
    shares = [minimum] * len(weights)
    for i, share in zip(others, largest_remainder(left, [weights[i] for i in others])):
        shares[i] = share
    return shares


def raised_to_minimum(total: int, weights: Sequence[Fraction], minimum: int) -> set[int]:
    """The units largest remainder raises to ``minimum`` (below it at the fixed point
    :func:`seats_per_weight`); the others share what is left (for explanations)."""
    if minimum == 0:
        return set()
    ints = integer_weights(weights)
    p, q = seats_per_weight(total, ints, minimum)
    return {i for i, weight in enumerate(ints) if weight * p < minimum * q}
