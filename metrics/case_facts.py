"""The case-level facts every measure of requests is built from, kept in the snapshot so that
a day's file costs a scan of the periods it can change, not of every request ever loaded.

Six small tables, one row per source, organisation, service and day or month with any
request (the zeros are filled in later, over the calendar): requests due per local day of
their target and those on time (`case_due_days`), requests with no target per day opened
(`case_no_target_days`), requests received per month opened (`case_received`), closed per
month closed with the median and 90th centile days to close (`case_resolved`), open past
target at each month's end (`case_backlog`), and each source's first and last times per
month opened (`case_span`, for `source_facts`).

A request opened in month M can change only the figures of periods from M on: it is
received in M, falls due on or after the day it opened, closes on or after it, and is in
no backlog before it. So a run that added or replaced requests opened from month M on
recomputes every period from `start` = M on (earlier, if the source's data-as-of time moved
into an earlier month: the last month's backlog is counted at that time) and keeps the rest
from the snapshot before. A full rebuild is the same with `start` before every request.
"""

from __future__ import annotations

import datetime as dt

import duckdb

EVERYTHING = dt.date(1, 1, 1)
"""The `since` of a full rebuild: every period is recomputed."""
NO_REQUESTS = dt.date.max
"""The `since` of a run that added or replaced no request: every case fact is kept."""

CASE_FACTS = (
    "case_span", "case_due_days", "case_no_target_days", "case_received", "case_resolved",
    "case_open", "case_backlog",
)  # fmt: skip

TABLES = """
CREATE TABLE IF NOT EXISTS case_span (
    source_id VARCHAR, month DATE, first_opened TIMESTAMP, last_opened TIMESTAMP,
    last_closed TIMESTAMP
);
CREATE TABLE IF NOT EXISTS case_due_days (
    source_id VARCHAR, organisation VARCHAR, service VARCHAR, day DATE, due BIGINT,
    on_time BIGINT
);
CREATE TABLE IF NOT EXISTS case_no_target_days (
    source_id VARCHAR, organisation VARCHAR, service VARCHAR, day DATE, no_target BIGINT
);
CREATE TABLE IF NOT EXISTS case_received (
    source_id VARCHAR, organisation VARCHAR, service VARCHAR, month DATE, received BIGINT
);
CREATE TABLE IF NOT EXISTS case_resolved (
    source_id VARCHAR, organisation VARCHAR, service VARCHAR, month DATE, closed BIGINT,
    resolve_median DOUBLE, resolve_p90 DOUBLE, target_days DOUBLE
);
CREATE TABLE IF NOT EXISTS case_open (
    source_id VARCHAR, month DATE, organisation VARCHAR, service VARCHAR, due_at TIMESTAMP,
    requests BIGINT
);
CREATE TABLE IF NOT EXISTS case_backlog (
    source_id VARCHAR, organisation VARCHAR, service VARCHAR, month DATE, past_target BIGINT,
    median_overdue DOUBLE
);
"""

SPAN = """
DELETE FROM case_span WHERE month >= $since;
INSERT INTO case_span
SELECT source_id, date_trunc('month', opened_at)::DATE, min(opened_at), max(opened_at),
       max(closed_at)
FROM cases WHERE opened_at >= $since GROUP BY ALL;
"""

