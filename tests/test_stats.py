"""Wilson intervals, proportion funnels and tied ranks against hand-worked values."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.stats import (
    Funnel,
    _winsorise,
    funnel_band,
    funnel_limit,
    funnel_limits,
    funnel_table,
    rank_with_ties,
    wilson_interval,
)

# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe RG (1998), "Two-sided confidence intervals for the single proportion:
        # comparison of seven methods", Stat Med 17:857-872, worked examples, method 3
        # (score interval without continuity correction), 95%.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe(successes: int, trials: int, low: float, high: float) -> None:
    lower, upper = wilson_interval(successes, trials)
    assert round(lower, 4) == low
    assert round(upper, 4) == high


def test_wilson_half_of_ten_by_hand() -> None:
    # z = 1.959964, z^2 = 3.841459; centre = (0.5 + 3.841459/20) / (1 + 0.384146) = 0.5;
    # half = sqrt(3.841459 * 0.025 + 3.841459^2 / 400) / 1.384146
    #      = sqrt(0.096036 + 0.036892) / 1.384146 = 0.364594 / 1.384146 = 0.263407
    lower, upper = wilson_interval(5, 10)
    assert lower == pytest.approx(0.5 - 0.263407, abs=1e-6)
    assert upper == pytest.approx(0.5 + 0.263407, abs=1e-6)


def test_wilson_ends_are_exactly_zero_and_one() -> None:
    assert wilson_interval(0, 20)[0] == 0.0
    assert wilson_interval(20, 20)[1] == 1.0
    # At 0/n the upper limit is z^2 / (n + z^2) = 3.841459 / 23.841459 = 0.161125;
    # n/n mirrors it: lower = 1 - 0.161125 = 0.838875.
    assert wilson_interval(0, 20)[1] == pytest.approx(0.161125, abs=1e-6)
    assert wilson_interval(20, 20)[0] == pytest.approx(0.838875, abs=1e-6)


@pytest.mark.parametrize(("successes", "trials"), [(0, 0), (3, 0), (-1, 10), (11, 10)])
def test_wilson_refuses_impossible_counts(successes: int, trials: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(successes, trials)


@given(st.integers(1, 10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_proportion_inside_zero_one(count: tuple[int, int]) -> None:
    successes, trials = count
    lower, upper = wilson_interval(successes, trials)
    assert 0.0 <= lower <= successes / trials <= upper <= 1.0


# --------------------------------------------------------------------------- funnel
#
# Worked example: five organisations, x/n = 30/100, 45/150, 80/200, 20/100, 90/250.
#
# target  = 265 / 800 = 0.331250;  centre = asin(sqrt(0.331250)) = asin(0.575543) = 0.613268
# y_i     = asin(sqrt(p_i)): 0.3 -> asin(0.547723) = 0.579640; 0.4 -> asin(0.632456) = 0.684719;
#           0.2 -> asin(0.447214) = 0.463648;  0.36 -> asin(0.6) = 0.643501
# z_i     = (y_i - centre) * 2 sqrt(n_i):
#   A 30/100   -0.033629 * 20        = -0.672570
#   B 45/150   -0.033629 * 24.494897 = -0.823727
#   C 80/200    0.071451 * 28.284271 =  2.020938
#   D 20/100   -0.149621 * 20        = -2.992413
#   E 90/250    0.030233 * 31.622777 =  0.956047
# Winsorise at R's type-7 10% and 90% quantiles of the 5 sorted z (positions 1 + 4q):
#   q10 at 1.4: -2.992413 + 0.4 * (-0.823727 + 2.992413) = -2.124939
#   q90 at 4.6:  0.956047 + 0.6 * ( 2.020938 - 0.956047) =  1.594981
#   winsorised z = -0.672570, -0.823727, 1.594981, -2.124939, 0.956047
# phi = (0.452351 + 0.678527 + 2.543965 + 4.515365 + 0.914025) / 5 = 9.104232 / 5 = 1.820846
#   (without Winsorising it would be 15.083628 / 5 = 3.016726)
# w_i = 1 / s_i^2 = 4 n_i: sum w = 3200; sum w^2 = 16 * 145000 = 2320000; 2320000/3200 = 725
# tau2 = (5 * 1.820846 - 4) / (3200 - 725) = 5.104232 / 2475 = 0.002062
#
# Limits at n = 100: s^2 + tau2 = 0.0025 + 0.002062 = 0.004562, sqrt = 0.067545
#   95%:   spread = 1.959964 * 0.067545 = 0.132386; angles 0.480883, 0.745654
#          -> sin^2: (0.213964, 0.460298)
#   99.8%: spread = 3.090232 * 0.067545 = 0.208729; angles 0.404539, 0.821998
#          -> sin^2: (0.154917, 0.536567)
WORKED_X = [30, 45, 80, 20, 90]
WORKED_N = [100, 150, 200, 100, 250]


def test_worked_example_target_phi_tau2() -> None:
    funnel = funnel_limits(WORKED_X, WORKED_N)
    assert funnel.target == 0.33125
    assert funnel.phi == pytest.approx(1.820846, abs=1e-6)
    assert funnel.tau2 == pytest.approx(0.002062316, abs=1e-9)
    assert funnel.overdispersed is True


def test_worked_example_winsorised_z_scores() -> None:
    z = [-0.672570, -0.823727, 2.020938, -2.992413, 0.956047]
    expected = [-0.672570, -0.823727, 1.594981, -2.124939, 0.956047]
    assert _winsorise(z) == pytest.approx(expected, abs=1e-6)


def test_worked_example_limits_at_n_100() -> None:
    funnel = funnel_limits(WORKED_X, WORKED_N)
    assert funnel_limit(100, funnel, 0.95) == pytest.approx((0.213964, 0.460298), abs=1e-6)
    assert funnel_limit(100, funnel, 0.998) == pytest.approx((0.154917, 0.536567), abs=1e-6)


def test_bands_use_the_998_limits() -> None:
    # D is 20/100 = 0.2: below the 95% lower limit 0.213964, inside the 99.8% one 0.154917.
    funnel = funnel_limits(WORKED_X, WORKED_N)
    assert funnel_band(20, 100, funnel, level=0.95) == "below expected"
    assert funnel_band(20, 100, funnel) == "within expected range"


def test_lower_limit_is_clamped_on_the_angle_scale() -> None:
    # At n = 5: s^2 + tau2 = 0.05 + 0.002062 = 0.052062, sqrt = 0.228172.
    # 95%:   spread 0.447208; angles 0.166060, 1.060477 -> (0.027323, 0.761410)
    # 99.8%: spread 0.705104; lower angle 0.613268 - 0.705104 = -0.091835 < 0 -> 0, where
    #        FunnelPlotR's sin^2 would fold it back up to 0.008410; upper angle 1.318372 ->
    #        0.937624.
    funnel = funnel_limits(WORKED_X, WORKED_N)
    assert funnel_limit(5, funnel, 0.95) == pytest.approx((0.027323, 0.761410), abs=1e-6)
    assert funnel_limit(5, funnel, 0.998) == pytest.approx((0.0, 0.937624), abs=1e-6)
    assert funnel_band(0, 5, funnel) == "within expected range"


def test_phi_at_most_one_gives_no_tau2() -> None:
    # 24/100, 30/100, 36/100: target 90/300 = 0.3, centre asin(0.547723) = 0.579640.
    # y = asin(0.489898) = 0.511973, 0.579640, asin(0.6) = 0.643501; 2 sqrt(n) = 20
    # z = -1.353341, 0, 1.277227; type-7 q10 at position 1.2: -1.353341 + 0.2 * 1.353341
    #   = -1.082673; q90 at 2.8: 0.8 * 1.277227 = 1.021782
    # phi = (1.172180 + 0 + 1.044038) / 3 = 0.738739 (0.738740 unrounded) <= 1 -> tau2 = 0.
    # (FunnelPlotR would still add tau2 = (3 * 0.738740 - 2) / (1200 - 400) = 0.000270,
    # because it only zeroes tau2 when k * phi < k - 1.)
    funnel = funnel_limits([24, 30, 36], [100, 100, 100])
    assert funnel.target == pytest.approx(0.3, abs=1e-15)
    assert funnel.phi == pytest.approx(0.738740, abs=1e-6)
    assert funnel.tau2 == 0.0
    assert funnel.overdispersed is False
    # Plain binomial limits at n = 100, 95%: spread 1.959964 / 20 = 0.097998;
    # angles 0.481642, 0.677638 -> sin^2 (0.214586, 0.393072)
    assert funnel_limit(100, funnel, 0.95) == pytest.approx((0.214586, 0.393072), abs=1e-6)


def test_overdispersion_off_keeps_phi_but_not_tau2() -> None:
    funnel = funnel_limits(WORKED_X, WORKED_N, overdispersion=False)
    assert funnel.phi == pytest.approx(1.820846, abs=1e-6)
    assert (funnel.tau2, funnel.overdispersed) == (0.0, False)


def test_given_target_replaces_the_pooled_one() -> None:
    # Target 0.5: centre pi/4 = 0.785398, so z_i = (y_i - 0.785398) * 2 sqrt(n_i)
    #   = -4.115168, -5.040031, -2.847631, -6.435011, -4.487179 (A-E)
    # q10 at 1.4: -6.435011 + 0.4 * 1.394980 = -5.877019; q90 at 4.6: -4.115168 + 0.6 *
    #   1.267537 = -3.354646; winsorised squares 16.934611, 25.401917, 11.253650, 34.539355,
    #   20.134774 -> phi = 108.264307 / 5 = 21.652861; tau2 = 104.264307 / 2475 = 0.042127
    funnel = funnel_limits(WORKED_X, WORKED_N, target=0.5)
    assert funnel.target == 0.5
    assert funnel.phi == pytest.approx(21.652861, abs=1e-6)
    assert funnel.tau2 == pytest.approx(0.042127, abs=1e-6)


# A hand-built funnel at target 0.5 with no overdispersion: sin^2(pi/4 +- d) = (1 +- sin 2d)/2,
# and at n = 100, 2d = z / sqrt(100). 99.8%: sin(0.309023) = 0.304128 -> (0.347936, 0.652064);
# 95%: sin(0.195996) = 0.194744 -> (0.402628, 0.597372).
HALF = Funnel(target=0.5, phi=1.0, tau2=0.0, overdispersed=False)


def test_half_target_limits_by_hand() -> None:
    assert funnel_limit(100, HALF, 0.998) == pytest.approx((0.347936, 0.652064), abs=1e-6)
    assert funnel_limit(100, HALF, 0.95) == pytest.approx((0.402628, 0.597372), abs=1e-6)


@pytest.mark.parametrize(
    ("x", "band"),
    [
        (66, "above expected"),
        (65, "within expected range"),
        (50, "within expected range"),
        (35, "within expected range"),
        (34, "below expected"),
    ],
)
def test_band_either_side_of_the_998_limits(x: int, band: str) -> None:
    assert funnel_band(x, 100, HALF) == band


def test_one_clear_outlier_each_way_among_similar_organisations() -> None:
    numerators = [495, 505, 490, 510, 500, 800, 200, 502]
    funnel = funnel_limits(numerators, [1000] * 8)
    bands = [funnel_band(x, 1000, funnel) for x in numerators]
    assert bands == ["within expected range"] * 5 + ["above expected", "below expected"] + [
        "within expected range"
    ]


@pytest.mark.parametrize(
    ("numerators", "denominators"),
    [([], []), ([1], [1, 2]), ([3], [2]), ([-1], [2]), ([0], [0])],
)
def test_funnel_refuses_bad_counts(numerators: list[int], denominators: list[int]) -> None:
    with pytest.raises(ValueError):
        funnel_limits(numerators, denominators)


def test_funnel_table_marks_small_denominators_and_leaves_them_out() -> None:
    # F (5/5) is below min_denominator: marked [u], no band, but its limits are drawn from
    # the funnel of A-E alone (values from test_lower_limit_is_clamped_on_the_angle_scale).
    # Had it been included the target would be 270/805, not 0.331250, and every limit moves.
    frame = pl.DataFrame(
        {
            "org": ["A", "B", "C", "D", "E", "F", "G"],
            "on_time": [*WORKED_X, 5, None],
            "due": [*WORKED_N, 5, 120],
        },
        schema={"org": pl.String, "on_time": pl.Int64, "due": pl.Int64},
    )
    table = funnel_table(frame, "on_time", "due", min_denominator=50)
    assert table.height == 7
    assert table["org"].to_list() == ["A", "B", "C", "D", "E", "F", "G"]
    assert table["reliability"].to_list() == [None] * 5 + ["[u]", None]
    assert table["band"].to_list() == ["within expected range"] * 5 + [None, None]
    row_a, row_f = table.row(0, named=True), table.row(5, named=True)
    assert (row_a["lower_95"], row_a["upper_95"]) == pytest.approx((0.213964, 0.460298), abs=1e-6)
    assert (row_a["lower_998"], row_a["upper_998"]) == pytest.approx((0.154917, 0.536567), abs=1e-6)
    assert (row_f["lower_95"], row_f["upper_95"]) == pytest.approx((0.027323, 0.761410), abs=1e-6)
    assert (row_f["lower_998"], row_f["upper_998"]) == pytest.approx((0.0, 0.937624), abs=1e-6)


def test_funnel_table_with_every_organisation_too_small() -> None:
    frame = pl.DataFrame({"x": [1, 2], "n": [3, 4]})
    table = funnel_table(frame, "x", "n", min_denominator=10)
    assert table["reliability"].to_list() == ["[u]", "[u]"]
    assert table["band"].to_list() == [None, None]
    assert table["upper_998"].to_list() == [None, None]


def test_funnel_table_band_flags_the_outliers() -> None:
    frame = pl.DataFrame({"x": [495, 505, 490, 510, 500, 800, 200, 502], "n": [1000] * 8})
    bands = funnel_table(frame, "x", "n", min_denominator=100)["band"].to_list()
    assert bands[5:7] == ["above expected", "below expected"]


@given(
    target=st.floats(0.0, 1.0),
    n=st.integers(1, 10**9),
    tau2=st.floats(0.0, 1.0),
    level=st.sampled_from([0.8, 0.95, 0.998]),
)
def test_funnel_limits_bracket_the_target(target: float, n: int, tau2: float, level: float) -> None:
    funnel = Funnel(target=target, phi=1.0, tau2=tau2, overdispersed=tau2 > 0)
    lower, upper = funnel_limit(n, funnel, level)
    assert 0.0 <= lower <= target <= upper <= 1.0


@given(
    st.lists(
        st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
        min_size=1,
        max_size=30,
    )
)
def test_funnel_998_limits_hold_the_95_limits(counts: list[tuple[int, int]]) -> None:
    funnel = funnel_limits([x for x, _ in counts], [n for _, n in counts])
    assert funnel.tau2 >= 0.0 and funnel.overdispersed == (funnel.tau2 > 0)
    for _, n in counts:
        low95, high95 = funnel_limit(n, funnel, 0.95)
        low998, high998 = funnel_limit(n, funnel, 0.998)
        assert low998 <= low95 <= funnel.target <= high95 <= high998


# --------------------------------------------------------------------------- ranks


def test_competition_ranks_highest_first() -> None:
    assert rank_with_ties([0.9, 0.8, 0.8, 0.7]) == [1, 2, 2, 4]
    assert rank_with_ties([3.0, None, 5.0, 5.0, 1.0]) == [3, None, 1, 1, 4]
    assert rank_with_ties([2.0, 2.0, 2.0]) == [1, 1, 1]


def test_ranks_of_nothing() -> None:
    assert rank_with_ties([]) == []
    assert rank_with_ties([None, math.nan, 1.0]) == [None, None, 1]
