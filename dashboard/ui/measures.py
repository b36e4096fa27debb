"""The 'Other measures' section: each service's figures no standard judges, as small tables.

Volume, backlog and time to close for case-level sources; attendances and inventory volumes
for aggregate ones. Rows come from `metrics.queries.other_measures`, never computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from dash import html

from dashboard.ui.tables import captioned_table
from dashboard.ui.text import value_text
from metrics.grain import fiscal_year_label, month_name, plural

MARKER_WORDS = {"[p]": " [p]", "[z]": "", "[x]": " [x]"}


def period_text(row: dict[str, Any]) -> str:
    """'March 2015', or 'fiscal year 2023-24'."""
    if row["grain"] == "fiscal_year":
        return f"fiscal year {fiscal_year_label(row['period_start'])}"
    return month_name(row["period_start"])


def figure_text(row: dict[str, Any]) -> str:
    """The figure in its unit, with its marker: '12 [p]'; 'none to measure' for [z]."""
    if row["value"] is None and row["marker"] == "[z]":
        return "none to measure"
    return value_text(row["value"], str(row["unit"])) + MARKER_WORDS.get(row["marker"] or "", "")


def against_text(row: dict[str, Any]) -> str:
    """What a figure is read against: the target time, or how many it is taken over."""
    parts = []
    if row["target"] is not None:
        parts.append(f"median target {value_text(row['target'], str(row['unit']))}")
    if row["denominator"]:
        parts.append(f"of {plural(int(row['denominator']), 'request')}")
    return "; ".join(parts) or "–"


def year_text(row: dict[str, Any]) -> str:
    """'1,204 (up 56, worse)'; '–' where the warehouse holds no figure a year earlier."""
    change = row["change_on_year"]
    if row["year_earlier"] is None or change is None:
        return "–"
    unit = str(row["unit"])
    earlier = value_text(row["year_earlier"], unit)
    if change == 0:
        return f"{earlier} (no change)"
    size = value_text(abs(change), unit)
    way = "up" if change > 0 else "down"
    if row["direction"] == "neither":
        return f"{earlier} ({way} {size})"
    better = (change > 0) == (row["direction"] == "higher")
    return f"{earlier} ({way} {size}, {'better' if better else 'worse'})"


def measures_table(service: str, part: pl.DataFrame) -> html.Div:
    """One service's other measures for one period: figure, what it is against, a year ago."""
    first = part.row(0, named=True)
    # A column a year earlier only where the warehouse holds one: narrow tables on a phone.
    earlier = part["year_earlier"].is_not_null().any()
    rows = [
        html.Tr(
            [
                html.Th(r["measure"], scope="row"),
                html.Td(figure_text(r), className="num"),
                html.Td(against_text(r)),
                *([html.Td(year_text(r), className="num")] if earlier else []),
            ]
        )
        for r in part.iter_rows(named=True)
    ]
    titles = ("Measure", "Figure", "Read against") + (("A year earlier",) if earlier else ())
    head = html.Tr([html.Th(t, scope="col") for t in titles])
    return captioned_table(
        f"{service}: other measures, {period_text(first)}", head, rows, "measures-table"
    )


def other_measures(frame: pl.DataFrame, download: Any = None) -> html.Section | html.Div:
    """The section, one small table per service, then `download` (the measures' links); an
    empty block when there are none."""
    if frame.is_empty():
        return html.Div()
    return html.Section(
        [
            html.H2("Other measures"),
            html.P(
                "How much came in, what was left open past its target, and how long requests "
                "took to close. None of these is judged against a standard; a volume is "
                "neither better nor worse for being larger. [p] marks a month the data ends "
                "inside: provisional.",
                className="hint",
            ),
            *[
                measures_table(str(part["service"][0]), part)
                for part in frame.partition_by("service", maintain_order=True)
            ],
            download,
        ],
        className="other-measures",
    )


def share_cell(part: int | None, whole: int | None, marker: str | None, noun: str) -> str:
    """'23.1% (12 of 52 applications)'; 'none to measure' for [z]; 'no data' otherwise."""
    if part is None or not whole:
        return "none to measure" if marker == "[z]" else "no data"
    return f"{value_text(part / whole, 'share')} ({part:,} of {whole:,} {noun})"


def applied_online(row: dict[str, Any]) -> str:
    """A take-up row's online share of applications, in words."""
    marker = row["online_share_marker"]
    return share_cell(row["online"], row["applications"], marker, "applications")


def stages_online(row: dict[str, Any]) -> str:
    """A take-up row's stages offered online, in words."""
    return share_cell(row["stages_online"], row["stages"], row["stages_marker"], "stages")


def take_up_section(frame: pl.DataFrame, ranks: Sequence[str] = ()) -> html.Section | html.Div:
    """Digital take-up: the department's online share of applications and its `ranks` in its
    peer groups (sentences), then each service's share and online stages in a table a reader
    can open; empty where none is published."""
    if frame.is_empty():
        return html.Div()
    first = frame.row(0, named=True)
    year = fiscal_year_label(first["period_start"])
    lead = (
        "Online share of applications across its services, weighted by volume: "
        + applied_online(first)
        if first["service"] == "All services"
        else "No service published both its applications and its online applications."
    )
    rows = [
        html.Tr(
            [
                html.Th(r["service"], scope="row"),
                html.Td(applied_online(r)),
                html.Td(stages_online(r)),
            ]
        )
        for r in frame.iter_rows(named=True)
        if r["service"] != "All services"
    ]
    head = html.Tr(
        [html.Th(t, scope="col") for t in ("Service", "Applied online", "Stages online")]
    )
    caption = f"Digital take-up of each service, fiscal year {year}"
    return html.Section(
        [
            html.H2(f"Digital take-up, fiscal year {year}"),
            html.P(lead, className="headline"),
            *[html.P(said, className="take-up-rank") for said in ranks],
            html.P(
                "Stages online: of account registration, authentication, application, decision, "
                "issuance and feedback, those the service offers online, out of those that "
                "apply to it. A service with no online channel has no applications online.",
                className="hint",
            ),
            html.Details([html.Summary(caption), captioned_table(caption, head, rows)]),
        ],
        className="take-up",
    )
