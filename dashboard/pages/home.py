"""`/`: the league table of departments for a month (`/?month=2015-07`)."""

from __future__ import annotations

import datetime as dt

import dash
import polars as pl
from dash import html

from dashboard import components
from dashboard.params import choose_month, month_text
from metrics import queries
from metrics.wording import month_name, percent

dash.register_page(
    __name__, path="/", title="League table – Service Standards Tracker", name="League table"
)


def headline(league: pl.DataFrame, month: dt.date) -> str:
    """'Across 6 departments, standards were met on 12% of service-days in July 2015'."""
    met = int(league["service_days_met"].sum())
    judged = int(league["service_days_judged"].sum())
    share = percent(met / judged if judged else None)
    return (
        f"Across {league.height} departments, standards were met on {share} "
        f"of service-days in {month_name(month)}"
    )


def layout(month: str | None = None, **_unknown: str) -> html.Div:
    """The league table for the month in the URL; a bad month shows the latest, and says so."""
    choice = choose_month(month, queries.months())
    if choice.month is None:
        return html.Div([html.H1("League table"), html.P("No figures have been loaded yet.")])
    league = queries.league_table(choice.month)
    download = f"/download/league.csv?month={month_text(choice.month)}"
    return html.Div(
        [
            html.H1(f"Which departments met their standards, {month_name(choice.month)}"),
            components.notice(choice.message),
            components.month_form("/", queries.months(), choice.month),
            html.P(headline(league, choice.month), className="lead"),
            html.P(
                "A service-day counts when at least one request was due that day. It is met "
                "when the share closed by its target time reaches the standard.",
                className="hint",
            ),
            components.league_table(league, choice.month),
            html.P(html.A("Download this table as CSV", href=download, className="download")),
        ]
    )
