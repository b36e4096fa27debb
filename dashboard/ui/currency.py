"""How current the figures are, said beside the headline: the latest period held, whose it is,
how old, and, where newer figures were due and have not arrived, that plainly and neutrally."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from dash import html

import settings
from metrics import queries
from metrics.grain import Grain, plural


@dataclass(frozen=True)
class Currency:
    """An area's latest period held and when its next figures were due."""

    area: str
    publisher: str
    grain: Grain
    latest: dt.date  # the first day of the latest period held
    next_due: dt.date
    overdue: bool


def age_words(end: dt.date, on: dt.date) -> str:
    """'10 years old', '3 months old', or '' when the figures are under two months old."""
    months = (on.year - end.year) * 12 + on.month - end.month - (on.day < end.day)
    if months >= 12:
        return f"{plural(months // 12, 'year')} old"
    return f"{plural(months, 'month')} old" if months >= 2 else ""


def period_label(grain: Grain, start: dt.date) -> str:
    """'December 2015' (a daily source's pages are by month), 'fiscal year 2023-24'."""
    return Grain.MONTH.period_name(start) if grain is Grain.DAY else grain.period_name(start)


def sentences(c: Currency, on: dt.date) -> list[str]:
    """'Latest figures: December 2015, 10 years old (City of Boston).' and, when overdue,
    'Newer figures were due by 13 January 2016; none have reached us.'"""
    latest = period_label(c.grain, c.latest)
    age = age_words((Grain.MONTH if c.grain is Grain.DAY else c.grain).end(c.latest), on)
    said = [f"Latest figures: {latest}" + (f", {age}" if age else "") + f" ({c.publisher})."]
    if c.overdue:
        said.append(f"Newer figures were due by {c.next_due:%-d %B %Y}; none have reached us.")
    return said


def currency(area: str) -> Currency | None:
    """The area's currency from the warehouse: its latest league period and, of its sources,
    the one with the newest figures (its next due date and whether that has passed)."""
    areas = queries.jurisdictions().filter(jurisdiction=area)
    rows = queries.sources().filter(jurisdiction=area).sort("data_as_of", descending=True)
    if not areas.height or not rows.height:
        return None
    newest = rows.row(0, named=True)
    publishers = list(dict.fromkeys(rows["publisher"]))
    return Currency(
        area=area,
        publisher=" and ".join(publishers),
        grain=Grain(areas["grain"][0]),
        latest=areas["last_month"][0],
        next_due=newest["next_due"],
        overdue=bool(newest["overdue"]),
    )


def currency_note(
    area: str, shown: dt.date | None = None, path: str = "/", **view: str
) -> list[html.P]:
    """Beside a headline: how current the area's figures are; where the page shows an earlier
    period than the latest, say so and link to the latest (`path` with `view` and the month)."""
    c = currency(area)
    if c is None:
        return []
    parts: list[str | html.A] = [" ".join(sentences(c, settings.today()))]
    if shown is not None and shown < c.latest:
        label = period_label(c.grain, shown)
        href = f"{path}?{urlencode({**view, 'month': f'{c.latest:%Y-%m}'})}"
        parts += [f" Shown: {label} (", html.A("see the latest", href=href), ")."]
    return [html.P(parts, className="currency")]
