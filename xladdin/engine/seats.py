"""What every apportionment method shares: the weights as whole numbers in the same
ratios, the exact fixed point ``x`` of Σ max(minimum, w·x) = total (a unit's fair number of
seats is about ``w·x``), and the refusal to split a total by weights that are all 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

from ..errors import SplitError


def all_zero_error(to_split: int) -> SplitError:
    return SplitError(
        f"Mọi trọng số đều bằng 0: không có căn cứ để phân bổ {to_split}. "
        "Hãy nhập trọng số (dân số, số cặp vợ chồng, kết quả năm trước…)."
    )


def integer_weights(weights: Sequence[Fraction]) -> list[int]:
    """Weights scaled to integers with the same ratios (exact)."""
    if all(weight.denominator == 1 for weight in weights):  # the usual case: no Fraction work
        return [weight.numerator for weight in weights]
    scale = 1
    for weight in weights:
        if weight.denominator != 1:
            scale = lcm(scale, weight.denominator)
    return [weight.numerator * (scale // weight.denominator) for weight in weights]


def seats_per_weight(total: int, weights: Sequence[int], minimum: int) -> tuple[int, int]:
    """The exact ``x = p/q`` solving Σ max(minimum, w·x) = total (0 when nothing is left).

    Every divisor method gives a unit about ``w·x`` seats at threshold ``1/x`` (within
    one), so this ``x`` lands within one seat per unit of the answer.  The units whose
    ``w·x`` falls below the minimum are the smallest ones: try the k largest.
    """
    if total <= minimum * len(weights):
        return 0, 1
    ordered = sorted(weights, reverse=True)
    weight_sum = 0
    p, q = 0, 1
    for k, weight in enumerate(ordered, start=1):
        if weight == 0:
            break
        weight_sum += weight
        p, q = total - minimum * (len(ordered) - k), weight_sum
        if k == len(ordered) or ordered[k] * p < minimum * q:
            break
    return p, q
