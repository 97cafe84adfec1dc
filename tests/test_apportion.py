"""Splitting targets: examples an officer would check by hand, then properties."""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from xladdin.engine.apportion import METHODS, apportion
from xladdin.errors import SplitError

DIVISOR_METHODS = ["dhondt", "sainte-lague", "huntington-hill"]


# --- examples --------------------------------------------------------------------------


def test_ten_among_three_equal_units_goes_to_the_first_unit():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]


def test_phuong_2_round_2_short_term_methods():
    # Published: CT đợt 2 = 40 for short-term methods, KP1..KP5 = 4, 10, 10, 5, 11.
    assert apportion(40, [4, 10, 10, 5, 11]) == [4, 10, 10, 5, 11]


def test_phuong_2_gynaecological_exams_split_by_the_published_shares_adds_up_to_25():
    # The published row gives 4+5+6+3+12 = 30 against a target of 25; a real split
    # by the same weights gives whole numbers that add up to 25.
    shares = apportion(25, [4, 5, 6, 3, 12])
    assert sum(shares) == 25
    assert shares == [3, 4, 5, 3, 10]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # The textbook example: 100,000 / 80,000 / 30,000 / 20,000 votes, 8 seats.
        ("dhondt", [4, 3, 1, 0]),
        ("sainte-lague", [3, 3, 1, 1]),
        ("largest-remainder", [3, 3, 1, 1]),
        ("huntington-hill", [3, 3, 1, 1]),
    ],
)
def test_textbook_example_per_method(method, expected):
    assert apportion(8, [100_000, 80_000, 30_000, 20_000], method=method) == expected


def test_weights_may_be_decimals_and_are_exact():
    # 0.1 + 0.2 style weights: floats are taken by their decimal spelling.
    assert apportion(3, [0.1, 0.2]) == [1, 2]
    assert apportion(10, [Fraction(1, 3), Fraction(2, 3)]) == [3, 7]


def test_unit_with_zero_weight_gets_nothing_unless_a_minimum():
    assert apportion(9, [0, 1, 2]) == [0, 3, 6]
    assert apportion(9, [0, 1, 2], minimum=1) == [1, 3, 5]


def test_minimum_raises_small_units_and_splits_the_rest_proportionally():
    # Quotas 2, 6, 12: the first is raised to 3, the other 17 split 3:6.
    assert apportion(20, [1, 3, 6], minimum=3) == [3, 6, 11]


def test_locked_share_is_kept_and_the_rest_is_split_among_the_others():
    assert apportion(20, [1, 1, 1, 1], locked={0: 10}) == [10, 4, 3, 3]


def test_huntington_hill_gives_first_seats_to_the_largest_units_when_too_few():
    assert apportion(2, [1, 5, 3], method="huntington-hill") == [0, 1, 1]


def test_large_totals_are_split_quickly_and_exactly():
    weights = [1_000_003 + 7919 * i for i in range(34)]
    for method in METHODS:
        shares = apportion(12_345_678, weights, method=method)
        assert sum(shares) == 12_345_678


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"total": -5, "weights": [1, 1]}, "không được âm"),
        ({"total": 5.5, "weights": [1, 1]}, "số nguyên"),
        ({"total": 10, "weights": [1, -2]}, "Trọng số thứ 2 không được âm"),
        ({"total": 10, "weights": [0, 0, 0]}, "Mọi trọng số đều bằng 0"),
        ({"total": 10, "weights": []}, "ít nhất một đơn vị"),
        ({"total": 5, "weights": [1, 1, 1], "minimum": 2}, "mức tối thiểu 2 × 3"),
        ({"total": 5, "weights": [1, 1], "locked": {0: 6}}, "cố định"),
        ({"total": 5, "weights": [1, "x"]}, "không phải"),
        ({"total": 5, "weights": [1, 1], "method": "bogus"}, "không có"),
    ],
)
def test_impossible_requests_say_why_in_vietnamese(kwargs, words):
    with pytest.raises(SplitError, match=words):
        apportion(**kwargs)


def test_all_zero_weights_with_nothing_to_split_is_all_zero():
    assert apportion(0, [0, 0]) == [0, 0]


# --- independent references --------------------------------------------------------------


