"""Load one case-level agency file: declared columns, declared types, every bad row kept."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.catalog import CaseSource
from ingest.read import KEPT, LoadCounts, finish, now, problem, problems, quote, read_raw
from settings import today

# Each check: canonical field, SQL condition that marks the row bad, reason. Timestamps are
# parsed once (opened, due, closed); $today is the one clock's date. The raw value shown is
# the file's text of column "field"; {field} in a reason is that field's column in the file.
_CHECKS = (
    ("case_id", "nullif(case_key, '') IS NULL", "missing case id"),
    ("case_id", "row_number > first_row", "duplicate case id in this file"),
    ("opened_at", "opened IS NULL", "missing or unreadable open time"),
    ("due_at", "nullif(trim(due_at), '') IS NOT NULL AND due IS NULL", "unreadable target time"),
    ("closed_at", "nullif(trim(closed_at), '') IS NOT NULL AND closed IS NULL",
     "unreadable closed time"),
    # A future open or close time would become data_as_of and stretch every series past today.
    ("opened_at", "opened::DATE > $today", "open time is after today"),
    ("closed_at", "closed::DATE > $today", "closed time is after today"),
    # Times out of order: a case cannot close, or fall due, before it was opened.
    ("closed_at", "closed < opened", "closed before it was opened ({opened_at})"),
    ("due_at", "due < opened", "target time is before the open time ({opened_at})"),
    ("organisation", "nullif(trim(organisation), '') IS NULL", "missing organisation"),
    ("service", "nullif(trim(service), '') IS NULL", "missing service"),
)  # fmt: skip
_UPDATED = ("updated_at", "nullif(trim(updated_at), '') IS NOT NULL AND updated IS NULL",
            "unreadable update time")  # fmt: skip


def stage(con: duckdb.DuckDBPyConnection, path: Path, source: CaseSource) -> None:
    """Read the file as text into temp table `staged`, one row per record, canonical names."""
    read_raw(con, path, source.file, list(source.columns.values()), source.filters)
    picks = ", ".join(f"{quote(src)} AS {field}" for field, src in source.columns.items())
    con.execute(
        f"CREATE TEMP TABLE staged AS SELECT row_number, {picks}, excluded_by FROM raw_file"  # noqa: S608
    )
    con.execute("DROP TABLE raw_file")


def _declared(source: CaseSource, check: tuple[str, str, str]) -> list[tuple[str, str, str]]:
    """The check of an optional field, if the entry declares the field."""
    return [check] if check[0] in source.columns else []


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, source: CaseSource, load_id: int
) -> LoadCounts:
    """Insert the staged file's good rows into `cases` and its bad rows into `rejects`."""
    stage(con, path, source)
    checks = problems(
        [
            (cond, problem(source.columns[field], field, why.format(**source.columns)))
            for field, cond, why in (*_CHECKS, *_declared(source, _UPDATED))
        ]
    )
    declared = "updated_at" in source.columns
    updated = "try_strptime(updated_at, $fmt)" if declared else "NULL::TIMESTAMP"
    # Repeated ids are found by GROUP BY (cheaper than a window over every row).
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE judged AS
        WITH parsed AS (
            SELECT *, trim(case_id) AS case_key, try_strptime(opened_at, $fmt) AS opened,
                   try_strptime(due_at, $fmt) AS due, try_strptime(closed_at, $fmt) AS closed,
                   {updated} AS updated
            FROM staged
        ), repeats AS (
            SELECT case_key AS repeated_key, min(row_number) AS first_row FROM parsed
            WHERE excluded_by IS NULL GROUP BY 1 HAVING count(*) > 1
        )
        SELECT p.*, {checks} AS problems
        FROM parsed p LEFT JOIN repeats r ON r.repeated_key IS NOT DISTINCT FROM p.case_key
                      AND p.excluded_by IS NULL
        """,  # noqa: S608 - CASE arms are the constant _CHECKS with catalog names quoted
        {"fmt": source.file.timestamp_format or "", "today": today()},
    )
    con.execute(
        f"""
        INSERT INTO case_inbox
        SELECT $source, $load, row_number, case_key, opened, due, closed,
               trim(organisation), trim(service), updated
        FROM judged WHERE {KEPT}""",  # noqa: S608
        {"source": source.id, "load": load_id},
    )
    return finish(con, source.id, load_id, path)


def replace_earlier(con: duckdb.DuckDBPyConnection, source_id: str, load_id: int) -> int:
    """A case id this load shares with an earlier load is kept once: the later file's version,
    or the one with the later `updated_at` where the entry declares it (a tie: the later file;
    one without it loses to one with it). The version dropped is recorded in
    `case_replacements`; returns how many. Call it once the load is in `loads`."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE pairs AS
           WITH met AS (
               SELECT n.case_id, o.load_id AS o_load, o.row_number AS o_row,
                      n.load_id AS n_load, n.row_number AS n_row,
                      date_trunc('month', o.opened_at)::DATE AS o_month,
                      date_trunc('month', n.opened_at)::DATE AS n_month,
                      coalesce(o.updated_at > n.updated_at, o.updated_at IS NOT NULL
                               AND n.updated_at IS NULL) AS keep_old
               FROM case_inbox n JOIN cases o ON o.source_id = n.source_id
                    AND o.case_id = n.case_id AND o.load_id <> n.load_id
               WHERE n.source_id = $source AND n.load_id = $load
           )
           SELECT case_id,
                  CASE WHEN keep_old THEN n_load ELSE o_load END AS d_load,
                  CASE WHEN keep_old THEN n_row ELSE o_row END AS d_row,
                  CASE WHEN keep_old THEN n_month ELSE o_month END AS d_month,
                  CASE WHEN keep_old THEN o_load ELSE n_load END AS k_load,
                  CASE WHEN keep_old THEN o_row ELSE n_row END AS k_row
           FROM met""",
        {"source": source_id, "load": load_id},
    )
    con.execute(
        """INSERT INTO case_replacements
           SELECT $source, p.case_id, p.d_load, d.file_name, p.d_row, p.k_load, k.file_name,
                  p.k_row, $now
           FROM pairs p JOIN loads d ON d.load_id = p.d_load JOIN loads k ON k.load_id = p.k_load
           ORDER BY p.k_load, p.k_row""",
        {"source": source_id, "now": now()},
    )
    # Dropped: from this run's inbox if it arrived in this run, else hidden from the store
    # until the run writes the month again without it.
    con.execute(
        "DELETE FROM case_inbox c USING pairs p "
        "WHERE c.load_id = p.d_load AND c.row_number = p.d_row"
    )
    dropped = con.execute(
        "INSERT INTO case_drop_rows SELECT $source, d_month, d_load, d_row FROM pairs",
        {"source": source_id},
    ).fetchall()[0][0]
    con.execute("DROP TABLE pairs")
    return int(dropped)
