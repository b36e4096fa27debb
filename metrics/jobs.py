"""Each source's scheduled job runs (ingest.jobs) beside its next figures due, for /status.

Not cached: the job record changes with every attempt, the warehouse only when one publishes.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from ingest.jobs import job_runs
from metrics import queries
from settings import get_settings

STATUS_SCHEMA = {
    "source_id": pl.String, "title": pl.String, "next_due": pl.Date, "overdue": pl.Boolean,
    "last_started": pl.Datetime, "last_outcome": pl.String, "last_attempt": pl.Int64,
    "last_message": pl.String, "last_success": pl.Datetime, "success_files": pl.Int64,
    "success_rows": pl.Int64, "failures": pl.Int64, "last_failure": pl.String,
}  # fmt: skip


def job_status(con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """One row a source, in the footer's order. Columns: source_id, title, next_due, overdue
    (as queries.sources); last_started, last_outcome, last_attempt, last_message (its latest
    attempt; null if never run); last_success (when its latest successful attempt finished),
    success_files, success_rows (what that attempt loaded); failures (failed attempts since
    then, or ever if none succeeded) and last_failure (the latest one's message)."""
    runs = job_runs(get_settings().warehouse_path).sort("started")
    rows = []
    for source in queries.sources(con).iter_rows(named=True):
        mine = runs.filter(pl.col("source") == source["source_id"])
        ok = mine.filter(pl.col("outcome") == "succeeded")
        since: dt.datetime | None = ok["finished"][-1] if ok.height else None
        failed = mine.filter(pl.col("outcome") == "failed")
        if since is not None:
            failed = failed.filter(pl.col("started") > since)
        last = mine.row(-1, named=True) if mine.height else {}
        rows.append(
            {
                "source_id": source["source_id"], "title": source["title"],
                "next_due": source["next_due"], "overdue": source["overdue"],
                "last_started": last.get("started"), "last_outcome": last.get("outcome"),
                "last_attempt": last.get("attempt"), "last_message": last.get("message"),
                "last_success": since,
                "success_files": ok["files"][-1] if ok.height else None,
                "success_rows": ok["rows"][-1] if ok.height else None,
                "failures": failed.height,
                "last_failure": failed["message"][-1] if failed.height else None,
            }
        )  # fmt: skip
    return pl.DataFrame(rows, schema=STATUS_SCHEMA)
