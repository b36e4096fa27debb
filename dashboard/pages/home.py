"""`/`: the league table of organisations for an area and month
(`/?jurisdiction=boston&month=2015-07`)."""

from __future__ import annotations

import dash
import polars as pl
from dash import html

from dashboard.api import links
from dashboard.pages._league_view import (
    choose_peer_group,
    choose_standard,
    peer_group_part,
    sort_href,
    standard_part,
    view_href,
)
from dashboard.pages._overview import overview
from dashboard.pages._search import LIMIT, query_text, search_form, search_results
from dashboard.ui import charts, currency, forms, tables, terms, whose
from dashboard.ui.chart_links import ChartAddress, league_address
from dashboard.ui.group import ends_parts, headline_parts, trend_parts
from dashboard.ui.sentences import group_noun
from dashboard.ui.text import aria
from dashboard.web.params import QueryValue, choose_jurisdiction, choose_month, month_text, one
from metrics import queries
from metrics.funnel import funnel_curve
from metrics.league import choose_sort, sort_league
from metrics.wording import league_window

dash.register_page(
    __name__, path="/", title="League table – Service Standards Tracker", name="League table"
)


def layout(
    jurisdiction: QueryValue = None,
    month: QueryValue = None,
    q: QueryValue = None,
    standard: QueryValue = None,
    peer_group: QueryValue = None,
    sort: QueryValue = None,
    order: QueryValue = None,
    rows: QueryValue = None,
    **_unknown: str,
) -> html.Div:
    """The league table for the view in the URL; bad values show a default, and say so.
    With no parameters at all, every area's latest figures in one overview."""
    if all(v is None for v in (jurisdiction, month, q, standard, peer_group, sort, order, rows)):
        return overview()
    areas = queries.jurisdictions()
    options = list(zip(areas["slug"], areas["jurisdiction"], strict=True))
    area = choose_jurisdiction(jurisdiction, options)
    if area.name is None:
        return html.Div([html.H1("League table"), html.P("No figures have been loaded yet.")])
    months = queries.months(area.name)
    choice = choose_month(month, months)
    assert choice.month is not None  # every jurisdiction in the league has months
    view = {"jurisdiction": area.slug or "", "month": month_text(choice.month)}
    group = choose_peer_group(area.name, one(peer_group), one(standard))
    chosen = choose_standard(area.name, one(standard), group.peer_group)
    league = queries.league_table(
        area.name, choice.month, standard=chosen.standard_id, peer_group=group.peer_group
    )
    grain = str(league["grain"][0])
    window = league_window(grain, choice.month)
    view |= {"peer_group": group.peer_group} if group.several else {}
    view |= {"standard": chosen.standard_id} if chosen.several else {}
    trends = queries.group_trends(
        area.name, choice.month, standard=chosen.standard_id, peer_group=group.peer_group
    )
    by = choose_sort(league, one(sort), one(order))
    asked_sort = {k: v for k, v in (("sort", one(sort)), ("order", one(order))) if v}
    shown = tables.rows_shown(one(rows), view_href(view | asked_sort))
    sorted_view = view | ({"rows": tables.ALL_ROWS} if shown.all else {})
    label = group.label if group.several else None
    kept = {"peer_group": group.peer_group} if group.several else {}  # across a new month
    caption = f"{area.name} {group_noun(label)}, {window}"
    caption += f": {chosen.wording}"
    caption += whose.caption_note(chosen.standard_id)
    # Figures first: the headline and the table; the controls that change the view follow,
    # with a link to them beside the headline.
    return html.Div(
        [
            html.H1(f"Which organisations met their standards? {area.name}, {window}"),
            *currency.currency_note(area.name, choice.month, "/", **view),
            forms.notice(area.message),
            forms.notice(choice.message),
            html.P(
                [
                    *headline_parts(league, area.name, window, label),
                    *whose.linked_note(chosen.standard_id, area.name),
                    ".",
                ],
                className="lead",
            ),
            html.P(ends_parts(league, choice.month), className="lead-ends"),
            html.P(
                [
                    *trend_parts(trends),
                    " ",
                    html.A("Choose another month, area or standard", href="#view-controls"),
                ],
                className="lead-trend",
            ),
            tables.league_table(
                sort_league(league, by), choice.month, caption, by, sort_href(sorted_view), shown
            ),
            *whose.note(chosen.standard_id),
            *volume_note(league, window),
            links.download_links("league", view, "this table"),
            html.P(explainer(grain), className="hint"),
            terms.explained(league_terms(grain), "league"),
            html.Section(
                [
                    html.H2("Choose what to show", id="view-controls-heading"),
                    forms.view_form("/", months, choice.month, area.slug or "", grain, kept),
                    *peer_group_part(group, view),
                    *standard_part(chosen, view),
                    forms.area_nav(options, area.slug or ""),
                    html.P(
                        html.A(
                            "Compare organisations side by side",
                            href=f"/compare?jurisdiction={area.slug}",
                        )
                    ),
                    *search_part(q, area.slug or "", month_text(choice.month)),
                ],
                id="view-controls",
                className="view-controls",
                **aria(labelledby="view-controls-heading"),
            ),
            funnel_panel(league, area.name, window, league_address(view)),
            links.download_links(
                "records", {"jurisdiction": area.slug}, f"every judged period for {area.name}"
            ),
        ]
    )


