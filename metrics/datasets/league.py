"""The `league` dataset, declared once: its SQL, fields and parameters."""

from __future__ import annotations

import duckdb
import polars as pl

from metrics import queries
from metrics.datasets.base import (
    INT,
    ORG,
    SET_BY,
    WHERE,
    D,
    Dataset,
    Filters,
    N,
    Rows,
    S,
    fields,
)
from metrics.grain import Grain


def change_status(name: str) -> pl.Expr:
    """[z] on a row with no performance ('all' standards), [x] where either figure is missing."""
    empty = pl.col(name).is_null()
    none = pl.col("performance_unit").is_null()
    return (
        pl.when(empty & none).then(pl.lit("[z]")).when(empty).then(pl.lit("[x]")).otherwise(None)
    ).alias(name + "_status")


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """The league table as the home page shows it (`queries.league_table`): every peer
    group's, in the catalog's order, unless `peer_group` names one. With a `standard`, the
    groups compared on it; without, each group's default standard."""
    assert f.jurisdiction is not None and f.month is not None
    declared = queries.peer_groups(f.jurisdiction, con)["peer_group"].to_list()
    groups = [f.peer_group] if f.peer_group else declared
    frame = pl.concat(
        [queries.league_table(f.jurisdiction, f.month, con, f.standard, g) for g in groups],
        how="vertical_relaxed",
    )
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
        *(change_status(n) for n in ("change_previous", "change_year")),
        pl.lit(f.month, pl.Date).alias("month"),
        pl.col("grain").replace_strict(
            {g: Grain(g).window(f.month) for g in frame["grain"].unique()}, return_dtype=pl.String
        ).alias("period"),
    )  # fmt: skip
    return frame.select(DATASET.names)


DATASET = Dataset(
    name="league",
    title="League table",
    description=(
        "Organisations of a jurisdiction for a league window, best first within each peer "
        "group, as on the home page; every group's rows unless peer_group names one."
    ),
    params=("jurisdiction", "month", "standard", "peer_group"),
    fields=fields(
        ("rank", INT, "Rank by performance (monthly and yearly sources; lower first for a "
                      "time) or by share of service-days met (daily sources); ties share "
                      "a rank"), ("rank_status", S),
        WHERE,
        ORG,
        ("peer_group", S, "The peer group whose members the row is ranked and banded among "
                          "(an id of the area's groups, as in the league page's "
                          "peer_group=); an organisation may be in several, each its own row"),
        ("month", D, "The league's month (the month= asked for): the window is this month "
                     "for daily standards, the 12 months to it for monthly ones, the fiscal "
                     "year starting in it for yearly ones"),
        ("period", S, "The league window in words: 'July 2015', '12 months to June 2025', "
                      "'fiscal year 2023-24'"),
        ("grain", S, "Period each standard is judged over: day, month or fiscal_year"),
        ("standard_id", S, "The catalog standard the row is judged on; 'all' pools every "
                           "standard's periods-met record where an area has several"),
        ("performance", N, "Volume-weighted over the window: performance_numerator / "
                           "performance_denominator; where no counts are published (a "
                           "mean time, a published share), the mean of the judged "
                           "periods' figures", "share (0-1) or seconds", "performance_unit"),
        ("performance_numerator", INT, "Cases within the standard in the window (requests "
                                       "closed on time, attendances within 4 hours); "
                                       "empty where not published", "cases"),
        ("performance_denominator", INT, "Cases judged in the window (requests due, "
                                         "attendances); empty where not published",
         "cases"),
        ("performance_unit", S, "share or seconds"),
        ("periods_met", INT, "Periods in the window that met the standard", "periods"),
        ("periods_judged", INT, "Periods met or not met", "periods"),
        ("periods_no_data", INT, "Periods that should have figures and have none", "periods"),
        ("share_met", N, "periods_met / periods_judged", "share (0-1)"),
        ("share_met_status", S),
        ("share_lower", N, "Wilson 95% interval, lower end", "share (0-1)"),
        ("share_lower_status", S),
        ("share_upper", N, "Wilson 95% interval, upper end", "share (0-1)"),
        ("share_upper_status", S),
        ("band", S, "Funnel plot of performance on case volumes (performance_denominator), "
                    "overdispersion-adjusted (random effects), at 99.8% limits: above "
                    "expected, within expected range, below expected; empty when low "
                    "reliability or no counts are published"),
        ("reliability", S, "[u] when fewer periods were judged than the minimum"),
        ("change_previous", N, "The latest period's figure minus the previous period's "
                               "(the month, or fiscal year, before): for a monthly standard "
                               "the league month itself, not its 12-month window; a share's "
                               "change as a fraction (0.021 is 2.1 percentage points)",
         "share (fraction difference) or seconds", "performance_unit"),
        ("change_previous_status", S),
        ("change_year", N, "The latest period's figure minus the same period's a year "
                           "earlier (for a fiscal-year standard, the same as "
                           "change_previous)", "share (fraction difference) or seconds",
         "performance_unit"),
        ("change_year_status", S),
        ("spc_verdict", S, "SPC (XmR, Making Data Count rules) on the organisation's series "
                           "of periods up to the latest: improving, deteriorating (in the "
                           "standard's direction: a falling time improves), no significant "
                           "change, or not enough data (fewer than two figures, or none for "
                           "the latest period); empty where standard_id is 'all'"),
        SET_BY,
        ("volume_measure", S, "What volume counts: the count the standard's measure names in "
                              "the catalog (attendances, incidents in the category, "
                              "applications; requests received for a case-level source)"),
        ("volume", INT, "That count summed over the window's periods and the organisation's "
                        "services with a figure: the scale behind the performance; empty "
                        "where none is published (and for 'all' where the standards differ)",
         "count"),
        ("volume_year_earlier", INT, "The same count over the same periods a year earlier; "
                                     "empty unless every period summed has its figure a year "
                                     "before", "count"),
        ("volume_change_year", INT, "volume minus volume_year_earlier", "count"),
    ),
    read=read,
    streamed=False,
)  # fmt: skip
