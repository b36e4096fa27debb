"""A department at a glance: its overall record and performance for the month, its rank in its
peer group beside the group's average, and its services worst first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from dash import html

from dashboard.ui.text import aria
from metrics.grain import plural
from metrics.wording import month_name, percent


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def worst_first(records: pl.DataFrame) -> pl.DataFrame:
    """Services with requests due, the largest shortfall first (the lowest share closed on
    time of those due; by name among equals)."""
    due = records.filter(pl.col("due") > 0)
    return due.with_columns(on_time_share=pl.col("on_time") / pl.col("due")).sort(
        ["on_time_share", "service"]
    )


def nothing_due(records: pl.DataFrame) -> list[str]:
    """The services with nothing due in the month, by name."""
    return sorted(records.filter(pl.col("due") == 0)["service"].to_list())


def overall_sentence(records: pl.DataFrame, month: dt.date) -> str:
    """'In July 2015 the department met its standards on 1 of 45 service-days; 1,017 of 1,563
    requests due (65%) were closed on time' (the caller ends it, after any note)."""
    met = int(records["days_met"].sum())
    judged = met + int(records["days_not_met"].sum())
    due, on_time = int(records["due"].sum()), int(records["on_time"].sum())
    share = percent(on_time / due if due else None)
    return (
        f"In {month_name(month)} the department met its standards on {met:,} of "
        f"{plural(judged, 'service-day')}; {on_time:,} of {plural(due, 'request')} due "
        f"({share}) were closed on time"
    )


def rank_sentence(league: pl.DataFrame, slug: str, area: str) -> str | None:
    """'Ranked 5th of 6 Boston departments on the share of service-days met (2%, against
    their average of 15%).', from the league of its peer group; None where it is not in it."""
    mine = league.filter(pl.col("org_slug") == slug)
    if not mine.height:
        return None
    row: dict[str, Any] = mine.row(0, named=True)
    met, judged = int(league["periods_met"].sum()), int(league["periods_judged"].sum())
    average = percent(met / judged if judged else None)
    ranked = league.filter(pl.col("rank").is_not_null()).height
    if row["rank"] is None:
        return (
            f"Not ranked among {area}'s {ranked} ranked organisations: too few days were "
            f"judged. Their average share of service-days met is {average}."
        )
    return (
        f"Ranked {ordinal(int(row['rank']))} of the {ranked} ranked {area} organisations on the "
        "share of "
        f"service-days met ({percent(row['share_met'])}, against their average of {average})."
    )


def service_line(row: dict[str, Any]) -> html.Li:
    """'Street Light Outages: met on 1 of 23 days; 70.2% closed on time.', linking to the
    service's section below."""
    judged = int(row["days_met"]) + int(row["days_not_met"])
    return html.Li(
        [
            html.A(str(row["service"]), href=f"#service-{row['service_slug']}"),
            f": met on {row['days_met']} of {plural(judged, 'day')}; "
            f"{percent(row['on_time_share'])} of {plural(int(row['due']), 'request')} due "
            "closed on time.",
        ]
    )


def glance(records: pl.DataFrame, league: pl.DataFrame, slug: str, area: str,
           month: dt.date, note: list[str | html.A]) -> html.Section:  # fmt: skip
    """The department's summary, before its services' calendars and charts; `note` follows
    its record where the tracker set the standard (whose.linked_note)."""
    ordered = worst_first(records)
    idle = nothing_due(records)
    overall = overall_sentence(records, month) if ordered.height else None
    rank = rank_sentence(league, slug, area)
    return html.Section(
        [
            html.H2("At a glance", id="at-a-glance"),
            html.P([overall, *note, "."], className="lead") if overall else None,
            html.P(rank) if rank else None,
            html.H3("Services, furthest from the standard first")
            if ordered.height
            else html.P("Nothing was due this month in any service."),
            html.Ol([service_line(r) for r in ordered.iter_rows(named=True)])
            if ordered.height
            else None,
            html.P(f"Nothing was due this month for: {', '.join(idle)}.", className="hint")
            if idle
            else None,
        ],
        className="glance",
        **aria(labelledby="at-a-glance"),
    )
