"""`/compare`'s chart: the chosen organisations month by month beside their peer group's
average, best and worst, with the standard's line, its finding as the title, and its figures
as a table."""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import html

from dashboard.pages import _compare_words as words
from dashboard.pages._compare_view import CompareView
from dashboard.ui.charts import Chart, chart_panel
from dashboard.ui.figures import compare_figure
from dashboard.ui.tables import captioned_table
from dashboard.ui.text import value_text
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


def group_panel(view: CompareView, span: str) -> list[Any]:
    """The sentences, the chart and its table, for the view's standard within its group."""
    assert view.standard and view.first and view.last
    months = standing.group_months(view.area, view.peer_group, view.standard, view.first, view.last)
    if months.is_empty():
        return []
    table = standing.standings(months, get_settings().min_judged_periods)
    unit, lower = str(months["unit"][0]), standing.lower_is_better(months)
    target = months["target"].drop_nulls()
    average = standing.pooled(months)
    rows = {r["org_slug"]: r for r in table.iter_rows(named=True)}
    chosen = [rows[s] for s in view.orgs if s in rows]
    ranked = table.filter(pl.col("ranked") & pl.col("performance").is_not_null())
    best = ranked.row(0, named=True) if ranked.height else None
    worst = ranked.row(-1, named=True) if ranked.height else None
    title = words.finding(chosen, average, unit, lower) or f"{view.group_label}, {span}"
    sentences = [
        words.chosen_sentence(chosen, unit, lower) if len(chosen) > 1 else None,
        words.group_sentence(view.group_label, table.height, average, best, worst, unit, span),
    ]
    drawn = lines(view, months, table)
    summary = (*[s for s in sentences if s], KEY)
    figure = compare_figure(drawn, unit, float(target[-1]) if target.len() else None)
    caption = f"{view.group_label}: each month's performance, {span}"
    whole = [rows[f["org_slug"][0]]["performance"] if f.height and role != "average" else None
             for _, role, f in drawn[:-1]] + [average]  # fmt: skip
    return [chart_panel(Chart(title, summary, figure), figures_table(drawn, whole, unit, caption))]
