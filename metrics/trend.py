"""Change and trend for every league row: its latest period on the one before and on a year
earlier, and the SPC verdict on its series up to that period.

A row's period is the league month for a daily source (the month's pooled share: the row's
own performance), the fiscal year for a yearly one, and the league's last month (not its
12-month window) for a monthly one, whose figure is that month's judgement as the standard's
page charts it, so the page's SPC verdict and changes are the row's.
"""

from __future__ import annotations

import bisect

import duckdb
import polars as pl

from metrics.grain import Grain
from metrics.spc import (
    NOT_ENOUGH,
    VERDICT_WORDS,
    Improvement,
    latest_variation,
    prefix_variations,
)

KEY = ["jurisdiction", "standard_id", "org_slug"]

PERIODS = """
CREATE OR REPLACE TEMP TABLE period_performance AS
-- A daily or yearly league row covers exactly one period: its performance is the period's
-- (the same in every peer group the organisation is ranked in).
SELECT DISTINCT jurisdiction, standard_id, org_slug, month AS period, performance
FROM league WHERE grain IN ('day', 'fiscal_year') AND standard_id <> 'all'
UNION ALL
-- One judgement per organisation, standard and month (one service each): its figure, as
-- the standard's own page charts and compares it.
SELECT jurisdiction, standard_id, org_slug, period_start, value
FROM judgements WHERE grain = 'month' AND org_level = 'organisation';

CREATE OR REPLACE TEMP TABLE league_changes AS
SELECT l.jurisdiction, l.month, l.standard_id, l.org_slug, l.comparator,
       n.performance - p.performance AS change_previous,
       n.performance - y.performance AS change_year
FROM (SELECT DISTINCT jurisdiction, month, standard_id, org_slug, comparator, grain
      FROM league) l  -- one row per organisation, whichever peer groups rank it
LEFT JOIN period_performance n ON n.jurisdiction = l.jurisdiction
     AND n.standard_id = l.standard_id AND n.org_slug = l.org_slug AND n.period = l.month
LEFT JOIN period_performance p ON p.jurisdiction = l.jurisdiction
     AND p.standard_id = l.standard_id AND p.org_slug = l.org_slug
     AND p.period = (l.month - CASE WHEN l.grain = 'fiscal_year' THEN INTERVAL 1 YEAR
                                    ELSE INTERVAL 1 MONTH END)::DATE
LEFT JOIN period_performance y ON y.jurisdiction = l.jurisdiction
     AND y.standard_id = l.standard_id AND y.org_slug = l.org_slug
     AND y.period = (l.month - INTERVAL 1 YEAR)::DATE
WHERE l.standard_id <> 'all';
"""


def verdict(values: list[float | None], comparator: str | None) -> str:
    """The SPC verdict in a word on a series ending at the row's period ('improving',
    'deteriorating', 'no significant change'); 'not enough data' with fewer than two figures
    or none for the period itself. Higher is better for '>=', lower for '<='."""
    improvement: Improvement = "decrease" if comparator == "<=" else "increase"
    variation = latest_variation(values, improvement)
    return NOT_ENOUGH if variation is None else VERDICT_WORDS[variation]


def prefix_verdicts(values: list[float | None], comparator: str | None) -> list[str]:
    """`verdict(values[: i + 1], comparator)` for every i, in one pass over the series."""
    improvement: Improvement = "decrease" if comparator == "<=" else "increase"
    return [
        NOT_ENOUGH if v is None else VERDICT_WORDS[v]
        for v in prefix_variations(values, improvement)
    ]


def verdicts(periods: pl.DataFrame, rows: pl.DataFrame) -> pl.Series:
    """Each league row's verdict on its series up to and including the row's month."""
    series: dict[tuple[str, str, str], tuple[list[object], list[float | None]]] = {}
    for part in periods.sort("period").partition_by(KEY, maintain_order=True):
        key = (part["jurisdiction"][0], part["standard_id"][0], part["org_slug"][0])
        series[key] = (list(part["period"]), list(part["performance"]))
    words: dict[tuple[str, str, str, str | None], list[str]] = {}
    out = []
    for j, s, org, month, comparator in rows.select(*KEY, "month", "comparator").iter_rows():
        dates, values = series.get((j, s, org), ([], []))
        end = bisect.bisect_right(dates, month)
        if not (end > 0 and dates[end - 1] == month):
            out.append(NOT_ENOUGH)
            continue
        if (j, s, org, comparator) not in words:
            words[(j, s, org, comparator)] = prefix_verdicts(values, comparator)
        out.append(words[(j, s, org, comparator)][end - 1])
    return pl.Series("spc_verdict", out, dtype=pl.String)


