"""`/department/<slug>/<standard>/<period>`: the working behind one verdict.

For a daily standard the period is a day (`2015-07-14`) and the page lists the requests due
that day, each with its file and row; for a monthly or yearly one it is the month (`2025-01`)
or fiscal year (`2023-24`) and the page shows the agency's row the verdict was judged on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import polars as pl
from dash import html

from dashboard.pages import _agency_row, _day_cases
from dashboard.pages._not_found import not_found
from dashboard.ui import whose
from dashboard.web.params import QueryValue
from metrics import queries, standard_series, working
from metrics.grain import Grain


def day_of(text: str | None) -> dt.date | None:
    """'2015-07-14' -> that date; anything else -> None."""
    if not text or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _verdict(slug: str | None, standard: str | None, period: str | None) -> dict[str, Any] | None:
    """The verdict the URL names: a day's (from `service_days`) or a month's or year's (a row
    of `judgements`, with `grain`), each with its organisation's name; None if there is none."""
    if not slug or not standard or not period:
        return None
    day = day_of(period)
    if day is not None:
        return working.service_day(slug, standard, day)
    periods = standard_series.series_periods(slug, standard).filter(pl.col("grain") != "day")
    texts = [Grain(g).url_text(p) for g, p in periods.select("grain", "period_start").iter_rows()]
    org = queries.organisation(slug)
    if period not in texts or org is None:
        return None
    return {**periods.row(texts.index(period), named=True), "organisation": org["organisation"]}


def exists(slug: str, standard: str, period: str) -> bool:
    """Whether the warehouse holds a verdict for the period (otherwise the server answers 404)."""
    return _verdict(slug, standard, period) is not None


def _name(verdict: dict[str, Any], period: str) -> str:
    """'14 July 2015', 'January 2025' or 'fiscal year 2023-24'."""
    day = day_of(period)
    return (
        f"{day:%-d %B %Y}" if day else Grain(verdict["grain"]).period_name(verdict["period_start"])
    )


def title(slug: str | None = None, standard: str | None = None, period: str | None = None) -> str:
    """The browser title names the service, the organisation and the period."""
    verdict = _verdict(slug, standard, period)
    if verdict is None or period is None:
        return "Verdict not found – Service Standards Tracker"
    return (
        f"{verdict['service']}, {verdict['organisation']}, {_name(verdict, period)} – "
        "Service Standards Tracker"
    )


# order=-1: matched before `/department/<slug>/<standard>` and `/department/<slug>`, whose
# patterns would also take "<slug>/<standard>/<period>".
dash.register_page(
    __name__,
    path_template="/department/<slug>/<standard>/<period>",
    title=title,
    name="Verdict",
    order=-1,
    exists=exists,
)


def layout(
    slug: str | None = None,
    standard: str | None = None,
    period: str | None = None,
    sort: QueryValue = None,
    order: QueryValue = None,
    page: QueryValue = None,
    **_unknown: str,
) -> html.Div:
    """The working behind one verdict: a day's requests, or a period's published row."""
    verdict = _verdict(slug, standard, period)
    if verdict is None or not slug or not standard or not period:
        back = [html.A("See the department", href=f"/department/{slug}")] if slug else []
        return not_found("Verdict not found", "There is no verdict at this address.", *back)
    day = day_of(period)
    if day is None:
        return period_layout(slug, standard, period, verdict)
    frame = working.day_cases(slug, standard, day)
    path = f"/department/{slug}/{standard}/{day.isoformat()}"
    by, number = _day_cases.choose(sort, order, page, frame.height)
    note = whose.caption_note(str(verdict["standard_id"]))
    return html.Div(
        [
            html.P(
                [
                    html.A(f"← {verdict['service']}", href=f"/department/{slug}/{standard}"),
                    " · ",
                    html.A(
                        f"{verdict['organisation']}, {day:%B %Y}",
                        href=f"/department/{slug}?month={day:%Y-%m}",
                    ),
                ]
            ),
            html.H1(f"{verdict['service']}, {verdict['organisation']}: {day:%-d %B %Y}"),
            html.P(_day_cases.verdict_sentence(verdict, note), className="headline"),
            html.P(
                "A request is due on the day its target time falls on, and on time if it was "
                "closed at or before that time; each row below names the published file and "
                "line it was read from.",
                className="hint",
            ),
            _day_cases.counts_list(frame),
            *_day_cases.cases_table(frame, path, by, number, f"Requests due on {day:%-d %B %Y}"),
            _day_cases.downloads(slug, standard, day),
        ]
    )


def period_layout(slug: str, standard: str, period: str, verdict: dict[str, Any]) -> html.Div:
    """A monthly or yearly verdict and the agency's row it was judged on."""
    rows = working.verdict_rows(slug, str(verdict["standard_id"]), verdict["period_start"])
    name = _name(verdict, period)
    return html.Div(
        [
            html.P(html.A(f"← {verdict['service']}", href=f"/department/{slug}/{standard}")),
            html.H1(f"{verdict['service']}, {verdict['organisation']}: {name}"),
            html.P(str(verdict["standard"]) + whose.caption_note(str(verdict["standard_id"]))),
            *_agency_row.body(rows, verdict, slug),
        ]
    )
