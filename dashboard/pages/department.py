"""`/department/<slug>`: each service's days-met calendar and figures for a month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import dash
import polars as pl
from dash import html

from dashboard.api import links
from dashboard.pages._glance import glance, ordinal, period_glance, worst_first, year_glance
from dashboard.pages._not_found import not_found
from dashboard.ui import currency, forms, tables, terms, whose
from dashboard.ui.chart_links import series_address
from dashboard.ui.charts import monthly_spc_panel, spc_panel
from dashboard.ui.formerly import formerly
from dashboard.ui.measures import other_measures, take_up_section
from dashboard.ui.sentences import months_met_sentence
from dashboard.web.params import QueryValue, choose_month, month_text, one
from metrics import glance as glance_metrics
from metrics import queries, series, standard_series
from metrics.grain import Grain
from metrics.records import met_record
from metrics.wording import fiscal_year_label, month_name, plural, summary_sentences, was


def title(slug: str | None = None) -> str:
    """The browser title names the department."""
    org = queries.organisation(slug) if slug else None
    name = org["organisation"] if org else "Department"
    return f"{name} – Service Standards Tracker"


def exists(slug: str) -> bool:
    """Whether the warehouse holds the department (otherwise the server answers 404)."""
    return queries.organisation(slug) is not None


dash.register_page(
    __name__, path_template="/department/<slug>", title=title, name="Department", exists=exists
)


def service_section(
    record: dict[str, Any], summary: dict[str, Any], days: pl.DataFrame, month: dt.date, slug: str
) -> html.Section:
    """One service: its headline sentence, calendar, key, daily figures and monthly trend."""
    service = str(record["service"])
    target = float(days["target_percent"][0]) / 100 if days.height else 0.95
    standard = str(record["standard_id"])
    day_href = tables.period_links(f"/department/{slug}/{record['service_slug']}", "day")
    return html.Section(
        [
            html.H2(html.A(service, href=f"/department/{slug}/{record['service_slug']}")),
            html.P(str(record["headline"]) + whose.caption_note(standard), className="headline"),
            html.Ul([html.Li(t) for t in summary_sentences(summary, target)], className="facts"),
            html.P(
                f"{plural(record['due'], 'request')} {was(record['due'])} due; "
                f"{record['on_time']:,} {was(record['on_time'])} closed on time. "
                f"{plural(record['no_target'], 'request')} opened this month had no target "
                f"and {was(record['no_target'], 'is', 'are')} not judged.",
                className="hint",
            ),
            tables.days_calendar(service + whose.caption_note(standard), days, month, day_href),
            tables.days_table(service + whose.caption_note(standard), days, month, day_href),
            pooled_trend(slug, str(record["service_slug"]), service, whose.caption_note(standard)),
        ],
        className="service",
        id=f"service-{record['service_slug']}",
    )


def pooled_trend(slug: str, service_slug: str, service: str, note: str) -> html.Div | html.P:
    """The service's pooled share on time, month by month, against the standard (with SPC);
    `note` says whose standard it is where this tracker set it."""
    pooled = standard_series.pooled_months(slug, service_slug)
    return spc_panel(
        pooled,
        series.series_spc(pooled),
        f"{service}: pooled share on time each month{note}",
        what="The pooled share on time met the standard" + note,
        address=series_address(slug, service_slug),
    )


def page_terms(grain: str) -> html.Details:
    """What the words on a department's page mean, for the grain its standards are judged at."""
    periods = "service-day" if grain == "day" else "standard-month"
    return terms.explained([periods, "peer-group", "performance", "usual-variation", "markers"],
                           "department")  # fmt: skip


