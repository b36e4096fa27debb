"""`/compare`'s chart: the chosen organisations month by month beside their peer group's
average, best and worst, with the standard's line, its finding as the title, and its figures
as a table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from dash import html

from dashboard.pages import _compare_words as words
from dashboard.pages._compare_view import CompareView
from dashboard.ui import whose
from dashboard.ui.charts import Chart, chart_panel
from dashboard.ui.figures import compare_figure
from dashboard.ui.tables import captioned_table
from dashboard.ui.text import value_text
from dashboard.ui.whose import caption_note
from metrics import standing
from metrics.wording import month_name
from settings import get_settings


def lines(
    view: CompareView, months: pl.DataFrame, table: pl.DataFrame
) -> list[tuple[str, str, pl.DataFrame]]:
    """(name, role, each month's value) of each line: the chosen organisations, the group's
    best and worst (unless chosen), its average; each frame has month, value and org_slug."""
    rows = {r["org_slug"]: r for r in table.iter_rows(named=True)}
    ranked = table.filter(pl.col("ranked") & pl.col("performance").is_not_null())
    out = [(rows[s]["organisation"], "chosen", months.filter(pl.col("org_slug") == s))
           for s in view.orgs if s in rows]  # fmt: skip
    for role, row in (("best", ranked.head(1)), ("worst", ranked.tail(1))):
        slug = row["org_slug"][0] if row.height else None
        if slug and slug not in view.orgs:
            name = f"{role.capitalize()} in group: {rows[slug]['organisation']}"
            out.append((name, role, months.filter(pl.col("org_slug") == slug)))
    average = standing.group_average(months).with_columns(org_slug=pl.lit(None, pl.String))
    out.append(("Group average", "average", average))
    return out


def figures_table(
    drawn: list[tuple[str, str, pl.DataFrame]], whole: list[float | None], unit: str, caption: str
) -> html.Details:
    """The chart's figures: each month's value of every line, then the whole span's
    (`whole`, one figure per line)."""
    months = sorted({m for _, _, f in drawn for m in f["month"]})
    values = [{r["month"]: r["value"] for r in f.iter_rows(named=True)} for _, _, f in drawn]
    head = html.Tr(
        [html.Th("Month", scope="col")]
        + [html.Th(n, scope="col", className="num") for n, _, _ in drawn]
    )
    body = [html.Tr([html.Th(month_name(m), scope="row")]
                    + [html.Td(value_text(v.get(m), unit), className="num") for v in values])
            for m in months]  # fmt: skip
    totals = [html.Td(html.Strong(value_text(v, unit)), className="num") for v in whole]
    body.append(html.Tr([html.Th("All the months", scope="row"), *totals]))
    return html.Details([html.Summary(f"The chart's figures: {caption}"),
                         captioned_table(caption, head, body, "figures-table")])  # fmt: skip


KEY = (
    "Solid lines are the organisations chosen; dashed, the group's best (▲) and worst (▼); "
    "the thick grey line its average; the dotted line the standard."
)


@dataclass(frozen=True)
class GroupFigures:
    """The view's standard within its group over the months: each member's months and
    standing, the group's pooled figure and its best and worst ranked members."""

    months: pl.DataFrame
    table: pl.DataFrame
    unit: str
    lower: bool
    average: float | None
    chosen: list[dict[str, Any]]
    best: dict[str, Any] | None
    worst: dict[str, Any] | None


def group_figures(view: CompareView) -> GroupFigures | None:
    """The figures the lead and the chart share; None without a standard or members' figures."""
    if not (view.standard and view.first and view.last):
        return None
    months = standing.group_months(view.area, view.peer_group, view.standard, view.first, view.last)
    if months.is_empty():
        return None
    table = standing.standings(months, get_settings().min_judged_periods)
    rows = {r["org_slug"]: r for r in table.iter_rows(named=True)}
    ranked = table.filter(pl.col("ranked") & pl.col("performance").is_not_null())
    return GroupFigures(
        months, table, str(months["unit"][0]), standing.lower_is_better(months),
        standing.pooled(months), [rows[s] for s in view.orgs if s in rows],
        ranked.row(0, named=True) if ranked.height else None,
        ranked.row(-1, named=True) if ranked.height else None,
    )  # fmt: skip


def finding_lead(view: CompareView, facts: GroupFigures, span: str) -> html.P | None:
    """The page's finding, first under its heading: where the chosen stand (against the
    group's average, or which did better), then the group's average, best and worst."""
    standing_ = words.finding(facts.chosen, facts.average, facts.unit, facts.lower)
    if said_by_group(facts):
        standing_ = None
    group = words.group_sentence(view.group_label, facts.table.height, facts.average,
                                 facts.best, facts.worst, facts.unit, span)  # fmt: skip
    sentences = [f"{standing_}." if standing_ else None, group]
    text = " ".join(s for s in sentences if s)
    return html.P(text, className="lead compare-finding") if text else None


def said_by_group(facts: GroupFigures) -> bool:
    """Whether three or more are compared and their best and worst are the group's, which
    the group's sentence names (as when the page opens on the best, middle and worst)."""
    judged = [r for r in facts.chosen if r["performance"] is not None]
    if len(judged) < 3 or not (facts.best and facts.worst):
        return False
    ends = [r["org_slug"] for r in words.extremes(judged, facts.lower)]
    return ends == [facts.best["org_slug"], facts.worst["org_slug"]]


def standard_line(view: CompareView) -> html.P | None:
    """What the figures are and whose standard: 'The standard: 95% of Type 1 … within 4 hours
    of arrival (against NHS England's standard: ≥ 95%).', the publisher linked to it."""
    wording = dict(view.standard_options).get(view.standard or "")
    if not wording or not view.standard:
        return None
    said = [*whose.linked_note(view.standard, view.area)]
    return html.P(["The standard: ", wording.rstrip("."), *said, "."], className="compare-standard")


def group_panel(view: CompareView, facts: GroupFigures, span: str) -> list[Any]:
    """The chart, its key and its figures as a table, for the view's standard in its group."""
    title = words.finding(facts.chosen, facts.average, facts.unit, facts.lower)
    title = title or f"{view.group_label}, {span}"
    drawn = lines(view, facts.months, facts.table)
    target = facts.months["target"].drop_nulls()
    figure = compare_figure(drawn, facts.unit, float(target[-1]) if target.len() else None)
    note = caption_note(str(view.standard))
    caption = f"{view.group_label}: each month's performance{note}, {span}"
    rows = {r["org_slug"]: r for r in facts.table.iter_rows(named=True)}
    whole = [rows[f["org_slug"][0]]["performance"] if f.height and role != "average" else None
             for _, role, f in drawn[:-1]] + [facts.average]  # fmt: skip
    table = figures_table(drawn, whole, facts.unit, caption)
    return [chart_panel(Chart(title, (KEY,), figure), table)]
