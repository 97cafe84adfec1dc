"""Why each unit got what it got: a split explained step by step (pure, exact).

Largest remainder (Hamilton, the plan's native formulas): every unit's exact quota
``T × w / W``, its whole part, the remainder, and which units got one of the
``T − Σ whole parts`` units left over (largest remainders first, ties to the earlier unit).
A unit whose quota is below the minimum is raised to it and the others share the rest.
Divisor methods (D'Hondt, Sainte-Laguë, Huntington–Hill) are explained against the quota
too: how far each share is from it.

:func:`alabama` finds the Alabama paradox of largest remainder: one more unit to split
(T + 1) gives some unit *less*.  Divisor methods never do that (they are house-monotone),
so the message names Sainte-Laguë (Webster), the divisor method closest to proportional.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from .. import contract as c
from ..errors import SplitError
from .apportion import (
    LARGEST_REMAINDER,
    METHOD_NAMES,
    SAINTE_LAGUE,
    apportion,
    exact_weights,
    normalize_method,
    raised_to_minimum,
)
from .model import Plan
from .seats import integer_weights

#: the method named when largest remainder shows the paradox
PARADOX_FREE_METHOD = SAINTE_LAGUE


@dataclass(frozen=True)
class UnitSplit:
    index: int
    weight: Fraction
    quota: Fraction  # exact: total × weight / Σ weights (of the units sharing)
    whole: int  # ⌊quota⌋
    remainder: Fraction  # quota − whole
    rank: int | None  # place of the remainder among the units sharing (1 = largest)
    extra: int  # units above the whole part (largest remainder: 0 or 1)
    share: int
    raised: bool = False  # raised to the minimum

    @property
    def got_extra(self) -> bool:
        return self.extra > 0


@dataclass(frozen=True)
class Paradox:
    """With ``larger_total`` to split, unit ``index`` would get ``share_then`` < ``share``."""

    larger_total: int
    index: int
    share: int
    share_then: int


@dataclass(frozen=True)
class SplitExplanation:
    total: int
    method: str
    minimum: int
    units: tuple[UnitSplit, ...]
    left_over: int  # units handed out beyond the whole parts (largest remainder)
    paradox: tuple[Paradox, ...]

    @property
    def shares(self) -> list[int]:
        return [u.share for u in self.units]


def explain_split(total: int, weights: Sequence[object], method: str | None = LARGEST_REMAINDER,
                  minimum: int = 0) -> SplitExplanation:
    """Every unit's quota, whole part, remainder and extra, with the shares ``apportion``
    gives (the explanation never computes a share of its own)."""
    method = normalize_method(method)
    weights_q = exact_weights(weights)
    shares = apportion(total, weights_q, method=method, minimum=minimum)
    raised = (
        raised_to_minimum(total, weights_q, minimum)
        if method == LARGEST_REMAINDER and minimum
        else set()
    )
    sharing = [i for i in range(len(weights_q)) if i not in raised]
    left = total - minimum * len(raised)
    # integers, as the engine and the workbook compare them: quota = left × w / W exactly
    ints = dict(zip(sharing, integer_weights([weights_q[i] for i in sharing])))
    weight_sum = sum(ints.values())
    numerators = {i: left * ints[i] for i in sharing}
    quota = {
        i: Fraction(n, weight_sum) if weight_sum else Fraction(0) for i, n in numerators.items()
    }
    all_sum = sum(weights_q)
    for i in raised:
        quota[i] = Fraction(total) * weights_q[i] / all_sum if all_sum else Fraction(0)
    order = sorted(sharing, key=lambda i: (-(numerators[i] % weight_sum if weight_sum else 0), i))
    rank = {i: place for place, i in enumerate(order, start=1)}
    units = []
    for i in range(len(weights_q)):
        whole = floor(quota[i])
        units.append(UnitSplit(i, weights_q[i], quota[i], whole, quota[i] - whole, rank.get(i),
                               shares[i] - whole, shares[i], i in raised))
    left_over = left - sum(units[i].whole for i in sharing)
    paradox = tuple(alabama(total, weights_q, minimum)) if method == LARGEST_REMAINDER else ()
    return SplitExplanation(total, method, minimum, tuple(units), left_over, paradox)


def alabama(total: int, weights: Sequence[object], minimum: int = 0) -> list[Paradox]:
    """Units that largest remainder gives less when the total grows by one (empty when
    there are none, or when T + 1 cannot be split)."""
    if minimum == 0:  # the common case, in integers: fast enough for 10,000 units × 30 rows
        ints = [w for w in weights if type(w) is int]
        if len(ints) != len(weights):
            ints = integer_weights(exact_weights(weights))
        now, then = _largest_remainder_ints(total, ints), _largest_remainder_ints(total + 1, ints)
    else:
        now = apportion(total, weights, method=LARGEST_REMAINDER, minimum=minimum)
        then = apportion(total + 1, weights, method=LARGEST_REMAINDER, minimum=minimum)
    return [Paradox(total + 1, i, a, b) for i, (a, b) in enumerate(zip(now, then)) if b < a]


def _largest_remainder_ints(total: int, ints: Sequence[int]) -> list[int]:
    """apportion.largest_remainder on integer weights, without the conversions (the
    paradox check runs it twice per indicator); tests prove the two agree."""
    weight_sum = sum(ints)
    if weight_sum == 0:
        return [0] * len(ints)
    shares, negative_remainders = [], []
    for w in ints:
        whole, remainder = divmod(total * w, weight_sum)
        shares.append(whole)
        negative_remainders.append(-remainder)
    missing = total - sum(shares)
    # nsmallest is sorted(...)[:n], a stable sort: equal remainders keep the earlier unit first
    for i in heapq.nsmallest(missing, range(len(ints)), key=negative_remainders.__getitem__):
        shares[i] += 1
    return shares


def paradox_message(code: str, name: str, names: Sequence[str], paradox: Sequence[Paradox]) -> str:
    """The Vietnamese warning for one indicator: who would get less, and what to choose."""
    first = paradox[0]
    who = ", ".join(f"{names[p.index]} nhận {p.share_then} thay vì {p.share}" for p in paradox)
    return (
        f"{code} ({name}): nếu Chỉ tiêu đợt là {first.larger_total} (thêm 1), {who}: nghịch lý "
        "Alabama "
        f"của phương pháp {METHOD_NAMES[LARGEST_REMAINDER]}. Phương pháp "
        f"{METHOD_NAMES[PARADOX_FREE_METHOD]} "
        f"không bao giờ giao ít hơn khi tổng tăng: có thể chọn nó ở trang «{c.UNITS_SHEET}», ô "
        f"«{c.METHOD_LABEL}», rồi bấm «Phân bổ»."
    )


def decimal(value: Fraction, places: int = 4) -> str:
    """0.4222 → «0,4222» (Vietnamese decimal comma), exact value rounded for display."""
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def fraction_text(value: Fraction) -> str:
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )


def reason(unit: UnitSplit, explanation: SplitExplanation) -> str:
    """Why this unit got its share, in one Vietnamese sentence."""
    if unit.raised:
        return (f"Hạn ngạch {decimal(unit.quota)} dưới mức tối thiểu {explanation.minimum}: "
                f"được nâng lên {explanation.minimum}.")
    if explanation.method != LARGEST_REMAINDER:
        diff = unit.share - unit.quota
        sign = "hơn" if diff > 0 else "kém"
        near = "đúng bằng hạn ngạch" if diff == 0 else f"{sign} hạn ngạch {decimal(abs(diff))}"
        return f"{METHOD_NAMES[explanation.method]}: được {unit.share}, {near}."
    if unit.remainder == 0:
        return f"Hạn ngạch tròn {unit.whole}: không có phần dư."
    place = (
        f"phần dư {fraction_text(unit.remainder)} ≈ {decimal(unit.remainder)} lớn thứ {unit.rank}"
    )
    if unit.got_extra:
        return f"{place.capitalize()}, trong {explanation.left_over} phần dư lớn nhất: được thêm 1."
    if explanation.left_over == 0:
        return (f"{place.capitalize()}: các phần nguyên đã cộng đủ {explanation.total}, "
                "không còn suất dư.")
    if any(u.got_extra and u.remainder == unit.remainder for u in explanation.units):
        return (
            f"{place.capitalize()}, bằng phần dư của đơn vị đứng trước: khi bằng nhau, đơn vị "
            "đứng trước "
            "được thêm trước; hết suất dư."
        )
    return (
        f"{place.capitalize()}, ngoài {explanation.left_over} phần dư lớn nhất: không được thêm "
        f"({explanation.left_over} suất dư đã giao hết)."
    )




# --- a plan's splits ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowSplit:
    """One indicator of a plan whose children's shares come from a method (not typed);
    the paradox is checked for every row, the full explanation made when asked."""

    code: str
    name: str
    total: int
    method: str
    minimum: int
    weights: tuple[Fraction, ...]
    paradox: tuple[Paradox, ...]
    uneven: bool  # some quota is not whole: units were left over to hand out

    def explain(self) -> SplitExplanation:
        return explain_split(self.total, self.weights, self.method, self.minimum)


def plan_splits(plan: Plan, targets: Mapping[str, object] | None = None) -> list[RowSplit]:
    """Every count row of ``plan`` split by a method (the native formulas or «Phân bổ»),
    with a whole positive Chỉ tiêu đợt and weights to split by.  ``targets`` (code →
    Chỉ tiêu đợt) when the caller has them (resolved or read), else resolved here."""
    from .plan_values import child_weights, resolve_plan

    weights = tuple(child_weights(plan))
    if not plan.children or sum(weights) <= 0:
        return []
    ints = integer_weights(weights)
    if targets is None:
        targets = {code: v.round_target for code, v in resolve_plan(plan).items()}
    splits = []
    for row in plan.rows:
        if (
            row.is_rate
            or plan.parts_present(row)
            or (row.shares is not None and not row.split_method)
        ):
            continue
        target = targets.get(row.code)
        if (
            target is None
            or isinstance(target, bool)
            or not isinstance(target, int | Fraction)
            or target <= 0
            or Fraction(target).denominator != 1
        ):
            continue
        method = normalize_method(row.split_method)
        minimum = plan.split_minimum if row.split_method else 0
        try:
            paradox = (tuple(alabama(int(target), ints if minimum == 0 else weights, minimum))
                       if method == LARGEST_REMAINDER else ())
        except SplitError:  # an impossible split: validate reports it itself
            continue
        weight_sum = sum(ints)
        uneven = any(int(target) * w % weight_sum for w in ints)
        splits.append(
            RowSplit(row.code, row.name, int(target), method, minimum, weights, paradox, uneven)
        )
    return splits


def paradox_warnings(plan: Plan, splits: Sequence[RowSplit] | None = None,
                     targets: Mapping[str, object] | None = None) -> list[tuple[str, str]]:
    """(indicator code, Vietnamese warning) for every row that shows the Alabama paradox."""
    names = [child.name for child in plan.children]
    splits = plan_splits(plan, targets) if splits is None else splits
    return [
        (s.code, paradox_message(s.code, s.name, names, s.paradox)) for s in splits if s.paradox
    ]


__all__ = ["PARADOX_FREE_METHOD", "Paradox", "RowSplit", "SplitExplanation", "UnitSplit", "alabama",
           "explain_split", "paradox_message", "paradox_warnings", "plan_splits", "reason"]