def layout(
    slug: str | None = None, month: QueryValue = None, rows: QueryValue = None, **_unknown: str
) -> html.Div:
    """Every service of the department for the month in the URL."""
    org = queries.organisation(slug) if slug else None
    if org is None:
        return not_found("Department not found", "There is no department at this address.")
    yearly = queries.yearly_judgements(slug or "")
    full = {**org, "slug": slug or "", "area_slug": slug_of(org)}
    if yearly.height:
        return html.Div([yearly_layout(yearly, full, month, rows), page_terms("year")])
    monthly = queries.judgements(slug or "")
    if monthly.height:
        download = links.download_links("records", {"organisation": slug}, "these figures")
        return html.Div([monthly_layout(monthly, full, month), download, page_terms("month")])
    months = queries.months(org["jurisdiction"])
    choice = choose_month(month, months)
    assert choice.month is not None  # an organisation exists, so months do too
    records = queries.days_met_records(slug or "", choice.month)
    days = queries.service_days(slug or "", choice.month)
    summaries = {
        s["service"]: s
        for s in queries.service_summaries(slug or "", choice.month).iter_rows(named=True)
    }
    view = {"organisation": slug, "month": f"{choice.month:%Y-%m}"}
    sections = [
        service_section(
            r,
            summaries[r["service"]],
            days.filter(days["service"] == r["service"]),
            choice.month,
            slug or "",
        )
        for r in worst_first(records).iter_rows(named=True)
    ]
    league = queries.league_table(org["jurisdiction"], choice.month)
    return html.Div(
        [
            html.P(
                html.A(
                    "← League table",
                    href=f"/?jurisdiction={slug_of(org)}&month={choice.month:%Y-%m}",
                )
            ),
            html.H1(f"{org['organisation']}, {month_name(choice.month)}"),
            *formerly(slug or ""),
            *currency.currency_note(org["jurisdiction"], choice.month, f"/department/{slug}"),
            forms.notice(choice.message),
            glance(
                records,
                league,
                slug or "",
                org["jurisdiction"],
                choice.month,
                whose.linked_note(str(records["standard_id"][0])) if records.height else [],
            ),
            *(whose.note(str(records["standard_id"][0])) if records.height else []),
            html.P(html.A("Compare with other organisations", href=f"/compare?orgs={slug}")),
            forms.view_form(f"/department/{slug}", months, choice.month),
            tables.legend(),
            page_terms("day"),
            *sections,
            other_measures(
                queries.other_measures(slug or "", choice.month),
                links.download_links("measures", {"organisation": slug}, "every measure"),
            ),
            links.download_links("days-met", view, "the days-met records"),
            links.download_links("daily", view, "the figures for each day"),
        ]
    )


def monthly_layout(frame: pl.DataFrame, org: dict[str, str], month: QueryValue) -> html.Div:
    """An organisation whose standards are judged monthly: at a glance for the month chosen
    (the latest by default), then each standard's months, the least often met first."""
    slug = org["slug"]
    keys = dict(standard_series.series_list(slug).select("standard_id", "series").iter_rows())
    months = queries.months(org["jurisdiction"])
    choice = choose_month(month, months)
    assert choice.month is not None  # an organisation exists, so months do too
    mine = glance_metrics.standings(slug, choice.month)
    order = {s: i for i, s in enumerate(glance_metrics.worst_first(mine)["standard_id"])}
    parts = sorted(
        frame.partition_by("standard_id", maintain_order=True),
        key=lambda p: order.get(str(p["standard_id"][0]), len(order)),
    )
    anchors = {str(p["standard_id"][0]): f"standard-{keys[p['standard_id'][0]]}" for p in parts}
    sections = [
        html.Section(
            [
                html.H2(
                    html.A(
                        str(part["service"][0]),
                        href=f"/department/{slug}/{keys[part['standard_id'][0]]}",
                    )
                ),
                html.P(str(part["standard"][0]), className="hint"),
                html.P(
                    months_met_sentence(part) + whose.caption_note(str(part["standard_id"][0])),
                    className="headline",
                ),
                tables.months_strip(part, f"{part['service'][0]}: each month's verdict"),
                monthly_spc_panel(
                    part,
                    f"{part['service'][0]}: process limits each month",
                    address=series_address(slug, keys[part["standard_id"][0]]),
                ),
                tables.months_table(
                    part,
                    tables.period_links(
                        f"/department/{slug}/{keys[part['standard_id'][0]]}", "month"
                    ),
                ),
            ],
            className="service",
            id=anchors[str(part["standard_id"][0])],
        )
        for part in parts
    ]
    return html.Div(
        [
            html.P(html.A("← League table", href=league_link(org, choice.month))),
            html.H1(f"{org['organisation']}, {month_name(choice.month)}"),
            *formerly(slug),
            *currency.currency_note(org["jurisdiction"], choice.month, f"/department/{slug}"),
            forms.notice(choice.message),
            period_glance(
                mine, glance_metrics.peer_standing(slug, choice.month), org, choice.month, anchors
            )
            if mine.height
            else html.P(f"No standard was judged in the 12 months to {month_name(choice.month)}."),
            html.P(html.A("Compare with other organisations", href=f"/compare?orgs={org['slug']}")),
            forms.view_form(f"/department/{slug}", months, choice.month),
            *sections,
            other_measures(
                queries.other_measures(slug),
                links.download_links("measures", {"organisation": slug}, "every measure"),
            ),
        ]
    )


