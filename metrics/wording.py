"""Plain-English sentences for measures, written once and shared by pages and downloads."""

from __future__ import annotations

import datetime as dt


def month_name(month: dt.date) -> str:
    """'July 2015'."""
    return month.strftime("%B %Y")


def days_met_headline(days_met: int, days_judged: int, month: dt.date) -> str:
    """'Met its standard on 1 of 23 days in July 2015'."""
    when = month_name(month)
    if days_judged == 0:
        return f"Nothing was due in {when}, so no day could be judged"
    day_word = "day" if days_judged == 1 else "days"
    return f"Met its standard on {days_met} of {days_judged} {day_word} in {when}"


def percent(share: float | None) -> str:
    """A share as a whole-number percentage for display ('43%'); '–' when there is none."""
    return "–" if share is None else f"{share * 100:.0f}%"


def league_window(grain: str, month: dt.date) -> str:
    """The span a league table covers: 'July 2015', or '12 months to June 2025'."""
    if grain == "fiscal_year":
        return f"fiscal year {month.year}-{(month.year + 1) % 100:02d}"
    return month_name(month) if grain == "day" else f"12 months to {month_name(month)}"
