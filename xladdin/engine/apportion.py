"""Splitting a target among units in whole numbers that add up exactly (phân bổ).

Four classic apportionment methods, all in exact arithmetic (fractions and integers,
never float rounding):

* ``largest-remainder`` (Hamilton, the default): every unit gets the whole part of its
  quota ``total × weight / Σ weights``; the seats still missing go to the largest
  remainders.  This is the rule the plan workbooks compute with native Excel formulas.
* ``dhondt`` (Jefferson), ``sainte-lague`` (Webster) and ``huntington-hill``: divisor
  methods; the next unit is always the one with the highest ``weight / d(seats)``.

Rules shared by every method:

* ties go to the earlier unit;
* ``minimum``: every unit (not locked) gets at least this many; the units whose fair
  share is below it are raised to it and the rest is split among the others;
* a unit with weight 0 gets 0 (or the minimum);
* ``locked``: shares fixed by hand (unit index → share); the rest of the total is split
  among the other units.

Impossible requests raise :class:`~xladdin.errors.SplitError` with a Vietnamese message.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from math import gcd

from ..contract import MINIMUM_LABEL
from ..errors import SplitError
from .values import MAX_COUNT, exact

LARGEST_REMAINDER = "largest-remainder"
SAINTE_LAGUE = "sainte-lague"
DHONDT = "dhondt"
HUNTINGTON_HILL = "huntington-hill"
METHODS = (LARGEST_REMAINDER, SAINTE_LAGUE, DHONDT, HUNTINGTON_HILL)

#: Most units one split takes: every commune of Việt Nam before 2025 (≈ 10,600) fits;
#: more is a mistake (a whole column picked), and keeps any split well under a second.
MAX_UNITS = 20_000

#: Vietnamese names, for messages and the function wizard.
METHOD_NAMES = {
    LARGEST_REMAINDER: "Phần dư lớn nhất (Hamilton)",
    SAINTE_LAGUE: "Sainte-Laguë (Webster)",
    DHONDT: "D'Hondt (Jefferson)",
    HUNTINGTON_HILL: "Huntington–Hill",
}

_ALIASES = {
    "largest_remainder": LARGEST_REMAINDER,
    "hamilton": LARGEST_REMAINDER,
    "lr": LARGEST_REMAINDER,
    "sainte_lague": SAINTE_LAGUE,
    "sainte-laguë": SAINTE_LAGUE,
    "webster": SAINTE_LAGUE,
    "d'hondt": DHONDT,
    "jefferson": DHONDT,
    "huntington_hill": HUNTINGTON_HILL,
    "hill": HUNTINGTON_HILL,
}


def normalize_method(method: str | None) -> str:
    """The canonical method name for ``method`` (case and ``_``/``-`` insensitive)."""
    if method is None or str(method).strip() == "":
        return LARGEST_REMAINDER
    key = str(method).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in METHODS:
        raise SplitError(
            f"Phương pháp phân bổ '{method}' không có. Chọn một trong: {', '.join(METHODS)}."
        )
    return key


def apportion(
    total: object,
    weights: Sequence[object],
    method: str | None = LARGEST_REMAINDER,
    minimum: object = 0,
    locked: Mapping[int, object] | None = None,
) -> list[int]:
    """Split ``total`` among ``len(weights)`` units; the shares add up to ``total``."""
    method = normalize_method(method)
    total_n = _whole(total, "Tổng chỉ tiêu")
    minimum_n = _whole(minimum, MINIMUM_LABEL)
    weights_q = _weights(weights)
    locked_n = _locked(locked or {}, len(weights_q))

    free = [i for i in range(len(weights_q)) if i not in locked_n]
    to_split = total_n - sum(locked_n.values())
    if to_split < 0:
        raise SplitError(
            f"Các phần đã cố định ({sum(locked_n.values())}) lớn hơn tổng chỉ tiêu ({total_n})."
        )
    if minimum_n * len(free) > to_split:
        raise SplitError(
            f"Không thể phân bổ: mức tối thiểu {minimum_n} × {len(free)} đơn vị "
            f"= {minimum_n * len(free)} lớn hơn số cần phân bổ ({to_split})."
        )
    if not free and to_split:
        raise SplitError(
            f"Mọi đơn vị đều đã cố định nhưng còn {to_split} chưa phân bổ cho ai."
        )

    free_weights = [weights_q[i] for i in free]
    if method == LARGEST_REMAINDER:
        free_shares = _largest_remainder_with_minimum(to_split, free_weights, minimum_n)
    else:
        free_shares = _divisor_method(to_split, free_weights, minimum_n, method)

    shares = [0] * len(weights_q)
    for i, share in locked_n.items():
        shares[i] = share
    for i, share in zip(free, free_shares):
        shares[i] = share
    return shares


# --- input checks -------------------------------------------------------------------


def _whole(value: object, label: str) -> int:
    try:
        number = exact(value)
    except TypeError:
        raise SplitError(f"{label} phải là một số, không phải '{value}'.") from None
    if number < 0:
        raise SplitError(f"{label} không được âm ({_show(number)}).")
    if number.denominator != 1:
        raise SplitError(f"{label} phải là số nguyên ({_show(number)}).")
    if number > MAX_COUNT:
        raise SplitError(_too_large(label, number))
    return number.numerator


def _too_large(label: str, number: Fraction) -> str:
    return (
        f"{label} quá lớn ({_show(number)}): xladdin nhận số đến {MAX_COUNT:,}".replace(",", ".")
        + "; hãy kiểm tra lại số đã nhập."
    )


def _weights(weights: Sequence[object]) -> list[Fraction]:
    if len(weights) == 0:
        raise SplitError("Chưa có trọng số nào: cần ít nhất một đơn vị để phân bổ.")
    if len(weights) > MAX_UNITS:
        raise SplitError(f"Quá nhiều trọng số ({len(weights):,}); mỗi lần phân bổ nhận tối đa "
                         f"{MAX_UNITS:,} đơn vị.".replace(",", "."))
    result = []
    for position, weight in enumerate(weights, start=1):
        if type(weight) is int and 0 <= weight <= MAX_COUNT:  # the common case, quickly
            result.append(Fraction(weight))
            continue
        try:
            number = exact(weight)
        except TypeError:
            raise SplitError(
                f"Trọng số thứ {position} phải là một số, không phải '{weight}'."
            ) from None
        if number.numerator < 0:
            raise SplitError(f"Trọng số thứ {position} không được âm ({_show(number)}).")
        if number.numerator > MAX_COUNT * number.denominator:
            raise SplitError(_too_large(f"Trọng số thứ {position}", number))
        result.append(number)
    return result


def _locked(locked: Mapping[int, object], count: int) -> dict[int, int]:
    result = {}
    for index, share in locked.items():
        if not 0 <= index < count:
            raise SplitError(f"Đơn vị cố định số {index + 1} không có trong danh sách.")
        result[index] = _whole(share, f"Phần cố định của đơn vị thứ {index + 1}")
    return result


def _show(number: Fraction) -> str:
    """A number for a message: whole numbers in full up to 15 digits, else 3 significant."""
    if number.denominator == 1 and abs(number.numerator) < 10**15:
        return str(number.numerator)
    if abs(number) >= 10**15:  # no float: 10**400 would overflow it
        digits = str(abs(number.numerator // number.denominator))
        sign = "-" if number < 0 else ""
        return f"{sign}{digits[0]}.{digits[1:3]}e+{len(digits) - 1}"
    return f"{float(number):.6g}"


def _all_zero_error(to_split: int) -> SplitError:
    return SplitError(
        f"Mọi trọng số đều bằng 0: không có căn cứ để phân bổ {to_split}. "
        "Hãy nhập trọng số (dân số, số cặp vợ chồng, kết quả năm trước…)."
    )


# --- largest remainder ----------------------------------------------------------------


def _integer_weights(weights: Sequence[Fraction]) -> list[int]:
    """Weights scaled to integers with the same ratios (exact)."""
    if all(weight.denominator == 1 for weight in weights):  # the usual case: no Fraction work
        return [weight.numerator for weight in weights]
    scale = 1
    for weight in weights:
        if weight.denominator != 1:
            scale = scale * weight.denominator // _gcd(scale, weight.denominator)
    return [weight.numerator * (scale // weight.denominator) for weight in weights]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def largest_remainder(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Hamilton's method, no minimum: floor of each quota, then the largest remainders.

    Quota ``total × w / W`` is compared as the integer remainder ``total × w mod W``,
    exactly as the plan workbook's native formula does.
    """
    ints = _integer_weights(weights)
    weight_sum = sum(ints)
    if weight_sum == 0:
        if total:
            raise _all_zero_error(total)
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


