"""`/` with no parameters: every area in one view, newest figures first: its latest period,
its headline, its best and worst organisation, how current it is, and a link to its league."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import html

from dashboard.ui import currency
from dashboard.ui.sentences import league_headline
from dashboard.ui.text import value_text
from metrics import queries
from metrics.grain import Grain
from metrics.league import rank_key
from metrics.wording import league_window, percent


def ranked_ends(league: pl.DataFrame) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The best and worst ranked organisations (rank 1 and the last rank; by name among ties),
    or None where fewer than two are ranked."""
    ranked = league.filter(pl.col("rank").is_not_null()).sort(["rank", "organisation"])
    if ranked.height < 2:
        return None
    worst = ranked.filter(pl.col("rank") == ranked["rank"].max())
    return ranked.row(0, named=True), worst.row(0, named=True)


def figure(row: dict[str, Any], key: str) -> str:
    """What a row is ranked on, as the league shows it: '77% of service-days met' or '88.2%'."""
    if key == "share_met":
        return f"{percent(row['share_met'])} of {Grain(row['grain']).periods_label.lower()} met"
    return value_text(row["performance"], str(row["performance_unit"]))


def ends_sentence(league: pl.DataFrame) -> str:
    """'Best: A (88.2%). Worst: B (40.1%).', ranked as the league ranks them."""
    ends = ranked_ends(league)
    if ends is None:
        return "Too few organisations have enough figures to rank."
    key = rank_key(str(league["grain"][0]), league["performance"])
    best, worst = ends
    return (
        f"Best: {best['organisation']} ({figure(best, key)}). "
        f"Worst: {worst['organisation']} ({figure(worst, key)})."
    )


def compared_groups(groups: pl.DataFrame) -> list[tuple[str | None, str | None]]:
    """The peer groups (rows of `queries.peer_groups`) an area's overview names best and worst
    in: (id, label) of each group compared on one standard (the first group where none is),
    or the area's league where it declares no group."""
    if not groups.height:
        return [(None, None)]
    compared = groups.filter(pl.col("standard_id").is_not_null())
    chosen = compared if compared.height else groups.head(1)
    return list(zip(chosen["peer_group"], chosen["label"], strict=True))


def group_line(area: str, month: Any, group: str | None, label: str | None, several: bool) -> str:
    """'Major emergency departments (Type 1): best A (76.2%); worst B (40.1%).'"""
    league = queries.league_table(area, month, peer_group=group)
    said = ends_sentence(league) if league.height else "No figures."
    return f"{label}. {said}" if several and label else said


def area_section(area: dict[str, Any]) -> html.Section:
    """One area's latest league in a few lines, linking to the league itself."""
    name, month = str(area["jurisdiction"]), area["last_month"]
    league = queries.league_table(name, month)
    window = league_window(str(area["grain"]), month)
    href = "/?" + urlencode({"jurisdiction": area["slug"], "month": f"{month:%Y-%m}"})
    declared = queries.peer_groups(name)
    default = str(declared["label"][0]) if declared.height > 1 else None
    groups = compared_groups(declared)
    several = len(groups) > 1
    lines = [group_line(name, month, g, label, several) for g, label in groups]
    return html.Section(
        [
            html.H2(html.A(name, href=href)),
            *currency.currency_note(name),
            html.P(
                league_headline(league, name, window, default) + ".",
                className="overview-headline",
            ),
            html.Ul([html.Li(line) for line in lines], className="overview-ends")
            if several
            else html.P(lines[0]),
            html.P(html.A(f"{name}: the league table", href=href)),
        ],
        className="area-summary",
    )


def overview() -> html.Div:
    """Every area with figures, the most current first."""
    areas = queries.jurisdictions().sort("last_month", descending=True)
    return html.Div(
        [
            html.H1("Did public services meet their published standards?"),
            html.P(
                f"Figures from {areas.height} areas' own published files, each judged against "
                "the standard in force. The most current come first; each links to its full "
                "league table of organisations.",
                className="lead",
            ),
            *(area_section(a) for a in areas.iter_rows(named=True)),
        ]
    )
