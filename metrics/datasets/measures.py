"""The `measures` dataset: every measure in one shape (volume, backlog, time to close, ...)."""

from __future__ import annotations

import duckdb

from metrics.datasets import base as b

SQL = f"""
SELECT jurisdiction, organisation, org_level, service, measure_id, measure, period_start,
       period_end, grain, value, coalesce(marker, CASE WHEN value IS NULL THEN '[x]' END)
           AS value_status,
       numerator, denominator, unit, direction, target, year_earlier, change_on_year,
       source_id
FROM measures
WHERE {b.IN_VIEW}
  AND ($start IS NULL OR period_start >= $start)
  AND ($end IS NULL OR period_start <= last_day($end))
  AND ($source IS NULL OR source_id = $source)
"""  # noqa: S608 (a constant fragment; every value is bound)


def read(f: b.Filters, con: duckdb.DuckDBPyConnection) -> b.Rows:
    """Every measure of the view, to stream."""
    return f.bind(SQL)


DATASET = b.Dataset(
    name="measures",
    title="Every measure, in one shape",
    description=(
        "One row per organisation, service, measure and period: volumes, backlogs, times "
        "to close and every figure the agencies' files carry, judged or not."
    ),
    params=("jurisdiction", "organisation", "from", "to", "source"),
    fields=b.fields(
        b.WHERE, b.ORG, ("org_level", b.S, "organisation, region or total (the area's own figure)"),
        b.SERVICE, ("measure_id", b.S, "Identifier of the measure (see /methodology)"),
        ("measure", b.S, "The measure in words"),
        ("period_start", b.D, "First day of the period"),
        ("period_end", b.D, "Last day of the period"),
        ("grain", b.S, "month or fiscal_year"),
        ("value", b.N, "The figure, in unit", "see unit", "unit"), ("value_status", b.S),
        ("numerator", b.INT, "Cases within a share's standard, where the figure is a share",
         "cases"),
        ("denominator", b.INT, "What the figure is of: cases a share or a median is taken over",
         "cases"),
        ("unit", b.S, "share (0-1), seconds, days or count"),
        ("direction", b.S, "Which way is better: higher, lower, or neither (a volume)"),
        ("target", b.N, "What the figure is read against, in unit: for times to close, the "
         "median target time of the requests closed", "see unit", "unit"),
        ("year_earlier", b.N, "The same figure a year earlier, where held", "see unit", "unit"),
        ("change_on_year", b.N, "value - year_earlier", "see unit", "unit"),
        ("source_id", b.S, "Catalog entry the figure comes from"),
    ),
    read=read,
    streamed=True,
)  # fmt: skip
