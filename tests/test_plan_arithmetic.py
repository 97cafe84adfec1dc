"""Còn lại, Chỉ tiêu đợt, % đạt and the split check, as an officer computes them."""

from fractions import Fraction

import pytest
from xladdin.engine.plan import (
    check_split,
    pct_done,
    remaining,
    remaining_shown,
    round_target,
)
from xladdin.errors import InputError


def test_remaining_keeps_the_raw_value_and_shows_at_least_zero():
    assert remaining(46, 25) == 21  # Phường 2, long-acting methods
    assert remaining(120, 125) == -5
    assert remaining_shown(120, 125) == 0


def test_hai_phong_campaign_asks_half_of_the_clinical_target_rounded_up():
    # "Phấn đấu hoàn thành 50% trở lên": 50 % of 45 is 22.5 → 23, never 22.
    assert round_target(45, 0, Fraction(1, 2)) == 23
    assert round_target(44, 0, 0.5) == 22


def test_social_marketing_forty_percent_is_exact_not_float_rounded():
    # 10 × 0.4 in floats is 4.000000000000001, which a naive ceil turns into 5.
    assert round_target(10, 0, 0.4) == 4
    assert round_target(1001, 0, 0.4) == 401


def test_round_target_counts_what_was_already_done_and_never_goes_below_zero():
    assert round_target(46, 25) == 21  # the whole remainder
    assert round_target(100, 30, 0.5) == 20
    assert round_target(100, 80, 0.5) == 0


def test_pct_done_is_exact_and_blank_without_target():
    assert pct_done(3, 4) == Fraction(3, 4)
    assert pct_done(5, 0) is None


def test_check_split_finds_the_published_phuong_2_error():
    check = check_split(25, [4, 5, 6, 3, 12])
    assert not check.ok
    assert check.difference == 5
    assert check.message() == "Thừa 5"
    assert check_split(10, [1, 2, 2, 1, 4]).message() == "Khớp"
    assert check_split(10, [1, 2]).message() == "Thiếu 7"


def test_negative_share_ratio_is_refused():
    with pytest.raises(InputError, match="không được âm"):
        round_target(10, 0, -0.5)
