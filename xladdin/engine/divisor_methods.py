"""The divisor methods: D'Hondt (Jefferson), Sainte-Laguë (Webster), Huntington–Hill.

The next seat always goes to the unit with the highest ``weight / d(seats held)``; this
module gives the same answer without handing seats out one by one (see below).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from fractions import Fraction
from math import gcd

from .seats import all_zero_error, integer_weights, seats_per_weight

DHONDT = "dhondt"
SAINTE_LAGUE = "sainte-lague"
HUNTINGTON_HILL = "huntington-hill"

# A unit holding k seats asks for the next one with priority weight / d(k).  The result
# is the top `total` of all (unit, k ≥ minimum) candidates ordered by priority, ties to
# the earlier unit, which is what handing out seats one by one gives.  All in integers:
# weights scaled to whole numbers, the threshold x = p/q, and each priority as an exact
# integer key (tier, ⌊priority × BIG⌋), where BIG exceeds the square of every denominator
# so that two different priorities never share a key.  Tier 1 is Huntington–Hill's
# d(0) = 0 (infinite priority).

Key = tuple[int, int]


def divisor_method(total: int, weights: Sequence[Fraction], minimum: int, method: str
                   ) -> list[int]:
    """Exact and fast for any total: the seats above an exact threshold (a prefix of the
    seat-by-seat order, within about one seat per unit of the answer, refined by a few
    Newton steps on the threshold), then the last seats added or given back by a heap in
    that same order."""
    ints = integer_weights(weights)
    count = len(ints)
    if sum(ints) == 0:
        if total == minimum * count:
            return [minimum] * count
        raise all_zero_error(total)
    above = _SEATS_ABOVE[method]
    p, q = seats_per_weight(total, ints, minimum)
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
