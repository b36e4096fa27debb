"""What `/compare` shows, chosen from its query string: bad values never raise, each is
replaced by a valid default and a message says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dashboard.web.params import choose_jurisdiction, month_param, one
from metrics import compare, queries
from metrics.wording import month_name

MAX_ORGS = 6
DEFAULT_ORGS = 3


@dataclass
class CompareView:
    """The area, organisations, standard and months compared, and messages about the request."""

    area: str = ""
    area_slug: str = ""
    areas: list[tuple[str, str]] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    orgs: tuple[str, ...] = ()
    standard: str | None = None
    standard_options: list[tuple[str, str]] = field(default_factory=list)
    months: list[dt.date] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None
    messages: list[str] = field(default_factory=list)


def texts(value: Any) -> list[str]:
    """'a,b' or ['a', 'b,c'] (a repeated parameter) -> ['a', 'b', 'c'], each once."""
    items = value if isinstance(value, list) else [value]
    parts = [p.strip() for item in items if isinstance(item, str) for p in item.split(",")]
    return list(dict.fromkeys(p for p in parts if p))


def choose_view(query: dict[str, Any]) -> CompareView:
    """The view for the query string (orgs, standard, jurisdiction, from, to)."""
    view = CompareView()
    areas = queries.jurisdictions()
    view.areas = list(zip(areas["slug"], areas["jurisdiction"], strict=True))
    choose_orgs(view, texts(query.get("orgs")), one(query.get("jurisdiction")))
    if not view.area:
        return view
    choose_standard(view, one(query.get("standard")))
    choose_months(view, one(query.get("from")), one(query.get("to")))
    return view


def choose_orgs(view: CompareView, asked: list[str], jurisdiction: str | None) -> None:
    """Known organisations of one area, at most MAX_ORGS; otherwise the area's first few."""
    known = compare.where(tuple(asked))
    found = {r["org_slug"]: r for r in known.iter_rows(named=True)}
    unknown = [slug for slug in asked if slug not in found]
    if unknown:
        names = ", ".join(f"“{s[:60]}”" for s in unknown[:3])
        view.messages.append(f"There is no organisation {names}; it is left out.")
    chosen = [slug for slug in asked if slug in found]
    if chosen:
        home = found[chosen[0]]
        view.area, view.area_slug = home["jurisdiction"], home["slug"]
        others = [s for s in chosen if found[s]["jurisdiction"] != view.area]
        if others:
            view.messages.append(
                f"Organisations can be compared only within one area: those outside "
                f"{view.area} are left out."
            )
        chosen = [s for s in chosen if s not in others]
    else:
        area = choose_jurisdiction(jurisdiction, view.areas)
        view.area, view.area_slug = area.name or "", area.slug or ""
        view.messages += [area.message] if area.message else []
    if not view.area:
        return
    orgs = compare.organisations(view.area)
    view.options = list(zip(orgs["org_slug"], orgs["organisation"], strict=True))
    if len(chosen) > MAX_ORGS:
        view.messages.append(
            f"At most {MAX_ORGS} organisations can be compared; showing the first {MAX_ORGS}."
        )
    view.orgs = tuple(chosen[:MAX_ORGS] or [slug for slug, _ in view.options[:DEFAULT_ORGS]])
    if len(view.orgs) == 1:
        view.messages.append("Choose at least one more organisation below to compare.")


def choose_standard(view: CompareView, asked: str | None) -> None:
    """The standard asked for if any of the organisations has it; otherwise all of theirs."""
    frame = compare.standards(view.orgs)
    ids = list(frame["standard_id"])
    view.standard_options = list(zip(ids, frame["standard"], strict=True))
    if asked and asked in ids:
        view.standard = asked
    elif asked:
        view.messages.append(
            f"These organisations have no standard “{asked[:60]}”; showing all their standards."
        )


def choose_months(view: CompareView, first: str | None, last: str | None) -> None:
    """From and to months with figures; by default the latest 12 months."""
    view.months = compare.periods(view.area)
    if not view.months:
        return
    view.last = pick_month(view, "to", last, view.months[-1])
    earliest = view.last.replace(year=view.last.year - 1)
    default_first = min((m for m in view.months if m > earliest), default=view.last)
    view.first = pick_month(view, "from", first, default_first)
    if view.first > view.last:
        view.first, view.last = view.last, view.first
        view.messages.append("The “from” month was after the “to” month; they are swapped.")


def pick_month(view: CompareView, name: str, text: str | None, default: dt.date) -> dt.date:
    """A month with figures, or the default with a message."""
    if not text:
        return default
    month = month_param(text)
    if month in view.months and month is not None:
        return month
    view.messages.append(
        f"There are no figures for “{name}” month “{text[:20]}”; "
        f"showing {month_name(default)} instead."
    )
    return default
