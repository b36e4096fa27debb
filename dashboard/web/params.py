"""Parse the query string the way every page and download does: bad values never raise."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

QueryValue = str | list[str] | None
"""A query-string value as Dash Pages passes it: a list when the parameter repeats."""

_SETTLED: ContextVar[dict[str, str] | None] = ContextVar("settled_view", default=None)


@contextmanager
def settling() -> Iterator[dict[str, str]]:
    """The parameters a page's layout settles on while it is drawn inside this block
    (`month` where the URL left it to the latest), for a permalink that keeps naming the same
    figures after the next publication."""
    noted: dict[str, str] = {}
    token = _SETTLED.set(noted)
    try:
        yield noted
    finally:
        _SETTLED.reset(token)


def settle(name: str, month: dt.date) -> None:
    """Note the month a view shows for its parameter `name` (nothing outside `settling`)."""
    noted = _SETTLED.get()
    if noted is not None:
        noted[name] = month_text(month)


@dataclass(frozen=True)
class Choice:
    """The month a view shows, and a message when the one asked for could not be used."""

    month: dt.date | None
    message: str | None = None


def one(value: object) -> str | None:
    """A single text parameter; a repeated one (`?month=a&month=b` gives a list) counts as its
    first value, and anything else as absent."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def month_param(text: str | None) -> dt.date | None:
    """'2015-07' -> date(2015, 7, 1); anything else -> None."""
    match = MONTH_RE.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def choose_month(
    asked_for: object,
    available: list[dt.date],
    name: Callable[[dt.date], str] | None = None,
) -> Choice:
    """The month asked for if it has data; otherwise the latest, with a message saying so.
    `name` names a period where months stand for longer ones ('fiscal year 2022-23' for
    '2022-04'), both the one asked for, where it is a month, and the one shown."""
    text = one(asked_for)
    latest = available[-1] if available else None
    asked = month_param(text)
    if asked is not None and asked in available:
        settle("month", asked)
        return Choice(asked)
    if latest is not None:
        settle("month", latest)
    if text is None or text == "":
        return Choice(latest)
    label = name or (lambda m: f"{m:%B %Y}")
    shown = f"; showing {label(latest)} instead" if latest else ""
    same_kind = name and asked and latest and asked.month == latest.month  # a year's start
    what = f"{label(asked)} (“{text[:20]}”)" if same_kind and asked else f"month “{text[:20]}”"
    return Choice(latest, f"There are no figures for {what}{shown}.")


def month_text(month: dt.date) -> str:
    """date(2015, 7, 1) -> '2015-07', the form months take in every URL."""
    return f"{month:%Y-%m}"


@dataclass(frozen=True)
class Area:
    """The jurisdiction a view shows (name and URL slug), and a message if the one asked
    for could not be used."""

    name: str | None
    slug: str | None
    message: str | None = None


def choose_jurisdiction(asked_for: object, options: list[tuple[str, str]]) -> Area:
    """The jurisdiction asked for by slug; otherwise the first, with a message saying so."""
    text = one(asked_for)
    by_slug = dict(options)
    first = options[0] if options else (None, None)
    if text in by_slug:
        return Area(by_slug[str(text)], text)
    message = None
    if text:
        message = f"There is no area “{text[:40]}”; showing {first[1]} instead."
    return Area(first[1], first[0], message)
