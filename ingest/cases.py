"""Load one case-level agency file: declared columns, declared types, every bad row kept."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.catalog import CaseSource
from ingest.read import LoadCounts, finish, problem, problems, quote, read_raw

# Each check: canonical field, SQL condition that marks the row bad, reason. Bound the
# timestamp format as $fmt; the raw value is read from column "field".
_CHECKS = (
    ("case_id", "nullif(trim(case_id), '') IS NULL", "missing case id"),
    ("case_id", "dup_rank > 1", "duplicate case id in this file"),
    ("opened_at", "try_strptime(opened_at, $fmt) IS NULL", "missing or unreadable open time"),
    (
        "due_at",
        "nullif(trim(due_at), '') IS NOT NULL AND try_strptime(due_at, $fmt) IS NULL",
        "unreadable target time",
    ),
    (
        "closed_at",
        "nullif(trim(closed_at), '') IS NOT NULL AND try_strptime(closed_at, $fmt) IS NULL",
        "unreadable closed time",
    ),
    ("organisation", "nullif(trim(organisation), '') IS NULL", "missing organisation"),
    ("service", "nullif(trim(service), '') IS NULL", "missing service"),
)


def stage(con: duckdb.DuckDBPyConnection, path: Path, source: CaseSource) -> None:
    """Read the file as text into temp table `staged`, one row per record, canonical names."""
    read_raw(con, path, source.file, list(source.columns.values()))
    picks = ", ".join(f"{quote(src)} AS {field}" for field, src in source.columns.items())
    con.execute(f"CREATE TEMP TABLE staged AS SELECT row_number, {picks} FROM raw_file")  # noqa: S608
    con.execute("DROP TABLE raw_file")


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, source: CaseSource, load_id: int
) -> LoadCounts:
    """Insert the staged file's good rows into `cases` and its bad rows into `rejects`."""
    stage(con, path, source)
    fmt = source.file.timestamp_format or ""
    checks = problems(
        [(cond, problem(source.columns[field], field, why)) for field, cond, why in _CHECKS]
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        SELECT *, {checks} AS problems
        FROM (SELECT *, row_number() OVER (PARTITION BY trim(case_id) ORDER BY row_number)
              AS dup_rank FROM staged)
        """,  # noqa: S608 - CASE arms are the constant _CHECKS with catalog names quoted
        {"fmt": fmt},
    )
    params = {"source": source.id, "load": load_id, "fmt": fmt}
    con.execute(
        """
        INSERT INTO cases
        SELECT $source, $load, row_number, trim(case_id), strptime(opened_at, $fmt),
               try_strptime(due_at, $fmt), try_strptime(closed_at, $fmt),
               trim(organisation), trim(service)
        FROM judged WHERE len(problems) = 0
        """,
        params,
    )
    return finish(con, source.id, load_id, path)
