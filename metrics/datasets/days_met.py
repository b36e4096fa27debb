"""The `days-met` dataset, declared once: its SQL, fields and parameters."""

from __future__ import annotations

import duckdb
import polars as pl

from metrics.datasets.base import (
    INT,
    ORG,
    SERVICE,
    STD,
    WHERE,
    D,
    Dataset,
    Filters,
    Rows,
    S,
    fields,
)
from metrics.wording import days_met_headline

SQL = """
SELECT jurisdiction, organisation, service, standard_id, month, days_met, days_not_met,
       day(last_day(month)) - days_met - days_not_met - days_not_applicable AS days_no_data,
       days_not_applicable, days_met + days_not_met AS days_judged, due, on_time, no_target
FROM days_met
WHERE ($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))
  AND ($service IS NULL OR service_slug = $service)
  AND ($standard IS NULL OR standard_id = $standard)
  AND ($month IS NULL OR month = $month)
ORDER BY jurisdiction, organisation, service, standard_id, month
"""


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """One row per service, standard and month, with the headline sentence the page shows."""
    query = f.bind(SQL)
    frame: pl.DataFrame = con.sql(query.sql, params=query.params).pl()
    lines = [
        days_met_headline(met, judged, month)
        for met, judged, month in frame.select("days_met", "days_judged", "month").iter_rows()
    ]
    return frame.with_columns(pl.Series("headline", lines, dtype=pl.String))


DATASET = Dataset(
    name="days-met",
    title="Days-met records",
    description="One row per service, standard and month: the days-met record and its headline.",
    params=("jurisdiction", "organisation", "service", "month", "standard"),
    fields=fields(
        WHERE, ORG, SERVICE, STD, ("month", D, "First day of the month"),
        ("days_met", INT, "Days met", "days"), ("days_not_met", INT, "Days not met", "days"),
        ("days_no_data", INT, "Days of the month with no figures (e.g. after the data ends)",
         "days"),
        ("days_not_applicable", INT, "Days with nothing due", "days"),
        ("days_judged", INT, "days_met + days_not_met", "days"),
        ("due", INT, "Requests due in the month", "requests"),
        ("on_time", INT, "Requests due in the month closed by their target", "requests"),
        ("no_target", INT, "Requests opened with no target, never judged", "requests"),
        ("headline", S, "The record in words, as the page shows it"),
    ),
    read=read,
    streamed=False,
)  # fmt: skip
