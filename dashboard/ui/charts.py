"""Charts with their findings: an active title, a text summary and the figures they draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import polars as pl
from dash import dcc, html

from dashboard.ui import figures
from dashboard.ui.chart_links import ChartAddress, chart_links
from dashboard.ui.figures import CONFIG
from dashboard.ui.tables import captioned_table
from dashboard.ui.text import aria, value_text
from metrics import queries
from metrics.grain import plural
from metrics.records import met_record
from metrics.spc import SpcResult


@dataclass(frozen=True)
class Chart:
    """A figure with the sentence that states its finding and a plain-text summary."""

    title: str
    summary: tuple[str, ...]
    figure: go.Figure


def _names(rows: pl.DataFrame, most: int = 4) -> str:
    """'A, B and C'; past `most` names, 'A, B, C, D and 3 others'."""
    names = [str(n) for n in rows.sort("performance")["organisation"]]
    if len(names) > most:
        names = [*names[:most], f"{len(names) - most} others"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def funnel_title(league: pl.DataFrame, area: str, window: str) -> str:
    """Names who is outside the 99.8% limits ('Below the expected range in July 2015: A and B;
    above it: C'), or says plainly that no one is."""
    banded = league.filter(pl.col("band").is_not_null())
    below = banded.filter(pl.col("band") == "below expected")
    above = banded.filter(pl.col("band") == "above expected")
    if banded.is_empty():
        return f"Too few cases were judged to compare {area} organisations in {window}"
    if below.is_empty() and above.is_empty():
        return (
            f"None of the {banded.height} {area} organisations compared was outside the "
            f"expected range in {window}, once chance and the usual spread between "
            "organisations are allowed for"
        )
    parts = []
    if below.height:
        parts.append(f"below the expected range: {_names(below)}")
    if above.height:
        parts.append(f"above it: {_names(above.reverse())}")
    return f"{area}, {window}, of {banded.height} compared, " + "; ".join(parts)


def funnel_chart(league: pl.DataFrame, curve: pl.DataFrame, area: str, window: str) -> Chart:
    """The league's performance as a funnel plot on case volumes, with what it shows in words."""
    unreliable = league.filter(pl.col("reliability").is_not_null()).height
    summary = [
        "Each point is an organisation, labelled with its rank in the table: across, the "
        "cases judged (log scale); up, the share within the standard. Fewer cases leave more "
        "room for chance, so the limits narrow to the right; they are widened for the usual "
        "spread between organisations (random effects).",
        "Points outside the solid 99.8% lines are above (triangle up) or below (triangle down) "
        "the expected range; circles are within it. The dashed lines are the 95% limits.",
    ]
    if curve.height:
        target = value_text(float(curve["target"][0]), "share")
        summary.append(f"The dotted line is all organisations' performance together: {target}.")
    if unreliable:
        summary.append(
            f"{plural(unreliable, 'organisation')} had too few periods judged to compare [u]; "
            "open circles show any that had some."
        )
    summary.append("The table above holds every figure in this chart.")
    return Chart(
        funnel_title(league, area, window),
        tuple(summary),
        figures.funnel_figure(league, curve, "Cases"),
    )


ASSURANCE_PHRASE = {
    "consistently fails": "performance is consistently short of the target",
    "consistently passes": "performance consistently meets the target",
    "hit and miss": "performance will sometimes meet the target and sometimes miss it",
}
VARIATION_PHRASE = {
    "improvement": "the latest figures show a real improvement",
    "concern": "the latest figures show a real cause for concern",
    "neutral": "the latest figures show an unusual change",
    "common cause": "the latest figures show no significant change",
}


def spc_title(result: SpcResult, met: int, judged: int, noun: str, what: str) -> str:
    """'Met the standard in 0 of 13 months; performance is consistently short of the target'."""
    record = f"{what} in {met} of {plural(judged, noun)}"
    phrase = ASSURANCE_PHRASE.get(result.assurance or "", VARIATION_PHRASE[result.variation])
    return f"{record}; {phrase}"


def spc_summary(result: SpcResult, unit: str, target: float | None) -> tuple[str, ...]:
    """The verdicts in words, then the lines the chart draws and what its markers mean."""
    lines = [result.variation_sentence, result.assurance_sentence, result.warning]
    if result.mean is not None and result.lpl is not None and result.upl is not None:
        lines.append(
            f"Mean {value_text(result.mean, unit)} (solid line); process limits "
            f"{value_text(result.lpl, unit)} to {value_text(result.upl, unit)} (dashed)"
            + (f"; target {value_text(target, unit)} (dotted)." if target is not None else ".")
        )
    if result.points["special_cause"].any():
        lines.append(
            "Special causes are marked by shape: a diamond for improvement, a square for concern."
        )
    return tuple(line for line in lines if line)


def spc_chart(
    result: SpcResult, part: pl.DataFrame, noun: str, what: str = "Met the standard"
) -> Chart:
    """A series against its standard as an XmR chart, its finding in the title."""
    unit = str(part["unit"][0])
    target = part["target"].drop_nulls()
    goal = float(target[-1]) if target.len() else None
    record = met_record(list(part["status"]))
    title = spc_title(result, record.met, record.judged, noun, what)
    return Chart(title, spc_summary(result, unit, goal), figures.spc_figure(result, unit, goal))


HEADINGS = {2: html.H2, 3: html.H3}


def chart_panel(
    chart: Chart, table: Any = None, level: int = 3, address: ChartAddress | None = None
) -> html.Div:
    """The chart under its finding, its summary beside it, its figures as a table below;
    with an `address`, links to it as PNG and SVG and the code to embed it.

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
            chart_links(address, chart.title) if address else None,
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


def spc_panel(
    part: pl.DataFrame,
    result: SpcResult | None,
    caption: str,
    level: int = 3,
    noun: str = "month",
    what: str = "Met the standard",
    address: ChartAddress | None = None,
) -> html.Div | html.P:
    """A series as an SPC chart with its verdicts in words and its figures as a table."""
    ordered = part.sort("period_start")
    if result is None:
        return html.P(too_few_to_chart(ordered), className="hint")
    chart = spc_chart(result, ordered, noun, what)
    return chart_panel(chart, spc_table(result, str(part["unit"][0]), caption), level, address)


def monthly_spc_panel(
    part: pl.DataFrame, caption: str, level: int = 3, address: ChartAddress | None = None
) -> html.Div | html.P:
    """A monthly standard's series (rows of `judgements`), charted with the SPC ingest stored."""
    return spc_panel(part, queries.standard_spc(part), caption, level, address=address)


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
