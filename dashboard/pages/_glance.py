"""A department at a glance: its overall record and performance for the month, its rank in its
peer group beside the group's average, and its services worst first."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import html

from dashboard.ui import whose
from dashboard.ui.sentences import change_size, change_text, group_noun
from dashboard.ui.text import aria, value_text
from metrics import glance as glance_metrics
from metrics.grain import Grain, plural
from metrics.records import shift_year
from metrics.wording import comparator_sign, month_name, percent


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def worst_first(records: pl.DataFrame) -> pl.DataFrame:
    """Services with requests due, the largest shortfall first (the lowest share closed on
    time of those due; by name among equals)."""
    due = records.filter(pl.col("due") > 0)
    return due.with_columns(on_time_share=pl.col("on_time") / pl.col("due")).sort(
        ["on_time_share", "service"]
    )


def nothing_due(records: pl.DataFrame) -> list[str]:
    """The services with nothing due in the month, by name."""
    return sorted(records.filter(pl.col("due") == 0)["service"].to_list())


def overall_sentence(records: pl.DataFrame, month: dt.date) -> str:
    """'In July 2015 the department met its standards on 1 of 45 service-days; 1,017 of 1,563
    requests due (65%) were closed on time' (the caller ends it, after any note)."""
    met = int(records["days_met"].sum())
    judged = met + int(records["days_not_met"].sum())
    due, on_time = int(records["due"].sum()), int(records["on_time"].sum())
    share = percent(on_time / due if due else None)
    return (
        f"In {month_name(month)} the department met its standards on {met:,} of "
        f"{plural(judged, 'service-day')}; {on_time:,} of {plural(due, 'request')} due "
        f"({share}) were closed on time"
    )


def rank_sentence(league: pl.DataFrame, slug: str, area: str) -> str | None:
    """'Ranked 5th of 6 Boston departments on the share of service-days met (2%, against
    their average of 15%).', from the league of its peer group; None where it is not in it."""
    mine = league.filter(pl.col("org_slug") == slug)
    if not mine.height:
        return None
    row: dict[str, Any] = mine.row(0, named=True)
    met, judged = int(league["periods_met"].sum()), int(league["periods_judged"].sum())
    average = percent(met / judged if judged else None)
    ranked = league.filter(pl.col("rank").is_not_null()).height
    if row["rank"] is None:
        return (
            f"Not ranked among {area}'s {ranked} ranked organisations: too few days were "
            f"judged. Their average share of service-days met is {average}."
        )
    return (
        f"Ranked {ordinal(int(row['rank']))} of the {ranked} ranked {area} organisations on the "
        "share of "
        f"service-days met ({percent(row['share_met'])}, against their average of {average})."
    )


def service_line(row: dict[str, Any]) -> html.Li:
    """'Street Light Outages: met on 1 of 23 days; 70.2% closed on time.', linking to the
    service's section below."""
    judged = int(row["days_met"]) + int(row["days_not_met"])
    return html.Li(
        [
            html.A(str(row["service"]), href=f"#service-{row['service_slug']}"),
            f": met on {row['days_met']} of {plural(judged, 'day')}; "
            f"{percent(row['on_time_share'])} of {plural(int(row['due']), 'request')} due "
            "closed on time.",
        ]
    )


def glance(records: pl.DataFrame, league: pl.DataFrame, slug: str, area: str,
           month: dt.date, note: list[str | html.A]) -> html.Section:  # fmt: skip
    """The department's summary, before its services' calendars and charts; `note` follows
    its record where the tracker set the standard (whose.linked_note)."""
    ordered = worst_first(records)
    idle = nothing_due(records)
    overall = overall_sentence(records, month) if ordered.height else None
    rank = rank_sentence(league, slug, area)
    return html.Section(
        [
            html.H2("At a glance", id="at-a-glance"),
            html.P([overall, *note, "."], className="lead") if overall else None,
            html.P(rank) if rank else None,
            html.H3("Services, furthest from the standard first")
            if ordered.height
            else html.P("Nothing was due this month in any service."),
            html.Ol([service_line(r) for r in ordered.iter_rows(named=True)])
            if ordered.height
            else None,
            html.P(f"Nothing was due this month for: {', '.join(idle)}.", className="hint")
            if idle
            else None,
        ],
        className="glance",
        **aria(labelledby="at-a-glance"),
    )