# Every filter names `$start` on a column of `cases` itself, so that the Parquet reader skips
# the parts and row groups whose statistics put them wholly before it.
PERIODS = """
DELETE FROM case_due_days WHERE day >= $start;
INSERT INTO case_due_days
SELECT source_id, organisation, service, due_at::DATE AS day, count(*) AS due,
       count(*) FILTER (WHERE closed_at <= due_at) AS on_time
FROM cases WHERE due_at >= $start GROUP BY ALL;

DELETE FROM case_no_target_days WHERE day >= $start;
INSERT INTO case_no_target_days
SELECT source_id, organisation, service, opened_at::DATE AS day, count(*) AS no_target
FROM cases WHERE due_at IS NULL AND opened_at >= $start GROUP BY ALL;

DELETE FROM case_received WHERE month >= $start;
INSERT INTO case_received
SELECT source_id, organisation, service, date_trunc('month', opened_at)::DATE AS month,
       count(*) AS received
FROM cases WHERE opened_at >= $start GROUP BY ALL;

DELETE FROM case_resolved WHERE month >= $start;
INSERT INTO case_resolved
SELECT source_id, organisation, service, month, closed, q[1] / 86400, q[2] / 86400,
       target_days
FROM (
    SELECT source_id, organisation, service, date_trunc('month', closed_at)::DATE AS month,
           count(*) AS closed,
           quantile_cont(epoch(closed_at) - epoch(opened_at), [0.5, 0.9]) AS q,
           median(epoch(due_at) - epoch(opened_at)) / 86400 AS target_days
    FROM cases WHERE closed_at >= $start GROUP BY ALL
);

-- Every service's months, from the first month with requests opened to the month of
-- data_as_of (or the last month opened), with the moment its backlog is counted.
CREATE OR REPLACE TEMP TABLE case_months AS
SELECT f.source_id, f.jurisdiction, s.organisation, s.service, m.month::DATE AS month,
       least(m.month + INTERVAL 1 MONTH, f.data_as_of) AS snapshot,
       f.data_as_of < m.month + INTERVAL 1 MONTH AS partial
FROM source_facts f
JOIN (SELECT source_id, organisation, service FROM case_due_days
      UNION SELECT source_id, organisation, service FROM case_no_target_days) s USING (source_id)
CROSS JOIN LATERAL (
    SELECT unnest(generate_series(date_trunc('month', f.first_opened),
                                  date_trunc('month', least(last_day(f.last_opened),
                                                            f.data_as_of::DATE)),
                                  INTERVAL 1 MONTH)) AS month
) m;

DELETE FROM case_backlog WHERE month >= $start;

-- Requests still open with a target, per month opened and target time: every month's
-- backlog from its target on counts them. Kept, so that a day's file need not read every
-- request ever loaded to find the few open for years.
DELETE FROM case_open WHERE month >= $start;
INSERT INTO case_open
SELECT source_id, date_trunc('month', opened_at)::DATE, organisation, service, due_at, count(*)
FROM cases WHERE opened_at >= $start AND closed_at IS NULL AND due_at IS NOT NULL
GROUP BY ALL;

-- The closed requests a backlog from `start` on can count: closed after `start`, and still
-- open at the first month's end after their target (most close sooner, so the range join
-- below sees few rows).
CREATE OR REPLACE TEMP TABLE case_late AS
SELECT source_id, organisation, service, opened_at, due_at, closed_at FROM cases
WHERE due_at IS NOT NULL AND closed_at > $start
  AND closed_at > date_trunc('month', due_at) + INTERVAL 1 MONTH;
"""

BACKLOG = """
INSERT INTO case_backlog
WITH months AS (
    SELECT * FROM case_months WHERE month BETWEEN $first AND $last
), counted AS (
    SELECT m.source_id, m.organisation, m.service, m.month, m.snapshot, c.due_at
    FROM case_late c JOIN months m ON m.source_id = c.source_id
         AND m.organisation = c.organisation AND m.service = c.service
         AND c.due_at < m.snapshot AND c.opened_at <= m.snapshot AND c.closed_at > m.snapshot
    UNION ALL
    -- an open request is in the backlog once past its target (never before its opening:
    -- ingest rejects such a row), once for each request with that target time
    SELECT m.source_id, m.organisation, m.service, m.month, m.snapshot, o.due_at
    FROM (SELECT *, unnest(range(requests)) FROM case_open) o
    JOIN months m ON m.source_id = o.source_id AND m.organisation = o.organisation
         AND m.service = o.service AND o.due_at < m.snapshot
)
SELECT source_id, organisation, service, month, count(*) AS past_target,
       -- the median of (snapshot - target) is the snapshot less the median target
       (epoch(snapshot) - median(epoch(due_at))) / 86400 AS median_overdue
FROM counted GROUP BY source_id, organisation, service, month, snapshot
"""
BACKLOG_MONTHS = 3
"""Backlog months counted at once: a request open for years is in every month's backlog, so
a full rebuild of a large store counts them a few months at a time, within memory."""

