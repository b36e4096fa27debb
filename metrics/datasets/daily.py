"""The `daily` dataset: one row per service, standard and day: the figures behind each calendar."""

from __future__ import annotations

import duckdb

from metrics.datasets.base import (
    INT,
    ORG,
    SERVICE,
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
SELECT jurisdiction, organisation, service, standard_id, day, due, on_time, no_target,
       CASE WHEN due > 0 THEN on_time / due END AS share_on_time,
       CASE WHEN due = 0 THEN '[z]' END AS share_on_time_status,
       target_percent::DOUBLE AS target_percent, status
FROM service_days
WHERE ($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))
  AND ($service IS NULL OR service_slug = $service)
  AND ($standard IS NULL OR standard_id = $standard)
  AND ($month IS NULL OR date_trunc('month', day) = $month)
"""


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """One row per service, standard and day (the department page's daily figures)."""
    return f.bind(SQL)


DATASET = Dataset(
    name="daily",
    title="Each service's days",
    description="One row per service, standard and day: the figures behind each calendar.",
    params=("jurisdiction", "organisation", "service", "month", "standard"),
    fields=fields(
        WHERE, ORG, SERVICE, STD, ("day", D, "Local calendar day"),
        ("due", INT, "Requests whose target time fell on the day", "requests"),
        ("on_time", INT, "Of those, closed by their target time", "requests"),
        ("no_target", INT, "Requests opened that day with no target", "requests"),
        ("share_on_time", N, "on_time / due", "share (0-1)"),
        ("share_on_time_status", S),
        ("target_percent", N, "Share that must be on time", "percent"),
        ("status", S, "met, not_met or not_applicable (nothing due)"),
    ),
    read=read,
    streamed=True,
)  # fmt: skip
