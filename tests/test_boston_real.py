"""The bundled real Boston 311 file gives the published check value."""

from __future__ import annotations

import datetime as dt

import duckdb

from metrics import queries


def test_street_light_outages_july_2015(bundled_con: duckdb.DuckDBPyConnection) -> None:
    records = queries.days_met_records(
        "boston-public-works-department", dt.date(2015, 7, 1), bundled_con
    )
    row = records.filter(records["service"] == "Street Light Outages").row(0, named=True)
    assert (row["days_met"], row["days_not_met"], row["days_not_applicable"]) == (1, 22, 8)
    assert row["headline"] == "Met its standard on 1 of 23 days in July 2015"


def test_every_bundled_row_is_loaded_or_rejected(bundled_con: duckdb.DuckDBPyConnection) -> None:
    totals = bundled_con.sql(
        "SELECT count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected) FROM loads "
        "WHERE source_id = 'boston-311'"
    ).fetchall()
    assert totals == [(16, 46505, 46505, 0)]
    cases = "SELECT count(*) FROM cases WHERE source_id = 'boston-311'"
    assert bundled_con.sql(cases).fetchall() == [(46505,)]


def test_league_uses_subject_not_queue_codes(bundled_con: duckdb.DuckDBPyConnection) -> None:
    league = queries.league_table("Boston", dt.date(2015, 7, 1), bundled_con)
    assert sorted(league["organisation"]) == [
        "Boston Water & Sewer Commission",
        "Inspectional Services",
        "Parks & Recreation Department",
        "Property Management",
        "Public Works Department",
        "Transportation - Traffic Division",
    ]
