"""Pure builders from metrics frames to plotly figures (graph_objects only).

Colours are the Okabe-Ito colour-blind-safe set (plus GOV.UK greys), each 3:1 or more against
white; every meaning is carried by shape or line pattern as well as colour.
"""

from __future__ import annotations

import html
import math
import textwrap

import plotly.graph_objects as go
import polars as pl
from dash.dcc import Graph

from metrics.spc import SpcResult

INK, GREY = "#0b0c0c", "#505a5f"
BLUE, VERMILLION, PURPLE = "#0072b2", "#d55e00", "#7a3a8c"
PALETTE = (INK, GREY, BLUE, VERMILLION, PURPLE)
CONFIG: Graph.Config = {
    "responsive": True,
    "displaylogo": False,
    "displayModeBar": False,
    "scrollZoom": False,
}
SCALE = {"share": 100.0, "seconds": 1 / 60}
LABELLED = 40  # more rank labels than this crowd each other; hover and the table name them all
AXIS_TITLE = {"share": "Share (%)", "seconds": "Minutes", "count": "Number", "days": "Days"}


def _layout(figure: go.Figure, x_title: str, y_title: str) -> go.Figure:
    """The calm house style: white ground, system font, legend above, no zoom to get lost in."""
    figure.update_layout(
        template="none",
        font={
            "family": "system-ui, Segoe UI, Roboto, Helvetica, Arial, sans-serif",
            "size": 14,
            "color": INK,
        },
        margin={"l": 56, "r": 12, "t": 12, "b": 8},
        # Above the plot: below it, plotly sets the legend over the x-axis title.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hovermode="closest",
        dragmode=False,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    figure.update_xaxes(
        title_text=x_title,
        fixedrange=True,
        showgrid=False,
        linecolor=GREY,
        automargin=True,
        tickangle=0,
    )
    figure.update_yaxes(
        title_text=y_title, fixedrange=True, gridcolor="#e8e8e8", linecolor=GREY, automargin=True
    )
    return figure


def _pair(
    xs: list[object], low: list[float], high: list[float]
) -> tuple[list[object], list[object]]:
    """Two lines as one trace, broken by a gap, so one legend entry names both limits."""
    return [*xs, None, *xs], [*low, None, *high]


def _line(
    x: list[object], y: list[object], name: str, dash: str, colour: str, width: float = 1.5
) -> go.Scatter:
    """A reference line (a limit, mean or target): no hover, named in the legend."""
    return go.Scatter(x=x, y=y, mode="lines", name=name, hoverinfo="skip",
                      line={"dash": dash, "color": colour, "width": width})  # fmt: skip


BAND_MARKERS = {
    "above expected": ("Above expected", "triangle-up", BLUE),
    "within expected range": ("Within expected range", "circle", GREY),
    "below expected": ("Below expected", "triangle-down", VERMILLION),
}


def _rank_label(rank: int | None) -> str:
    """A point's label: its rank in the table beside it ('u' when unranked, [u])."""
    return "u" if rank is None else str(rank)


def _label_side(x: float, middle: float) -> str:
    """Labels lean inwards, so names near either edge stay inside the chart."""
    return "top right" if x < middle else "top left"


def _funnel_points(league: pl.DataFrame, labelled: bool) -> list[go.Scatter]:
    """One trace per band, and one for the low-reliability rows, each with its own marker."""
    judged = [int(n) for n in league["performance_denominator"] if n]
    middle = math.sqrt(min(judged) * max(judged)) if judged else 0
    groups = [(b, league.filter(pl.col("band") == b)) for b in BAND_MARKERS]
    counted = pl.col("performance_denominator") > 0
    unreliable = league.filter(pl.col("reliability").is_not_null() & counted)
    traces = []
    for band, rows in [*groups, ("[u]", unreliable)]:
        if rows.is_empty():
            continue
        name, symbol, colour = BAND_MARKERS.get(band, ("Too few judged [u]", "circle-open", GREY))
        names = list(rows["organisation"])
        xs = list(rows["performance_denominator"])
        traces.append(
            go.Scatter(
                x=xs,
                y=[s * 100 for s in rows["performance"]],
                mode="markers+text" if labelled else "markers",
                name=name,
                text=[_rank_label(r) for r in rows["rank"]] if labelled else None,
                textposition=[_label_side(x, middle) for x in xs],
                cliponaxis=False,
                textfont={"size": 12},
                hovertext=names,
                hovertemplate="%{hovertext}: %{y:.1f}% of %{x:,} cases<extra></extra>",
                marker={
                    "symbol": symbol,
                    "size": 12,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
            )
        )
    return traces


def funnel_figure(league: pl.DataFrame, curve: pl.DataFrame, cases: str) -> go.Figure:
    """Performance against cases judged (log scale), with the funnel's 95% and 99.8% limits."""
    ns = list(curve["n"])
    figure = go.Figure()
    limits = (("95", "95% limits", "dash", GREY), ("998", "99.8% limits", "solid", INK))
    for level, name, dash, colour in limits:
        low = [v * 100 for v in curve[f"lower_{level}"]]
        high = [v * 100 for v in curve[f"upper_{level}"]]
        figure.add_trace(_line(*_pair(ns, low, high), name, dash, colour))
    if curve.height:
        target = float(curve["target"][0]) * 100
        name = f"All organisations ({target:.0f}%)"
        figure.add_trace(_line([ns[0], ns[-1]], [target, target], name, "dot", BLUE, 2))
    figure.add_traces(_funnel_points(league, labelled=league.height <= LABELLED))
    _layout(figure, f"{cases} judged (log scale)", "Performance (%)")
    figure.update_yaxes(range=[-3, 108], ticksuffix="%")
    figure.update_xaxes(type="log")
    return figure


SIGNALS = {
    "special_cause_improvement": ("Improvement (special cause)", "diamond", BLUE, 13),
    "special_cause_concern": ("Concern (special cause)", "square", VERMILLION, 11),
    "special_cause_neutral": ("Unusual (special cause)", "hexagon", PURPLE, 12),
}


def _values(xs: list[object], ys: list[float | None]) -> go.Scatter:
    """The series itself: a grey line with a dot at each period, broken where there is a gap."""
    return go.Scatter(x=xs, y=ys, mode="lines+markers", name="Value", connectgaps=False,
                      line={"color": GREY, "width": 2},
                      marker={"symbol": "circle", "size": 8, "color": GREY},
                      hovertemplate=HOVER)  # fmt: skip


HOVER = "%{x|%b %Y}: %{y:.1f}<extra></extra>"


def _time_series(figure: go.Figure, unit: str) -> go.Figure:
    _layout(figure, "", AXIS_TITLE.get(unit, "Value"))
    figure.update_xaxes(tickformat="%b<br>%Y", nticks=6)
    return figure


def spc_figure(result: SpcResult, unit: str, target: float | None) -> go.Figure:
    """An XmR chart: values, mean, process limits, target, special-cause points by shape."""
    points, scale = result.points, SCALE.get(unit, 1.0)
    xs = list(points["period"])
    ends = [xs[0], xs[-1]]
    figure = go.Figure(_values(xs, [None if v is None else v * scale for v in points["value"]]))
    if result.mean is not None:
        figure.add_trace(_line(ends, [result.mean * scale] * 2, "Mean", "solid", INK))
    if result.lpl is not None and result.upl is not None:
        low, high = [result.lpl * scale] * 2, [result.upl * scale] * 2
        figure.add_trace(_line(*_pair(ends, low, high), "Process limits", "dash", GREY))
    if target is not None:
        figure.add_trace(_line(ends, [target * scale] * 2, "Target", "dot", BLUE))
    for point_type, (name, symbol, colour, size) in SIGNALS.items():
        flagged = points.filter(pl.col("point_type") == point_type)
        if flagged.height:
            figure.add_trace(go.Scatter(
                x=list(flagged["period"]), y=[v * scale for v in flagged["value"]],
                mode="markers", name=name, hovertemplate=HOVER,
                marker={"symbol": symbol, "size": size, "color": colour,
                        "line": {"width": 1, "color": INK}}))  # fmt: skip
    return _time_series(figure, unit)


NAMED_HOVER = "%{hovertext}, %{x|%b %Y}: %{y:.1f}<extra></extra>"
CHOSEN_MARKERS = ("circle", "square", "diamond", "x", "star", "hexagon")
CHOSEN_COLOURS = (INK, VERMILLION, PURPLE, BLUE, INK, VERMILLION)
REFERENCE = {
    "best": ("dash", "triangle-up"),
    "worst": ("dash", "triangle-down"),
}


LEGEND_WIDTH = 34  # characters of a legend entry's line that fit beside its symbol at 375 px


def compare_figure(
    lines: list[tuple[str, str, pl.DataFrame]], unit: str, target: float | None
) -> go.Figure:
    """Organisations month by month (`lines`: name, role, frame of month and value), each
    chosen one a solid line with its own marker; the group's best and worst dashed with
    triangles; its average a thick grey line; the standard's target dotted."""
    scale = SCALE.get(unit, 1.0)
    figure = go.Figure()
    chosen = 0
    for name, role, frame in lines:
        xs, ys = list(frame["month"]), [None if v is None else v * scale for v in frame["value"]]
        line: dict[str, object]
        marker: dict[str, object]
        if role == "average":
            line, marker = {"color": GREY, "width": 4}, {"size": 1}
        elif role in REFERENCE:
            dash, symbol = REFERENCE[role]
            line, marker = (
                {"color": GREY, "width": 1.5, "dash": dash},
                {"symbol": symbol, "size": 9, "color": GREY},
            )
        else:
            colour = CHOSEN_COLOURS[chosen % len(CHOSEN_COLOURS)]
            line = {"color": colour, "width": 2.5}
            marker = {
                "symbol": CHOSEN_MARKERS[chosen % len(CHOSEN_MARKERS)],
                "size": 9,
                "color": colour,
            }
            chosen += 1
        legend, _ = _wrapped(name, LEGEND_WIDTH)  # plotly never wraps: a phone clipped it
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=legend, line=line,
                                    marker=marker, connectgaps=False, hovertext=[name] * len(xs),
                                    hovertemplate=NAMED_HOVER))  # fmt: skip
    months = sorted({m for _, _, frame in lines for m in frame["month"]})
    if target is not None and months:
        figure.add_trace(
            _line([months[0], months[-1]], [target * scale] * 2, "Standard", "dot", BLUE, 2)
        )
    _time_series(figure, unit)
    if unit == "share":
        figure.update_yaxes(ticksuffix="%")
    return figure