# Organisations whose standards are judged monthly or by fiscal year (NHS trusts, ambulance
# trusts, Scotland and Northern Ireland sites, Canada's departments).


def figure_text(value: float | None, unit: str) -> str:
    """A figure in a sentence: '69.6%', '7 min 43 s', '99'; '–' without one."""
    if value is not None and unit == "seconds":
        short = change_size(value, unit, short=True)
        return short.removesuffix(" 0 s") if round(value) >= 60 else short
    return value_text(value, unit)


def figure_beside(value: float | None, target: float | None, unit: str) -> str:
    """The figure, to two decimals where one would make a miss look equal to its target
    (98.95% against 99%)."""
    text = figure_text(value, unit)
    if unit != "share" or value is None or target is None or value == target:
        return text
    return f"{value * 100:.2f}%" if text == f"{target * 100:.1f}%" else text


def counts_text(row: dict[str, Any]) -> str:
    """' (4,797 of 6,892)' where the figure has counts; ''."""
    if row["numerator"] is None or row["denominator"] is None:
        return ""
    return f" ({int(row['numerator']):,} of {int(row['denominator']):,})"


def period_headline(row: dict[str, Any], month: dt.date) -> list[str | html.A]:
    """'A&E: seen within 4 hours, June 2025: 69.6% (4,797 of 6,892), against NHS England's
    standard of 95%; not met.' For a fiscal year of many standards, the department's
    cases within them all: 'Fiscal year 2023-24: 99.5% of cases (1,330,126 of 1,336,431)
    within its services' own standards, against the target each service published…'."""
    grain = Grain(str(row["grain"]))
    period = grain.period_name(month)
    figure = figure_text(row["value"], str(row["performance_unit"]))
    verdict = {"met": "; met", "not_met": "; not met"}.get(str(row["status"]), "")
    if row["status"] is None:  # several standards in one period: a department's year
        lead = f"{period[0].upper()}{period[1:]}: {figure} of cases{counts_text(row)} within "
        lead += "the standards its services published"
    else:
        lead = f"{row['service']}, {period}: {figure}{counts_text(row)}"
    return [lead, *whose.whose_words(str(row["standard_id"])), f"{verdict}."]


def record_line(row: dict[str, Any], month: dt.date) -> str:
    """'Met the standard in 0 of 12 months judged in the 12 months to June 2025.'; for a
    fiscal year, 'Met 29 of 32 standards judged in fiscal year 2023-24; 9 had no figure.'"""
    grain = Grain(str(row["grain"]))
    met, judged = int(row["periods_met"]), int(row["periods_judged"])
    if grain is Grain.FISCAL_YEAR:
        missing = int(row["periods_no_data"])
        text = f"Met {met} of {plural(judged, 'standard')} judged in {grain.window(month)}"
        return text + (f"; {plural(missing, 'standard')} had no figure." if missing else ".")
    window = grain.window(month)
    if window.startswith(f"{judged} "):  # every period of the window judged
        return f"Met the standard in {met} of the {window}."
    return f"Met the standard in {met} of {grain.periods(judged)} judged in the {window}."


def league_href(org: dict[str, str], month: dt.date, mine: dict[str, Any]) -> str:
    """The league of the organisation's peer group and standard, for the same window."""
    view = {"jurisdiction": org["area_slug"], "month": f"{month:%Y-%m}",
            "peer_group": mine["peer_group"], "standard": mine["standard_id"]}  # fmt: skip
    return "/?" + urlencode(view)


