"""The record of scheduled job runs: one JSON line per attempt, in `job_runs.jsonl` beside
the warehouse.

Why beside it rather than in it: most runs publish nothing (a failed fetch, a source whose
file has not changed, a scheduler that found another run publishing), and the warehouse is
replaced whole by rename whenever a run does publish. A record written into the warehouse
would cost a copy and a publish of every figure for each attempt, and change the warehouse
version that every cache is keyed on. An append-only file beside it survives every publish,
can be written by a scheduler that does not hold the writer lock (to say it found it busy),
and is read by the site without contending for DuckDB's file lock. Each line is written with
one `write` on a file opened for appending, so concurrent writers never interleave lines; a
reader skips a last line still being written.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

JOB_RUNS = "job_runs.jsonl"
SCHEMA = {
    "source": pl.String, "day": pl.String, "started": pl.String, "finished": pl.String,
    "outcome": pl.String, "attempt": pl.Int64, "files": pl.Int64, "rows": pl.Int64,
    "message": pl.String,
}  # fmt: skip


@dataclass(frozen=True)
class JobRun:
    """One attempt at one source: `day` is the clock's today when it ran; `started` and
    `finished` are wall-clock UTC; outcome is succeeded, failed or busy; `files` and `rows`
    are the files and rows it loaded."""

    source: str
    day: str
    started: str
    finished: str
    outcome: str
    attempt: int
    files: int
    rows: int
    message: str


def jobs_path(warehouse: Path) -> Path:
    return warehouse.with_name(JOB_RUNS)


def record(warehouse: Path, job: JobRun) -> None:
    """Append one job run to the record (one write of one line)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(asdict(job), sort_keys=True) + "\n").encode()
    fd = os.open(jobs_path(warehouse), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def job_runs(warehouse: Path) -> pl.DataFrame:
    """Every recorded job run, oldest first; columns as JobRun (day a date, started and
    finished datetimes). Empty when nothing has run yet."""
    rows = []
    path = jobs_path(warehouse)
    lines = path.read_text().splitlines() if path.exists() else []
    for line in lines:
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line still being written
    frame = pl.DataFrame(rows, schema=SCHEMA)
    return frame.with_columns(
        pl.col("day").str.to_date(),
        pl.col("started").str.to_datetime(),
        pl.col("finished").str.to_datetime(),
    )