def _largest_remainder_with_minimum(
    total: int, weights: Sequence[Fraction], minimum: int
) -> list[int]:
    """Units whose quota is below ``minimum`` get the minimum; the rest is re-split.

    Raising a unit lowers everyone else's share of what is left, so the raised units
    are those below the minimum at the fixed point ``x`` of Σ max(minimum, w·x) = total,
    found exactly in one pass over the weights sorted (:func:`_seats_per_weight`).
    """
    raised = raised_to_minimum(total, weights, minimum)
    others = [i for i in range(len(weights)) if i not in raised]
    left = total - minimum * len(raised)
    if left and not any(weights[i] for i in others):
        raise _all_zero_error(total)
    shares = [minimum] * len(weights)
    for i, share in zip(others, largest_remainder(left, [weights[i] for i in others])):
        shares[i] = share
    return shares


def raised_to_minimum(total: int, weights: Sequence[Fraction], minimum: int) -> set[int]:
    """The units largest remainder raises to ``minimum`` (below it at the fixed point
    :func:`_seats_per_weight`); the others share what is left (for explanations)."""
    if minimum == 0:
        return set()
    ints = _integer_weights(weights)
    p, q = _seats_per_weight(total, ints, minimum)
    return {i for i, weight in enumerate(ints) if weight * p < minimum * q}


