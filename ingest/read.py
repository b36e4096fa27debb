"""Read an agency file as text, one row per record, with the header checked first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest import xlsx
from ingest.catalog import FileLayout


@dataclass(frozen=True)
class LoadCounts:
    """Rows read from one file = rows loaded + rows rejected, always."""

    rows_read: int
    rows_loaded: int
    rows_rejected: int


def now() -> dt.datetime:
    """Wall-clock UTC time for provenance records (not the business 'today')."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def literal(text: str) -> str:
    """A catalog string as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def problem(column: str, expression: str, reason: str) -> str:
    """SQL for a row's problem: the file's column name, the offending text and why."""
    return (
        f"struct_pack(col := {literal(column)}, val := ({expression})::VARCHAR, "
        f"why := {literal(reason)})"
    )


def finish(con: duckdb.DuckDBPyConnection, source_id: str, load_id: int, path: Path) -> LoadCounts:
    """Keep temp table `judged`'s bad rows in `rejects`, drop the temp tables, count."""
    con.execute(
        """INSERT INTO rejects
           SELECT $source, $load, $file, row_number, problem.col, problem.val, problem.why
           FROM judged WHERE problem IS NOT NULL""",
        {"source": source_id, "load": load_id, "file": path.name},
    )
    row = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE problem IS NULL) FROM judged"
    ).fetchall()[0]
    con.execute("DROP TABLE IF EXISTS judged; DROP TABLE IF EXISTS staged")
    read, loaded = int(row[0]), int(row[1])
    return LoadCounts(rows_read=read, rows_loaded=loaded, rows_rejected=read - loaded)


class FileRejected(ValueError):
    """The whole file cannot be loaded (e.g. a declared column is missing); nothing is kept."""


def quote(name: str) -> str:
    """A column name as a SQL identifier (names come from the catalog or the file's header)."""
    return '"' + name.replace('"', '""') + '"'


def _csv_options(path: Path, layout: FileLayout) -> dict[str, object]:
    return {"path": str(path), "delim": layout.delimiter, "nulls": layout.null_values or [""]}


_READ = (
    "read_csv($path, all_varchar = true, header = true, delim = $delim, quote = '\"', "
    "escape = '\"', nullstr = $nulls)"
)


def _check_header(path: Path, header: list[str], required: list[str]) -> None:
    missing = sorted(set(required) - set(header))
    if missing:
        raise FileRejected(f"{path.name}: header lacks declared column(s) {', '.join(missing)}")


def _read_sheet(
    con: duckdb.DuckDBPyConnection, path: Path, layout: FileLayout, required: list[str]
) -> None:
    try:
        frame = xlsx.read_sheet(path, layout)
    except (ValueError, OSError) as err:
        raise FileRejected(f"{path.name}: {err}") from err
    _check_header(path, frame.columns, required)
    con.register("sheet_frame", frame)
    con.execute("CREATE TEMP TABLE raw_file AS SELECT * FROM sheet_frame")
    con.unregister("sheet_frame")


def read_raw(
    con: duckdb.DuckDBPyConnection, path: Path, layout: FileLayout, required: list[str]
) -> None:
    """Create temp table `raw_file`: `row_number` (header is row 1) and every column as text."""
    con.execute("DROP TABLE IF EXISTS raw_text; DROP TABLE IF EXISTS raw_file")
    if layout.format == "xlsx":
        _read_sheet(con, path, layout, required)
        return
    options = _csv_options(path, layout)
    header = con.sql(f"SELECT * FROM {_READ} LIMIT 0", params=options).columns  # noqa: S608
    _check_header(path, header, required)
    con.execute(f"CREATE TEMP TABLE raw_text AS SELECT * FROM {_READ}", options)  # noqa: S608
    # Rows keep the file's order; a temp table's rowids start at an offset, so subtract the
    # first. Row numbers count the header as row 1, as a spreadsheet shows them.
    con.execute(
        "CREATE TEMP TABLE raw_file AS SELECT rowid - (SELECT min(rowid) FROM raw_text) + 2 "
        "AS row_number, * FROM raw_text"
    )
    con.execute("DROP TABLE raw_text")