def add_league_trends(con: duckdb.DuckDBPyConnection) -> None:
    """Add change_previous, change_year and spc_verdict to every `league` row; an 'all' row
    (several standards pooled, no performance) has none of them."""
    con.execute(PERIODS)
    rows = con.sql("SELECT * FROM league_changes").pl()
    periods = con.sql("SELECT * FROM period_performance").pl()
    trends = rows.drop("comparator").with_columns(verdicts(periods, rows))
    con.register("trends", trends)
    con.execute(
        """CREATE OR REPLACE TABLE league AS
           SELECT l.*, t.change_previous, t.change_year, t.spc_verdict
           FROM league l LEFT JOIN trends t USING (jurisdiction, month, standard_id, org_slug)"""
    )
    con.unregister("trends")


GROUP_FIGURES = """
CREATE OR REPLACE TEMP TABLE group_figures AS
WITH rows AS (
    -- A daily or yearly league row covers one period: its counts are the period's.
    SELECT jurisdiction, peer_group, standard_id, month AS period, grain, comparator,
           performance_unit AS unit, performance_numerator AS num,
           performance_denominator AS den, performance AS value
    FROM league
    WHERE grain IN ('day', 'fiscal_year') AND standard_id <> 'all' AND performance IS NOT NULL
    UNION ALL
    -- A monthly league row covers 12 months: the group's figure for its last month pools
    -- that month's judged figures of the organisations the group holds in that window.
    SELECT l.jurisdiction, l.peer_group, l.standard_id, l.month, 'month', l.comparator,
           j.unit, j.numerator, j.denominator, j.value
    FROM (SELECT DISTINCT jurisdiction, peer_group, standard_id, month, org_slug, comparator
          FROM league WHERE grain = 'month' AND standard_id <> 'all') l
    JOIN judgements j ON j.jurisdiction = l.jurisdiction AND j.org_slug = l.org_slug
         AND split_part(j.standard_id, ':', 1) = l.standard_id AND j.period_start = l.month
    WHERE j.org_level = 'organisation' AND j.status IN ('met', 'not_met')
)
-- Pooled on volumes (all within the standard / all judged) where every figure has its
-- counts; otherwise (a mean time, a published share) the mean of the members' figures.
SELECT jurisdiction, peer_group, standard_id, period, any_value(grain) AS grain,
       any_value(comparator) AS comparator, any_value(unit) AS unit,
       count(*) AS figures,
       CASE WHEN any_value(unit) = 'share' AND count(*) = count(num) AND count(*) = count(den)
                 AND sum(den) > 0 THEN sum(num)::BIGINT END AS numerator,
       CASE WHEN any_value(unit) = 'share' AND count(*) = count(num) AND count(*) = count(den)
                 AND sum(den) > 0 THEN sum(den)::BIGINT END AS denominator,
       CASE WHEN any_value(unit) = 'share' AND count(*) = count(num) AND count(*) = count(den)
                 AND sum(den) > 0 THEN sum(num) / sum(den) ELSE avg(value) END AS performance
FROM rows GROUP BY jurisdiction, peer_group, standard_id, period
"""


def group_series_trends(part: pl.DataFrame) -> pl.DataFrame:
    """One group's series (one standard, its periods oldest first): each period's change on
    the period before (null where that period has no figure) and its SPC verdict on the
    series up to it."""
    periods, values = list(part["period"]), list(part["performance"])
    grain, comparator = (
        Grain("month" if part["grain"][0] == "day" else part["grain"][0]),
        part["comparator"][0],
    )
    at = dict(zip(periods, values, strict=True))
    changes = []
    for period, value in zip(periods, values, strict=True):
        before = at.get(grain.previous(period))
        changes.append(None if before is None or value is None else value - before)
    words = prefix_verdicts(values, comparator)
    return part.with_columns(
        pl.Series("change_previous", changes, dtype=pl.Float64),
        pl.Series("spc_verdict", words, dtype=pl.String),
    )


def build_group_trends(con: duckdb.DuckDBPyConnection) -> None:
    """`group_trends`: every peer group's pooled figure for each period of each standard, its
    change on the period before and its SPC verdict, as a league's headline says them."""
    con.execute(GROUP_FIGURES)
    figures = con.sql("SELECT * FROM group_figures ORDER BY ALL").pl()
    keys = ["jurisdiction", "peer_group", "standard_id"]
    parts = [group_series_trends(p) for p in figures.partition_by(keys, maintain_order=True)]
    trends = pl.concat(parts) if parts else figures
    con.register("trends", trends)
    con.execute("CREATE OR REPLACE TABLE group_trends AS SELECT * FROM trends")
    con.unregister("trends")
