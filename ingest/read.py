"""Read an agency file as text, one row per record, with the header checked first."""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest import xlsx
from ingest.catalog import FileLayout
from ingest.catalog_rows import RowFilter

KEPT = "len(problems) = 0 AND excluded_by IS NULL"
"""SQL: a row of temp table `judged` that loads (no problem, no filter left it out)."""


@dataclass(frozen=True)
class LoadCounts:
    """Rows read from one file = rows loaded + rows rejected + rows excluded, always."""

    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_excluded: int = 0


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


def problems(arms: list[tuple[str, str]]) -> str:
    """SQL for a row's list of problems: every (condition, problem) arm that holds."""
    cases = ", ".join(f"CASE WHEN {cond} THEN {what} END" for cond, what in arms)
    return f"list_filter([{cases}], lambda p: p IS NOT NULL)"


def finish(con: duckdb.DuckDBPyConnection, source_id: str, load_id: int, path: Path) -> LoadCounts:
    """Keep every problem of temp table `judged`, and every unreadable record, in `rejects`.

    A row is rejected once, however many problems it has; each problem is its own reject
    row, naming the column, the text and the reason. A row a filter left out is not
    judged; each filter's count is kept in `load_notes`.
    """
    params = {"source": source_id, "load": load_id, "file": path.name}
    con.execute(
        """INSERT INTO load_notes
           SELECT $source, $load, $file, 'excluded', excluded_by, count(*) FROM judged
           WHERE excluded_by IS NOT NULL GROUP BY excluded_by ORDER BY excluded_by""",
        params,
    )
    con.execute(
        """INSERT INTO rejects
           SELECT $source, $load, $file, row_number, p.col, p.val, p.why
           FROM (SELECT row_number, unnest(problems) AS p FROM judged
                 WHERE excluded_by IS NULL)
           UNION ALL
           SELECT $source, $load, $file, row_number, column_name, value, reason
           FROM bad_records""",
        params,
    )
    row = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {KEPT}), "  # noqa: S608
        "count(*) FILTER (WHERE excluded_by IS NOT NULL), "
        "(SELECT count(*) FROM bad_records) FROM judged"
    ).fetchall()[0]
    con.execute("DROP TABLE IF EXISTS judged; DROP TABLE IF EXISTS staged")
    read, loaded, excluded = int(row[0]) + int(row[3]), int(row[1]), int(row[2])
    return LoadCounts(read, loaded, read - loaded - excluded, excluded)


class FileRejected(ValueError):
    """The whole file cannot be loaded (e.g. a declared column is missing); nothing is kept."""


def quote(name: str) -> str:
    """A column name as a SQL identifier (names come from the catalog or the file's header)."""
    return '"' + name.replace('"', '""') + '"'


def _csv_options(path: Path, layout: FileLayout) -> dict[str, object]:
    return {"path": str(path), "delim": layout.delimiter, "nulls": layout.null_values or [""]}


_READ = (
    "read_csv($path, all_varchar = true, header = true, delim = $delim, quote = '\"', "
    "escape = '\"', nullstr = $nulls, store_rejects = true)"
)


