"""Load one case-level agency file: declared columns, declared types, every bad row kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.catalog import Source


class FileRejected(ValueError):
    """The whole file cannot be loaded (e.g. a declared column is missing); nothing is kept."""


@dataclass(frozen=True)
class LoadCounts:
    rows_read: int
    rows_loaded: int
    rows_rejected: int


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


def _header(con: duckdb.DuckDBPyConnection, path: Path, source: Source) -> list[str]:
    rel = con.sql(
        "SELECT * FROM read_csv($path, all_varchar = true, header = true, delim = $delim) LIMIT 0",
        params={"path": str(path), "delim": source.file.delimiter},
    )
    return list(rel.columns)


def stage(con: duckdb.DuckDBPyConnection, path: Path, source: Source) -> None:
    """Read the file as text into temp table `staged`, one row per record, canonical names."""
    header = _header(con, path, source)
    missing = sorted(set(source.columns.values()) - set(header))
    if missing:
        raise FileRejected(f"{path.name}: header lacks declared column(s) {', '.join(missing)}")
    # Column names come from the validated catalog and the file's own header, both checked
    # above; they are quoted as identifiers, never spliced in as values.
    picks = ", ".join(
        f'"{src.replace(chr(34), chr(34) * 2)}" AS {field}' for field, src in source.columns.items()
    )
    con.execute("DROP TABLE IF EXISTS raw_file; DROP TABLE IF EXISTS staged")
    con.execute(
        "CREATE TEMP TABLE raw_file AS SELECT * FROM read_csv($path, all_varchar = true, "
        "header = true, delim = $delim, quote = '\"', escape = '\"')",
        {"path": str(path), "delim": source.file.delimiter},
    )
    con.execute(
        # Rows keep the file's order; a temp table's rowids start at an offset, so subtract
        # the first. Row numbers count the header as row 1, as a spreadsheet shows them.
        f"CREATE TEMP TABLE staged AS SELECT rowid - (SELECT min(rowid) FROM raw_file) + 2 "  # noqa: S608
        f"AS row_number, {picks} FROM raw_file"
    )
    con.execute("DROP TABLE raw_file")


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, load_id: int
) -> LoadCounts:
    """Insert the staged file's good rows into `cases` and its bad rows into `rejects`."""
    stage(con, path, source)
    fmt = source.file.timestamp_format
    checks = " ".join(
        f"WHEN {cond} THEN struct_pack(col := '{field}', val := {field}, why := '{why}')"
        for field, cond, why in _CHECKS
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        SELECT *, CASE {checks} ELSE NULL END AS problem
        FROM (SELECT *, row_number() OVER (PARTITION BY trim(case_id) ORDER BY row_number)
              AS dup_rank FROM staged)
        """,  # noqa: S608 - the CASE arms are the constant _CHECKS above
        {"fmt": fmt},
    )
    params = {"source": source.id, "load": load_id, "fmt": fmt}
    con.execute(
        """
        INSERT INTO cases
        SELECT $source, $load, row_number, trim(case_id), strptime(opened_at, $fmt),
               try_strptime(due_at, $fmt), try_strptime(closed_at, $fmt),
               trim(organisation), trim(service)
        FROM judged WHERE problem IS NULL
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO rejects
        SELECT $source, $load, $file, row_number, problem.col, problem.val, problem.why
        FROM judged WHERE problem IS NOT NULL
        """,
        {"source": source.id, "load": load_id, "file": path.name},
    )
    row = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE problem IS NULL) FROM judged"
    ).fetchall()[0]
    con.execute("DROP TABLE judged; DROP TABLE staged")
    read, loaded = int(row[0]), int(row[1])
    return LoadCounts(rows_read=read, rows_loaded=loaded, rows_rejected=read - loaded)


def now() -> dt.datetime:
    """Wall-clock time for provenance records (not the business 'today')."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
