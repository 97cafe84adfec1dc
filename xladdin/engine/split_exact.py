"""What the workbook's native split computes, step by step, in Python.

The plan's split formulas (``xladdin.writer.live_split``) work on whole numbers only,
so that no float rounding can tip a share:

* weights are scaled by 10^d, d = the most decimals any weight has (at most
  :data:`MAX_DECIMALS`: populations in thousands, ``12.5``), so 12.5 and 3 become 125 and 30;
* with W = Σ scaled weights, child j's floor is ⌊T·wⱼ/W⌋ and its remainder
  rⱼ = T·wⱼ − W·⌊T·wⱼ/W⌋, a whole number below W;
* the seats still missing are m = Σ rⱼ / W; R* is the m-th largest remainder; every child
  above R* gets one more, and of the children exactly at R* the earliest ``need`` do;
* every number stays below :data:`EXACT_LIMIT` = 2⁴⁷: far inside a double's 2⁵³, and
  small enough that LibreOffice's "nearly equal" comparison (relative 2⁻⁴⁸) never
  takes two different whole numbers for equal.

:func:`split_steps` gives every intermediate value (the helper sheet caches them), and its
shares equal :func:`xladdin.engine.apportion.largest_remainder` (tests prove both).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..contract import MAX_WEIGHT_DECIMALS

MAX_DECIMALS = MAX_WEIGHT_DECIMALS
EXACT_LIMIT = 2 ** 47


def decimals(weight: Fraction) -> int | None:
    """How many decimals ``weight`` has (0 for a whole number), None when more than
    :data:`MAX_DECIMALS` (1/3 has infinitely many)."""
    for d in range(MAX_DECIMALS + 1):
        if (weight * 10 ** d).denominator == 1:
            return d
    return None


def scaled_weights(weights: Sequence[Fraction]) -> tuple[list[int], int] | None:
    """(weights × 10^d as whole numbers, d), or None when a weight has too many decimals."""
    places = []
    for weight in weights:
        found = decimals(weight)
        if found is None:
            return None
        places.append(found)
    d = max(places, default=0)
    return [int(w * 10 ** d) for w in weights], d


def too_big(target: int, weights: Sequence[Fraction]) -> bool:
    """Whether T·W would leave the range where the workbook's arithmetic is exact."""
    scaled = scaled_weights(weights)
    return scaled is not None and target * sum(scaled[0]) >= EXACT_LIMIT


@dataclass(frozen=True)
class SplitSteps:
    remainders: list[int]
    ties_so_far: list[int]  # running count of children whose remainder equals R*
    missing: int  # m
    threshold: int  # R* (W + 1 when nothing is missing)
    need: int  # seats left for the children at R*
    shares: list[int]


def split_steps(target: int, scaled: Sequence[int]) -> SplitSteps:
    """The helper sheet's numbers for whole ``target`` ≥ 0 and whole ``scaled`` weights."""
    total = sum(scaled)
    remainders = [target * w - total * (target * w // total) for w in scaled]
    missing = sum(remainders) // total
    threshold = sorted(remainders, reverse=True)[missing - 1] if missing > 0 else total + 1
    need = missing - sum(1 for r in remainders if r > threshold) if missing > 0 else 0
    ties, running = [], 0
    for r in remainders:
        running += r == threshold
        ties.append(running)
    shares = [target * w // total + (1 if r > threshold or (r == threshold and c <= need) else 0)
              for w, r, c in zip(scaled, remainders, ties)]
    return SplitSteps(remainders, ties, missing, threshold, need, shares)
