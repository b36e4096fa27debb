"""Page components around charts: a chart with its title, summary and table; a months strip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl
from dash import dcc, html

from dashboard import charts
from dashboard.charts import Chart
from dashboard.components import MONTH_STATUS, STATUS_MARK, aria, captioned_table
from dashboard.components import _figure as value_text
from dashboard.figures import CONFIG
from metrics import queries
from metrics.spc import SpcResult

HEADINGS = {2: html.H2, 3: html.H3}


def chart_panel(chart: Chart, table: Any = None, level: int = 3) -> html.Div:
    """The chart under its finding, its summary beside it, its figures as a table below.

    The drawing is one image to assistive technology, named by its finding; the summary and
    the table carry the same figures in text.
    """
    graph = dcc.Graph(
        figure=chart.figure,
        config=CONFIG,
        className="chart-graph",
        style={"height": "var(--chart-height, 360px)"},
    )
    return html.Div(
        [
            HEADINGS[level](chart.title, className="chart-title"),
            html.Div(
                [
                    html.Div(
                        graph,
                        role="img",
                        className="chart-image",
                        **aria(label=chart.title + ". " + " ".join(chart.summary)),
                    ),
                    html.Div([html.P(s) for s in chart.summary], className="chart-summary"),
                ],
                className="chart-body",
            ),
            table,
        ],
        className="chart",
    )


SIGNAL_TEXT = {
    "special_cause_improvement": "Improvement",
    "special_cause_concern": "Concern",
    "special_cause_neutral": "Unusual",
    "common_cause": "Common cause",
}


def spc_table(result: SpcResult, unit: str, caption: str) -> html.Details:
    """The chart's figures: each period's value, the mean and limits, and its signal."""
    head = html.Tr(
        [html.Th("Period", scope="col")]
        + [
            html.Th(t, scope="col", className="num")
            for t in ("Value", "Mean", "Lower limit", "Upper limit")
        ]
        + [html.Th("Signal", scope="col")]
    )
    rows = [
        html.Tr(
            [html.Th(f"{p['period']:%b %Y}", scope="row")]
            + [
                html.Td(value_text(p[k], unit), className="num")
                for k in ("value", "mean", "lpl", "upl")
            ]
            + [html.Td(SIGNAL_TEXT.get(p["point_type"] or "", "No figure"))]
        )
        for p in result.points.iter_rows(named=True)
    ]
    return html.Details(
        [
            html.Summary(f"The chart's figures: {caption}"),
            captioned_table(caption, head, rows, "figures-table"),
        ]
    )


MONTH_MARK = {**STATUS_MARK, "no_data": "?"}


def month_label(period: dt.date) -> str:
    """'Jun 24': short enough for a cell."""
    return f"{period:%b %y}"


def months_strip(
    part: pl.DataFrame, label: str, label_of: Callable[[dt.date], str] = month_label
) -> html.Ol:
    """A row of period cells, each with its verdict as a mark and in words, oldest first."""
    cells = [
        html.Li(
            [
                html.Span(label_of(r["period_start"]), className="day-num"),
                html.Span(MONTH_MARK[r["status"]], className="day-mark", **aria(hidden="true")),
                html.Span(f" {MONTH_STATUS[r['status']]}", className="visually-hidden"),
            ],
            className=f"day month-cell day--{r['status'].replace('_', '-')}",
        )
        for r in part.sort("period_start").iter_rows(named=True)
    ]
    return html.Ol(cells, className="months-strip", **aria(label=label))


def days_met_months_table(pooled: pl.DataFrame, caption: str) -> html.Div:
    """A daily standard month by month: days met, days judged, pooled share and its verdict."""
    head = html.Tr(
        [html.Th("Month", scope="col")]
        + [
            html.Th(t, scope="col", className="num")
            for t in ("Days met", "Days judged", "Due", "On time", "Pooled share")
        ]
        + [html.Th("Pooled verdict", scope="col")]
    )
    rows = [
        html.Tr(
            [html.Th(f"{r['period_start']:%B %Y}", scope="row")]
            + [
                html.Td(f"{n:,}", className="num")
                for n in (
                    r["days_met"],
                    r["days_met"] + r["days_not_met"],
                    r["denominator"],
                    r["numerator"],
                )
            ]
            + [
                html.Td(value_text(r["value"], "share"), className="num"),
                html.Td(MONTH_STATUS[r["status"]]),
            ]
        )
        for r in pooled.iter_rows(named=True)
    ]
    return captioned_table(caption, head, rows)


def spc_panel(
    part: pl.DataFrame,
    result: SpcResult | None,
    caption: str,
    level: int = 3,
    noun: str = "month",
    what: str = "Met the standard",
) -> html.Div | html.P:
    """A series as an SPC chart with its verdicts in words and its figures as a table."""
    ordered = part.sort("period_start")
    if result is None:
        return html.P(too_few_to_chart(ordered), className="hint")
    chart = charts.spc_chart(result, ordered, noun, what)
    return chart_panel(chart, spc_table(result, str(part["unit"][0]), caption), level)


def monthly_spc_panel(part: pl.DataFrame, caption: str, level: int = 3) -> html.Div | html.P:
    """A monthly standard's series (rows of `judgements`), charted with the SPC ingest stored."""
    return spc_panel(part, queries.standard_spc(part), caption, level)


def too_few_to_chart(part: pl.DataFrame) -> str:
    """Why there is no chart: no figures yet, or only one."""
    figures = part.filter(pl.col("value").is_not_null())
    if figures.is_empty():
        return "There are no figures to chart yet."
    if figures.height > 1:
        return "Process limits are charted for monthly standards; this one is judged yearly."
    row = figures.row(0, named=True)
    return (
        f"There is only one figure so far ({value_text(row['value'], str(row['unit']))}), "
        "so there is no trend to chart."
    )
