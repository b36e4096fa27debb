"""League tables made honest: Wilson intervals, funnel-plot bands, ranks only where reliable.

Run at ingest time over the `league` table that build.py pools, so pages read facts only.
"""

from __future__ import annotations

import duckdb
import polars as pl

from metrics.stats import funnel_table, rank_with_ties, wilson_interval


def _wilson(met: int, judged: int) -> tuple[float | None, float | None]:
    return wilson_interval(met, judged) if judged > 0 else (None, None)


def band(part: pl.DataFrame, min_judged: int) -> pl.DataFrame:
    """One jurisdiction and window: bands, 95% intervals and ranks among reliable rows."""
    banded = funnel_table(part, "periods_met", "periods_judged", min_denominator=min_judged)
    bounds = [
        _wilson(m, j) for m, j in zip(banded["periods_met"], banded["periods_judged"], strict=True)
    ]
    reliable = banded["reliability"].is_null()
    shares = [s if ok else None for s, ok in zip(banded["share_met"], reliable, strict=True)]
    return banded.with_columns(
        pl.Series("share_lower", [b[0] for b in bounds], dtype=pl.Float64),
        pl.Series("share_upper", [b[1] for b in bounds], dtype=pl.Float64),
        pl.Series("rank", rank_with_ties(shares), dtype=pl.Int64),
    )


def band_league(con: duckdb.DuckDBPyConnection, min_judged: int) -> None:
    """Replace `league` with its banded form; organisations below min_judged are [u]."""
    league = con.sql("SELECT * EXCLUDE (rank) FROM league ORDER BY ALL").pl()
    parts = [band(p, min_judged) for p in league.partition_by(["jurisdiction", "month"])]
    banded = pl.concat(parts) if parts else league
    con.register("banded_league", banded)
    con.execute("CREATE OR REPLACE TABLE league AS SELECT * FROM banded_league")
    con.unregister("banded_league")