TITLE_WIDTH = 88  # characters a line of the exported title holds at the export width
SOURCE_PREFIX = "Source: "


def _wrapped(text: str, width: int = TITLE_WIDTH) -> tuple[str, int]:
    """The text broken into lines for plotly (which never wraps), and how many lines."""
    lines = textwrap.wrap(text, width) or [""]
    return "<br>".join(html.escape(line, quote=False) for line in lines), len(lines)


def as_file(
    figure: go.Figure, title: str, source: str, period: str, height: int = 640
) -> go.Figure:
    """A page's figure made to stand alone as an image: its finding as the title above, and
    the period and source beneath, so a copy that travels without the page still says them."""
    stand_alone = go.Figure(figure)
    heading, lines = _wrapped(title)
    footnote, notes = _wrapped(f"{period}. {SOURCE_PREFIX}{source}", 110)
    stand_alone.update_layout(
        # Plotly sets a title's top by its first line alone: start it a line down.
        title={"text": heading, "x": 0.01, "xanchor": "left", "y": 1 - 32 / height,
               "yref": "container", "yanchor": "top",
               "font": {"size": 18, "color": INK}},
        margin={"t": 24 * lines + 56, "b": 96 + 18 * notes, "l": 64, "r": 24},
        legend={"y": 1.01, "yanchor": "bottom"},
        annotations=[{"text": footnote, "xref": "paper", "yref": "paper", "x": 0, "y": 0,
                      "yshift": -76, "xanchor": "left", "yanchor": "top", "align": "left",
                      "showarrow": False, "font": {"size": 12, "color": GREY}}],
    )  # fmt: skip
    return stand_alone
