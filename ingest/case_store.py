"""The case store: each source's requests as Parquet, one file per (source, month opened),
beside the warehouse; the warehouse file itself holds only the facts the pages read.

Why: a day's file of new requests then costs a rewrite of the months it touches and a copy
of a small snapshot, not a copy of every request ever loaded. Files are immutable: a touched
month is written whole to a new name, and the snapshot's `case_parts` lists the current
file of each month, so the switch from one set of files to the next is the snapshot's own
atomic rename. The `cases` view (the one way anything reads requests: the measures at
ingest, the `cases` dataset, the day page) reads the listed files in place.

During a run, rows arrive in `case_inbox` and rows to forget in `case_drop_loads` (a whole
earlier load, revised) and `case_drop_rows` (a request sent again later); the view shows
the store as it will be, and `commit` writes the touched months. A part a publish retires
is kept for `GRACE` (a reader may still be on the snapshot before) and then deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import duckdb

from ingest.read import literal, now

COLUMNS = (
    "source_id, load_id, row_number, case_id, opened_at, due_at, closed_at, organisation, "
    "service, updated_at"
)
PENDING = """
CREATE TEMP TABLE IF NOT EXISTS case_inbox (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, row_number BIGINT NOT NULL,
    case_id VARCHAR NOT NULL, opened_at TIMESTAMP NOT NULL, due_at TIMESTAMP,
    closed_at TIMESTAMP, organisation VARCHAR NOT NULL, service VARCHAR NOT NULL,
    updated_at TIMESTAMP
);
CREATE TEMP TABLE IF NOT EXISTS case_drop_loads (load_id BIGINT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS case_drop_rows (
    source_id VARCHAR NOT NULL, month DATE NOT NULL, load_id BIGINT NOT NULL,
    row_number BIGINT NOT NULL
);
"""
"""A run's rows in waiting: temporary (never written into the snapshot, so a day's rows
leave no free blocks behind in it)."""
DDL = """
-- The current file of each (source, month opened), and the loads each month holds rows of.
CREATE TABLE IF NOT EXISTS case_parts (
    source_id VARCHAR NOT NULL, month DATE NOT NULL, path VARCHAR NOT NULL, rows BIGINT NOT NULL,
    PRIMARY KEY (source_id, month)
);
CREATE TABLE IF NOT EXISTS case_load_months (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, month DATE NOT NULL, rows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS retired_parts (path VARCHAR NOT NULL, retired_at TIMESTAMP NOT NULL);
"""
EMPTY = (
    "(SELECT NULL::VARCHAR AS source_id, NULL::BIGINT AS load_id, NULL::BIGINT AS row_number, "
    "NULL::VARCHAR AS case_id, NULL::TIMESTAMP AS opened_at, NULL::TIMESTAMP AS due_at, "
    "NULL::TIMESTAMP AS closed_at, NULL::VARCHAR AS organisation, NULL::VARCHAR AS service, "
    "NULL::TIMESTAMP AS updated_at WHERE false)"
)
GRACE = dt.timedelta(minutes=15)
"""How long a retired part outlives the publish that retired it (for readers still on the
snapshot before; the site's reader reopens on its next request after a publish)."""


def store_dir(warehouse: Path) -> Path:
    """`warehouse/tracker.duckdb` keeps its requests in `warehouse/tracker.cases/`."""
    return warehouse.resolve().with_name(f"{warehouse.stem}.cases")


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The store's tables, and the `cases` view as a run sees it (with rows pending)."""
    con.execute(DDL)
    con.execute(PENDING)
    define_view(con, pending=True)


def define_view(con: duckdb.DuckDBPyConnection, *, pending: bool) -> None:
    """`cases`: every current part read in place; `pending` adds this run's inbox and hides
    its drops (the view a snapshot publishes has none)."""
    paths = [str(r[0]) for r in con.execute("SELECT path FROM case_parts ORDER BY 1").fetchall()]
    files = ", ".join(literal(p) for p in paths)
    source = f"read_parquet([{files}])" if paths else EMPTY
    stored = f"SELECT {COLUMNS} FROM {source}"  # noqa: S608 - constant columns, quoted paths
    if pending:
        stored = f"""
            SELECT s.* FROM ({stored}) s
            WHERE NOT EXISTS (SELECT 1 FROM case_drop_loads d WHERE d.load_id = s.load_id)
              AND NOT EXISTS (SELECT 1 FROM case_drop_rows d
                              WHERE d.load_id = s.load_id AND d.row_number = s.row_number)
            UNION ALL SELECT {COLUMNS} FROM case_inbox"""  # noqa: S608 - constant columns
    con.execute(f"CREATE OR REPLACE VIEW cases AS {stored}")


def drop_load(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """Forget every row of an earlier load (its file was revised)."""
    con.execute("DELETE FROM case_inbox WHERE load_id = ?", [load_id])
    con.execute("INSERT INTO case_drop_loads VALUES (?)", [load_id])


def drop_source(con: duckdb.DuckDBPyConnection, source_id: str) -> int:
    """Forget every row of a source; returns how many there were."""
    create(con)
    rows = con.execute("SELECT count(*) FROM cases WHERE source_id = ?", [source_id])
    count = int(rows.fetchall()[0][0])
    con.execute("DELETE FROM case_inbox WHERE source_id = ?", [source_id])
    con.execute(
        "INSERT INTO retired_parts SELECT path, ? FROM case_parts WHERE source_id = ?",
        [now(), source_id],
    )
    for table in ("case_parts", "case_load_months"):
        con.execute(f"DELETE FROM {table} WHERE source_id = ?", [source_id])  # noqa: S608
    define_view(con, pending=True)
    return count


def touched_months(con: duckdb.DuckDBPyConnection) -> list[tuple[str, dt.date]]:
    """Each (source, month opened) the run's new or dropped rows are in."""
    rows = con.execute(
        """SELECT DISTINCT source_id, date_trunc('month', opened_at)::DATE FROM case_inbox
           UNION SELECT source_id, month FROM case_drop_rows
           UNION SELECT m.source_id, m.month FROM case_load_months m
                 JOIN case_drop_loads d USING (load_id)
           ORDER BY ALL"""
    ).fetchall()
    return [(str(s), m) for s, m in rows]


def commit(con: duckdb.DuckDBPyConnection, store: Path) -> int:
    """Write each month the run's new or dropped rows touch to a new part, list it in
    `case_parts` (retiring the one before), and empty the inbox; returns parts written."""
    touched = touched_months(con)
    for source_id, month in touched:
        folder = store / f"source={source_id}" / f"month={month:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{uuid.uuid4().hex}.parquet"
        written = con.execute(
            f"""COPY (SELECT {COLUMNS} FROM cases WHERE source_id = $source
                      AND opened_at >= $month AND opened_at < $month + INTERVAL 1 MONTH
                      ORDER BY load_id, row_number)
                TO {literal(str(path))} (FORMAT parquet, COMPRESSION zstd)""",  # noqa: S608
            {"source": source_id, "month": month},
        ).fetchall()[0][0]
        _replace_part(con, source_id, month, path, int(written))
    for table in ("case_inbox", "case_drop_loads", "case_drop_rows"):
        con.execute(f"DELETE FROM {table}")  # noqa: S608 - constant names
    define_view(con, pending=False)
    return len(touched)


def _replace_part(
    con: duckdb.DuckDBPyConnection, source_id: str, month: dt.date, path: Path, rows: int
) -> None:
    key = {"source": source_id, "month": month}
    con.execute(
        "INSERT INTO retired_parts SELECT path, $now FROM case_parts "
        "WHERE source_id = $source AND month = $month",
        {**key, "now": now()},
    )
    con.execute("DELETE FROM case_parts WHERE source_id = $source AND month = $month", key)
    con.execute("DELETE FROM case_load_months WHERE source_id = $source AND month = $month", key)
    if not rows:
        path.unlink()
        return
    con.execute("INSERT INTO case_parts VALUES ($source, $month, $path, $rows)",
                {**key, "path": str(path), "rows": rows})  # fmt: skip
    con.execute(
        f"""INSERT INTO case_load_months SELECT source_id, load_id, $month, count(*)
            FROM read_parquet({literal(str(path))}) GROUP BY ALL""",  # noqa: S608
        {"month": month},
    )


def expire(con: duckdb.DuckDBPyConnection) -> list[Path]:
    """Take parts retired longer than GRACE ago off the list; returns them, to delete once
    the snapshot without them is published."""
    cutoff = now() - GRACE
    rows = con.execute("SELECT path FROM retired_parts WHERE retired_at < ?", [cutoff])
    gone = [Path(str(r[0])) for r in rows.fetchall()]
    con.execute("DELETE FROM retired_parts WHERE retired_at < ?", [cutoff])
    return gone


def listed(con: duckdb.DuckDBPyConnection) -> set[Path]:
    """Every part a snapshot names: current or retired."""
    rows = con.execute("SELECT path FROM case_parts UNION SELECT path FROM retired_parts")
    return {Path(str(r[0])) for r in rows.fetchall()}


def sweep(warehouse: Path, gone: list[Path], known: set[Path]) -> None:
    """After a publish: delete the parts it expired, and any part in the store that the
    published snapshot does not name (left by a run that died before publishing; the writer
    lock, held by the caller, means no other run is writing one now). Only parts in this
    warehouse's own store: a copied snapshot names its original's parts, never deleted here."""
    store = store_dir(warehouse)
    for path in gone:
        if path.is_relative_to(store):
            path.unlink(missing_ok=True)
    for part in store.glob("source=*/month=*/part-*.parquet"):
        if part not in known:
            part.unlink()
