"""What `/compare` shows, chosen from its query string: bad values never raise, each is
replaced by a valid default and a message says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from dashboard.web.params import choose_jurisdiction, month_param, one, settle
from metrics import compare, queries, standing
from metrics.wording import month_name
from settings import get_settings

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
    peer_group: str = ""
    group_label: str = ""
    group_options: list[tuple[str, str]] = field(default_factory=list)
    opened_on: str | None = None
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
    choose_group(view, one(query.get("peer_group")))
    choose_standard(view, one(query.get("standard")))
    choose_months(view, one(query.get("from")), one(query.get("to")))
    if view.first is not None and view.last is not None:
        fill_options(view, view.first, view.last)
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
    if len(chosen) > MAX_ORGS:
        view.messages.append(
            f"At most {MAX_ORGS} organisations can be compared; showing the first {MAX_ORGS}."
        )
    view.orgs = tuple(chosen[:MAX_ORGS])


def choose_group(view: CompareView, asked: str | None) -> None:
    """The peer group asked for if the area has it; otherwise the first group of the area
    that holds the first organisation chosen; otherwise the area's default, as the league."""
    groups = queries.peer_groups(view.area)
    ids = [str(g) for g in groups["peer_group"]]
    view.group_options = list(zip(ids, groups["label"], strict=True))
    homes = standing.groups_of(view.orgs[0]) if view.orgs else []
    if asked and asked not in ids:
        view.messages.append(f"{view.area} has no peer group “{asked[:60]}”; showing its default.")
    chosen = asked if asked in ids else next((g for g in homes if g in ids), None)
    view.peer_group = chosen or queries.default_peer_group(view.area)
    view.group_label = dict(view.group_options).get(view.peer_group, "Every organisation")


def group_standard(view: CompareView) -> str | None:
    """The standard the group is compared on: its own, else the league's first single one."""
    groups = queries.peer_groups(view.area).filter(pl.col("peer_group") == view.peer_group)
    own = groups["standard_id"].drop_nulls()
    if own.len():
        return str(own[0])
    frame = queries.league_standards(view.area, peer_group=view.peer_group)
    declared = queries.standards().filter(~pl.col("target_from_row").fill_null(False))
    judged = set(declared["standard_id"])  # not 'all', nor rows that are their own standards
    return next((str(s) for s in frame["standard_id"] if s in judged), None)


def choose_standard(view: CompareView, asked: str | None) -> None:
    """The standard asked for if the organisations or the group have it; otherwise the
    group's (all the organisations' standards where the group has no single one)."""
    frame = compare.standards(view.orgs) if view.orgs else compare.standards(("",))
    default = group_standard(view)
    ids = list(frame["standard_id"])
    view.standard_options = list(zip(ids, frame["standard"], strict=True))
    if default and default not in ids:
        wording = queries.standards().filter(pl.col("standard_id") == default)["wording"]
        view.standard_options.insert(0, (default, str(wording[0]) if wording.len() else default))
        ids.insert(0, default)
    if asked and asked in ids:
        view.standard = asked
        return
    view.standard = default
    if asked:
        instead = "the group's standard" if default else "all their standards"
        view.messages.append(
            f"These organisations have no standard “{asked[:60]}”; showing {instead}."
        )


def fill_options(view: CompareView, first: dt.date, last: dt.date) -> None:
    """The group's members to choose from; with none chosen, the group's best, middle and
    worst over the months (its first few where there is no single standard)."""
    members = standing.group_members(view.area, view.peer_group, first, last)
    if members.is_empty():
        members = compare.organisations(view.area)
    options = list(zip(members["org_slug"], members["organisation"], strict=True))
    known = {slug for slug, _ in options}
    outside = [(s, n) for s, n in compare.where(view.orgs).select("org_slug", "organisation").rows()
               if s not in known]  # fmt: skip
    view.options = sorted(options + outside, key=lambda o: (o[1].casefold(), o[0]))
    if view.orgs:
        if len(view.orgs) == 1:
            view.messages.append("Choose at least one more organisation below to compare.")
        return
    if view.standard:
        months = standing.group_months(view.area, view.peer_group, view.standard, first, last)
        view.orgs = tuple(
            standing.best_middle_worst(
                standing.standings(months, get_settings().min_judged_periods)
            )
        )
        view.opened_on = "the best, the middle and the worst"
    if not view.orgs:
        view.orgs = tuple(slug for slug, _ in options[:DEFAULT_ORGS])
        view.opened_on = "the first by name"


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
    settle("from", view.first)
    settle("to", view.last)


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