# --- divisor methods ----------------------------------------------------------------
# A unit holding k seats asks for the next one with priority weight / d(k).  The result
# is the top `total` of all (unit, k ≥ minimum) candidates ordered by priority, ties to
# the earlier unit, which is what handing out seats one by one gives.  All in integers:
# weights scaled to whole numbers, the threshold x = p/q, and each priority as an exact
# integer key (tier, ⌊priority × BIG⌋), where BIG exceeds the square of every denominator
# so that two different priorities never share a key.  Tier 1 is Huntington–Hill's
# d(0) = 0 (infinite priority).

Key = tuple[int, int]


def _divisor_method(total: int, weights: Sequence[Fraction], minimum: int, method: str
                    ) -> list[int]:
    """Exact and fast for any total: the seats above an exact threshold (a prefix of the
    seat-by-seat order, within about one seat per unit of the answer, refined by a few
    Newton steps on the threshold), then the last seats added or given back by a heap in
    that same order."""
    ints = _integer_weights(weights)
    count = len(ints)
    if sum(ints) == 0:
        if total == minimum * count:
            return [minimum] * count
        raise _all_zero_error(total)
    above = _SEATS_ABOVE[method]
    p, q = _seats_per_weight(total, ints, minimum)
    seats = [max(minimum, above(w, p, q)) for w in ints]
    for _ in range(6):  # move x by deficit / (weight of the units past the minimum)
        deficit = total - sum(seats)
        active = sum(w for w, s in zip(ints, seats) if s > minimum)
        if deficit == 0 or active == 0:
            break
        p, q = max(0, p * active + deficit * q), q * active
        common = gcd(p, q)
        p, q = p // common, q // common
        better = [max(minimum, above(w, p, q)) for w in ints]
        if abs(total - sum(better)) >= abs(deficit):
            break
        seats = better
    key = _key_function(method, total + count + 2)
    held = sum(seats)
    if held > total:  # give back the worst held seats, the later unit first on ties
        worst = [(key(w, seats[i] - 1), -i) for i, w in enumerate(ints) if seats[i] > minimum]
        heapq.heapify(worst)
        for _ in range(held - total):
            _, negative_i = heapq.heappop(worst)
            i = -negative_i
            seats[i] -= 1
            if seats[i] > minimum:
                heapq.heappush(worst, (key(ints[i], seats[i] - 1), negative_i))
    missing = total - sum(seats)
    if missing:
        heap = [(_negate(key(w, seats[i])), i) for i, w in enumerate(ints)]
        heapq.heapify(heap)
        for _ in range(missing):
            _, i = heapq.heappop(heap)
            seats[i] += 1
            heapq.heappush(heap, (_negate(key(ints[i], seats[i])), i))
    return seats


