"""Charts with their findings: an active title, a text summary and the figures they draw."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from dashboard import figures
from dashboard.components import _figure as value_text
from metrics.records import met_record
from metrics.spc import SpcResult


@dataclass(frozen=True)
class Chart:
    """A figure with the sentence that states its finding and a plain-text summary."""

    title: str
    summary: tuple[str, ...]
    figure: go.Figure


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def funnel_title(league: pl.DataFrame, area: str, window: str) -> str:
    """'All 5 Boston organisations compared were within the expected range in July 2015'."""
    bands = list(league["band"].drop_nulls())
    above, below = bands.count("above expected"), bands.count("below expected")
    if not bands:
        return f"Too few periods were judged to compare {area} organisations in {window}"
    if not above and not below:
        return (
            f"All {len(bands)} {area} organisations compared were within the expected range "
            f"in {window}: none stands out once chance and the usual spread between "
            "organisations are allowed for"
        )
    return (
        f"In {window}, {below} of {len(bands)} {area} organisations compared were below the "
        f"expected range and {above} above it"
    )


def funnel_chart(
    league: pl.DataFrame, curve: pl.DataFrame, area: str, window: str, periods: str
) -> Chart:
    """The league table as a funnel plot, with what it shows in words."""
    unreliable = league.filter(pl.col("reliability").is_not_null()).height
    summary = [
        f"Each point is an organisation, labelled with its rank in the table: across, the "
        f"{periods.lower()} judged; up, the share met. Fewer periods judged leave more room "
        "for chance, so the limits narrow to the right.",
        "Points outside the solid 99.8% lines are above (triangle up) or below (triangle down) "
        "the expected range; circles are within it. The dashed lines are the 95% limits.",
    ]
    if curve.height:
        target = value_text(float(curve["target"][0]), "share")
        summary.append(f"The dotted line is the share met across organisations compared: {target}.")
    if unreliable:
        summary.append(
            f"{_count(unreliable, 'organisation')} had too few periods judged to compare [u]; "
            "open circles show any that had some."
        )
    summary.append("The table above holds every figure in this chart.")
    return Chart(
        funnel_title(league, area, window),
        tuple(summary),
        figures.funnel_figure(league, curve, periods),
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
    record = f"{what} in {met} of {_count(judged, noun)}"
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
