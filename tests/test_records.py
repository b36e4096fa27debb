"""Series measures, on hand-made series with answers counted by hand."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from metrics.records import (
    changes,
    current_miss_run,
    last_met,
    longest_miss_run,
    met_record,
    record_disagrees,
    volume_weighted,
)

M, X, N, Z = "met", "not_met", "no_data", "not_applicable"


def test_met_record_and_coverage() -> None:
    record = met_record([M, X, X, Z, N, M, X])
    assert (record.met, record.not_met, record.no_data, record.not_applicable) == (2, 3, 1, 1)
    assert record.judged == 5
    assert record.coverage == 5 / 6
    assert met_record([Z, Z]).coverage is None


def test_last_met() -> None:
    days = [dt.date(2015, 7, d) for d in range(1, 6)]
    assert last_met(days, [M, X, M, X, Z]) == dt.date(2015, 7, 3)
    assert last_met(days, [X, X, Z, N, X]) is None


def test_runs_pass_over_not_applicable_and_end_at_no_data() -> None:
    # X X Z X | M | X X N X X: runs of 3 (Z passed over), then 2, then 2 after no data.
    series = [X, X, Z, X, M, X, X, N, X, X]
    assert longest_miss_run(series) == 3
    assert current_miss_run(series) == 2
    assert current_miss_run([X, X, M]) == 0
    assert current_miss_run([X, X, Z, Z]) == 2


def test_volume_weighted_can_disagree_with_the_days_met_record() -> None:
    # Day 1: 100 of 100 on time (met); days 2-3: 8 of 10 each (missed at 95%).
    # Pooled: 116 / 120 = 96.7% >= 95%, yet only 1 of 3 days met.
    weighted = volume_weighted([100, 8, 8], [100, 10, 10])
    assert weighted == 116 / 120
    record = met_record([M, X, X])
    assert record_disagrees(record, weighted, 0.95)
    assert not record_disagrees(met_record([M, M, X]), weighted, 0.95)
    assert volume_weighted([], []) is None


def test_changes_on_previous_period_and_a_year_earlier() -> None:
    values = {
        dt.date(2024, 6, 1): 0.70,
        dt.date(2025, 5, 1): 0.75,
        dt.date(2025, 6, 1): 0.76,
    }
    prev, year = changes(values, dt.date(2025, 6, 1), dt.date(2025, 5, 1))
    assert prev is not None and round(prev, 6) == 0.01
    assert year is not None and round(year, 6) == 0.06
    assert changes(values, dt.date(2025, 5, 1), dt.date(2025, 4, 1)) == (None, None)


@given(st.lists(st.sampled_from([M, X, N, Z]), max_size=40))
def test_verdicts_add_up_to_the_periods(statuses: list[str]) -> None:
    record = met_record(statuses)
    assert record.met + record.not_met + record.no_data + record.not_applicable == len(statuses)
    assert 0 <= current_miss_run(statuses) <= longest_miss_run(statuses) <= record.not_met
