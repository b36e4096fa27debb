"""The `cases` dataset: each request as the agency published it, with the file and row it
came from and how the days-met definition judged it."""

from __future__ import annotations

import duckdb

from metrics.datasets import base as b

# A request is due on the local day its target falls on, on time if closed at or before its
# target (metrics/build.py); one still open at data_as_of is not on time. `outcome` and
# `late_by_seconds` only name those facts; no figure here is re-derived for a verdict.
# Streamed without a sort, as the case store's parts are read (month by month, not strictly:
# parts are read in parallel): a sort of millions of wide rows peaked at 829 MB for 5,000,000
# rows (make bench-export). The day page sorts its few rows itself. `cases` reads the case
# store's Parquet parts (ingest/case_store.py); for a day, `opened_at` before its end (true
# of every request due that day: ingest rejects a target before the open time) lets DuckDB
# skip every later month's part unread, and row groups' due_at bounds skip most of the rest.
SQL = f"""
WITH svc AS (
    SELECT DISTINCT source_id, jurisdiction, organisation, org_slug, service, service_slug
    FROM days_met
    WHERE {b.IN_VIEW}
      AND ($service IS NULL OR service_slug = $service)
)
SELECT svc.jurisdiction, c.organisation, c.service, c.case_id, c.opened_at,
       c.due_at AS target_at, c.closed_at, c.due_at::DATE AS due_day,
       CASE WHEN c.due_at IS NULL THEN 'no_target' WHEN c.closed_at <= c.due_at THEN 'on_time'
            WHEN c.closed_at IS NULL THEN 'open_late' ELSE 'late' END AS outcome,
       CASE WHEN c.closed_at > c.due_at THEN epoch(c.closed_at - c.due_at)::BIGINT
            WHEN c.closed_at IS NULL AND f.data_as_of > c.due_at
            THEN epoch(f.data_as_of - c.due_at)::BIGINT END AS late_by_seconds,
       CASE WHEN c.due_at IS NULL THEN '[z]' WHEN c.closed_at <= c.due_at THEN '[z]'
            WHEN c.closed_at IS NULL AND NOT f.data_as_of > c.due_at THEN '[x]' END
           AS late_by_seconds_status,
       c.source_id, l.file_name, c.row_number
FROM cases c
JOIN svc ON svc.source_id = c.source_id AND svc.organisation = c.organisation
     AND svc.service = c.service
JOIN loads l ON l.load_id = c.load_id
JOIN source_facts f ON f.source_id = c.source_id
WHERE ($day::DATE IS NULL OR (c.due_at >= $day::DATE AND c.due_at < $day::DATE + 1
                                AND c.opened_at < $day::DATE + 1))
"""  # noqa: S608 - IN_VIEW is a constant


def read(f: b.Filters, con: duckdb.DuckDBPyConnection) -> b.Rows:
    """Every request of the view (those due on `day` where one is named), to stream."""
    return f.bind(SQL)


DATASET = b.Dataset(
    name="cases",
    title="Each request, with its file and row",
    description=(
        "Each request of a case-level source as the agency published it (id, open, target and "
        "closed times), the file and row it was read from, and how the days-met definition "
        "judged it. With day, only the requests due that day: the ones that day's verdict counts."
    ),
    params=("jurisdiction", "organisation", "service", "day"),
    fields=b.fields(
        b.WHERE, b.ORG, b.SERVICE,
        ("case_id", b.S, "The agency's request id"),
        ("opened_at", b.T, "When the request was opened (local time, as published)"),
        ("target_at", b.T, "Its target time (local time, as published); empty where none"),
        ("closed_at", b.T, "When it was closed (local time, as published); empty while open"),
        ("due_day", b.D, "The local day its target falls on: the day whose verdict counts it"),
        ("outcome", b.S, "on_time (closed at or before its target), late (closed after it), "
         "open_late (not closed by the data's end, counted as not on time) or no_target "
         "(never judged)"),
        ("late_by_seconds", b.INT, "How long after its target it was closed (or, if still open, "
         "how long past its target the data ends)", "seconds"),
        ("late_by_seconds_status", b.S),
        ("source_id", b.S, "Catalog entry"),
        ("file_name", b.S, "The published file it was read from"),
        ("row_number", b.INT, "Line in that file (the header is line 1); the file's SHA-256 "
         "is in the sources dataset"),
    ),
    read=read,
    streamed=True,
)  # fmt: skip
