"""`/department/<slug>`: each service's days-met calendar and figures for a month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import polars as pl
from dash import html

from dashboard import components
from dashboard.params import choose_month
from metrics import queries
from metrics.wording import month_name


def title(slug: str | None = None) -> str:
    """The browser title names the department."""
    org = queries.organisation(slug) if slug else None
    name = org["organisation"] if org else "Department"
    return f"{name} – Service Standards Tracker"


dash.register_page(__name__, path_template="/department/<slug>", title=title, name="Department")


def service_section(record: dict[str, Any], days: pl.DataFrame, month: dt.date) -> html.Section:
    """One service: its headline sentence, calendar, key and daily figures."""
    service = str(record["service"])
    return html.Section(
        [
            html.H2(service),
            html.P(str(record["headline"]), className="headline"),
            html.P(
                f"{record['due']:,} requests were due; {record['on_time']:,} were closed on "
                f"time. {record['no_target']:,} requests opened this month had no target "
                "and are not judged.",
                className="hint",
            ),
            components.days_calendar(service, days, month),
            components.days_table(service, days, month),
        ],
        className="service",
    )


def layout(slug: str | None = None, month: str | None = None, **_unknown: str) -> html.Div:
    """Every service of the department for the month in the URL."""
    org = queries.organisation(slug) if slug else None
    if org is None:
        return html.Div(
            [
                html.H1("Department not found"),
                html.P(["There is no department at this address. ",
                        html.A("See all departments", href="/"), "."]),
            ]
        )  # fmt: skip
    choice = choose_month(month, queries.months())
    assert choice.month is not None  # an organisation exists, so months do too
    records = queries.days_met_records(slug or "", choice.month)
    days = queries.service_days(slug or "", choice.month)
    sections = [
        service_section(r, days.filter(days["service"] == r["service"]), choice.month)
        for r in records.iter_rows(named=True)
    ]
    return html.Div(
        [
            html.P(html.A("← All departments", href=f"/?month={choice.month:%Y-%m}")),
            html.H1(f"{org['organisation']}, {month_name(choice.month)}"),
            components.notice(choice.message),
            components.month_form(f"/department/{slug}", queries.months(), choice.month),
            components.legend(),
            *sections,
        ]
    )
