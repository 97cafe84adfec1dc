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
This module checks the request and picks the method; the methods themselves are in
:mod:`.largest_remainder` and :mod:`.divisor_methods`, on the common ground of :mod:`.seats`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..contract import MINIMUM_LABEL
from ..errors import SplitError
from .divisor_methods import DHONDT, HUNTINGTON_HILL, SAINTE_LAGUE, divisor_method
from .largest_remainder import largest_remainder, largest_remainder_with_minimum, raised_to_minimum
from .numbers import thousands
from .seats import all_zero_error
from .values import MAX_COUNT, exact

LARGEST_REMAINDER = "largest-remainder"
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
    weights_q = exact_weights(weights)
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
        free_shares = largest_remainder_with_minimum(to_split, free_weights, minimum_n)
    else:
        free_shares = divisor_method(to_split, free_weights, minimum_n, method)

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
        f"{label} quá lớn ({_show(number)}): xladdin nhận số đến {thousands(MAX_COUNT)}"
        + "; hãy kiểm tra lại số đã nhập."
    )


def exact_weights(weights: Sequence[object]) -> list[Fraction]:
    if len(weights) == 0:
        raise SplitError("Chưa có trọng số nào: cần ít nhất một đơn vị để phân bổ.")
    if len(weights) > MAX_UNITS:
        raise SplitError(f"Quá nhiều trọng số ({thousands(len(weights))}); mỗi lần phân bổ "
                         f"nhận tối đa {thousands(MAX_UNITS)} đơn vị.")
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


def quotas(total: int, weights: Sequence[object]) -> list[Fraction]:
    """Each unit's exact quota ``total × w / Σw`` (for checks and explanations)."""
    weights_q = exact_weights(weights)
    weight_sum = sum(weights_q)
    if weight_sum == 0:
        raise all_zero_error(total)
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
