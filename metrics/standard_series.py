"""One organisation's standard series, in depth: its periods, its record and its changes.

A series is one standard judged for one service of one organisation; `queries.SERIES_KEY`
names it in URLs. Daily series are also read month by month, pooled (all on time / all due).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from metrics import records
from metrics.grain import Grain
from metrics.queries import SERIES_KEY
from metrics.reader import read_frame


def series_list(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Each standard series of an organisation, by service. Columns: series (URL key),
    service, standard_id, standard (latest wording), grain, unit, comparator, periods."""
    return read_frame(
        f"""SELECT {SERIES_KEY} AS series, service, standard_id,
                  arg_max(standard, period_start) AS standard, grain, any_value(unit) AS unit,
                  any_value(comparator) AS comparator, count(*) AS periods
           FROM judgements WHERE org_slug = $slug AND org_level = 'organisation'
           GROUP BY ALL ORDER BY service, standard_id""",  # noqa: S608 - a constant
        {"slug": slug},
        con,
    )


def series_periods(
    slug: str, key: str, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """Every judged period of one series, oldest first (the rows of `judgements`).

    Columns: org_slug, service, standard_id, standard, grain, period_start, period_end,
    numerator, denominator, value, target, comparator, unit, marker, status.
    """
    return read_frame(
        f"""SELECT org_slug, service, standard_id, standard, grain, period_start, period_end,
                  numerator,
                  denominator, value, target, comparator, unit, marker, status
           FROM judgements WHERE org_slug = $slug AND org_level = 'organisation'
                AND {SERIES_KEY} = $key
           ORDER BY period_start""",  # noqa: S608 - a constant
        {"slug": slug, "key": key},
        con,
    )


def pooled_months(
    slug: str, service_slug: str, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """A daily service month by month: its days-met record and its pooled share on time.

    Shaped like `judgements` so SPC and tables read it the same way. Columns: period_start
    (the month), days_met, days_not_met, days_not_applicable, numerator (on time),
    denominator (due), value (pooled share, null when nothing was due), target (share),
    comparator, unit ('share'), status of the pooled share ('met' when on time x 100 >=
    target percent x due, compared exactly as each day is; 'not_applicable' when nothing due).
    """
    return read_frame(
        """WITH t AS (
               SELECT date_trunc('month', day)::DATE AS month,
                      arg_max(target_percent, day)::DOUBLE AS target_percent
               FROM service_days WHERE org_slug = $slug AND service_slug = $service
               GROUP BY 1)
           SELECT d.month AS period_start, d.days_met, d.days_not_met, d.days_not_applicable,
                  d.on_time AS numerator, d.due AS denominator,
                  CASE WHEN d.due > 0 THEN d.on_time / d.due END AS value,
                  t.target_percent / 100 AS target, '>=' AS comparator, 'share' AS unit,
                  CASE WHEN d.due = 0 THEN 'not_applicable'
                       WHEN d.on_time * 100 >= t.target_percent * d.due THEN 'met'
                       ELSE 'not_met' END AS status
           FROM days_met d JOIN t USING (month)
           WHERE d.org_slug = $slug AND d.service_slug = $service
           ORDER BY d.month""",
        {"slug": slug, "service": service_slug},
        con,
    )


@dataclass(frozen=True)
class SeriesRecord:
    """A series' record over all its periods, and the latest value's changes."""

    record: records.MetRecord
    last_met: dt.date | None
    current_miss_run: int
    longest_miss_run: int
    latest: dt.date | None  # the latest period with a value
    change_previous: float | None
    change_year: float | None


def previous_period(period: dt.date, grain: str) -> dt.date:
    """The period before: the day, month or (for a fiscal year) year before."""
    return Grain(grain).previous(period)


def series_record(frame: pl.DataFrame, grain: str) -> SeriesRecord:
    """Record, last met, runs of misses and changes of a judgements-shaped series."""
    periods, statuses = list(frame["period_start"]), list(frame["status"])
    values = dict(zip(periods, frame["value"], strict=True))
    latest = next((p for p in reversed(periods) if values[p] is not None), None)
    change_previous = change_year = None
    if latest is not None:
        change_previous, change_year = records.changes(
            values, latest, previous_period(latest, grain)
        )
    return SeriesRecord(
        record=records.met_record(statuses),
        last_met=records.last_met(periods, statuses),
        current_miss_run=records.current_miss_run(statuses),
        longest_miss_run=records.longest_miss_run(statuses),
        latest=latest,
        change_previous=change_previous,
        change_year=change_year,
    )
