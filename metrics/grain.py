"""The period a standard is judged over, as a type that owns its words."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from metrics.records import shift_year

PLURALS = {"match": "matches"}  # nouns whose plural is not the noun and an 's'


def plural(n: int, noun: str) -> str:
    """'1 day', '2 days', '1 fiscal year': the one place a count meets its noun."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {PLURALS.get(noun, noun + 's')}"


def month_name(month: dt.date) -> str:
    """'July 2015'."""
    return month.strftime("%B %Y")


def fiscal_year_label(start: dt.date) -> str:
    """The fiscal year starting on `start`: '2023-24'."""
    return f"{start.year}-{(start.year + 1) % 100:02d}"


class Grain(StrEnum):
    """Day, month or fiscal year; equal to the string stored in the warehouse's `grain`."""

    DAY = "day"
    MONTH = "month"
    FISCAL_YEAR = "fiscal_year"

    @property
    def noun(self) -> str:
        """'day', 'month', 'fiscal year'."""
        return self.value.replace("_", " ")

    @property
    def periods_label(self) -> str:
        """What a league counts: 'Service-days', 'Standard-months', 'Standard-years'."""
        return {"day": "Service-days", "month": "Standard-months"}.get(self, "Standard-years")

    def periods(self, n: int) -> str:
        """'1 day', '12 months', '2 fiscal years'."""
        return plural(n, self.noun)

    def period_name(self, period: dt.date) -> str:
        """'3 July 2015', 'July 2015' or 'fiscal year 2022-23'."""
        if self is Grain.DAY:
            return f"{period:%-d %B %Y}"
        if self is Grain.FISCAL_YEAR:
            return f"fiscal year {fiscal_year_label(period)}"
        return month_name(period)

    def url_text(self, period: dt.date) -> str:
        """How a period is written in a verdict's address: '2015-07-14', '2025-01', '2023-24'."""
        if self is Grain.DAY:
            return period.isoformat()
        return fiscal_year_label(period) if self is Grain.FISCAL_YEAR else f"{period:%Y-%m}"

    def window(self, month: dt.date) -> str:
        """The span a league covers: 'July 2015', '12 months to June 2025', 'fiscal year …'."""
        if self is Grain.MONTH:
            return f"12 months to {month_name(month)}"
        return month_name(month) if self is Grain.DAY else self.period_name(month)

    def end(self, start: dt.date) -> dt.date:
        """The last day of the period starting on `start`."""
        if self is Grain.DAY:
            return start
        if self is Grain.FISCAL_YEAR:
            return start.replace(year=start.year + 1) - dt.timedelta(days=1)
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)

    def previous(self, period: dt.date) -> dt.date:
        """The period before: the day, month or fiscal year before."""
        if self is Grain.DAY:
            return period - dt.timedelta(days=1)
        if self is Grain.FISCAL_YEAR:
            return shift_year(period)
        return (period - dt.timedelta(days=1)).replace(day=1)
