"""The days-met definition on a hand-made fixture, every answer computed by hand."""

from __future__ import annotations

import datetime as dt

import duckdb

from metrics import queries
from metrics.wording import summary_sentences

MARCH = dt.date(2015, 3, 1)
PWD = "boston-public-works-department"
TTD = "boston-transportation-traffic-division"


def statuses(con: duckdb.DuckDBPyConnection, slug: str) -> dict[int, str]:
    days = queries.service_days(slug, MARCH, con)
    return {d.day: s for d, s in zip(days["day"], days["status"], strict=True)}


def test_each_day_is_judged_as_defined(mini_con: duckdb.DuckDBPyConnection) -> None:
    # data_as_of is 10 Mar 12:00 (the latest close), so the series stops on 10 March.
    assert statuses(mini_con, PWD) == {
        1: "not_applicable",  # nothing due
        2: "not_met",  # 1 of 2 on time
        3: "not_applicable",
        4: "met",  # closed exactly at its target counts as on time
        5: "not_met",  # still open past its target
        6: "met",  # 19 of 20 = exactly 95%
        7: "not_met",  # 18 of 19 = 94.7%
        8: "not_applicable",
        9: "not_applicable",
        10: "not_applicable",
    }


def test_days_met_record_and_headline(mini_con: duckdb.DuckDBPyConnection) -> None:
    record = queries.days_met_records(PWD, MARCH, mini_con).row(0, named=True)
    assert record["service"] == "Street Light Outages"
    assert (record["days_met"], record["days_not_met"], record["days_not_applicable"]) == (2, 3, 5)
    assert (record["due"], record["on_time"], record["no_target"]) == (43, 39, 1)
    assert record["headline"] == "Met its standard on 2 of 5 days in March 2015"


def test_due_after_data_as_of_is_never_judged(mini_con: duckdb.DuckDBPyConnection) -> None:
    # Sign Repair: met on 2 March, missed on 9 March; the request due 12 March is beyond
    # data_as_of and is not in the series at all.
    assert statuses(mini_con, TTD) == {
        **dict.fromkeys(range(1, 11), "not_applicable"),
        2: "met",
        9: "not_met",
    }
    days = queries.service_days(TTD, MARCH, mini_con)
    assert days["due"].sum() == 2


def test_league_pools_service_days(mini_con: duckdb.DuckDBPyConnection) -> None:
    league = queries.league_table("Boston", MARCH, mini_con)
    # 1 of 2 and 2 of 5 service-days: both below the default minimum of 10 judged periods,
    # so both are kept, marked low reliability [u], and neither ranked nor banded.
    assert league.select(
        "organisation", "periods_met", "periods_judged", "rank", "band", "reliability"
    ).rows() == [
        ("Public Works Department", 2, 5, None, None, "[u]"),
        ("Transportation - Traffic Division", 1, 2, None, None, "[u]"),
    ]
    assert league["share_met"].to_list() == [0.4, 0.5]


def test_unreadable_rows_are_rejected_and_reconciled(mini_con: duckdb.DuckDBPyConnection) -> None:
    load = mini_con.sql("SELECT rows_read, rows_loaded, rows_rejected FROM loads").fetchall()
    assert load == [(49, 47, 2)]
    rejects = mini_con.sql(
        "SELECT file_name, row_number, column_name, value, reason FROM rejects ORDER BY row_number"
    ).fetchall()
    assert rejects == [
        ("cases.csv", 49, "OPEN_DT", "13/45/2015 10:00:00 AM", "missing or unreadable open time"),
        ("cases.csv", 50, "CASE_ENQUIRY_ID", None, "missing case id"),
    ]


def test_service_summary_measures(mini_con: duckdb.DuckDBPyConnection) -> None:
    # Street Light Outages, 1-10 March: n/a, miss, n/a, met, miss, met, miss, n/a, n/a, n/a.
    row = queries.service_summaries(PWD, MARCH, mini_con).row(0, named=True)
    assert row["service"] == "Street Light Outages"
    assert row["pooled"] == 39 / 43
    assert row["disagrees"] is False  # 90.7% < 95% and 2 of 5 days met: both say missed
    assert row["last_met"] == dt.date(2015, 3, 6)
    assert row["current_miss_run"] == 1  # 7 March; the n/a days after it are passed over
    assert row["longest_miss_run"] == 1
    assert row["coverage"] == 1.0
    assert summary_sentences(row, 0.95) == [
        "Over the whole month, 91% of requests due were closed on time, which falls short "
        "of the 95% standard.",
        "Standard last met on 6 March 2015.",
        "Missed on the latest judged day.",
        "Longest run of days missed this month: 1.",
    ]
