"""The working behind each verdict: the requests a day counts, and the files a source sent.

Read side only: every frame here comes from the same SQL as its download (the `cases`
dataset) or from the provenance ingest keeps (`loads`, `rejects`), never from a re-derived
figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl

from metrics.cache import cached
from metrics.datasets import cases, observations, rejects
from metrics.datasets.base import Filters
from metrics.queries import SERIES_KEY
from metrics.reader import read_frame


@cached
def service_day(
    slug: str, service_slug: str, day: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> dict[str, Any] | None:
    """One service's verdict on one day, or None where the day is not in its series.

    Keys: organisation, jurisdiction, service, standard_id, due, on_time, no_target,
    target_percent, status.
    """
    frame = read_frame(
        """SELECT organisation, jurisdiction, service, standard_id, due, on_time, no_target,
                  target_percent::DOUBLE AS target_percent, status
           FROM service_days
           WHERE org_slug = $slug AND service_slug = $service AND day = $day""",
        {"slug": slug, "service": service_slug, "day": day},
        con,
    )
    return frame.row(0, named=True) if frame.height else None


@cached
def day_cases(
    slug: str, service_slug: str, day: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """The requests due on `day`: the rows of the `cases` dataset for that day (its columns)."""
    query = Filters(organisations=(slug,), service=service_slug, day=day).bind(cases.SQL)
    return read_frame(query.sql, query.params, con)


@cached
def ledger_files(source_id: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Every file a source sent, oldest load first.

    Columns: load_id, file_name, sha256, received (when its load finished, UTC), rows_read,
    rows_loaded, rows_rejected, rows_excluded, status, superseded_by, superseded_by_file,
    reason (why a whole file was refused).
    """
    return read_frame(
        """SELECT l.load_id, l.file_name, l.sha256, l.finished_at AS received, l.rows_read,
                  l.rows_loaded, l.rows_rejected, l.rows_excluded, l.status, l.superseded_by,
                  n.file_name AS superseded_by_file, l.reason
           FROM loads l LEFT JOIN loads n ON n.load_id = l.superseded_by
           WHERE l.source_id = $source ORDER BY l.load_id""",
        {"source": source_id},
        con,
    )


@cached
def ledger_source(
    source_id: str, con: duckdb.DuckDBPyConnection | None = None
) -> dict[str, Any] | None:
    """A source's catalog entry as loaded (title, jurisdiction, publisher, licence,
    source_url), or None for an unknown id."""
    frame = read_frame(
        """SELECT source_id, title, jurisdiction, publisher, licence, licence_url, source_url,
                  kind FROM sources WHERE source_id = $source""",
        {"source": source_id},
        con,
    )
    return frame.row(0, named=True) if frame.height else None


@cached
def ledger_replacements(source_id: str, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """How many cases of a source arrived again in a later file and replaced their earlier
    version (each kept once)."""
    frame = read_frame(
        "SELECT count(*) AS n FROM case_replacements WHERE source_id = $source",
        {"source": source_id},
        con,
    )
    return int(frame["n"][0])


@cached
def ledger_rejects(
    source_id: str, most: int, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[pl.DataFrame, int]:
    """A source's rejected rows (the `rejects` dataset's rows, at most `most`) and how many
    there are in all."""
    query = Filters(source=source_id).bind(rejects.SQL)
    order = "ORDER BY load_id, row_number, column_name"
    shown = read_frame(
        f"SELECT * FROM ({query.sql}) {order} LIMIT {int(most)}",  # noqa: S608 - constants, an int
        query.params,
        con,
    )
    total = read_frame(
        f"SELECT count(*) AS n FROM ({query.sql})",  # noqa: S608 - a constant
        query.params,
        con,
    )
    return shown, int(total["n"][0])


@cached
def verdict_rows(
    slug: str, standard_id: str, start: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """The published row a monthly or yearly verdict was judged on, then any earlier rows a
    revision replaced: the rows of the `observations` dataset for that period (its columns)."""
    view = Filters(organisations=(slug,), standard=standard_id, start=start, end=start)
    query = view.bind(observations.SQL)
    return read_frame(query.sql, query.params, con)


@cached
def league_verdicts(
    slug: str, month: dt.date, standard: str, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """The judged periods a league row counts: the organisation's verdicts on `standard` (a
    catalog standard id, or 'all') in the league window to `month` (a month of days, the
    12 months to it, or the fiscal year starting in it), by service then period.

    Columns: service, standard_id, standard, grain, period_start, value, target, comparator,
    unit, status, series (the standard's key under the organisation, for its pages).
    """
    return read_frame(
        f"""SELECT service, standard_id, standard, grain, period_start, value, target,
                  comparator, unit, status, {SERIES_KEY} AS series
           FROM judgements
           WHERE org_slug = $slug AND org_level = 'organisation'
             AND status IN ('met', 'not_met', 'no_data')
             AND ($standard = 'all' OR split_part(standard_id, ':', 1) = $standard)
             AND CASE WHEN grain = 'month'
                      THEN period_start BETWEEN ($month - INTERVAL 11 MONTH)::DATE AND $month
                      ELSE date_trunc('month', period_start) = $month END
           ORDER BY service, standard_id, period_start""",  # noqa: S608 - a constant
        {"slug": slug, "month": month, "standard": standard},
        con,
    )
