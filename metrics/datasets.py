"""The downloadable datasets: one query function each, shared with the pages that show them.

`DATASETS` is the registry the download routes, the data package, the OpenAPI document and
the `/data` page are all generated from. A dataset's rows come back either as a polars frame
(small ones, built by the same `metrics.queries` function the page calls) or as bound SQL to
stream in batches (`records`, `daily`, `rejects`, which can run to millions of rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb
import polars as pl

from metrics import dataset_sql, queries
from metrics.dataset_fields import FIELDS, Field
from metrics.wording import days_met_headline


class SqlQuery(NamedTuple):
    """A dataset's query text and its bound parameters, to stream batch by batch."""

    sql: str
    params: dict[str, object]


@dataclass(frozen=True)
class Filters:
    """A view's parameters, already checked: names and dates, never raw request text."""

    jurisdiction: str | None = None
    organisations: tuple[str, ...] = ()
    service: str | None = None
    standard: str | None = None
    month: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None


Rows = pl.DataFrame | SqlQuery


@dataclass(frozen=True)
class Dataset:
    """One downloadable dataset: its name, meaning, parameters and fields."""

    name: str
    title: str
    description: str
    params: tuple[str, ...]
    read: Callable[[Filters, duckdb.DuckDBPyConnection], Rows]
    streamed: bool = False
    fields: tuple[Field, ...] = field(default=())


def _bound(f: Filters) -> dict[str, object]:
    return {
        "j": f.jurisdiction,
        "orgs": list(f.organisations),
        "service": f.service,
        "standard": f.standard,
        "month": f.month,
        "start": f.start,
        "end": f.end,
        "source": f.source,
    }


def _pick(sql: str, f: Filters) -> dict[str, object]:
    """Only the parameters `sql` uses (DuckDB refuses unused ones)."""
    return {k: v for k, v in _bound(f).items() if f"${k}" in sql}


def league(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """The league table as the home page shows it (`queries.league_table`)."""
    assert f.jurisdiction is not None and f.month is not None
    frame = queries.league_table(f.jurisdiction, f.month, con, f.standard)
    low = pl.col("reliability") == "[u]"
    none = pl.col("periods_judged") == 0

    def status(name: str) -> pl.Expr:
        return (
            pl.when(none).then(pl.lit("[z]")).when(low).then(pl.lit("[u]")).otherwise(None)
        ).alias(name + "_status")

    frame = frame.with_columns(
        pl.when(none).then(pl.lit("[z]")).when(pl.col("rank").is_null()).then(pl.lit("[u]"))
        .otherwise(None).alias("rank_status"),
        *(status(n) for n in ("share_met", "share_lower", "share_upper")),
    )  # fmt: skip
    return frame.select(FIELDS["league"].names)


def records(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """Every judged standard-period of the view, to stream."""
    return SqlQuery(dataset_sql.RECORDS, _pick(dataset_sql.RECORDS, f))


def daily(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """One row per service, standard and day (the department page's daily figures)."""
    return SqlQuery(dataset_sql.DAILY, _pick(dataset_sql.DAILY, f))


def days_met(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """One row per service, standard and month, with the headline sentence the page shows."""
    sql = dataset_sql.DAYS_MET
    frame: pl.DataFrame = con.sql(sql, params=_pick(sql, f)).pl()
    lines = [
        days_met_headline(met, judged, month)
        for met, judged, month in frame.select("days_met", "days_judged", "month").iter_rows()
    ]
    return frame.with_columns(pl.Series("headline", lines, dtype=pl.String))


def standards(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """The catalogue of standards (`queries.standards`), for a jurisdiction or all."""
    sql = dataset_sql.STANDARDS_SOURCES
    ids = con.sql(sql, params={"j": f.jurisdiction}).pl()["source_id"]
    frame = queries.standards(con).filter(pl.col("source_id").is_in(ids.implode()))
    return frame.with_columns(
        *(
            pl.when(pl.col(n).is_null()).then(pl.lit("[z]")).otherwise(None).alias(n + "_status")
            for n in ("target_percent", "target_value", "valid_to")
        )
    ).select(FIELDS["standards"].names)


def sources(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """Provenance: every file loaded, with its checksum and row counts."""
    frame: pl.DataFrame = con.sql(dataset_sql.SOURCES).pl()
    return frame


def rejects(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """Rows quarantined at ingest, and why, to stream."""
    return SqlQuery(dataset_sql.REJECTS, _pick(dataset_sql.REJECTS, f))


def _dataset(name: str, title: str, params: str, read: Callable[..., Rows], big: bool) -> Dataset:
    spec = FIELDS[name]
    return Dataset(name, title, spec.description, tuple(params.split()), read, big, spec.fields)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        _dataset("league", "League table", "jurisdiction month standard", league, False),
        _dataset("records", "Every judged standard-period",
                 "jurisdiction organisation service standard from to", records, True),
        _dataset("days-met", "Days-met records",
                 "jurisdiction organisation service month standard", days_met, False),
        _dataset("daily", "Each service's days",
                 "jurisdiction organisation service month standard", daily, True),
        _dataset("standards", "Standards catalogue", "jurisdiction", standards, False),
        _dataset("sources", "Sources and files loaded", "", sources, False),
        _dataset("rejects", "Rows rejected at ingest", "source", rejects, True),
    )
}  # fmt: skip
