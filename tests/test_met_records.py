"""Measures stored at ingest (met_records, spc_points, spc_verdicts) on the bundled real data.

The stored SQL is checked against metrics.records' tested functions on every series, and
against values read off the published England A&E totals by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl
import pytest

from metrics import queries, records
from metrics.series import series_spc

ENGLAND = "nhs-england-england"
AMBULANCE = "nhs-england-ambulance-services-england"
DEC_2024, JUN_2025 = dt.date(2024, 12, 1), dt.date(2025, 6, 1)


def reference(series: pl.DataFrame, month: dt.date, grain: str) -> dict[str, Any]:
    """One met_records row from metrics.records, for a series sorted by period."""
    months = series["month"]
    window = series.filter(months == month if grain == "day" else months <= month)
    upto = series.filter(months <= month)
    statuses, upto_statuses = list(window["status"]), list(upto["status"])
    record = records.met_record(statuses)
    both = window.filter(pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null())
    pooled = records.volume_weighted(list(both["numerator"]), list(both["denominator"]))
    target = upto["target"][-1]
    return {
        "met": record.met,
        "not_met": record.not_met,
        "no_data": record.no_data,
        "not_applicable": record.not_applicable,
        "coverage": record.coverage,
        "pooled": pooled,
        "disagrees": target is not None and records.record_disagrees(record, pooled, target),
        "last_met": records.last_met(list(upto["period_start"]), upto_statuses),
        "current_miss_run": records.current_miss_run(upto_statuses),
        "longest_miss_run": records.longest_miss_run(statuses),
        "judged_ever": any(s in ("met", "not_met") for s in upto_statuses),
    }


def test_stored_records_match_the_reference_functions(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    judged = bundled_con.sql(
        """SELECT org_slug, service, standard_id, grain, period_start, status, numerator,
                  denominator, target,
                  CASE WHEN grain = 'day' THEN date_trunc('month', period_start)::DATE
                       ELSE period_start END AS month
           FROM judgements ORDER BY org_slug, service, standard_id, period_start"""
    ).pl()
    stored = bundled_con.sql("SELECT * FROM met_records").pl()
    key = ["org_slug", "service", "standard_id"]
    checked = 0
    for series in judged.partition_by(key, maintain_order=True):
        rows = stored.join(series.select(key).unique(), on=key).sort("month")
        assert rows["month"].to_list() == series["month"].unique(maintain_order=True).to_list()
        for row in rows.iter_rows(named=True):
            expected = reference(series, row["month"], row["grain"])
            assert {k: row[k] for k in expected} == expected, (row["org_slug"], row["month"])
            checked += 1
    assert checked == stored.height > 9000


def test_england_months_met_record_by_hand(bundled_con: duckdb.DuckDBPyConnection) -> None:
    england = queries.met_records(ENGLAND, bundled_con).filter(
        pl.col("standard_id") == "nhs-ae-4-hours"
    )
    june = england.filter(pl.col("month") == JUN_2025).row(0, named=True)
    # 13 months from June 2024, every one below 95%, none missing.
    assert (june["met"], june["not_met"], june["no_data"], june["judged"]) == (0, 13, 0, 13)
    assert (june["record_from"], june["coverage"], june["last_met"]) == (
        dt.date(2024, 6, 1), 1.0, None,
    )  # fmt: skip
    assert (june["current_miss_run"], june["longest_miss_run"]) == (13, 13)
    december = england.filter(pl.col("month") == DEC_2024).row(0, named=True)
    # 1,668,461 of 2,345,934 attendances within 4 hours: 71.1%, the published headline.
    assert december["value"] == 1668461 / 2345934
    assert round(december["value"] * 100, 1) == 71.1
    assert december["change_on_previous"] == 1668461 / 2345934 - 1671002 / 2314998
    assert december["change_on_year"] is None  # no December 2023 in the files
    assert june["change_on_year"] == 1775669 / 2350478 - 1711109 / 2294065


@pytest.mark.parametrize(
    ("slug", "standard_id", "target"),
    [(ENGLAND, "nhs-ae-4-hours", "95%"), (AMBULANCE, "arp-c1-90th", "15 minutes")],
)
def test_stored_spc_is_the_chart_of_the_series(
    bundled_con: duckdb.DuckDBPyConnection, slug: str, standard_id: str, target: str
) -> None:
    part = queries.judgements(slug, bundled_con).filter(pl.col("standard_id") == standard_id)
    stored = queries.standard_spc(part, bundled_con)
    direct = series_spc(part)
    assert direct is not None
    assert stored is not None and stored.points.equals(direct.points)
    assert (stored.mean, stored.lpl, stored.upl, stored.amr) == (
        direct.mean, direct.lpl, direct.upl, direct.amr,
    )  # fmt: skip
    assert (stored.variation, stored.assurance) == (direct.variation, direct.assurance)
    assert stored.assurance_sentence is not None
    assert stored.assurance_sentence.endswith(f"the target of {target}.")
    assert stored.variation_sentence == direct.variation_sentence
