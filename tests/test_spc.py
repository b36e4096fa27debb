"""XmR charts and the Making Data Count rules on textbook series, every answer computed by hand.

Lines for an amr `a` about a mean `m`: limits m ± 2.66a, two-sigma ("near") lines m ± 1.7733a.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from metrics.spc import RULES, Improvement, SpcResult, latest_variation, prefix_variations, spc
from metrics.wording import target_text


def months(n: int) -> list[dt.date]:
    """The first of n consecutive months from January 2024."""
    return [dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(n)]


def chart(
    values: Sequence[float | None],
    improvement: Improvement = "increase",
    target: float | None = None,
    baseline: int | None = None,
) -> SpcResult:
    """The chart of monthly values."""
    periods = months(len(values))
    return spc(periods, values, improvement=improvement, target=target, baseline=baseline)


def flagged(result: SpcResult, column: str) -> list[int]:
    """Positions where a boolean column is set."""
    return [i for i, flag in enumerate(result.points[column]) if flag]


# Alternating 4, 6: mean 5, eleven moving ranges of 2, amr 2, limits 5 ± 5.32 = -0.32 and
# 10.32, near lines 5 ± 3.5467 = 1.4533 and 8.5467. Used as a fixed 12-point baseline.
BASELINE_12 = [4.0, 6.0] * 6


def test_seven_points_above_the_mean_are_a_shift_and_six_below_are_not() -> None:
    values = [6.0, 7, 6, 7, 6, 7, 6, 4, 5, 4, 5, 4, 5, 6]
    result = chart(values)
    # mean = (45 + 27 + 6) / 14 = 39/7 = 5.5714; ranges: six 1s, a 2 (6 -> 4), six 1s = 14 / 13.
    assert result.mean == pytest.approx(39 / 7)
    assert result.amr == pytest.approx(14 / 13)
    assert result.upl == pytest.approx(39 / 7 + 2.66 * 14 / 13)  # 8.4360
    assert result.lpl == pytest.approx(39 / 7 - 2.66 * 14 / 13)  # 2.7068
    # 6s and 7s are above 5.57, 4s and 5s below: 7 above (shift), then 6 below (not), then 1.
    assert flagged(result, "shift") == [0, 1, 2, 3, 4, 5, 6]
    # Nothing reaches the near lines (3.66, 7.48) and the values zig-zag, so no other rule fires.
    for rule in ("outside_limits", "trend", "two_of_three"):
        assert flagged(result, rule) == []
    types = result.points["point_type"].to_list()
    assert types == ["special_cause_improvement"] * 7 + ["common_cause"] * 7
    assert result.variation == "common cause"  # the latest point is common cause
    assert result.variation_sentence == (
        "Common cause variation: the latest points show no significant change."
    )
    assert result.warning is None  # 14 points


def test_a_point_exactly_on_the_mean_breaks_a_run() -> None:
    # Sum 12 + 28 + 5 + 28 + 12 = 85 over 17 points: mean exactly 5, and the middle point is 5.
    values = [4.0, 2, 4, 2, 6, 8, 6, 8, 5, 8, 6, 8, 6, 2, 4, 2, 4]
    result = chart(values)
    assert result.mean == 5.0
    # Ranges 2,2,2,4,2,2,2,3,3,2,2,2,4,2,2,2 = 38 / 16 = 2.375: near lines 0.79 and 9.21.
    assert result.amr == pytest.approx(2.375)
    # Four above, one on the mean, four above: two runs of 4. Skipping the point on the mean
    # would make a run of 8; counting it as above would make 9.
    assert flagged(result, "shift") == []
    assert not any(result.points["special_cause"])
    # Control: with 6 in the middle instead, mean = 86/17 = 5.06 and the 9 points 4..12 are
    # all above it, so they are a shift.
    control = chart([*values[:8], 6.0, *values[9:]])
    assert flagged(control, "shift") == list(range(4, 13))


def test_seven_equal_points_on_the_mean_are_neither_a_shift_nor_a_trend() -> None:
    # Sum 20 + 35 + 20 = 75 over 15: mean 5. Ranges 4,4,4,2, six 0s, 2,4,4,4 = 28/14 = 2.
    result = chart([3.0, 7, 3, 7, 5, 5, 5, 5, 5, 5, 5, 3, 7, 3, 7])
    assert (result.mean, result.amr) == (5.0, 2.0)
    # Seven points on the mean are on neither side; six flat steps neither rise nor fall.
    assert flagged(result, "shift") == []
    assert flagged(result, "trend") == []
    assert not any(result.points["special_cause"])


def test_a_gap_ends_a_shift_and_no_moving_range_spans_it() -> None:
    values: list[float | None] = [6.0, 7, 6, None, 7, 6, 7, 6, 4, 5, 4, 5, 4, 5]
    result = chart(values)
    # 13 observed points: mean = (45 + 27) / 13 = 72/13 = 5.5385.
    assert result.mean == pytest.approx(72 / 13)
    # Ranges 1,1 | 1,1,1,2,1,1,1,1,1: 11 ranges summing 12. Bridging the gap (6 -> 7) would
    # give 12 ranges summing 13.
    assert result.amr == pytest.approx(12 / 11)
    # Seven points above the mean, but three before the gap and four after: no shift.
    assert flagged(result, "shift") == []
    assert not any(result.points["special_cause"])
    gap = result.points.row(3, named=True)
    assert gap["value"] is None
    assert gap["point_type"] is None
    assert gap["period"] == dt.date(2024, 4, 1)
    # Control: the same points without the gap are a 7-point shift.
    no_gap = chart([v for v in values if v is not None])
    assert flagged(no_gap, "shift") == [0, 1, 2, 3, 4, 5, 6]


def test_seven_rising_points_are_a_trend_read_by_direction_not_side() -> None:
    values = [5.0, 3, 5, 3, 1, 2, 3, 4, 5, 6, 7, 4, 3, 5, 4]
    result = chart(values)
    # Sum 16 + 28 + 16 = 60 over 15: mean 4. Ranges 2,2,2,2,1,1,1,1,1,1,3,1,2,1 = 21/14 = 1.5,
    # so limits 4 ± 3.99 (nothing outside) and near lines 1.34 and 6.66.
    assert result.mean == 4.0
    assert result.amr == pytest.approx(1.5)
    # 1,2,3,4,5,6,7 at positions 4..10: 7 points, 6 rises.
    assert flagged(result, "trend") == [4, 5, 6, 7, 8, 9, 10]
    # 1 and 7 are beyond the near lines, but neither has a second such point in any window of
    # three on its side; no run of 7 sits on one side of the mean.
    for rule in ("outside_limits", "shift", "two_of_three"):
        assert flagged(result, rule) == []
    # Points 4..6 are below the mean and 7 is on it, yet a rising trend is improvement when
    # higher is better and concern when lower is: the trend's direction decides.
    types = result.points["point_type"].to_list()
    assert types[4:11] == ["special_cause_improvement"] * 7
    assert types[:4] + types[11:] == ["common_cause"] * 8
    falling_is_better = chart(values, improvement="decrease").points["point_type"].to_list()
    assert falling_is_better[4:11] == ["special_cause_concern"] * 7


@pytest.mark.parametrize(
    "values",
    [
        # 1,2,3,3,5,6,7: the tie splits it into rises of 3 and 4 points.
        [5.0, 3, 5, 3, 1, 2, 3, 3, 5, 6, 7, 4, 3, 5, 4],
        # 2,3,4,5,6,7 after a fall: only 6 rising points.
        [5.0, 3, 5, 3, 2, 3, 4, 5, 6, 7, 4, 3, 5, 4],
        # 1,2,3 | gap | 4,5,6,7: seven rising values, but a gap in the middle.
        [1.0, 2, 3, None, 4, 5, 6, 7, 3, 5, 3, 5, 3],
    ],
    ids=["tie", "six-points", "gap"],
)
def test_a_tie_a_short_run_or_a_gap_is_not_a_trend(values: list[float | None]) -> None:
    result = chart(values)
    # Hand-checked for each: no run of 7 on one side (means 59/15, 59/14, 47/12) and no window
    # of three with two points beyond a near line, so nothing is flagged at all.
    assert flagged(result, "trend") == []
    assert not any(result.points["special_cause"])


def test_a_gap_in_a_rising_run_is_not_bridged_by_moving_ranges() -> None:
    result = chart([1.0, 2, 3, None, 4, 5, 6, 7, 3, 5, 3, 5, 3])
    # Ranges 1,1 | 1,1,1,4,2,2,2,2 = 17 over 10; mean 47/12.
    assert result.amr == pytest.approx(1.7)
    assert result.mean == pytest.approx(47 / 12)


def test_two_of_three_beyond_the_two_sigma_line_on_one_side() -> None:
    after = [9.0, 6, 9, 4, 9, 4, 6, 11, 9, 4, 1, 2, 1]
    result = chart(BASELINE_12 + after, baseline=12)
    assert (result.mean, result.amr) == (5.0, 2.0)  # the first 12 points only
    # Lines: near 1.4533 / 8.5467, limits -0.32 / 10.32. Positions from 12:
    #   12-14: 9, 6, 9 all above, two beyond 8.55 -> 12 and 14 (6 is not beyond, not flagged)
    #   14-16: 9, 4, 9 -> 4 is below the mean, so 16 is not flagged
    #   18-20: 6, 11, 9 all above; 11 is beyond the limit and counts -> 19 and 20
    #   22-24: 1, 2, 1 all below, two beyond 1.45 -> 22 and 24
    assert flagged(result, "two_of_three") == [12, 14, 19, 20, 22, 24]
    assert flagged(result, "outside_limits") == [19]
    assert flagged(result, "special_cause") == [12, 14, 19, 20, 22, 24]
    types = result.points["point_type"].to_list()
    assert [types[i] for i in (12, 14, 19, 20)] == ["special_cause_improvement"] * 4
    assert [types[i] for i in (22, 24)] == ["special_cause_concern"] * 2
    assert result.variation == "concern"  # the latest point is low and higher is better
    assert result.variation_sentence == (
        "Special cause variation: the latest points show a cause for concern."
    )


def test_points_outside_the_limits_read_against_the_improvement_direction() -> None:
    result = chart([*BASELINE_12, 11.0, 6, -1], baseline=12, improvement="decrease")
    # 11 > 10.32 and -1 < -0.32; 6 is inside. 11, 6, -1 straddle the mean: no two-of-three.
    assert flagged(result, "outside_limits") == [12, 14]
    assert flagged(result, "two_of_three") == []
    types = result.points["point_type"].to_list()
    assert types[12:] == ["special_cause_concern", "common_cause", "special_cause_improvement"]
    assert result.variation == "improvement"
    assert result.variation_sentence == (
        "Special cause variation: the latest points show improvement."
    )


def test_one_huge_moving_range_is_screened_out_of_the_limits() -> None:
    values = [2.0, 8] * 6 + [2.0, 30]
    result = chart(values)
    # mean = (7*2 + 6*8 + 30) / 14 = 92/14 = 46/7 = 6.5714.
    # Ranges: twelve 6s and one 28: amr 100/13 = 7.692; 3.267 * 7.692 = 25.13 <= 28, so 28 is
    # dropped and amr = 72/12 = 6. Limits 46/7 ± 15.96 (unscreened they would be ± 20.46).
    assert result.mean == pytest.approx(46 / 7)
    assert result.amr == pytest.approx(6.0)
    assert result.upl == pytest.approx(22.531428571)
    assert result.lpl == pytest.approx(-9.388571429)
    points = result.points
    assert points["near_upper"][0] == pytest.approx(46 / 7 + 2 * 2.66 / 3 * 6)  # 17.2114
    assert points["near_lower"][0] == pytest.approx(46 / 7 - 2 * 2.66 / 3 * 6)  # -4.0686
    assert flagged(result, "outside_limits") == [13]
    assert flagged(result, "special_cause") == [13]
    assert result.variation == "improvement"
    neutral = chart(values, improvement="neutral", target=10)
    assert neutral.points["point_type"][13] == "special_cause_neutral"
    assert neutral.variation == "neutral"
    assert neutral.assurance is None  # no passing side when neither direction is better
    assert neutral.assurance_sentence is None


def test_fewer_than_12_points_give_a_warning() -> None:
    assert chart(BASELINE_12).warning is None
    eleven = chart(BASELINE_12[:11])
    assert eleven.warning == (
        "The limits are based on only 11 points; at least 12 are needed, "
        "so treat them as provisional."
    )
    # 12 periods but one is a gap: 11 values set the limits.
    assert chart([None, *BASELINE_12[1:]]).warning == eleven.warning
    # A short baseline warns however long the series.
    assert chart(BASELINE_12 * 2, baseline=8).warning == (
        "The limits are based on only 8 points; at least 12 are needed, "
        "so treat them as provisional."
    )


@pytest.mark.parametrize(
    ("target", "improvement", "assurance", "sentence"),
    [
        # Limits -0.32 and 10.32.
        (-1.0, "increase", "consistently passes", "consistently pass the target of -1."),
        (11.0, "increase", "consistently fails", "consistently fail the target of 11."),
        (
            95.5,
            "decrease",
            "consistently passes",
            "consistently pass the target of 95.5.",
        ),
        (
            5.0,
            "increase",
            "hit and miss",
            "sometimes pass and sometimes fail the target of 5.",
        ),
        (10.0, "decrease", "hit and miss", "sometimes pass and sometimes fail the target of 10."),
        (-1.0, "decrease", "consistently fails", "consistently fail the target of -1."),
    ],
)
def test_assurance_against_a_target(
    target: float, improvement: Improvement, assurance: str, sentence: str
) -> None:
    result = chart(BASELINE_12, target=target, improvement=improvement)
    assert result.lpl == pytest.approx(-0.32)
    assert result.upl == pytest.approx(10.32)
    assert result.assurance == assurance
    assert result.assurance_sentence == f"The process will {sentence}"


def test_no_target_no_assurance() -> None:
    result = chart(BASELINE_12)
    assert (result.assurance, result.assurance_sentence) == (None, None)


def test_the_points_frame_has_the_promised_columns() -> None:
    points = chart([*BASELINE_12, None]).points
    assert points.schema == pl.Schema(
        {
            "period": pl.Date,
            "value": pl.Float64,
            "mean": pl.Float64,
            "lpl": pl.Float64,
            "upl": pl.Float64,
            "near_lower": pl.Float64,
            "near_upper": pl.Float64,
            "outside_limits": pl.Boolean,
            "shift": pl.Boolean,
            "trend": pl.Boolean,
            "two_of_three": pl.Boolean,
            "special_cause": pl.Boolean,
            "point_type": pl.String,
        }
    )
    assert points["mean"].to_list() == [5.0] * 13  # the lines carry on across the gap


def test_a_series_with_no_values_is_refused() -> None:
    with pytest.raises(ValueError, match="no values"):
        chart([None, None, None])
    with pytest.raises(ValueError, match="3 periods but 2 values"):
        spc(months(3), [1.0, 2.0])


values_with_gaps = st.lists(
    st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)),
    max_size=40,
).filter(lambda values: any(v is not None for v in values))


@given(values_with_gaps)
def test_flags_are_never_set_on_gaps_and_every_period_is_kept(values: list[float | None]) -> None:
    points = chart(values).points
    assert points.height == len(values)
    assert points["period"].to_list() == months(len(values))
    for i, value in enumerate(values):
        row = points.row(i, named=True)
        rules = [row[rule] for rule in RULES]
        assert row["special_cause"] == any(rules)
        if value is None:
            assert not any(rules)
            assert row["point_type"] is None
        else:
            assert (row["point_type"] == "common_cause") == (not row["special_cause"])


@pytest.mark.parametrize(
    ("target", "unit", "words"),
    [
        (0.95, "share", "95%"),
        (0.78, "share", "78%"),
        (0.955, "share", "95.5%"),
        (900.0, "seconds", "15 minutes"),
        (60.0, "seconds", "1 minute"),
        (7200.0, "seconds", "120 minutes"),
        (90.5, "seconds", "90.5 seconds"),
        (5.0, None, "5"),
    ],
)
def test_targets_are_worded_in_their_unit(target: float, unit: str | None, words: str) -> None:
    assert target_text(target, unit) == words


def test_the_assurance_sentence_gives_the_target_in_its_unit() -> None:
    # Shares 0.80, 0.82, ...: mean 0.81, amr 0.02, upper limit 0.8632, short of 0.95.
    shares = spc(months(12), [0.80, 0.82] * 6, target=0.95, unit="share")
    assert shares.assurance_sentence == "The process will consistently fail the target of 95%."
    # 800 s, 1000 s, ...: mean 900, amr 200, limits 900 ± 532, so 900 s is hit and miss.
    seconds = [800.0, 1000.0] * 6
    times = spc(months(12), seconds, improvement="decrease", target=900.0, unit="seconds")
    assert times.assurance_sentence == (
        "The process will sometimes pass and sometimes fail the target of 15 minutes."
    )


@given(
    st.lists(st.one_of(st.none(), st.integers(0, 6).map(float)), min_size=1, max_size=40),
    st.floats(0, 6, allow_nan=False),
    st.sampled_from(["increase", "decrease"]),
)
def test_the_latest_variation_alone_is_the_charts(
    values: list[float | None], last: float, improvement: Improvement
) -> None:
    # The league reads only the latest point's variation: from the last 7 points against limits
    # from all of them, it must equal what the whole chart says (small integers make ties,
    # runs and trends common).
    series = [*values, last]
    if sum(v is not None for v in series) < 2:
        assert latest_variation(series, improvement) is None
        return
    whole = spc(months(len(series)), series, improvement=improvement)
    assert latest_variation(series, improvement) == whole.variation


def test_prefix_variations_equal_latest_variation_on_every_prefix(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # Every monthly series of the bundled warehouse (gaps where a month has no figure), and a
    # made-up one with a gap, a range far past 3.267 times the average and a flat start.
    rows = bundled_con.sql(
        """SELECT list(value ORDER BY period_start) FROM judgements
           WHERE grain = 'month' AND org_level = 'organisation'
           GROUP BY jurisdiction, standard_id, org_slug"""
    ).fetchall()
    made_up: list[float | None] = [5, 5, 5, None, 6, 40, 7, 6.5, None, None, 6, 5, 4, 3, 2, 1]
    series = [list(r[0]) for r in rows] + [made_up]
    assert len(series) > 500  # 807 on the bundled data
    for values in series:
        for improvement in ("increase", "decrease"):  # type: Improvement
            slow = [latest_variation(values[: i + 1], improvement) for i in range(len(values))]
            assert prefix_variations(values, improvement) == slow
