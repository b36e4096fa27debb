"""GET forms and navigation: every choice lands in the URL and works without scripts."""

from __future__ import annotations

import datetime as dt

from dash import dcc, html

from dashboard.ui.text import aria
from dashboard.web.params import month_text
from metrics.grain import Grain
from metrics.wording import fiscal_year_label, month_name


def select(label: str, name: str, options: list[tuple[str, str]], chosen: str) -> html.Div:
    """A labelled native select, so every choice is operable by keyboard and screen reader."""
    return html.Div(
        [
            html.Label(label, htmlFor=name, className="label"),
            html.Select(
                [
                    html.Option(text, value=value, selected=value == chosen)
                    for value, text in options
                ],
                id=name,
                name=name,
                className="select",
            ),
        ],
        className="form-group",
    )


def view_form(
    action: str,
    months: list[dt.date],
    chosen: dt.date | None,
    jurisdiction: str = "",
    grain: str = Grain.DAY,
    keep: dict[str, str] | None = None,
) -> html.Form:
    """A plain GET form, so the chosen month lands in the URL and works without scripts.
    Standards judged by fiscal year choose a year, named as the agency names it ('2023-24').
    `keep` names other choices of the view that a new month keeps (the peer group)."""
    yearly = Grain(grain) is Grain.FISCAL_YEAR
    name_of = fiscal_year_label if yearly else month_name
    month_options = [(month_text(m), name_of(m)) for m in reversed(months)]
    chosen_text = month_text(chosen) if chosen else ""
    kept = {"jurisdiction": jurisdiction, **(keep or {})}
    hidden = [
        html.Div(
            [dcc.Input(type="hidden", name=k, value=v) for k, v in kept.items() if v],
            className="hidden-fields",
        )
    ]
    return html.Form(
        [
            *(hidden if jurisdiction else []),
            select("Fiscal year" if yearly else "Month", "month", month_options, chosen_text),
            html.Button("Show", type="submit", className="button"),
        ],
        method="get",
        action=action,
        className="month-form",
    )


def area_nav(options: list[tuple[str, str]], chosen: str, base: str = "/") -> html.Nav:
    """Links to each area's view at `base` (the league table by default); the current one
    is marked for all users."""
    items = [
        html.Li(
            html.A(name, href=f"{base}?jurisdiction={slug}", **aria(current="page"))
            if slug == chosen
            else html.A(name, href=f"{base}?jurisdiction={slug}")
        )
        for slug, name in options
    ]
    return html.Nav(
        [html.H2("Areas", className="nav-heading"), html.Ul(items, className="area-list")],
        className="area-nav",
        **aria(label="Areas"),
    )


def notice(message: str | None) -> html.Div | None:
    """A visible, announced message about the request (e.g. a month with no figures)."""
    if not message:
        return None
    return html.Div(message, className="notice", role="status")