def peer_rank_line(
    standing: pl.DataFrame, org: dict[str, str], month: dt.date, label: str
) -> list[Any]:
    """'Ranked 43rd of 118 major emergency departments (Type 1) on Type 1 attendances within
    4 hours over the 12 months to June 2025: 62.5%, against 59.5% for the group.' (the
    league's own rank, linked to it); where it is not ranked, why."""
    if not standing.height:
        return ["Not in any peer group's league for this period, so not ranked."]
    mine = standing.row(0, named=True)
    unit = str(mine["performance_unit"])
    group = group_noun(str(mine["group_label"]))
    window = Grain(str(mine["grain"])).window(month)
    on = html.A(f"{int(mine['ranked'])} {group}", href=league_href(org, month, mine))
    theirs = figure_text(mine["group_performance"], unit)
    figures = f"{figure_text(mine['performance'], unit)}, against {theirs}"
    if mine["rank"] is None:
        return [
            "Not ranked among the ",
            on,
            f": too few periods had figures. Over the {window}: {figures} across the whole group.",
        ]
    over = "in" if Grain(str(mine["grain"])) is Grain.FISCAL_YEAR else "over the"
    return [
        f"Ranked {ordinal(int(mine['rank']))} of the ",
        on,
        f" {over} {window}, on “{label}”: {figures} across the whole ",
        html.A("peer group", href="/methodology#peer-group"),
        ".",
    ]


def rank_label(standings: pl.DataFrame, standing: pl.DataFrame) -> str:
    """The service the organisation is ranked on, as its own figures name it."""
    if not standing.height:
        return ""
    rows = standings.filter(pl.col("standard_id") == standing["standard_id"][0])
    return str(rows["service"][0]) if rows.height else str(standing["standard_id"][0])


def counted(names: pl.Series) -> str:
    """'Tracker (3), Student Experience Survey': names by first letter, repeats counted."""
    counts: dict[str, int] = {}
    for name in sorted(names):
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{n} ({c})" if c > 1 else n for n, c in counts.items())


def trend_line(row: dict[str, Any], month: dt.date) -> list[Any]:
    """The change on the previous period and a year earlier, called better or worse only
    where the SPC verdict agrees (sentences.change_text), and the verdict in a word."""
    grain = Grain(str(row["grain"]))
    unit, comparator = str(row["performance_unit"]), str(row["comparator"])
    verdict = row["spc_verdict"]
    if row["change_previous"] is None and row["change_year"] is None:
        earlier = "No earlier " + grain.noun + " is held, so there is no change to report"
        return [f"{earlier}; trend: {verdict or 'not enough data'}."]
    before = grain.period_name(grain.previous(month))
    parts = [f"Change on {before}: "
             f"{change_text(row['change_previous'], unit, comparator, verdict)}"]  # fmt: skip
    if grain is not Grain.FISCAL_YEAR:
        year = grain.period_name(shift_year(month))
        parts.append(f"on {year}: {change_text(row['change_year'], unit, comparator, verdict)}")
    return [
        "; ".join(parts) + ". ",
        html.A("Trend", href="/methodology#usual-variation"),
        f": {verdict or 'not enough data'}.",
    ]


def standard_line(row: dict[str, Any], anchor: str, month: dt.date) -> html.Li:
    """'A&E: seen within 4 hours: met in 0 of 12 months; 69.6% in June 2025 (target 95%).',
    linking to the standard's section below."""
    grain = Grain(str(row["grain"]))
    unit = str(row["performance_unit"])
    target = f" (target {target_text(row['comparator'], row['target'], unit)})"
    return html.Li(
        [
            html.A(str(row["service"]), href=f"#{anchor}"),
            f": met in {row['periods_met']} of {grain.periods(int(row['periods_judged']))}; "
            f"{figure_beside(row['value'], row['target'], unit)} in {grain.period_name(month)}"
            + (target if row["target"] is not None else "")
            + ".",
        ]
    )


def target_text(comparator: str, target: float, unit: str) -> str:
    """'95%', '≤ 7 min', '≤ 0'."""
    if unit == "share":
        return f"{target * 100:g}%"
    return f"{comparator_sign(comparator)} {figure_text(target, unit)}"


def headline_row(standings: pl.DataFrame, standing: pl.DataFrame) -> dict[str, Any]:
    """The standard the glance leads with: the one its peer group ranks it on, so the figure
    and the rank beneath it are one measure (an A&E trust's Type 1, not its all-types share);
    the first declared where no group ranks it."""
    if standing.height:
        ranked_on = standings.filter(pl.col("standard_id") == standing["standard_id"][0])
        if ranked_on.height:
            return ranked_on.row(0, named=True)
    return standings.row(0, named=True)


