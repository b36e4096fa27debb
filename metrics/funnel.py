"""The funnel a league table was banded against (performance on case volumes), as lines.

The funnel is re-estimated from the league's own reliable rows with the same functions that
banded it at ingest (metrics.stats), so the drawn limits pass exactly through each
organisation's stored limits.
"""

from __future__ import annotations

import polars as pl

from metrics.stats import Funnel, funnel_limit, funnel_limits

LEVELS = {"95": 0.95, "998": 0.998}
CURVE_POINTS = 80


def league_funnel(league: pl.DataFrame) -> Funnel | None:
    """The funnel of a league window: its reliable rows (no '[u]'), as ingest banded them."""
    reliable = league.filter(
        pl.col("reliability").is_null() & (pl.col("performance_denominator") > 0)
    )
    if reliable.is_empty():
        return None
    return funnel_limits(
        [int(x) for x in reliable["performance_numerator"]],
        [int(n) for n in reliable["performance_denominator"]],
    )


def funnel_curve(league: pl.DataFrame, points: int = CURVE_POINTS) -> pl.DataFrame:
    """Funnel limits across the league's span of cases judged, each organisation's included,
    spaced evenly on a log scale.

    Columns: n (cases judged: the performance denominator), target (the pooled share of
    reliable rows), lower_95, upper_95, lower_998, upper_998. Empty when no row is reliable.
    """
    funnel = league_funnel(league)
    judged = [int(n) for n in league["performance_denominator"].drop_nulls() if n]
    if funnel is None or not judged:
        return pl.DataFrame(schema={"n": pl.Int64, "target": pl.Float64, **_LIMIT_SCHEMA})
    low, high = max(1, min(judged) // 2), max(judged)
    ratio = (high / low) ** (1 / points)
    ns = sorted({*(round(low * ratio**k) for k in range(points + 1)), high, *judged})
    rows = [
        (
            n,
            funnel.target,
            *funnel_limit(n, funnel, LEVELS["95"]),
            *funnel_limit(n, funnel, LEVELS["998"]),
        )
        for n in ns
    ]
    schema = {"n": pl.Int64, "target": pl.Float64, **_LIMIT_SCHEMA}
    return pl.DataFrame(rows, schema=schema, orient="row")


_LIMIT_SCHEMA = {
    "lower_95": pl.Float64,
    "upper_95": pl.Float64,
    "lower_998": pl.Float64,
    "upper_998": pl.Float64,
}
