"""Where organisations stand in their peer group over a span of months (the `/compare` view):
each member's performance month by month, the group's average, and its best and worst.

Performance is volume-weighted, as in the league: the cases within the standard over the
cases judged (attendances within 4 hours over attendances, requests closed on time over
requests due), summed over the months; the mean of the judged figures where no counts are
published (ambulance response times). Only judged periods (met or not met) count.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from metrics.cache import cached
from metrics.reader import read_frame


@cached
def group_members(
    jurisdiction: str,
    peer_group: str,
    first: dt.date,
    last: dt.date,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """Members of a peer group in any league month from `first` to `last`, by name.
    Columns: org_slug, organisation."""
    return read_frame(
        """SELECT org_slug, any_value(organisation ORDER BY month DESC) AS organisation
           FROM peer_group_members
           WHERE jurisdiction = $j AND peer_group = $g AND month BETWEEN $first AND $last
           GROUP BY org_slug ORDER BY organisation, org_slug""",
        {"j": jurisdiction, "g": peer_group, "first": first, "last": last},
        con,
    )


@cached
def group_months(
    jurisdiction: str,
    peer_group: str,
    standard_id: str,
    first: dt.date,
    last: dt.date,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """Each member's judged figures on one standard, month by month from `first` to `last`.

    Columns: org_slug, organisation, month, numerator, denominator (summed over the month's
    judged periods; null where none are published), value (the month's performance:
    numerator / denominator, or the mean of the judged figures), met, judged (periods),
    unit, comparator, target.
    """
    return read_frame(
        """WITH members AS (
               SELECT DISTINCT org_slug FROM peer_group_members
               WHERE jurisdiction = $j AND peer_group = $g AND month BETWEEN $first AND $last)
           SELECT j.org_slug, any_value(j.organisation) AS organisation,
                  date_trunc('month', j.period_start)::DATE AS month,
                  sum(j.numerator)::BIGINT AS numerator, sum(j.denominator)::BIGINT AS denominator,
                  CASE WHEN sum(j.denominator) > 0 THEN sum(j.numerator) / sum(j.denominator)
                       ELSE avg(j.value) END AS value,
                  count(*) FILTER (WHERE j.status = 'met') AS met, count(*) AS judged,
                  any_value(j.unit) AS unit, any_value(j.comparator) AS comparator,
                  any_value(j.target) AS target
           FROM judgements j JOIN members m ON m.org_slug = j.org_slug
           WHERE j.org_level = 'organisation' AND j.jurisdiction = $j
             AND j.standard_id = $s AND j.status IN ('met', 'not_met')
             AND j.period_start >= $first AND j.period_start <= last_day($last)
           GROUP BY j.org_slug, month ORDER BY month, organisation""",
        {"j": jurisdiction, "g": peer_group, "s": standard_id, "first": first, "last": last},
        con,
    )


def _performance(numerator: pl.Expr, denominator: pl.Expr, value: pl.Expr) -> pl.Expr:
    """Cases within the standard over cases judged where counts exist, else the mean figure."""
    counted = denominator.sum() > 0
    return (
        pl.when(counted)
        .then(numerator.sum().cast(pl.Float64) / denominator.sum())
        .otherwise(value.mean())
    )


def lower_is_better(months: pl.DataFrame) -> bool:
    """A time (comparator '≤') is better lower; a share is better higher."""
    return bool(months.height) and (months["comparator"] == "<=").any()


def standings(months: pl.DataFrame, min_judged: int) -> pl.DataFrame:
    """Each member over all the months, best first. Columns: org_slug, organisation,
    performance, numerator, denominator, met, judged, ranked (judged at least `min_judged`
    periods, or as many as the most-judged member where that is fewer)."""
    totals = months.group_by("org_slug", maintain_order=True).agg(
        pl.col("organisation").last(),
        _performance(pl.col("numerator"), pl.col("denominator"), pl.col("value")).alias(
            "performance"
        ),
        pl.col("numerator").sum(),
        pl.col("denominator").sum(),
        pl.col("met").sum(),
        pl.col("judged").sum(),
    )
    most = totals["judged"].max()
    enough = min(min_judged, int(most) if isinstance(most, int) else 0)
    return totals.with_columns(ranked=pl.col("judged") >= enough).sort(
        ["performance", "organisation"],
        descending=[not lower_is_better(months), False],
        nulls_last=True,
    )


def group_average(months: pl.DataFrame) -> pl.DataFrame:
    """The group's performance each month, every member's cases pooled.
    Columns: month, value, members (how many were judged)."""
    return (
        months.group_by("month")
        .agg(
            _performance(pl.col("numerator"), pl.col("denominator"), pl.col("value")).alias(
                "value"
            ),
            pl.col("org_slug").n_unique().alias("members"),
        )
        .sort("month")
    )


def pooled(months: pl.DataFrame) -> float | None:
    """The group's performance over all the months, every member's cases pooled."""
    if months.is_empty():
        return None
    value = months.select(
        _performance(pl.col("numerator"), pl.col("denominator"), pl.col("value"))
    ).item()
    return None if value is None else float(value)


def best_middle_worst(table: pl.DataFrame) -> list[str]:
    """The slugs of the best, the middle and the worst ranked member (fewer if the group
    has fewer), for a view that opens on the group's spread."""
    ranked = list(table.filter(pl.col("ranked") & pl.col("performance").is_not_null())["org_slug"])
    picks = [ranked[0], ranked[len(ranked) // 2], ranked[-1]] if ranked else []
    return list(dict.fromkeys(picks))


@cached
def groups_of(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """The peer groups an organisation has been a member of, in its area's declared order."""
    frame = read_frame(
        """SELECT m.peer_group FROM peer_group_members m
           JOIN peer_groups g ON g.jurisdiction = m.jurisdiction AND g.peer_group = m.peer_group
           WHERE m.org_slug = $s GROUP BY m.peer_group ORDER BY min(g.position)""",
        {"s": slug},
        con,
    )
    return [str(g) for g in frame["peer_group"]]
