"""`/department/<slug>/<standard>`: one standard of an organisation in depth, all its periods.

The standard segment is the series key (metrics.queries.SERIES_KEY): the service's slug for a
daily standard, the standard id as a slug for any other.
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import html

from dashboard.api import links
from dashboard.pages._not_found import not_found
from dashboard.ui import currency, tables, terms, whose
from dashboard.ui.chart_links import ChartAddress, series_address
from dashboard.ui.charts import spc_panel
from dashboard.ui.formerly import formerly
from dashboard.ui.sentences import change_sentences, months_met_sentence, record_sentences
from metrics import queries, series, standard_series
from metrics.spc import verdict_word
from metrics.wording import fiscal_year_label


def _find(slug: str | None, standard: str | None) -> tuple[dict[str, str], dict[str, Any]] | None:
    """The organisation and the series named in the URL, or None."""
    org = queries.organisation(slug) if slug else None
    if org is None or not standard:
        return None
    found = standard_series.series_list(slug or "").filter(pl.col("series") == standard)
    return (org, found.row(0, named=True)) if found.height else None


def title(slug: str | None = None, standard: str | None = None) -> str:
    """The browser title names the service and the organisation."""
    found = _find(slug, standard)
    if found is None:
        return "Standard not found – Service Standards Tracker"
    org, row = found
    return f"{row['service']}, {org['organisation']} – Service Standards Tracker"


# order=0: matched before `/department/<slug>`, whose pattern would also take "<slug>/<standard>".
def exists(slug: str, standard: str) -> bool:
    """Whether the warehouse holds the standard (otherwise the server answers 404)."""
    return _find(slug, standard) is not None


dash.register_page(
    __name__,
    path_template="/department/<slug>/<standard>",
    title=title,
    name="Standard",
    order=0,
    exists=exists,
)


def standard_not_found(slug: str | None) -> html.Div:
    """A clear message and a way on, for an unknown organisation or standard."""
    org = queries.organisation(slug) if slug else None
    back = (
        [html.A(f"See every standard of {org['organisation']}", href=f"/department/{slug}")]
        if org
        else []
    )
    return not_found("Standard not found", "There is no standard at this address.", *back)


def layout(slug: str | None = None, standard: str | None = None, **_unknown: str) -> html.Div:
    """Every period of one standard of one organisation."""
    found = _find(slug, standard)
    if found is None:
        return standard_not_found(slug)
    org, row = found
    periods = standard_series.series_periods(slug or "", standard or "")
    base = f"/department/{slug}/{standard}"
    address = series_address(slug or "", standard or "")
    if row["grain"] == "day":
        body = daily_body(slug or "", row, periods, address)
    else:
        body = periodic_body(periods, base, address)
    return html.Div(
        [
            html.P(html.A(f"← {org['organisation']}", href=f"/department/{slug}")),
            html.H1(f"{row['service']}, {org['organisation']}"),
            *formerly(slug or ""),
            *currency.currency_note(org["jurisdiction"]),
            html.P(str(row["standard"]), className="lead"),
            *whose.note(str(row["standard_id"])),
            *body,
            *download_links(slug or "", row),
            terms.explained(standard_terms(str(row["grain"])), "standard"),
        ]
    )


def standard_terms(grain: str) -> list[str]:
    """The terms a standard's page uses, in the order it uses them."""
    if grain == "day":
        return ["standard", "service-day", "performance", "usual-variation", "markers"]
    return ["standard", "standard-month", "usual-variation", "markers"]


def download_links(slug: str, row: dict[str, Any]) -> list[html.P]:
    """The page's figures as files: a daily service's months and days, else its periods."""
    if row["grain"] == "day":
        view = {"organisation": slug, "service": str(row["series"])}
        return [
            links.download_links("days-met", view, "the days-met record of each month"),
            links.download_links("daily", view, "the figures for each day"),
        ]
    view = {"organisation": slug, "standard": str(row["standard_id"])}
    return [links.download_links("records", view, "these figures")]


def periodic_body(
    periods: pl.DataFrame, base: str, address: ChartAddress | None = None
) -> list[Any]:
    """A monthly or yearly standard: its record, strip, SPC chart and table of periods, each
    period linking to the published row it was judged on (under `base`, the series' page)."""
    grain = str(periods["grain"][0])
    noun = "fiscal year" if grain == "fiscal_year" else "month"
    record = standard_series.series_record(periods, grain)
    sentence = months_met_sentence(periods)
    if grain == "fiscal_year":
        sentence = sentence.replace(" months", " fiscal years")
    label_of = fiscal_year_label if grain == "fiscal_year" else tables.month_label
    chart = queries.standard_spc(periods)
    verdict = verdict_word(chart)  # a fiscal-year series has no chart: 'not enough data'
    return [
        html.P(
            [sentence, *whose.linked_note(str(periods["standard_id"][0]))], className="headline"
        ),
        html.Ul([html.Li(t) for t in record_sentences(record, grain)], className="facts"),
        html.Ul(
            [html.Li(t) for t in change_sentences(record, periods, noun, verdict)],
            className="facts",
        ),
        tables.months_strip(periods, f"Each {noun}'s verdict", label_of),
        spc_panel(periods, chart, "Process limits each " + noun, 2, noun, address=address),
        tables.months_table(periods, tables.period_links(base, grain)),
    ]


def daily_body(
    slug: str, row: dict[str, Any], days: pl.DataFrame, address: ChartAddress | None = None
) -> list[Any]:
    """A daily standard: days met over all its days, and month by month, pooled and charted."""
    pooled = standard_series.pooled_months(slug, str(row["series"]))
    days_record = standard_series.series_record(days, "day")
    months_record = standard_series.series_record(pooled, "month")
    first, last = days["period_start"][0], days["period_start"][-1]
    chart = series.series_spc(pooled)
    return [
        html.P(
            [
                f"Met its standard on {days_record.record.met} of {days_record.record.judged} "
                f"days judged, {first:%-d %B %Y} to {last:%-d %B %Y}",
                *whose.linked_note(str(row["standard_id"])),
            ],
            className="headline",
        ),
        html.Ul([html.Li(t) for t in record_sentences(days_record, "day")], className="facts"),
        html.Ul(
            [
                html.Li(t)
                for t in change_sentences(months_record, pooled, "month", verdict_word(chart))
            ],
            className="facts",
        ),
        spc_panel(
            pooled,
            chart,
            "Pooled share on time each month" + whose.caption_note(str(row["standard_id"])),
            level=2,
            what="The pooled share on time met the standard"
            + whose.caption_note(str(row["standard_id"])),
            address=address,
        ),
        tables.days_met_months_table(
            pooled, f"{row['service']}: days met each month{whose.caption_note(row['standard_id'])}"
        ),
    ]
