"""`python -m ingest check CATALOG_ENTRY [FILE]`: what an entry would load, publishing nothing.

The entry's files (or the one FILE) are loaded exactly as `run` loads them, but into a
warehouse in memory that is thrown away; the report is read back from its tables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from ingest.catalog import CatalogError, ObservationSource, Source, load_catalog, load_source
from ingest.run import FileOutcome, load_new_file
from ingest.schema import create_schema

Say = Callable[[str], None]

REASONS = """
SELECT reason, count(DISTINCT (file_name, row_number)) AS n_rows,
       list(DISTINCT row_number ORDER BY row_number)[1:5] AS examples
FROM rejects GROUP BY reason ORDER BY n_rows DESC, reason LIMIT 5
"""
TOTALS = """
SELECT measure_id, period_start::VARCHAR,
       max(numerator) FILTER (WHERE org_level = 'total' AND row_number > 0) AS file_num,
       max(denominator) FILTER (WHERE org_level = 'total' AND row_number > 0) AS file_den,
       sum(numerator) FILTER (WHERE org_level = 'organisation') AS sum_num,
       sum(denominator) FILTER (WHERE org_level = 'organisation') AS sum_den
FROM observations GROUP BY ALL ORDER BY ALL LIMIT 24
"""


def find_entry(entry: str, catalog_dir: Path) -> Source:
    """A catalog entry by its file's path, or by its id in the catalog folder."""
    path = Path(entry)
    if path.suffix == ".toml" or path.exists():
        return load_source(path)
    for source in load_catalog(catalog_dir):
        if source.id == entry:
            return source
    raise CatalogError(f"{entry}: neither a catalog file nor an id in {catalog_dir}")


def _files(source: Source, data_dir: Path, file: Path | None) -> list[tuple[Path, bool]]:
    """Each file to load and whether it is the source's inventory, inventory first."""
    listed = source.inventory_files(data_dir) if isinstance(source, ObservationSource) else []
    own = [file] if file is not None else source.files(data_dir)
    return [(p, True) for p in listed] + [(p, False) for p in own]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, limit: int = 5) -> list[tuple[object, ...]]:
    return con.sql(f"SELECT * FROM ({sql}) LIMIT {limit}").fetchall()  # noqa: S608


def _first_rows(con: duckdb.DuckDBPyConnection, source: Source, say: Say) -> None:
    if source.kind == "cases":
        sql = ("SELECT row_number, case_id, opened_at, due_at, closed_at, organisation, service "
               "FROM cases ORDER BY row_number")  # fmt: skip
        span = ("SELECT min(opened_at)::DATE, max(opened_at)::DATE, "
                "count(DISTINCT organisation) FROM cases")  # fmt: skip
    else:
        sql = ("SELECT row_number, org_code, organisation, parent, period_start, measure_id, "
               "numerator, denominator, value, marker FROM observations "
               "WHERE row_number > 0 ORDER BY row_number, measure_id")  # fmt: skip
        span = ("SELECT min(period_start), max(period_start), count(DISTINCT org_code) "
                "FILTER (WHERE org_level <> 'total') FROM observations")  # fmt: skip
    cursor = con.sql(sql)
    say("first rows as parsed:\n  " + "\t".join(cursor.columns))
    for row in _rows(con, sql):
        say("  " + "\t".join("" if v is None else str(v) for v in row))
    first, last, orgs = con.sql(span).fetchall()[0]
    say(f"periods found: {first} to {last}; organisations found: {orgs}")
    if source.kind == "observations":
        periods = [str(r[0]) for r in con.sql(
            "SELECT DISTINCT period_start FROM observations ORDER BY 1").fetchall()]  # fmt: skip
        say(f"  periods: {', '.join(periods[:24])}{' …' if len(periods) > 24 else ''}")
        codes = [str(r[0]) for r in con.sql(
            "SELECT DISTINCT org_code FROM observations ORDER BY 1").fetchall()]  # fmt: skip
        say(f"  organisations: {', '.join(codes[:30])}{' …' if len(codes) > 30 else ''}")


def _problems(con: duckdb.DuckDBPyConnection, say: Say) -> None:
    for reason, rows, examples in con.sql(REASONS).fetchall():
        say(f"  rejected {rows} row(s): {reason} (e.g. rows {', '.join(map(str, examples))})")
    notes = con.sql(
        "SELECT kind, detail, sum(rows) FROM load_notes GROUP BY ALL ORDER BY kind, detail"
    ).fetchall()
    for kind, detail, rows in [n for n in notes if n[0] != "no name"]:
        say(f"  {'excluded by filter' if kind == 'excluded' else kind}: {detail} ({rows} row(s))")
    unnamed = [f"{detail} ({rows})" for kind, detail, rows in notes if kind == "no name"]
    if unnamed:
        more = f" and {len(unnamed) - 12} more" if len(unnamed) > 12 else ""
        say(f"  {len(unnamed)} code(s) with no name (rows): {', '.join(unnamed[:12])}{more}")


def _totals(con: duckdb.DuckDBPyConnection, say: Say) -> None:
    rows = con.sql(TOTALS).fetchall()
    if rows:
        say("total: the file's total row beside the sum of organisation rows")
    for measure, period, file_num, file_den, sum_num, sum_den in rows:
        shown = "none" if file_den is None else f"{file_num} of {file_den}"
        same = "" if file_den is None or (file_num, file_den) == (sum_num, sum_den) else " DIFFER"
        say(f"  {measure} {period}: file {shown}; sum {sum_num} of {sum_den}{same}")


def _scale_warning(con: duckdb.DuckDBPyConnection, source: Source, say: Say) -> None:
    """A share declared 0 to 1 whose figures run past 1 is most likely written 0 to 100."""
    if source.kind != "observations":
        return
    over = con.sql("SELECT count(*) FILTER (WHERE value > 1), count(value) FROM observations "
                   "WHERE unit = 'share'").fetchall()[0]  # fmt: skip
    if over[0] and over[0] * 2 > over[1]:
        say(f"warning: {over[0]} of {over[1]} shares exceed 1: is the scale 'percent'?")


def check(source: Source, data_dir: Path, file: Path | None, say: Say) -> int:
    """Load into a throw-away warehouse and report; 0 when it would load, 1 otherwise."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    outcomes: list[FileOutcome] = []
    say(f"entry {source.id}: valid ({source.kind}, {source.title})")
    files = _files(source, data_dir, file)
    if not files:
        say(f"no files match {source.file.pattern!r} under {data_dir}")
        return 1
    for path, inventory in files:
        outcome = load_new_file(con, source, path, inventory=inventory, force=True)
        outcomes.append(outcome)
        c = outcome.counts
        counts = (f": read {c.rows_read} = loaded {c.rows_loaded} + rejected {c.rows_rejected}"
                  f" + excluded {c.rows_excluded}" if c else "")  # fmt: skip
        say(f"{path.name}: {outcome.status}{counts} {outcome.message}".rstrip())
    _problems(con, say)
    _first_rows(con, source, say)
    if source.kind == "observations":
        _totals(con, say)
    _scale_warning(con, source, say)
    loaded = sum(o.counts.rows_loaded for o in outcomes if o.counts)
    would = loaded > 0 and not any(o.status == "rejected" for o in outcomes)
    say("would load" if would else "would NOT load")
    con.close()
    return 0 if would else 1
