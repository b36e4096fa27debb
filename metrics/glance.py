"""An organisation at a glance, for standards judged monthly or by fiscal year: each standard's
league record and its own period's figure, and its rank in its peer group beside the group.

Everything here is read from the `league` (the same rows, ranks and trend columns the league
table shows) and the organisation's `judgements`; nothing is recomputed:

- the **headline standard** is the first the area's catalog entries declare among those the
  organisation is judged on (NHS England: all-types 4 hours; ambulance trusts: Category 1
  mean; Canada: each service's own standard);
- its **peer group** is the first group, in the catalog's order, that holds it in the window;
  it is ranked there on the group's standard, or on its headline standard where the group
  compares each standard (the league's rank for that group, standard and window);
- the **group's performance** is the league's performance pooled over the group's members:
  the sum of their numerators over the sum of their denominators (NHS England's own figure
  for the group), or, for a time with no counts, the mean of their performances.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from metrics import queries
from metrics.cache import cached
from metrics.league import pooled_performance
from metrics.reader import read_frame

STANDINGS = """
WITH declared AS (
    SELECT standard_id, min(rowid) AS position, any_value(wording) AS wording,
           any_value(target_percent)::DOUBLE / 100 AS fixed_share,
           any_value(target_value)::DOUBLE AS fixed_value
    FROM standards GROUP BY standard_id
), record AS (
    SELECT l.* EXCLUDE (rank, peer_group)
    FROM league l JOIN peer_groups g
         ON g.jurisdiction = l.jurisdiction AND g.peer_group = l.peer_group
    WHERE l.org_slug = $slug AND l.month = $month AND l.standard_id <> 'all'
    QUALIFY row_number() OVER (PARTITION BY l.standard_id ORDER BY g.position) = 1
), period AS (
    SELECT split_part(standard_id, ':', 1) AS standard_id, any_value(service) AS service,
           count(*) AS n_rows, any_value(value) AS value, any_value(numerator) AS numerator,
           any_value(denominator) AS denominator, any_value(target) AS target,
           any_value(status) AS status
    FROM judgements WHERE org_slug = $slug AND period_start = $month
    GROUP BY ALL
)
SELECT r.standard_id, d.position,
       CASE WHEN p.n_rows = 1 THEN p.service ELSE d.wording END AS service, d.wording,
       r.grain, r.periods_met, r.periods_judged, r.periods_no_data, r.performance,
       r.performance_numerator, r.performance_denominator, r.performance_unit, r.comparator,
       r.change_previous, r.change_year, r.spc_verdict,
       -- a fiscal year's window is the year itself, so its figure is the league's
       CASE WHEN p.n_rows = 1 THEN p.value ELSE r.performance END AS value,
       CASE WHEN p.n_rows = 1 THEN p.numerator ELSE r.performance_numerator END AS numerator,
       CASE WHEN p.n_rows = 1 THEN p.denominator ELSE r.performance_denominator END AS denominator,
       CASE WHEN p.n_rows = 1 THEN p.target
            ELSE coalesce(d.fixed_share, d.fixed_value) END AS target,
       CASE WHEN p.n_rows = 1 THEN p.status END AS status
FROM record r JOIN declared d USING (standard_id)
LEFT JOIN period p USING (standard_id)
ORDER BY d.position
"""


@cached
def standings(
    slug: str, month: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """Each standard an organisation is judged on in the league window to `month` (never the
    pooled 'all'), its headline standard first (the catalog's order).

    Columns: standard_id, position (catalog order), service (the standard's service as the
    organisation's figures name it; the standard's wording where the period has several
    rows, as a department's many Canadian standards), wording, grain, and from the league:
    periods_met, periods_judged, periods_no_data, performance, performance_numerator,
    performance_denominator, performance_unit, comparator, change_previous, change_year,
    spc_verdict; then the period `month` itself: value, numerator, denominator, target (the
    target its figure is judged against; null where each service set its own), status (null
    where several standards share the row). For a fiscal year the window is the year, so
    the period's figures are the league's performance and counts.
    """
    return read_frame(STANDINGS, {"slug": slug, "month": month}, con)


def shortfall(frame: pl.DataFrame, figure: str = "performance") -> pl.Series:
    """How far each standard's figure (its performance over the window, by default) falls
    short of its target, as a fraction of the target (0.33: a third short; negative: better
    than the target); null with no figure, or a target of nothing (a count that should be
    zero)."""
    target = frame["target"]
    gap = (
        pl.when(frame["comparator"] == ">=")
        .then(target - frame[figure])
        .otherwise(frame[figure] - target)
    )
    return frame.select(
        pl.when(target != 0).then(gap / target).otherwise(None).alias("shortfall")
    ).to_series()


def worst_first(frame: pl.DataFrame) -> pl.DataFrame:
    """The standards of `standings` with a period judged in the window, least often met first
    (the share of periods met), then the furthest short of the target; by service among
    equals. Those with nothing judged are left out (`nothing_judged`)."""
    judged = frame.filter(pl.col("periods_judged") > 0)
    return judged.with_columns(shortfall=shortfall(judged)).sort(
        [pl.col("periods_met") / pl.col("periods_judged"), "shortfall", "service"],
        descending=[False, True, False],
        nulls_last=True,
    )


def nothing_judged(frame: pl.DataFrame) -> list[str]:
    """The services of `standings` with no period judged in the window, by name."""
    return sorted(frame.filter(pl.col("periods_judged") == 0)["service"].to_list())


def year_worst_first(rows: pl.DataFrame) -> pl.DataFrame:
    """A fiscal year's published standards (rows of `queries.yearly_judgements` for one
    year) that were judged, those not met first, each furthest short of its own target
    first; by service among equals."""
    judged = rows.filter(pl.col("status").is_in(["met", "not_met"]))
    return judged.with_columns(shortfall=shortfall(judged, "value")).sort(
        [pl.col("status") == "met", "shortfall", "service"],
        descending=[False, True, False],
        nulls_last=True,
    )


@cached
def peer_standing(
    slug: str, month: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """The organisation's row of the league of its peer group for the window to `month`: the
    first group (catalog order) that holds it, on the group's standard or, where the group
    compares each, its headline standard. Empty where no group holds it.

    Columns: as `queries.league_table`, plus group_label, members (the group's organisations
    in that league), ranked (how many of them are ranked) and group_performance (the
    league's performance pooled over the members: metrics.league.pooled_performance).
    """
    group = read_frame(
        """SELECT m.jurisdiction, m.peer_group, g.label,
                  coalesce(g.standard_id, g.headline_standard) AS standard_id
           FROM peer_group_members m JOIN peer_groups g
                ON g.jurisdiction = m.jurisdiction AND g.peer_group = m.peer_group
           WHERE m.org_slug = $slug AND m.month = $month ORDER BY g.position LIMIT 1""",
        {"slug": slug, "month": month},
        con,
    )
    mine = standings(slug, month, con=con)
    if not group.height or not mine.height:
        return pl.DataFrame()
    area, peer_group, label, standard = group.row(0)
    if standard not in set(mine["standard_id"]):  # none, or a headline it is not judged on
        standard = str(mine["standard_id"][0])
    league = queries.league_table(area, month, con=con, standard=standard, peer_group=peer_group)
    return league.filter(pl.col("org_slug") == slug).with_columns(
        group_label=pl.lit(label),
        members=pl.lit(league.height),
        ranked=pl.lit(league.filter(pl.col("rank").is_not_null()).height),
        group_performance=pl.lit(pooled_performance(league), dtype=pl.Float64),
    )
