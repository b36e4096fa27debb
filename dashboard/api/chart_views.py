"""Which chart a chart address names, drawn as its page draws it.

The scheme (`dashboard/api/chart_files.py` serves it): a chart's address is its page's path
and the page's own parameters, under `/chart/` for the image and `/embed/` for a chart-only
page. The league page (`/`) is named `league`:

- `/chart/league.svg?jurisdiction=boston&month=2015-07[&peer_group=…&standard=…]`: the
  funnel plot beneath that league table;
- `/chart/department/<slug>/<standard>.png`: that series' SPC chart, as on
  `/department/<slug>/<standard>` and in its section of `/department/<slug>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from dashboard.pages._league_view import choose_peer_group, choose_standard
from dashboard.ui import charts, whose
from dashboard.ui.chart_links import DEPARTMENT, LEAGUE, ChartAddress
from dashboard.ui.charts import Chart
from dashboard.ui.citation import source_line, sources_of
from dashboard.web.params import choose_jurisdiction, choose_month, month_text, one
from metrics import queries, series, standard_series
from metrics.funnel import funnel_curve
from metrics.wording import league_window


@dataclass(frozen=True)
class ChartView:
    """A chart as its page draws it, with the period and source its image states."""

    chart: Chart
    address: ChartAddress
    period: str
    source: str


def league_address(params: Mapping[str, str]) -> ChartAddress:
    """The funnel's address for a league view's parameters (empty ones left out)."""
    return ChartAddress(LEAGUE, tuple((k, v) for k, v in params.items() if v))


def series_address(slug: str, key: str) -> ChartAddress:
    """The SPC chart's address of one series of an organisation."""
    return ChartAddress(f"{DEPARTMENT}{slug}/{key}")


class NoChart(LookupError):
    """The address names no chart (no such view, or one drawn without a chart)."""


def league_view(args: Mapping[str, object]) -> ChartView:
    """The funnel plot of the league the parameters choose, as the league page chooses it."""
    areas = queries.jurisdictions()
    area = choose_jurisdiction(
        args.get("jurisdiction"), list(zip(areas["slug"], areas["jurisdiction"], strict=True))
    )
    if area.name is None or area.message:
        raise NoChart(area.message or "No figures have been loaded yet.")
    choice = choose_month(args.get("month"), queries.months(area.name))
    if choice.month is None or choice.message:
        raise NoChart(choice.message or "No months.")
    group = choose_peer_group(area.name, one(args.get("peer_group")), one(args.get("standard")))
    chosen = choose_standard(area.name, one(args.get("standard")), group.peer_group)
    league = queries.league_table(
        area.name, choice.month, standard=chosen.standard_id, peer_group=group.peer_group
    )
    if league.is_empty() or league["performance_denominator"].is_null().all():
        raise NoChart("This league has no funnel plot.")
    window = league_window(str(league["grain"][0]), choice.month)
    params = {"jurisdiction": area.slug or "", "month": month_text(choice.month)}
    params |= {"peer_group": group.peer_group} if group.several else {}
    params |= {"standard": chosen.standard_id} if chosen.several else {}
    return ChartView(
        charts.funnel_chart(league, funnel_curve(league), area.name, window),
        league_address(params),
        window,
        source_line(sources_of(area.name, chosen.standard_id)),
    )


def series_view(slug: str, key: str) -> ChartView:
    """One series' SPC chart, drawn as its standard page draws it."""
    found = standard_series.series_list(slug).filter(pl.col("series") == key)
    if found.is_empty():
        raise NoChart("There is no standard at this address.")
    row = found.row(0, named=True)
    if row["grain"] == "day":
        periods = standard_series.pooled_months(slug, key)
        result = series.series_spc(periods)
        note = whose.caption_note(str(row["standard_id"]))
        what = "The pooled share on time met the standard" + note
        noun = "month"
    else:
        periods = standard_series.series_periods(slug, key)
        result = queries.standard_spc(periods)
        what, noun = "Met the standard", "fiscal year" if row["grain"] == "fiscal_year" else "month"
    if result is None:
        raise NoChart("This standard has too few figures to chart.")
    org = queries.organisation(slug) or {}
    first, last = result.points["period"][0], result.points["period"][-1]
    return ChartView(
        charts.spc_chart(result, periods.sort("period_start"), noun, what),
        series_address(slug, key),
        f"{row['service']}, {org.get('organisation', slug)}: {first:%B %Y} to {last:%B %Y}",
        source_line(sources_of(org.get("jurisdiction"), str(row["standard_id"]))),
    )


def chart_view(path: str, args: Mapping[str, object]) -> ChartView:
    """The chart at `path` (`league`, `department/<slug>/<standard>`) for the query `args`."""
    if path == LEAGUE:
        return league_view(args)
    parts = path.split("/")
    if len(parts) == 3 and parts[0] + "/" == DEPARTMENT:
        return series_view(parts[1], parts[2])
    raise NoChart("There is no chart at this address.")