def _key_function(method: str, bound: int) -> Callable[[int, int], Key]:
    """Exact integer keys of ``weight / d(seats)`` for seats below ``bound``."""
    if method == DHONDT:  # weight / (s + 1)
        big = bound * bound
        return lambda w, s: (0, w * big // (s + 1))
    if method == SAINTE_LAGUE:  # weight / (s + ½) = 2·weight / (2s + 1)
        big = 4 * bound * bound
        return lambda w, s: (0, 2 * w * big // (2 * s + 1))
    big = (bound * (bound + 1)) ** 2  # Huntington–Hill, squared: weight² / (s(s + 1))

    def huntington_hill(w: int, s: int) -> Key:
        if s == 0:  # every unit with a positive weight first gets one seat, largest first
            return (1, w) if w > 0 else (0, 0)
        return (0, w * w * big // (s * (s + 1)))

    return huntington_hill


def _seats_per_weight(total: int, weights: Sequence[int], minimum: int) -> tuple[int, int]:
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


def _above_dhondt(w: int, p: int, q: int) -> int:
    """How many k ≥ 0 have w / (k + 1) > q/p, i.e. k + 1 < w·p/q."""
    return max(0, -(-w * p // q) - 1)


def _above_sainte_lague(w: int, p: int, q: int) -> int:
    """How many k ≥ 0 have w / (k + ½) > q/p, i.e. k < w·p/q − ½."""
    return max(0, -(-(2 * w * p - q) // (2 * q)))


def _above_huntington_hill(w: int, p: int, q: int) -> int:
    """k = 0 (infinite priority) plus every k ≥ 1 with k(k + 1) < (w·p/q)²."""
    if w == 0:
        return 0
    a = w * p
    square = a * a
    k = a // q  # within one of the largest k with k(k+1)·q² < a²
    while k > 0 and k * (k + 1) * q * q >= square:
        k -= 1
    while (k + 1) * (k + 2) * q * q < square:
        k += 1
    return 1 + k


_SEATS_ABOVE: dict[str, Callable[[int, int, int], int]] = {
    DHONDT: _above_dhondt,
    SAINTE_LAGUE: _above_sainte_lague,
    HUNTINGTON_HILL: _above_huntington_hill,
}


def _negate(key: Key) -> Key:
    return (-key[0], -key[1])


def quotas(total: int, weights: Sequence[object]) -> list[Fraction]:
    """Each unit's exact quota ``total × w / Σw`` (for checks and explanations)."""
    weights_q = _weights(weights)
    weight_sum = sum(weights_q)
    if weight_sum == 0:
        raise _all_zero_error(total)
    return [Fraction(total) * w / weight_sum for w in weights_q]


__all__ = [
    "METHODS",
    "METHOD_NAMES",
    "LARGEST_REMAINDER",
    "SAINTE_LAGUE",
    "DHONDT",
    "HUNTINGTON_HILL",
    "MAX_UNITS",
    "apportion",
    "largest_remainder",
    "normalize_method",
    "quotas",
    "raised_to_minimum",
]