def _why_unreadable(path: Path, err: duckdb.Error) -> FileRejected:
    """A clear reason a file could not be read at all: bad gzip, bad UTF-8, or DuckDB's."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            decoder = codecs.getincrementaldecoder("utf-8")()
            line = 1
            while block := fh.read(1 << 20):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as bad:
                    line += block.count(b"\n", 0, bad.start)
                    return FileRejected(f"{path.name}: not valid utf-8 at line {line}")
                line += block.count(b"\n")
    except (OSError, EOFError, zlib.error):
        return FileRejected(f"{path.name}: corrupt or truncated gzip file")
    return FileRejected(f"{path.name}: cannot be read as CSV: {str(err).splitlines()[0]}")


_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_BINARY = (
    (b"\x1f\x8b", "gzip"), (b"PK\x03\x04", "zip (or xlsx)"), (b"%PDF", "PDF"),
    (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\xd0\xcf\x11\xe0", "old Excel (xls)"), (b"PAR1", "Parquet"),
)  # fmt: skip


def _refuse_whole(path: Path) -> None:
    """Refuse an empty file, or a binary one behind a text name, saying which it is."""
    if path.stat().st_size == 0:
        raise FileRejected(f"{path.name}: the file is empty (0 bytes)")
    try:
        with (gzip.open if path.name.endswith(".gz") else open)(path, "rb") as fh:
            head = fh.read(4096)
    except (OSError, EOFError, zlib.error):
        return  # named precisely by _why_unreadable when DuckDB fails on it
    if not head.strip():
        raise FileRejected(f"{path.name}: the file has no text (only blank lines)")
    for magic, kind in _BINARY:
        if head.startswith(magic):
            raise FileRejected(
                f"{path.name}: this is a {kind} file, not CSV text; "
                "decompress or convert it, or declare its real format in the catalog"
            )
    if b"\x00" in head:
        raise FileRejected(f"{path.name}: binary data (NUL bytes) in the first 4 kB, not CSV text")


def _refuse_other_delimiter(path: Path, header: list[str], delimiter: str | None) -> None:
    """A one-column header that another delimiter would split: say which it looks like."""
    if delimiter is None or len(header) != 1:
        return
    seen = [d for d in _DELIMITERS if d != delimiter and header[0].count(d) >= 1]
    if seen:
        best = max(seen, key=header[0].count)
        declared = _DELIMITERS.get(delimiter, repr(delimiter))
        raise FileRejected(
            f"{path.name}: the header is one column; the file looks "
            f"{_DELIMITERS[best]}-delimited ({best!r}), but the catalog declares "
            f"{declared} ({delimiter!r})"
        )


def _header_names(
    path: Path, header: list[str], required: list[str], layout: FileLayout
) -> dict[str, str]:
    """Each declared column = the header's name for it: its own, or else one of its aliases."""
    found: dict[str, str] = {}
    for column in required:
        names = [column, *layout.aliases.get(column, [])]
        hit = next((n for n in names if n in header), None)
        if hit is not None:
            found[column] = hit
    missing = sorted(set(required) - set(found))
    if missing:
        _refuse_other_delimiter(path, header, layout.delimiter)
        tried = [f"{c} (or {' / '.join(layout.aliases[c])})" if c in layout.aliases else c
                 for c in missing]  # fmt: skip
        raise FileRejected(f"{path.name}: header lacks declared column(s) {', '.join(tried)}")
    return found


def _picks(found: dict[str, str]) -> str:
    return ", ".join(f"{quote(name)} AS {quote(column)}" for column, name in found.items())


def _read_sheet(
    con: duckdb.DuckDBPyConnection, path: Path, layout: FileLayout, required: list[str]
) -> None:
    try:
        frame = xlsx.read_sheet(path, layout)
    except (ValueError, OSError) as err:
        raise FileRejected(f"{path.name}: {err}") from err
    found = _header_names(path, frame.columns, required, layout)
    con.register("sheet_frame", frame)
    con.execute(
        f"CREATE TEMP TABLE raw_file AS SELECT row_number, {_picks(found)} FROM sheet_frame"  # noqa: S608
    )
    con.unregister("sheet_frame")


def filter_sql(filters: list[RowFilter]) -> str:
    """SQL for the first filter a row fails (its label), or NULL when it passes them all."""
    arms = []
    for f in filters:
        text = f"trim({quote(f.column)})"
        if f.equals is not None:
            test = f"{text} = {literal(f.equals)}"
        elif f.one_of is not None:
            test = f"list_contains([{', '.join(literal(v) for v in f.one_of)}], {text})"
        else:
            parts = (
                f"list_transform(string_split({text}, {literal(f.separator)}), lambda x: trim(x))"
            )
            test = f"list_contains({parts}, {literal(f.contains or '')})"
        arms.append(f"WHEN NOT coalesce({test}, false) THEN {literal(f.label())}")
    return f"CASE {' '.join(arms)} END" if arms else "NULL::VARCHAR"


