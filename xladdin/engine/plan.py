"""Plan arithmetic: what remains, a round's target, % done, and whether a split adds up.

The same rules are written as native formulas in the plan and form workbooks (see
``xladdin.writer.formulas``); tests recalculate those workbooks in LibreOffice and
compare with these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

# The words of the split check, shared by CHECK_SPLIT and the plan's check column.
from ..contract import CHECK_OK as CHECK_OK
from ..contract import CHECK_TOO_LITTLE as CHECK_TOO_LITTLE
from ..contract import CHECK_TOO_MUCH as CHECK_TOO_MUCH
from ..errors import InputError
from .values import exact


def remaining(annual_plan: int, done: int) -> int:
    """Còn lại = kế hoạch năm − đã thực hiện, raw (negative when the plan is exceeded).

    Workbooks display it as ``max(0, raw)`` and say by how much the plan was exceeded;
    use :func:`remaining_shown` for that number.
    """
    return annual_plan - done


def remaining_shown(annual_plan: int, done: int) -> int:
    """What an officer sees in the Còn lại column: never below 0."""
    return max(0, remaining(annual_plan, done))


def round_target(annual_plan: int, done: int, share: object = 1) -> int:
    """Chỉ tiêu đợt so that, by the end of the round, results reach ``share`` of the plan.

    ``round_target = max(0, ⌈annual_plan × share⌉ − done)``, rounded **up** because
    campaigns ask for "X % trở lên" (X % or more): 50 % of 45 is 23, not 22.
    ``share`` is a ratio (0.5 for 50 %); with the default 1 the round asks for what
    remains.  For a campaign that alone must reach 50 % of the year (Hải Phòng 2023),
    pass ``done = 0``.
    """
    share_q = exact(share)
    if share_q < 0:
        raise InputError("Tỷ lệ của Chỉ tiêu đợt không được âm.")
    return max(0, ceil(Fraction(annual_plan) * share_q) - done)


def pct_done(result: object, target: object) -> Fraction | None:
    """% đạt as an exact ratio (1 = 100 %); None when there is no target to measure by."""
    target_q = exact(target)
    if target_q == 0:
        return None
    return exact(result) / target_q




@dataclass(frozen=True)
class SplitCheck:
    """Whether the children's shares add up to the round target."""

    total: int
    shares_sum: int

    @property
    def difference(self) -> int:
        """Σ shares − total: positive when the children were given too much."""
        return self.shares_sum - self.total

    @property
    def ok(self) -> bool:
        return self.difference == 0

    def message(self) -> str:
        """Vietnamese, as the check column of the plan shows it."""
        if self.ok:
            return CHECK_OK
        if self.difference > 0:
            return f"{CHECK_TOO_MUCH}{self.difference}"
        return f"{CHECK_TOO_LITTLE}{-self.difference}"


def check_split(total: int, shares: Iterable[int]) -> SplitCheck:
    return SplitCheck(total=total, shares_sum=sum(shares))
