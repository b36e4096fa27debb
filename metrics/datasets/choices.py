"""What a download's parameters may name: the values the warehouse holds, for checking."""

from __future__ import annotations

import datetime as dt

import duckdb


def _column(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [str(row[0]) for row in con.sql(sql).fetchall()]


def organisations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every ranked organisation's slug."""
    return _column(con, "SELECT DISTINCT org_slug FROM league ORDER BY org_slug")


def league_months(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """Every month with a league table, in any area."""
    rows = con.sql("SELECT DISTINCT month FROM league ORDER BY month").fetchall()
    return [row[0] for row in rows]


def standard_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every standard judged for an organisation."""
    sql = "SELECT DISTINCT standard_id FROM judgements WHERE org_level = 'organisation' ORDER BY 1"
    return _column(con, sql)


def service_slugs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every service judged for an organisation."""
    sql = "SELECT DISTINCT service_slug FROM judgements WHERE org_level = 'organisation' ORDER BY 1"
    return _column(con, sql)


def source_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every catalog entry loaded."""
    return _column(con, "SELECT source_id FROM sources ORDER BY source_id")


def published_at(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """When ingest published the warehouse (UTC), for Last-Modified."""
    rows = con.sql("SELECT value FROM meta WHERE key = 'published_at'").fetchall()
    if not rows:
        return None
    stamp = dt.datetime.fromisoformat(str(rows[0][0]))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