def reference_largest_remainder(total, weights):
    """Hamilton's method written from its definition, with Fractions and a stable sort."""
    total_weight = sum(Fraction(w) for w in weights)
    quotas = [total * Fraction(w) / total_weight for w in weights]
    shares = [floor(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: quotas[i] - shares[i], reverse=True)
    # sorted() is stable, so among equal remainders the earlier unit stays first.
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def reference_divisor(total, weights, method, minimum=0):
    """Hand out seats one at a time to the highest weight / d(seats), ties to the earlier."""

    def priority(w, s):
        w = Fraction(w)
        if method == "dhondt":
            return w / (s + 1)
        if method == "sainte-lague":
            return w / (s + Fraction(1, 2))
        if s == 0:  # Huntington–Hill: d(0) = 0
            return Fraction(10**30) * (1 + w) if w > 0 else Fraction(0)
        return w * w / (s * (s + 1))  # squared priority, same order

    seats = [minimum] * len(weights)
    for _ in range(total - sum(seats)):
        best = max(range(len(weights)), key=lambda i: (priority(weights[i], seats[i]), -i))
        seats[best] += 1
    return seats


weights_lists = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(
    lambda ws: sum(ws) > 0
)


@given(total=st.integers(0, 400), weights=weights_lists, method=st.sampled_from(METHODS))
def test_shares_always_add_up_to_the_total(total, weights, method):
    assert sum(apportion(total, weights, method=method)) == total


@given(total=st.integers(0, 400), weights=weights_lists)
def test_largest_remainder_matches_its_definition_and_the_quota_rule(total, weights):
    shares = apportion(total, weights)
    assert shares == reference_largest_remainder(total, weights)
    quotas = [Fraction(total * w, sum(weights)) for w in weights]
    assert all(floor(q) <= s <= ceil(q) for q, s in zip(quotas, shares))


@settings(max_examples=150)
@given(
    total=st.integers(0, 150),
    weights=weights_lists,
    method=st.sampled_from(DIVISOR_METHODS),
    minimum=st.integers(0, 3),
)
def test_divisor_methods_match_seat_by_seat_allocation(total, weights, method, minimum):
    assume(minimum * len(weights) <= total)
    assert apportion(total, weights, method=method, minimum=minimum) == reference_divisor(
        total, weights, method, minimum
    )


@given(total=st.integers(0, 300), weights=weights_lists, method=st.sampled_from(DIVISOR_METHODS))
def test_divisor_methods_are_house_monotone(total, weights, method):
    before = apportion(total, weights, method=method)
    after = apportion(total + 1, weights, method=method)
    assert all(b <= a for b, a in zip(before, after))


@given(
    total=st.integers(0, 300),
    weights=st.lists(st.integers(0, 1000), min_size=1, max_size=10),
    method=st.sampled_from(METHODS),
    minimum=st.integers(0, 20),
)
def test_minimum_is_respected(total, weights, method, minimum):
    assume(minimum * len(weights) <= total)
    assume(sum(weights) > 0 or total == minimum * len(weights))
    shares = apportion(total, weights, method=method, minimum=minimum)
    assert sum(shares) == total
    assert all(share >= minimum for share in shares)


@given(
    total=st.integers(0, 300),
    weight=st.integers(1, 100),
    others=st.lists(st.integers(0, 100), max_size=6),
    copies=st.integers(2, 5),
    method=st.sampled_from(METHODS),
)
def test_equal_units_get_shares_in_their_order_differing_by_at_most_one(
    total, weight, others, copies, method
):
    weights = others + [weight] * copies
    shares = apportion(total, weights, method=method)[len(others) :]
    assert shares == sorted(shares, reverse=True)  # earlier equal unit never gets less
    assert shares[0] - shares[-1] <= 1


@given(
    total=st.integers(0, 300),
    weights=st.lists(st.integers(0, 50), min_size=2, max_size=8),
    method=st.sampled_from(METHODS),
    data=st.data(),
)
def test_locked_shares_are_kept(total, weights, method, data):
    index = data.draw(st.integers(0, len(weights) - 1))
    share = data.draw(st.integers(0, total))
    free_weights = [w for i, w in enumerate(weights) if i != index]
    assume(sum(free_weights) > 0 or share == total)
    shares = apportion(total, weights, method=method, locked={index: share})
    assert shares[index] == share
    assert sum(shares) == total


# --- any total a user can type (issue 15) -------------------------------------------------


def divisor_priority(method, w, s):
    """weight / d(s), as an exact comparable value (Huntington–Hill squared, d(0) first)."""
    w = Fraction(w)
    if method == "dhondt":
        return (0, w / (s + 1))
    if method == "sainte-lague":
        return (0, w / (s + Fraction(1, 2)))
    if s == 0:
        return (1, w) if w > 0 else (0, Fraction(0))
    return (0, w * w / (s * (s + 1)))


@settings(max_examples=300)
@given(
    total=st.integers(0, 10**12),
    weights=st.lists(st.integers(0, 10**9), min_size=1, max_size=30).filter(lambda ws: sum(ws) > 0),
    method=st.sampled_from(DIVISOR_METHODS),
    minimum=st.integers(0, 10**6),
)
def test_divisor_methods_meet_their_definition_at_any_size(total, weights, method, minimum):
    """No seat by seat possible at 10^12: the answer must satisfy the divisor criterion —
    every seat held beyond the minimum beats every next seat not held — and add up."""
    assume(minimum * len(weights) <= total)
    shares = apportion(total, weights, method=method, minimum=minimum)
    assert sum(shares) == total and min(shares) >= minimum
    best_not_held = max(divisor_priority(method, w, s) for w, s in zip(weights, shares))
    held = [divisor_priority(method, w, s - 1) for w, s in zip(weights, shares) if s > minimum]
    assert not held or min(held) >= best_not_held


@pytest.mark.parametrize("method", METHODS)
def test_the_largest_total_allowed_is_split_exactly(method):
    assert apportion(10**12, [1, 1, 1], method=method) == [333333333334, 333333333333, 333333333333]


@pytest.mark.parametrize("total", [10**12 + 1, 1e30, "1e999", 10**400])
def test_totals_past_the_ceiling_are_refused_in_vietnamese(total):
    with pytest.raises(SplitError, match="quá lớn|không phải"):
        apportion(total, [1, 1, 1], method="dhondt")


def test_a_split_takes_at_most_twenty_thousand_units():
    with pytest.raises(SplitError, match="Quá nhiều trọng số"):
        apportion(10, [1] * 20_001)
