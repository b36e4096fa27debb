"""League tables made honest: performance on case volumes, funnel bands, tied ranks.

Run at ingest time over the `league` table that build.py pools, so pages read facts only.
The funnel is drawn on performance with case volumes as denominators (attendances, requests
due), never on counts of periods met: twelve months of one trust are not twelve trials.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from metrics.stats import (
    UNRELIABLE,
    funnel_band,
    funnel_limit,
    funnel_limits,
    rank_with_ties,
    wilson_interval,
)

PARTITION = ["jurisdiction", "month", "standard_id", "peer_group"]
SORTABLE = (
    "rank", "organisation", "performance", "performance_denominator", "periods_met",
    "share_met", "band", "change_previous", "change_year", "spc_verdict", "volume",
)  # fmt: skip
"""League columns a reader may sort by (`sort=` in the URL)."""
BAND_ORDER = {"below expected": 0, "within expected range": 1, "above expected": 2}
VERDICT_ORDER = {"deteriorating": 0, "no significant change": 1, "improving": 2}
"""SPC verdicts worst to best; 'not enough data' sorts last, as an empty value does."""


def _wilson(met: int, judged: int) -> tuple[float | None, float | None]:
    return wilson_interval(met, judged) if judged > 0 else (None, None)


def rank_key(grain: str, performance: pl.Series) -> str:
    """The column a league is ranked and first sorted by: performance for monthly and yearly
    sources, the share of service-days met for daily ones (and where there is no performance)."""
    return "share_met" if grain == "day" or performance.is_null().all() else "performance"


def ranks(part: pl.DataFrame, reliable: pl.Series) -> list[int | None]:
    """Competition ranks among reliable rows by the league's key, best first."""
    key = rank_key(str(part["grain"][0]), part["performance"])
    lower_better = key == "performance" and (part["comparator"] == "<=").any()
    sign = -1.0 if lower_better else 1.0
    values = [
        v * sign if ok and v is not None else None
        for v, ok in zip(part[key], reliable, strict=True)
    ]
    return rank_with_ties(values)


def funnel_columns(part: pl.DataFrame, reliable: pl.Series) -> pl.DataFrame:
    """Band, 95% and 99.8% limits for every row with counts, against the funnel estimated
    from the reliable rows; only reliable rows are banded."""
    xs, ns = part["performance_numerator"], part["performance_denominator"]
    kept = [
        (int(x), int(n))
        for x, n, ok in zip(xs, ns, reliable, strict=True)
        if ok and x is not None and n is not None and n > 0
    ]
    funnel = funnel_limits([x for x, _ in kept], [n for _, n in kept]) if kept else None
    rows: list[tuple[str | None, float | None, float | None, float | None, float | None]] = []
    for x, n, ok in zip(xs, ns, reliable, strict=True):
        if funnel is None or x is None or n is None or n < 1:
            rows.append((None, None, None, None, None))
            continue
        band = funnel_band(int(x), int(n), funnel) if ok else None
        limits = (*funnel_limit(int(n), funnel, 0.95), *funnel_limit(int(n), funnel, 0.998))
        rows.append((band, *limits))
    return pl.DataFrame(rows, schema=FUNNEL_SCHEMA, orient="row")


FUNNEL_SCHEMA = {
    "band": pl.String,
    **{f"{side}_{level}": pl.Float64 for level in ("95", "998") for side in ("lower", "upper")},
}


def band(part: pl.DataFrame, min_judged: int) -> pl.DataFrame:
    """One league (area, window, standard): bands on volumes, 95% intervals and ranks."""
    reliable = part["periods_judged"] >= min_judged
    banded = part.with_columns(funnel_columns(part, reliable).get_columns())
    met, judged = part["periods_met"], part["periods_judged"]
    bounds = [_wilson(m, j) for m, j in zip(met, judged, strict=True)]
    return banded.with_columns(
        pl.when(reliable).then(None).otherwise(pl.lit(UNRELIABLE)).alias("reliability"),
        pl.Series("share_lower", [b[0] for b in bounds], dtype=pl.Float64),
        pl.Series("share_upper", [b[1] for b in bounds], dtype=pl.Float64),
        pl.Series("rank", ranks(part, reliable), dtype=pl.Int64),
    )


def band_league(con: duckdb.DuckDBPyConnection, min_judged: int) -> None:
    """Replace `league` with its banded form, each peer group's league apart; organisations
    below min_judged are [u]."""
    league = con.sql("SELECT * EXCLUDE (rank) FROM league ORDER BY ALL").pl()
    parts = [band(p, min_judged) for p in league.partition_by(PARTITION)]
    banded = pl.concat(parts) if parts else league
    con.register("banded_league", banded)
    con.execute("CREATE OR REPLACE TABLE league AS SELECT * FROM banded_league")
    con.unregister("banded_league")


@dataclass(frozen=True)
class Sort:
    """The column a league is shown sorted by, and which way."""

    column: str
    descending: bool


def default_sort(league: pl.DataFrame) -> Sort:
    """Best first by the league's rank key (lower first for a time, higher for a share)."""
    grain = str(league["grain"][0]) if league.height else "day"
    key = rank_key(grain, league["performance"])
    lower_better = key == "performance" and (league["comparator"] == "<=").any()
    return Sort(key, descending=not lower_better)


def choose_sort(league: pl.DataFrame, sort: str | None, order: str | None) -> Sort:
    """The sort asked for; an unknown column gives the default, an unknown order the
    column's natural one (names and ranks ascending, figures descending)."""
    if sort not in SORTABLE:
        return default_sort(league)
    if order in ("asc", "desc"):
        return Sort(sort, order == "desc")
    return Sort(sort, sort not in ("rank", "organisation"))


def sort_league(league: pl.DataFrame, by: Sort) -> pl.DataFrame:
    """The league in the order asked for; empty values last, ties by name."""
    key = pl.col(by.column)
    if by.column == "band":
        key = key.replace_strict(BAND_ORDER, default=None, return_dtype=pl.Int64)
    if by.column == "spc_verdict":
        key = key.replace_strict(VERDICT_ORDER, default=None, return_dtype=pl.Int64)
    if by.column == "organisation":
        key = key.str.to_lowercase()
    return league.sort(
        [key, pl.col("organisation")], descending=[by.descending, False], nulls_last=True
    )


def pooled_performance(league: pl.DataFrame) -> float | None:
    """A league's performance over all its rows: the sum of their numerators over the sum of
    their denominators where every row with a performance has counts (for NHS England's Type
    1 group, NHS England's own Type 1 figure over the window); otherwise, as for a time, the
    mean of their performances; None where no row has one."""
    rows = league.filter(pl.col("performance").is_not_null())
    if not rows.height:
        return None
    den = rows["performance_denominator"]
    if den.null_count() == 0 and int(den.sum()) > 0:
        return float(rows["performance_numerator"].sum()) / float(den.sum())
    return float(rows["performance"].mean())  # type: ignore[arg-type]
