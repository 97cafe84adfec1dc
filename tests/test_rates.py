"""Rates are aggregated from numerators and denominators, never averaged.

Định Hóa (seed 004) asks CPR ≥ 65 % for the district *and* for every commune.
"""

from fractions import Fraction
from statistics import mean

from xladdin.engine.rates import RatePart, aggregate_rate, meets_rate

TARGET = Fraction(65, 100)


def test_district_cpr_is_total_users_over_total_women_not_the_mean_of_communes():
    small_commune = RatePart(numerator=160, denominator=200)  # 80 %
    large_town = RatePart(numerator=1200, denominator=2000)  # 60 %
    district = aggregate_rate([small_commune, large_town])

    assert district.rate == Fraction(1360, 2200)  # 61.8 %
    averaged = mean([small_commune.rate, large_town.rate])
    assert averaged == Fraction(7, 10)  # 70 %: what averaging would claim

    # The difference matters: averaging says the district meets 65 %; it does not.
    assert averaged >= TARGET
    assert meets_rate(district, TARGET) is False


def test_each_commune_is_checked_against_the_target_on_its_own():
    communes = [RatePart(66, 100), RatePart(64, 100), RatePart(0, 0)]
    assert [meets_rate(c, TARGET) for c in communes] == [True, False, None]


def test_aggregation_of_nothing_has_no_rate():
    assert aggregate_rate([]).rate is None
