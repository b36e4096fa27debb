"""What every dataset is made of: its filters, its fields and how its rows come back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import polars as pl

STATUS = "GSS marker for {}: [x] not available, [z] not applicable, [u] low reliability"


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
    peer_group: str | None = None
    month: dt.date | None = None
    day: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None

    def bind(self, sql: str) -> SqlQuery:
        """`sql` with the filters it names bound (DuckDB refuses unused parameters).

        Filters left empty match everything: `$j` (jurisdiction name), `$orgs` (organisation
        slugs, an empty list for all), `$service`, `$standard`, `$month`, `$start`/`$end`
        (first days of months), `$day` (a local calendar day), `$source`.
        """
        values: dict[str, object] = {
            "j": self.jurisdiction,
            "orgs": list(self.organisations),
            "service": self.service,
            "standard": self.standard,
            "month": self.month,
            "day": self.day,
            "start": self.start,
            "end": self.end,
            "source": self.source,
        }
        return SqlQuery(sql, {k: v for k, v in values.items() if f"${k}" in sql})


Rows = pl.DataFrame | SqlQuery


@dataclass(frozen=True)
class Field:
    """One column: Frictionless type (string, integer, number, date, datetime, boolean)."""

    name: str
    type: str
    description: str
    unit: str | None = None
    unit_column: str | None = None  # where each row names its own unit ('share', 'seconds')


@dataclass(frozen=True)
class Dataset:
    """One downloadable dataset: its name, meaning, parameters, fields and how to read it.

    Rows come back either as a polars frame (small ones, built by the same `metrics.queries`
    function the page calls) or as bound SQL to stream in batches (`streamed`).
    """

    name: str
    title: str
    description: str
    params: tuple[str, ...]
    fields: tuple[Field, ...]
    read: Callable[[Filters, duckdb.DuckDBPyConnection], Rows]
    streamed: bool = False
    # Its streamed query sorts: it reads through the pages' DuckDB instance, since a sort
    # needs room that the downloads' small one (metrics.reader.Reader) does not have.
    sorted: bool = False

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return [f.name for f in self.fields]


def fields(*rows: tuple[str, ...]) -> tuple[Field, ...]:
    """Fields from (name, type, description[, unit[, unit_column]]); a name ending _status
    gets its wording."""
    out = []
    for name, kind, *rest in rows:
        if name.endswith("_status") and not rest:
            rest = [STATUS.format(name.removesuffix("_status"))]
        out.append(Field(name, kind, *rest))
    return tuple(out)


IN_VIEW = """($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))"""
"""SQL for rows of the view's area and organisations (every one where none is named)."""

S, INT, N, D, T, B = "string", "integer", "number", "date", "datetime", "boolean"
ORG = ("organisation", S, "Organisation (department, trust or agency) as the source names it")
WHERE = ("jurisdiction", S, "Area whose organisations are compared")
SERVICE = ("service", S, "Service or request type the standard applies to")
STD = ("standard_id", S, "Identifier of the standard (see the standards dataset)")
SET_BY = (
    "standard_set_by",
    S,
    "Who set the standard judged: agency (published by the agency) or tracker (set by this "
    "site where the agency publishes none; the reason is in the standards dataset)",
)
