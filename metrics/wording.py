"""Plain-English sentences for measures, written once and shared by pages and downloads."""

from __future__ import annotations

import datetime as dt

from metrics.grain import Grain, fiscal_year_label, month_name, plural

SIGNS = {">=": "≥", "<=": "≤"}


def was(n: int, one: str = "was", many: str = "were") -> str:
    """The verb agreeing with a count: 'was' for 1, 'were' otherwise."""
    return one if n == 1 else many


def comparator_sign(comparator: str) -> str:
    """'≥' or '≤' for a standard's comparator, as text shows it (never the ASCII '>=')."""
    return SIGNS.get(comparator, comparator)


__all__ = ["fiscal_year_label", "month_name", "plural"]


def days_met_headline(days_met: int, days_judged: int, month: dt.date) -> str:
    """'Met its standard on 1 of 23 days in July 2015'."""
    when = month_name(month)
    if days_judged == 0:
        return f"Nothing was due in {when}, so no day could be judged"
    return f"Met its standard on {days_met} of {plural(days_judged, 'day')} in {when}"


def percent(share: float | None) -> str:
    """A share as a whole-number percentage for display ('43%'); '–' when there is none."""
    return "–" if share is None else f"{share * 100:.0f}%"


def league_window(grain: str, month: dt.date) -> str:
    """The span a league table covers: 'July 2015', or '12 months to June 2025'."""
    return Grain(grain).window(month)


def summary_sentences(row: dict[str, object], target: float) -> list[str]:
    """Plain sentences for a service's month: pooled share, last met, runs of misses."""
    if not row["judged_ever"]:
        return ["No request with a target has fallen due, so this standard has not been judged."]
    out = []
    pooled = row["pooled"]
    if isinstance(pooled, float):
        verb = "meets" if pooled >= target else "falls short of"
        text = (
            f"Over the whole month, {percent(pooled)} of requests due were closed on time, "
            f"which {verb} the {percent(target)} standard"
        )
        if row["disagrees"]:
            text += ", although the days-met record points the other way"
        out.append(text + ".")
    last = row["last_met"]
    if isinstance(last, dt.date):
        out.append(f"Standard last met on {last:%-d %B %Y}.")
    else:
        out.append("Standard not met on any day so far.")
    run = row["current_miss_run"]
    if run == 1:
        out.append("Missed on the latest judged day.")
    elif run:
        out.append(f"Missed on the last {run} judged days in a row.")
    if row["longest_miss_run"]:
        out.append(f"Longest run of days missed this month: {row['longest_miss_run']}.")
    return out


def target_text(target: float, unit: str | None) -> str:
    """A target in its unit: '95%' for a share, '15 minutes' for 900 seconds; bare if unknown."""
    if unit == "share":
        return f"{target * 100:g}%"
    if unit == "count":
        return f"{target:,.0f}"
    if unit == "seconds":
        minutes, seconds = divmod(target, 60)
        if seconds == 0:
            return plural(int(minutes), "minute")
        return f"{target:g} seconds"
    return f"{target:g}"
