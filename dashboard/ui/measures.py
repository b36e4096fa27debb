"""The 'Other measures' section: each service's figures no standard judges, as small tables.

Volume, backlog and time to close for case-level sources; attendances and inventory volumes
for aggregate ones. Rows come from `metrics.queries.other_measures`, never computed here.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import html

from dashboard.ui.tables import captioned_table
from dashboard.ui.text import value_text
from metrics.grain import fiscal_year_label, month_name

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
        parts.append(f"of {row['denominator']:,} requests")
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
    rows = [
        html.Tr(
            [
                html.Th(r["measure"], scope="row"),
                html.Td(figure_text(r), className="num"),
                html.Td(against_text(r)),
                html.Td(year_text(r), className="num"),
            ]
        )
        for r in part.iter_rows(named=True)
    ]
    head = html.Tr(
        [html.Th(t, scope="col") for t in ("Measure", "Figure", "Read against", "A year earlier")]
    )
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
