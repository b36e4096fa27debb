"""The `records` dataset, declared once: its SQL, fields and parameters."""

from __future__ import annotations

import duckdb

from metrics.datasets.base import (
    INT,
    ORG,
    SERVICE,
    SET_BY,
    STD,
    WHERE,
    D,
    Dataset,
    Filters,
    N,
    Rows,
    S,
    fields,
)

SQL = """
SELECT jurisdiction, organisation, service, standard_id, standard, period_start, period_end,
       grain,
       numerator, CASE WHEN numerator IS NULL THEN coalesce(marker, '[x]') END
           AS numerator_status,
       denominator, CASE WHEN denominator IS NULL THEN coalesce(marker, '[x]') END
           AS denominator_status,
       value, coalesce(marker, CASE WHEN value IS NULL THEN '[x]' END) AS value_status,
       target, CASE WHEN target IS NULL THEN '[x]' END AS target_status,
       comparator, status, set_by AS standard_set_by, unit
FROM judgements
WHERE org_level = 'organisation' AND ($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))
  AND ($service IS NULL OR service_slug = $service)
  AND ($standard IS NULL OR standard_id = $standard)
  AND ($start IS NULL OR period_start >= $start)
  AND ($end IS NULL OR period_start <= last_day($end))
"""


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """Every judged standard-period of the view, to stream."""
    return f.bind(SQL)


DATASET = Dataset(
    name="records",
    title="Every judged standard-period",
    description=(
        "Every judged standard-period: one row per organisation, service, "
        "standard and period."
    ),
    params=("jurisdiction", "organisation", "service", "standard", "from", "to"),
    fields=fields(
        WHERE, ORG, SERVICE, STD, ("standard", S, "The standard in words"),
        ("period_start", D, "First day of the period"),
        ("period_end", D, "Last day of the period"),
        ("grain", S, "day, month or fiscal_year"),
        ("numerator", INT, "Cases within the standard (e.g. closed on time)", "cases"),
        ("numerator_status", S),
        ("denominator", INT, "Cases judged (e.g. due)", "cases"), ("denominator_status", S),
        ("value", N, "The figure judged: a share (0-1), a time in seconds or a count",
         "share (0-1), seconds or count", "unit"),
        ("value_status", S),
        ("target", N, "The figure the standard requires, in value's unit",
         "share (0-1), seconds or count", "unit"),
        ("target_status", S),
        ("comparator", S, ">= (value must reach target) or <= (must not exceed it)"),
        ("status", S, "met, not_met, no_data or not_applicable"),
        SET_BY,
        ("unit", S, "The unit of value and target: share, seconds or count"),
    ),
    read=read,
    streamed=True,
)  # fmt: skip