def glance_head(
    standings: pl.DataFrame, standing: pl.DataFrame, org: dict[str, str], period: dt.date
) -> list[html.H2 | html.P]:
    """The first screen: the headline standard's figure for the period and whose standard it
    is, its record over the league window, its rank in its peer group beside the group, and
    its change and trend."""
    head = headline_row(standings, standing)
    rank = peer_rank_line(standing, org, period, rank_label(standings, standing))
    return [
        html.H2("At a glance", id="at-a-glance"),
        html.P(period_headline(head, period), className="lead"),
        html.P(record_line(head, period)),
        html.P(rank, className="glance-rank"),
        html.P(trend_line(head, period), className="glance-trend"),
    ]


def period_glance(
    standings: pl.DataFrame,
    standing: pl.DataFrame,
    org: dict[str, str],
    month: dt.date,
    anchors: dict[str, str],
) -> html.Section:
    """The summary of an organisation judged monthly: its headline standard's figure for the
    month, record over the league window, rank in its peer group beside the group, change and
    trend; then its standards worst first, each linking to its section (`anchors`: standard
    id -> section id); those with nothing judged in one line."""
    ordered = glance_metrics.worst_first(standings)
    idle = glance_metrics.nothing_judged(standings)
    return html.Section(
        [
            *glance_head(standings, standing, org, month),
            html.H3("Standards, the least often met first"),
            html.Ol(
                [
                    standard_line(r, anchors[r["standard_id"]], month)
                    for r in ordered.iter_rows(named=True)
                ]
            ),
            html.P(f"No month was judged in the window for: {', '.join(idle)}.", className="hint")
            if idle
            else None,
        ],
        className="glance",
        **aria(labelledby="at-a-glance"),
    )


def year_standard_line(row: dict[str, Any], href: str) -> html.Li:
    """'ATIP Online request platform: 98.9% against its own target of 99%; not met.'"""
    unit = str(row["unit"])
    return html.Li(
        [
            html.A(str(row["service"]), href=href),
            f": {figure_beside(row['value'], row['target'], unit)} against its own target of "
            f"{target_text(str(row['comparator']), row['target'], unit)}; "
            f"{'met' if row['status'] == 'met' else 'not met'}.",
        ]
    )


def year_glance(
    standings: pl.DataFrame,
    standing: pl.DataFrame,
    org: dict[str, str],
    year: dt.date,
    rows: pl.DataFrame,
    pages: dict[str, str],
) -> html.Section:
    """The summary of a department judged by fiscal year: its cases within its services' own
    standards that year, standards met, rank among departments beside their pooled figure,
    change and trend; then the standards it missed, furthest short first, each linking to its
    page (`pages`: standard id -> URL); those met in one line, those with no figure last."""
    ordered = glance_metrics.year_worst_first(rows)
    missed = ordered.filter(pl.col("status") == "not_met")
    met = ordered.height - missed.height
    idle = counted(rows.filter(pl.col("status") == "no_data")["service"])
    moot = counted(rows.filter(pl.col("status") == "not_applicable")["service"])
    return html.Section(
        [
            *glance_head(standings, standing, org, year),
            html.H3("Standards missed, the furthest short first") if missed.height else None,
            html.Ol(
                [
                    year_standard_line(r, pages[r["standard_id"]])
                    for r in missed.iter_rows(named=True)
                ]
            )
            if missed.height
            else None,
            html.P(
                f"{plural(met, 'other standard')} met {'its' if met == 1 else 'their'} "
                "targets (in the table below)."
                if missed.height
                else f"Every one of the {plural(met, 'standard')} judged met its target."
            )
            if met
            else None,
            html.P(f"No figure or target published for: {idle}.", className="hint")
            if idle
            else None,
            html.P(f"Not applicable this year: {moot}.", className="hint") if moot else None,
        ],
        className="glance",
        **aria(labelledby="at-a-glance"),
    )
