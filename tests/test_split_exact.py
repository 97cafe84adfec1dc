"""The whole-number steps the plan's split formulas take give `xladdin split`'s shares."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from xladdin.engine.apportion import largest_remainder
from xladdin.engine.split_exact import EXACT_LIMIT, decimals, scaled_weights, split_steps, too_big

weights_with_decimals = st.lists(
    st.builds(Fraction, st.integers(0, 10 ** 7), st.sampled_from([1, 2, 4, 5, 10, 100, 1000])),
    min_size=1, max_size=40,
).filter(lambda ws: sum(ws) > 0)


@given(st.integers(0, 10 ** 6), weights_with_decimals)
def test_the_workbook_steps_equal_largest_remainder(target, weights):
    scaled, d = scaled_weights(weights)
    assert d <= 3 and all(Fraction(s, 10 ** d) == w for s, w in zip(scaled, weights))
    steps = split_steps(target, scaled)
    assert steps.shares == largest_remainder(target, weights)
    assert all(0 <= r < sum(scaled) for r in steps.remainders)
    if not too_big(target, weights):
        assert target * sum(scaled) < EXACT_LIMIT


def test_ties_go_to_the_earlier_unit_and_decimals_are_bounded():
    assert split_steps(1, [125, 125, 125]).shares == [1, 0, 0]
    assert split_steps(2, [1, 3, 1, 3]).shares == [0, 1, 0, 1]
    assert decimals(Fraction(25, 2)) == 1 and decimals(Fraction(1, 3)) is None
    assert scaled_weights([Fraction(1, 10000)]) is None
