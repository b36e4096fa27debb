"""Sentences for one standard's record over all its periods: last met, runs, changes."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.ui.text import value_text
from metrics.grain import Grain, plural
from metrics.records import met_record
from metrics.standard_series import SeriesRecord, previous_period
from metrics.wording import percent


def period_name(period: dt.date, grain: str) -> str:
    """'3 July 2015', 'July 2015' or 'fiscal year 2022-23'."""
    return Grain(grain).period_name(period)


def record_sentences(record: SeriesRecord, grain: str) -> list[str]:
    """When the standard was last met, the runs of misses and how complete the figures are."""
    noun = Grain(grain).noun
    out = [
        f"Standard last met in {period_name(record.last_met, grain)}."
        if record.last_met
        else f"Standard not met in any {noun} judged."
    ]
    if Grain(grain) is Grain.DAY and record.last_met:
        out[0] = out[0].replace("met in", "met on")
    if record.current_miss_run:
        out.append(f"Missed in the latest {plural(record.current_miss_run, noun)} judged in a row.")
    if record.longest_miss_run:
        out.append(f"Longest run of {noun}s missed: {record.longest_miss_run}.")
    if record.record.no_data:
        out.append(f"{plural(record.record.no_data, noun)} had no figures and are not judged.")
    return out


def change_size(change: float, unit: str, short: bool = False) -> str:
    """The size of a change, never its sign: '17.5 percentage points' ('17.5 pts'), '18
    seconds' ('18 s'), '1 minute 5 seconds' ('1 min 5 s'), '52' for a count."""
    size = abs(change)
    if unit == "share":
        return f"{size * 100:.1f} {'pts' if short else 'percentage points'}"
    if unit == "seconds":
        minutes, seconds = divmod(round(size), 60)
        if short:
            return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        parts = [plural(minutes, "minute")] if minutes else []
        return " ".join(parts + ([plural(seconds, "second")] if seconds or not minutes else []))
    return value_text(size, unit)


def judged(change: float | None, comparator: str, verdict: str | None) -> str | None:
    """'better' or 'worse' only when the SPC verdict agrees with the change's direction (a
    fall in a time is better); None otherwise: a change within the usual variation, or
    against the trend, is not called either."""
    if not change:
        return None
    better = (change > 0) == (comparator == ">=")
    if better and verdict == "improving":
        return "better"
    if not better and verdict == "deteriorating":
        return "worse"
    return None


def change_text(
    change: float | None, unit: str, comparator: str, verdict: str | None, since: str = ""
) -> str:
    """'up 1.4 percentage points (better)' when the SPC verdict agrees; 'down 17.5 percentage
    points, within its usual variation' when it finds no significant change; 'no figure to
    compare' when there is none. `since` names what it changed on: 'up 0.5 percentage
    points on May 2025, within its usual variation'."""
    on = f" on {since}" if since else ""
    if change is None:
        return f"no figure{on} to compare"
    if change == 0:
        return f"no change{on}"
    words = f"{'up' if change > 0 else 'down'} {change_size(change, unit)}{on}"
    word = judged(change, comparator, verdict)
    if word:
        return f"{words} ({word})"
    if verdict == "no significant change":
        return f"{words}, within its usual variation"
    if verdict in ("improving", "deteriorating"):
        return f"{words}, although its trend is {verdict}"
    return f"{words}; too few figures to say whether that is more than usual variation"


def change_sentences(
    record: SeriesRecord, frame: pl.DataFrame, noun: str, verdict: str | None
) -> list[str]:
    """The latest figure and its change on the previous period and a year earlier, called
    better or worse only where the SPC verdict (`verdict`, as the league says it) agrees."""
    if record.latest is None:
        return ["No period has a figure yet."]
    grain = "fiscal_year" if noun == "fiscal year" else noun
    unit, comparator = str(frame["unit"][0]), str(frame["comparator"][0])
    latest = frame.filter(pl.col("period_start") == record.latest)["value"][0]
    before = period_name(previous_period(record.latest, grain), grain)
    on_previous = change_text(record.change_previous, unit, comparator, verdict)
    out = [
        f"Latest figure, {period_name(record.latest, grain)}: {value_text(latest, unit)}.",
        f"Change on {before}: {on_previous}.",
    ]
    if grain != "fiscal_year":  # for a fiscal year the previous period is the year before
        on_year = change_text(record.change_year, unit, comparator, verdict)
        out.append(f"Change on a year earlier: {on_year}.")
    return out


