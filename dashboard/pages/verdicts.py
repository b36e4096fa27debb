"""`/verdicts/<slug>?month=YYYY-MM&standard=<id|all>`: the verdicts a league row counts.

The organisation's judged periods in the league's window, each linking to its working (a
day's requests, or the agency's row for a month or year).
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import html

from dashboard.api import links
from dashboard.pages._not_found import not_found
from dashboard.ui import tables
from dashboard.ui.text import MONTH_STATUS, value_text
from dashboard.web.params import QueryValue, choose_month, month_text, one
from metrics import queries, working
from metrics.grain import Grain
from metrics.wording import plural


def title(slug: str | None = None, **_query: Any) -> str:
    """The browser title names the organisation."""
    org = queries.organisation(slug) if slug else None
    name = org["organisation"] if org else "Organisation"
    return f"Verdicts counted, {name} – Service Standards Tracker"


def exists(slug: str) -> bool:
    """Whether the warehouse holds the organisation (otherwise the server answers 404)."""
    return queries.organisation(slug) is not None


dash.register_page(
    __name__, path_template="/verdicts/<slug>", title=title, name="Verdicts", exists=exists
)


def _row(r: dict[str, Any], slug: str) -> html.Tr:
    grain, unit = Grain(r["grain"]), str(r["unit"])
    href = f"/department/{slug}/{r['series']}/{grain.url_text(r['period_start'])}"
    return html.Tr(
        [
            html.Th(html.A(grain.period_name(r["period_start"]), href=href), scope="row"),
            html.Td(r["service"]),
            html.Td(value_text(r["value"], unit), className="num"),
            html.Td(tables.target_cell(r["comparator"], r["target"], unit), className="num"),
            html.Td(MONTH_STATUS[r["status"]]),
        ]
    )


def _standards(frame: pl.DataFrame, which: str) -> str:
    """'the standard “95% of requests due each day closed by their target time”', or 'every
    standard' where several are pooled."""
    wordings = set(frame["standard"])
    if which == "all" or len(wordings) != 1:
        return "every standard" if which == "all" else f"{len(wordings)} standards"
    return f"the standard “{next(iter(wordings))}”"


def verdicts_table(frame: pl.DataFrame, slug: str, caption: str) -> html.Div:
    """Each verdict counted, linking to the working behind it."""
    head = html.Tr(
        [html.Th("Period", scope="col"), html.Th("Service", scope="col"),
         html.Th("Figure", scope="col", className="num"),
         html.Th("Standard", scope="col", className="num"), html.Th("Verdict", scope="col")]
    )  # fmt: skip
    rows = [_row(r, slug) for r in frame.iter_rows(named=True)]
    return tables.captioned_table(caption, head, rows, "verdicts-table")


def layout(
    slug: str | None = None, month: QueryValue = None, standard: QueryValue = None, **_: str
) -> html.Div:
    """The verdicts the league row for the organisation, month and standard counts."""
    org = queries.organisation(slug) if slug else None
    if org is None or not slug:
        return not_found("Organisation not found", "There is no organisation at this address.")
    choice = choose_month(month, queries.months(org["jurisdiction"]))
    assert choice.month is not None  # an organisation exists, so months do too
    which = one(standard) or "all"
    frame = working.league_verdicts(slug, choice.month, which)
    judged = frame.filter(pl.col("status").is_in(["met", "not_met"]))
    met = judged.filter(pl.col("status") == "met").height
    grain = Grain(frame["grain"][0]) if frame.height else Grain.DAY
    window = grain.window(choice.month)
    first = frame["period_start"].sort()[0] if frame.height else choice.month
    view: dict[str, str | None] = {
        "organisation": slug, "from": month_text(first), "to": month_text(choice.month),
        # a pooled id ('gc' for 'gc:1008', 'gc:3261'...) is no record's own: all of them, then
        "standard": which if set(frame["standard_id"]) == {which} else None,
    }  # fmt: skip
    areas = queries.jurisdictions().filter(pl.col("jurisdiction") == org["jurisdiction"])
    league = f"/?jurisdiction={areas['slug'][0]}&month={month_text(choice.month)}"
    return html.Div(
        [
            html.P(html.A("← League table", href=league)),
            html.H1(f"Verdicts counted: {org['organisation']}, {window}"),
            *([html.P(choice.message, className="notice")] if choice.message else []),
            html.P(
                f"The league counts {plural(judged.height, grain.noun)} judged on "
                f"{_standards(frame, which)}: met in {met}"
                + (
                    f"; {frame.height - judged.height} had no figures"
                    if frame.height > judged.height
                    else ""
                )
                + ". Each links to the rows it was judged on.",
                className="headline",
            ),
            verdicts_table(frame, slug, f"{org['organisation']}: each verdict, {window}"),
            links.download_links("records", view, "these verdicts"),
        ]
    )