def yearly_layout(
    frame: pl.DataFrame, org: dict[str, str], month: QueryValue, rows: QueryValue = None
) -> html.Div:
    """An organisation whose standards are each published and judged once a fiscal year: at
    a glance for the fiscal year chosen (`month=`, the year's first month, as on the league;
    the latest by default), then every standard it published for that year (its first rows,
    and a link to all of them: `rows=all`)."""
    slug = org["slug"]
    keys = dict(standard_series.series_list(slug).select("standard_id", "series").iter_rows())
    pages = {k: f"/department/{slug}/{v}" for k, v in keys.items()}
    years = queries.months(org["jurisdiction"])
    choice = choose_month(month, years, Grain.FISCAL_YEAR.period_name)
    assert choice.month is not None  # an organisation exists, so its area's years do too
    year = fiscal_year_label(choice.month)
    shown = frame.filter(pl.col("period_start") == choice.month)
    caption = f"{org['organisation']}: each service standard, fiscal year {year}"
    mine = glance_metrics.standings(slug, choice.month)
    held = ", ".join(fiscal_year_label(y) for y in years)
    return html.Div(
        [
            html.P(html.A("← League table", href=league_link(org, choice.month))),
            html.H1(f"{org['organisation']}, fiscal year {year}"),
            *formerly(slug),
            *currency.currency_note(org["jurisdiction"], choice.month, f"/department/{slug}"),
            forms.notice(
                f"{choice.message} This tracker holds fiscal year{'s' if len(years) > 1 else ''} "
                f"{held} for {org['jurisdiction']}."
                if choice.message
                else None
            ),
            year_glance(
                mine,
                glance_metrics.peer_standing(slug, choice.month),
                org,
                choice.month,
                shown,
                pages,
            )
            if mine.height
            else html.P(standards_met_sentence(shown, year), className="headline"),
            forms.view_form(f"/department/{slug}", years, choice.month, grain=Grain.FISCAL_YEAR),
            html.P(
                "Each row is a standard the department published for one of its services, "
                "judged against the target share the department set for it.",
                className="hint",
            ),
            tables.standards_year_table(
                glance_metrics.year_worst_first(shown)
                .drop("shortfall")
                .vstack(shown.filter(~pl.col("status").is_in(["met", "not_met"]))),
                pages,
                caption,
                tables.rows_shown(one(rows), department_href(slug, choice.month)),
            ),
            links.download_links("records", {"organisation": slug}, "these figures"),
            take_up_section(queries.take_up(slug), take_up_ranks(slug)),
        ]
    )


def department_href(slug: str, month: dt.date) -> Callable[[dict[str, str]], str]:
    """This department's page for the month, with `extra` parameters added."""

    def href(extra: dict[str, str]) -> str:
        return f"/department/{slug}?" + urlencode({"month": month_text(month), **extra})

    return href


def take_up_ranks(slug: str) -> list[str]:
    """'Ranked 25th of 60 federal departments and agencies for applications made online in
    fiscal year 2023-24.' ('1st (tied with 11 others) of 60 ...'), one per peer group."""
    said = []
    for r in queries.take_up_ranks(slug).iter_rows(named=True):
        place = ordinal(r["rank"])
        if r["tied"] > 1:
            place += f" (tied with {plural(r['tied'] - 1, 'other')})"
        said.append(
            f"Ranked {place} of {r['ranked']:,} {str(r['label']).lower()} for applications "
            f"made online in fiscal year {fiscal_year_label(r['period_start'])}."
        )
    return said


def league_link(org: dict[str, str], month: dt.date) -> str:
    """The area's league for the same window."""
    return f"/?jurisdiction={org['area_slug']}&month={month:%Y-%m}"


def slug_of(org: dict[str, str]) -> str:
    """The URL slug of the organisation's area."""
    areas = queries.jurisdictions().filter(pl.col("jurisdiction") == org["jurisdiction"])
    return str(areas["slug"][0]) if areas.height else ""


def standards_met_sentence(frame: pl.DataFrame, year: str) -> str:
    """'Met 12 of 20 standards judged in fiscal year 2023-24; 3 had no figures'."""
    record = met_record(list(frame["status"]))
    text = f"Met {record.met} of {record.judged} standards judged in fiscal year {year}"
    return text + (
        f"; {record.no_data} had no published figure or target" if record.no_data else ""
    )
