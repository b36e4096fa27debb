"""The search box on `/`: a plain GET form (`?q=`), so it works without scripts and links."""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import dcc, html

from dashboard.ui.text import aria
from dashboard.web.params import one
from metrics.wording import plural

MAX_QUERY = 100
LIMIT = 50


def query_text(q: object) -> str:
    """The search text from the URL, trimmed and capped; '' when there is none."""
    return (one(q) or "").strip()[:MAX_QUERY]


def search_form(q: str, hidden: dict[str, str]) -> html.Form:
    """A labelled search field; the area and month in view travel with the search."""
    fields = [
        dcc.Input(type="hidden", name=name, value=value) for name, value in hidden.items() if value
    ]
    return html.Form(
        [
            html.Div(fields, className="hidden-fields"),
            html.Label("Search organisations and services", htmlFor="q", className="label"),
            dcc.Input(id="q", name="q", type="search", value=q, className="input",
                      autoComplete="off", maxLength=MAX_QUERY),
            html.Button("Search", type="submit", className="button"),
        ],
        method="get", action="/", role="search", className="search-form",
    )  # fmt: skip


def _result(row: dict[str, Any]) -> html.Li:
    if row["kind"] == "organisation":
        link = html.A(row["name"], href=f"/department/{row['org_slug']}")
        known = f" ({row['known_as']})" if row.get("known_as") else ""
        return html.Li([link, f" – organisation, {row['jurisdiction']}{known}"])
    link = html.A(row["name"], href=f"/department/{row['org_slug']}/{row['series']}")
    return html.Li([link, f" – service of {row['organisation']}, {row['jurisdiction']}"])


def search_results(q: str, hits: pl.DataFrame) -> html.Section:
    """The matches, announced to screen readers by their count."""
    total = int(hits["total"][0]) if hits.height else 0
    shown = f"; showing the first {hits.height}" if total > hits.height else ""
    return html.Section(
        [
            html.H2("Search results", className="nav-heading"),
            html.P(
                f"{plural(total, 'match')} for “{q}”{shown}.", role="status", className="notice"
            ),
            html.Ul([_result(r) for r in hits.iter_rows(named=True)], className="search-results"),
        ],
        className="search",
        **aria(label="Search results"),
    )