def read_raw(
    con: duckdb.DuckDBPyConnection, path: Path, layout: FileLayout, required: list[str],
    filters: list[RowFilter] | None = None,
) -> None:  # fmt: skip
    """Create temp table `raw_file`: `row_number` (header is row 1), every declared column
    as text under its declared name, and `excluded_by`, the filter a row fails (or NULL)."""
    filters = filters or []
    required = list(dict.fromkeys([*required, *(f.column for f in filters)]))
    _read_raw(con, path, layout, required)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw_file AS "  # noqa: S608
        f"SELECT *, {filter_sql(filters)} AS excluded_by FROM raw_file"
    )


def _read_raw(
    con: duckdb.DuckDBPyConnection, path: Path, layout: FileLayout, required: list[str]
) -> None:
    con.execute("DROP TABLE IF EXISTS raw_text; DROP TABLE IF EXISTS raw_file")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bad_records "
        "(row_number BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR)"
    )
    if layout.format == "xlsx":
        _read_sheet(con, path, layout, required)
        return
    _refuse_whole(path)
    options = _csv_options(path, layout)
    try:
        header = con.sql(f"SELECT * FROM {_READ} LIMIT 0", params=options).columns  # noqa: S608
        picks = _picks(_header_names(path, header, required, layout))
        # Only the declared columns are kept: a wide export costs no memory for the rest.
        con.execute(f"CREATE TEMP TABLE raw_text AS SELECT {picks} FROM {_READ}", options)  # noqa: S608
    except duckdb.Error as err:
        raise _why_unreadable(path, err) from err
    _keep_bad_records(con)
    _number_rows(con)


def _keep_bad_records(con: duckdb.DuckDBPyConnection) -> None:
    """Records with too few or too many fields, as DuckDB's reader set them aside."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE bad_records AS
           SELECT line AS row_number,
                  CASE WHEN bool_or(error_type = 'INVALID ENCODING')
                       THEN any_value(column_name) ELSE '(row)' END AS column_name,
                  trim(any_value(csv_line), chr(13) || chr(10)) AS value,
                  CASE WHEN bool_or(error_type = 'TOO MANY COLUMNS')
                       THEN 'more fields than the header'
                       WHEN bool_or(error_type = 'MISSING COLUMNS')
                       THEN 'fewer fields than the header'
                       WHEN bool_or(error_type = 'INVALID ENCODING')
                       THEN 'not valid utf-8 text'
                       ELSE any_value(error_message) END AS reason
           FROM reject_errors WHERE scan_id = (SELECT max(scan_id) FROM reject_scans)
           GROUP BY line"""
    )


def _number_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table `raw_file`: each record numbered as a spreadsheet shows it (header = 1).

    Rows keep the file's order; a temp table's rowids start at an offset, so subtract the
    first. Records set aside as unreadable keep their numbers, so the rest skip them.
    """
    offset = "rowid - (SELECT min(rowid) FROM raw_text)"
    if not con.execute("SELECT count(*) FROM bad_records").fetchall()[0][0]:
        con.execute(
            f"CREATE TEMP TABLE raw_file AS SELECT {offset} + 2 AS row_number, * FROM raw_text"  # noqa: S608
        )
    else:
        con.execute(
            f"""CREATE TEMP TABLE raw_file AS
            WITH good AS (
                SELECT r AS row_number, row_number() OVER (ORDER BY r) - 1 AS k
                FROM range(2, 2 + (SELECT count(*) FROM raw_text)
                              + (SELECT count(*) FROM bad_records)) t(r)
                WHERE r NOT IN (SELECT row_number FROM bad_records)
            )
            SELECT g.row_number, t.* EXCLUDE (k)
            FROM (SELECT {offset} AS k, * FROM raw_text) t JOIN good g USING (k)
            ORDER BY g.row_number"""  # noqa: S608
        )
    con.execute("DROP TABLE raw_text")
