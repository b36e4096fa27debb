"""Pure builders for `/compare`: its GET form, and one standard's months side by side."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from dash import dcc, html

from dashboard.pages._compare_view import MAX_ORGS, CompareView
from dashboard.ui.forms import select
from dashboard.ui.tables import captioned_table, volume_cell
from dashboard.ui.text import STATUS_MARK, aria, value_text
from dashboard.ui.whose import caption_note
from dashboard.web.params import month_text
from metrics.wording import league_window, month_name, percent

VERDICT = {
    "met": "Met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
    "no_data": "No data",
}


def org_choice(view: CompareView) -> html.Fieldset:
    """Checkboxes for the group's members, filtered as you type; the choice travels in the
    form's `orgs` field (a comma list, as old links have it)."""
    items = [
        html.Li(
            html.Button(name, id={"type": "org-pick", "index": slug}, type="button",
                        role="checkbox", className="org-pick",
                        **aria(checked="true" if slug in view.orgs else "false")),
            id={"type": "org-item", "index": slug},
        )
        for slug, name in view.options
    ]  # fmt: skip
    return html.Fieldset(
        [
            html.Legend(f"Organisations: {view.group_label}", className="label"),
            html.P(f"Choose up to {MAX_ORGS}: Space or a click ticks one.", className="hint"),
            html.Noscript(html.P(without_scripts(view), className="notice")),
            html.Label("Filter by name", htmlFor="org-filter", className="label"),
            dcc.Input(id="org-filter", type="search", value="", autoComplete="off",
                      className="input", debounce=False),
            html.P(f"{len(view.options)} organisations", id="org-count", className="hint",
                   role="status"),
            html.Ul(items, className="org-list"),
            dcc.Input(type="hidden", id="orgs", name="orgs", value=",".join(view.orgs)),
            dcc.Store(id="orgs-opened", data=list(view.orgs)),
        ],
        className="form-group org-choice",
    )  # fmt: skip


def without_scripts(view: CompareView) -> list[Any]:
    """What to do when the list cannot be ticked (scripts off): name the organisations in
    the address instead, as the page's own address does."""
    here = f"/compare?jurisdiction={view.area_slug}&orgs={','.join(view.orgs)}"
    return [
        "Ticking this list needs JavaScript, which is off. To compare other organisations, "
        "list their codes in the address after orgs=, separated by commas, as in ",
        html.A(here, href=here),
        ". An organisation's code is the last part of its page's address (/department/…).",
    ]


def compare_form(view: CompareView) -> html.Form:
    """A GET form: organisations, peer group, standard and months all land in the URL."""
    months = [(month_text(m), month_name(m)) for m in reversed(view.months)]
    standards = [("", "All the standards they share"), *view.standard_options]
    groups = [select("Compare within", "peer_group", view.group_options, view.peer_group)]
    return html.Form(
        [
            html.Div(dcc.Input(type="hidden", name="jurisdiction", value=view.area_slug),
                     className="hidden-fields"),
            org_choice(view),
            *(groups if len(view.group_options) > 1 else []),
            select("Standard", "standard", standards, view.standard or ""),
            select("From", "from", months, month_text(view.first) if view.first else ""),
            select("To", "to", months, month_text(view.last) if view.last else ""),
            html.Button("Compare", type="submit", className="button"),
        ],
        method="get", action="/compare", className="month-form compare-form",
    )  # fmt: skip


def period_label(grain: str, month: dt.date) -> str:
    """'July 2015', or 'fiscal year 2023-24' for yearly standards."""
    return league_window(grain, month) if grain == "fiscal_year" else month_name(month)


def cell(row: dict[str, Any] | None, grain: str) -> html.Td:
    """One organisation's month: met of judged service-days, or the figure and its verdict."""
    if row is None:
        return html.Td("–", className="num")
    if grain == "day" and not row["judged"]:
        return html.Td("Nothing due", className="num")
    if grain == "day":
        share = row["met"] / row["judged"]
        return html.Td(f"{row['met']:,} of {row['judged']:,} ({percent(share)})", className="num")
    status = str(row["status"] or "no_data")
    mark = STATUS_MARK.get(status, "")
    return html.Td(
        [
            html.Span(mark, className=f"day-mark day--{status.replace('_', '-')}",
                      **aria(hidden="true")) if mark else "",
            f" {value_text(row['value'], str(row['unit']))} ",
            html.Span(VERDICT[status], className="verdict"),
        ],
        className="num compare-cell",
    )  # fmt: skip


def total_cell(record: dict[str, Any] | None, grain: str) -> html.Td:
    """An organisation's record over the months compared."""
    if record is None or not record["judged"]:
        return html.Td("Nothing judged", className="num")
    unit = {"day": "days", "month": "months"}.get(grain, "years")
    text = f"{record['met']:,} of {record['judged']:,} {unit} ({percent(record['share'])})"
    return html.Td(html.Strong(text), className="num")


def volume_row(view: CompareView, volumes: pl.DataFrame | None) -> list[html.Tr]:
    """'Volume: Category 1 incidents, months compared' and each organisation's, with its
    change on the same months a year earlier where published; none where no count is named."""
    if volumes is None or volumes.is_empty():
        return []
    found = {r["org_slug"]: r for r in volumes.iter_rows(named=True)}
    head = html.Th(f"Volume: {volumes['volume_measure'][0]}, months compared", scope="row")
    cells = [
        html.Td(volume_cell(found[s]), className="num volume") if s in found
        else html.Td("–", className="num")
        for s in view.orgs
    ]  # fmt: skip
    return [html.Tr([head, *cells])]


def compare_table(
    view: CompareView,
    part: pl.DataFrame,
    records: pl.DataFrame,
    volumes: pl.DataFrame | None = None,
) -> html.Div:
    """Months down, organisations across, each cell the month's figure and verdict; beneath,
    each one's record and the volume behind it over the months compared."""
    grain = str(part["grain"][0])
    names = dict(view.options)
    rows = {(r["org_slug"], r["month"]): r for r in part.iter_rows(named=True)}
    totals = {r["org_slug"]: r for r in records.iter_rows(named=True)}
    months = sorted({m for m in view.months if view.first <= m <= view.last})  # type: ignore[operator]
    head = html.Tr(
        [html.Th("Month", scope="col")]
        + [html.Th(names.get(s, s), scope="col", className="num") for s in view.orgs]
    )
    body = [
        html.Tr(
            [html.Th(period_label(grain, m), scope="row")]
            + [cell(rows.get((s, m)), grain) for s in view.orgs]
        )
        for m in months
        if any((s, m) in rows for s in view.orgs)
    ]
    body.append(
        html.Tr(
            [html.Th("All months compared", scope="row")]
            + [total_cell(totals.get(s), grain) for s in view.orgs]
        )
    )
    body += volume_row(view, volumes)
    caption = f"{part['standard'][0]}{caption_note(str(part['standard_id'][0]))}: each month" + (
        " (service-days met of those judged)" if grain == "day" else ""
    )
    return captioned_table(caption, head, body)