SOURCE_FACTS = """
CREATE OR REPLACE TABLE source_facts AS
WITH case_span AS (
    SELECT source_id, greatest(max(last_opened), coalesce(max(last_closed), max(last_opened)))
               AS latest, min(first_opened)::DATE AS first_opened,
           max(last_opened)::DATE AS last_opened
    FROM case_span GROUP BY 1
), observed AS (
    SELECT source_id, max(period_end)::TIMESTAMP AS latest FROM observations GROUP BY 1
), received AS (
    SELECT source_id, max(finished_at) AS last_received FROM loads
    WHERE status = 'loaded' GROUP BY 1
)
SELECT s.source_id, s.jurisdiction, s.kind, s.cadence,
       coalesce(s.declared_data_as_of, c.latest, o.latest) AS data_as_of,
       c.first_opened, c.last_opened, r.last_received
FROM sources s LEFT JOIN case_span c USING (source_id) LEFT JOIN observed o USING (source_id)
LEFT JOIN received r USING (source_id);
"""


def kept(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the snapshot has the case facts and `source_facts` to recompute some of."""
    names = {"source_facts", "case_backlog"}
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND list_contains(?, table_name)",
        [sorted(names)],
    ).fetchall()
    return int(rows[0][0]) == len(names)


def build_case_facts(con: duckdb.DuckDBPyConnection, since: dt.date | None) -> dt.date:
    """Recompute the case facts of every period from the month `since` on (None: all of them,
    as after a revised file or a changed definition), and `source_facts`; returns the first
    period recomputed."""
    full = since is None or not kept(con)
    if full:
        for table in CASE_FACTS:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(TABLES)
    first = EVERYTHING if full or since is None else since
    before = data_as_of(con) if not full else {}
    each(con, SPAN, {"since": first})
    con.execute(SOURCE_FACTS)
    start = min([first, *moved(before, data_as_of(con))])
    each(con, PERIODS, {"start": start})
    months = con.execute(
        "SELECT DISTINCT month FROM case_months WHERE month >= ? ORDER BY 1", [start]
    ).fetchall()
    for at in range(0, len(months), BACKLOG_MONTHS):
        chunk = months[at : at + BACKLOG_MONTHS]
        con.execute(BACKLOG, {"first": chunk[0][0], "last": chunk[-1][0]})
    con.execute("DROP TABLE case_late")
    return start


def each(con: duckdb.DuckDBPyConnection, script: str, params: dict[str, dt.date]) -> None:
    """Run a script's statements one by one, each with the parameters it names (DuckDB
    binds parameters in a script's last statement only)."""
    for statement in filter(str.strip, script.split(";\n")):
        con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})


def data_as_of(con: duckdb.DuckDBPyConnection) -> dict[str, dt.datetime | None]:
    """Each case-level source's data-as-of time in `source_facts`."""
    rows = con.execute(
        "SELECT source_id, data_as_of FROM source_facts WHERE kind = 'cases'"
    ).fetchall()
    return {str(source): when for source, when in rows}


def moved(
    before: dict[str, dt.datetime | None], after: dict[str, dt.datetime | None]
) -> list[dt.date]:
    """The first day of the earliest month a source's data-as-of time moved from or to: that
    month's backlog was, or is now, counted at it."""
    months = []
    for source in before.keys() | after.keys():
        old, new = before.get(source), after.get(source)
        if old != new:
            months += [when.date().replace(day=1) for when in (old, new) if when is not None]
    return months
