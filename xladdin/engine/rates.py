"""Rates (tỷ lệ) such as CPR are aggregated from numerators and denominators.

A province's CPR is Σ users / Σ women, not the mean of its communes' CPRs: a commune of
200 women at 80 % and one of 2,000 at 60 % make 61.8 %, not 70 %.  Averaging rates
weights a hamlet like a town; this module never does it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class RatePart:
    """One unit's numerator and denominator (e.g. users of modern methods / women 15–49)."""

    numerator: int
    denominator: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None


def aggregate_rate(parts: Iterable[RatePart]) -> RatePart:
    """The rate of the whole: sums of numerators over sums of denominators."""
    numerator = denominator = 0
    for part in parts:
        numerator += part.numerator
        denominator += part.denominator
    return RatePart(numerator, denominator)


def meets_rate(part: RatePart, target: Fraction) -> bool | None:
    """Whether a unit reaches a target rate (≥); None without a denominator."""
    rate = part.rate
    return None if rate is None else rate >= target