def volume_note(league: pl.DataFrame, window: str) -> list[html.P]:
    """What the Volume column counts: 'Volume: Category 1 incidents, January 2021 ...'."""
    named = league["volume_measure"].drop_nulls()
    if named.is_empty():
        return []
    said = (
        f"Volume: {named[0]} in {window}, with the change on the same periods a "
        "year earlier where every one of them is published; the scale behind the performance, "
        "neither better nor worse for being larger."
    )
    return [html.P(said.replace(" in 12 months", " in the 12 months"), className="hint")]


def league_terms(grain: str) -> list[str]:
    """The terms a league uses, in the order it uses them."""
    periods = "service-day" if grain == "day" else "standard-month"
    return [periods, "peer-group", "usual-variation", "performance", "compared-with-others",
            "unreliable", "standard"]  # fmt: skip


def explainer(grain: str) -> str:
    """How to read the table, for the grain its standards are judged at."""
    if grain == "day":
        return (
            "A service-day counts when at least one request was due that day. It is met "
            "when the share closed by its target time reaches the standard."
        ) + BANDS
    if grain == "fiscal_year":
        return (
            "Each service standard is judged once a fiscal year against the target share the "
            "department itself published for it; the table counts the standards met. "
            "Standards with no published performance or target are not counted."
        ) + BANDS
    return (
        "Each standard is judged once a month against its published target; the table counts "
        "the months met over the 12 months to the month chosen. Months with no figures are "
        "not counted."
    ) + BANDS


BANDS = (
    " Performance is the share of all cases judged in the window that were within the "
    "standard (requests closed on time of those due, attendances within 4 hours of all "
    "attendances); for a time, the mean of the months' figures. The last column compares each "
    "organisation's performance with the others allowing for chance and for the usual spread "
    "between organisations (a funnel plot on case volumes at 99.8% limits). Change compares "
    "the latest month (or year) with the one before and a year earlier, with its statistical "
    "process control verdict; a change is called better or worse only when that verdict "
    "agrees. The share of periods met is followed by its 95% (Wilson) interval in brackets. "
    "Sort by any column with its heading."
)


def funnel_panel(
    league: pl.DataFrame, area: str, window: str, address: ChartAddress | None = None
) -> html.Div | html.P:
    """The league's performance as a funnel plot, beneath the table that holds its figures;
    a measure with no suitable funnel (a time without its spread) says so instead."""
    if league.height and league["performance_denominator"].is_null().all():
        return html.P(NO_FUNNEL, className="hint")
    chart = charts.funnel_chart(league, funnel_curve(league), area, window)
    return charts.chart_panel(chart, level=2, address=address)


NO_FUNNEL = (
    "No funnel plot is drawn for this standard: its figures are published without the counts "
    "or spread a funnel needs (a mean or 90th-centile time, or a published share), so the "
    "table is ranked on the figures alone."
)


def search_part(q: QueryValue, area: str, month: str) -> list[html.Form | html.Section]:
    """The search box, and its results when a search was asked for."""
    text = query_text(q)
    form = search_form(text, {"jurisdiction": area, "month": month})
    if not text:
        return [form]
    return [form, search_results(text, queries.search(text, LIMIT))]