def months_met_sentence(part: pl.DataFrame) -> str:
    """'Met its standard in 3 of 13 months' (months with no figures are not judged)."""
    record = met_record(list(part["status"]))
    text = f"Met its standard in {record.met} of {plural(record.judged, 'month')} judged"
    missing = f"; {plural(record.no_data, 'month')} had no figures" if record.no_data else ""
    return text + missing


def group_noun(label: str | None) -> str:
    """A peer group's label as the noun for its members: 'major emergency departments (Type
    1)'; 'organisations' where there is no group."""
    return label[0].lower() + label[1:] if label else "organisations"


def league_headline(league: pl.DataFrame, area: str, window: str, group: str | None = None) -> str:
    """'Across the 6 organisations in Boston, standards were met on 52 of 434 service-days
    (12%) in July 2015'; with a peer group, 'Across 122 NHS England major emergency
    departments (Type 1), standards were met on 2 of 1,458 standard-months in 12 months to
    June 2025'.
    A record, as the days-met record is read, so a share that rounds to 0% still says how many."""
    met = int(league["periods_met"].sum())
    judged = int(league["periods_judged"].sum())
    periods = Grain(league["grain"][0]).periods_label.lower()
    # 'the 11 organisations in NHS England ambulance services', not '11 NHS England ambulance
    # services organisations'; a group names its members: '122 NHS England major emergency…'
    who = (
        f"{league.height} {area} {group_noun(group)}"
        if group
        else (f"the {league.height} organisations in {area}")
    )
    if not judged:
        return f"Across {who}, no {periods} could be judged in {window}"
    if not met:
        return f"Across {who}, standards were met on none of the {judged:,} {periods} in {window}"
    share = percent(met / judged)
    said = "" if share == "0%" else f" ({share})"  # '2 of 1,458' says it; '(0%)' would not
    return f"Across {who}, standards were met on {met:,} of {judged:,} {periods}{said} in {window}"


def trend_figure_name(grain: str, period: dt.date) -> str:
    """The name of a group's period: a daily source's month ('July 2015'), else its own."""
    return Grain(grain if grain != "day" else "month").period_name(period)


def group_trend_text(trends: pl.DataFrame) -> tuple[str, str]:
    """A peer group's trend for a league's period, as (its word, the figure and change):
    ('no significant change', 'Pooled figure for June 2025: 61.7%, up 0.5 percentage points on
    May 2025, within its usual variation.'); for several standards, how many go each way;
    ('', ...) where the group has no figure. `trends` holds rows of `queries.group_trends`."""
    if not trends.height:
        return "", "No figure for the group as a whole in this period."
    if trends.height > 1:
        counts = trends["spc_verdict"].value_counts(sort=True).iter_rows()
        said = ", ".join(
            f"{word} on {n} of its {trends.height} standards" if i == 0 else f"{word} on {n}"
            for i, (word, n) in enumerate(counts)
        )
        period = trend_figure_name(str(trends["grain"][0]), trends["period"][0])
        return "by standard", f"In {period}: {said}."
    row = trends.row(0, named=True)
    grain, unit = str(row["grain"]), str(row["unit"])
    period = trend_figure_name(grain, row["period"])
    before = trend_figure_name(
        grain, previous_period(row["period"], grain if grain != "day" else "month")
    )
    kind = "Pooled figure" if row["denominator"] is not None else "Average of its members' figures"
    change = change_text(
        row["change_previous"], unit, str(row["comparator"]), row["spc_verdict"], before
    )
    return str(
        row["spc_verdict"]
    ), f"{kind} for {period}: {value_text(row['performance'], unit)}, {change}."
