"""A peer group beside its league's headline: its best and worst, named with links to their
pages (ties said as ties), and whether the group as a whole is getting better."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from dash import html

from dashboard.ui import terms
from dashboard.ui.sentences import group_trend_text, league_headline
from dashboard.ui.text import value_text
from metrics.grain import Grain
from metrics.league import rank_key
from metrics.wording import percent

NAMED = 3
"""At most this many tied organisations are named; the rest are counted."""


def ranked_ends(league: pl.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """The organisations at rank 1 and at the last rank (each by name), or None where fewer
    than two are ranked or every ranked one ties."""
    ranked = league.filter(pl.col("rank").is_not_null()).sort(["rank", "organisation"])
    if ranked.height < 2 or ranked["rank"].min() == ranked["rank"].max():
        return None
    best = ranked.filter(pl.col("rank") == ranked["rank"].min())
    worst = ranked.filter(pl.col("rank") == ranked["rank"].max())
    return list(best.iter_rows(named=True)), list(worst.iter_rows(named=True))


def figure(row: dict[str, Any], key: str) -> str:
    """What a row is ranked on, as the league shows it: '77% of service-days met' or '88.2%'."""
    if key == "share_met":
        return f"{percent(row['share_met'])} of {Grain(row['grain']).periods_label.lower()} met"
    return value_text(row["performance"], str(row["performance_unit"]))


def department_href(row: dict[str, Any], month: dt.date | None) -> str:
    """An organisation's page, for the league's month where there is one (as the table links)."""
    return f"/department/{row['org_slug']}" + (f"?month={month:%Y-%m}" if month else "")


def names(rows: list[dict[str, Any]], month: dt.date | None = None) -> list[str | html.A]:
    """'A', 'A and B', 'A, B, C and D', or 'A, B, C and 14 others', each linked to its page."""
    shown = rows if len(rows) <= NAMED + 1 else rows[:NAMED]  # never 'and 1 others'
    links: list[str | html.A] = [
        html.A(r["organisation"], href=department_href(r, month)) for r in shown
    ]
    rest = len(rows) - len(shown)
    tail: list[str | html.A] = [f"{rest} others"] if rest > 0 else []
    items = links + tail
    out: list[str | html.A] = []
    for i, item in enumerate(items):
        out += [", " if 0 < i < len(items) - 1 else " and " if i else "", item]
    return [part for part in out if part != ""]


def end_part(
    label: str, rows: list[dict[str, Any]], key: str, month: dt.date | None
) -> list[str | html.A]:
    """'Best: A, 91.4%.' or 'Worst: 3 tied at 0% of service-days met: A, B and C.'"""
    said = figure(rows[0], key)
    if len(rows) == 1:
        return [f"{label}: ", *names(rows, month), f", {said}."]
    return [f"{label}: {len(rows)} tied at {said}: ", *names(rows, month), "."]


def ends_parts(league: pl.DataFrame, month: dt.date | None = None) -> list[str | html.A]:
    """'Best: A, 91.4%. Worst: B, 42.2%.', ranked as the league ranks them, each linked to its
    page (for `month`, as the league's table links it)."""
    ends = ranked_ends(league)
    if ends is None:
        ranked = league.filter(pl.col("rank").is_not_null()).height
        if ranked >= 2:
            return [f"All {ranked} ranked organisations tie."]
        return ["Too few organisations have enough figures to rank."]
    key = rank_key(str(league["grain"][0]), league["performance"])
    best, worst = ends
    return [*end_part("Best", best, key, month), " ", *end_part("Worst", worst, key, month)]


def headline_parts(
    league: pl.DataFrame, area: str, window: str, label: str | None = None
) -> list[str | html.A]:
    """`league_headline`, its 'service-days' or 'standard-months' linked where they first
    appear to what they mean."""
    said = league_headline(league, area, window, label)
    grain = Grain(league["grain"][0])
    periods = grain.periods_label.lower()
    anchor = "service-day" if grain is Grain.DAY else "standard-month"
    before, found, after = said.partition(f" {periods} ")
    if not found:
        return [said]
    return [f"{before} ", terms.link(anchor, periods), f" {after}"]


def trend_parts(trends: pl.DataFrame) -> list[str | html.A]:
    """'Trend: no significant change. Pooled figure for June 2025: 61.7%, up 0.5 percentage
    points on May 2025, within its usual variation.', 'Trend' linked to its explanation."""
    word, rest = group_trend_text(trends)
    lead = f": {word}. " if word else ": "
    pooled, found, after = rest.partition("Pooled figure")
    said: list[str | html.A] = (
        [pooled, terms.link("performance", "Pooled figure"), after] if found else [rest]
    )
    return [terms.link("usual-variation", "Trend"), lead, *said]
