"""Check a download's query string against what the warehouse holds; say what is allowed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
from werkzeug.datastructures import MultiDict

from dashboard.web.params import month_param, month_text
from metrics import queries
from metrics.datasets import Dataset, Filters, choices
from metrics.grain import Grain, fiscal_year_label

Area = tuple[str, str, str]  # slug, name, grain
PAGE_PARAMS = ("page", "per_page")
PER_PAGE, MAX_PER_PAGE = 1000, 10_000
SHOWN = 40  # values listed in a message at most; the rest are in a dataset named instead


class BadArgs(ValueError):
    """The query string asks for something that does not exist; the message says what does."""


@dataclass(frozen=True)
class View:
    """A checked request: the filters, the parts of its file name, and the JSON page."""

    filters: Filters
    name_parts: tuple[str, ...]
    page: int = 1
    per_page: int = PER_PAGE


def _allowed(name: str, values: list[str], see: str | None = None) -> BadArgs:
    shown = ", ".join(values[:SHOWN])
    more = f" … ({len(values)} in all; see {see})" if see and len(values) > SHOWN else ""
    return BadArgs(f"{name} must be one of: {shown}{more}.")


def _one(args: MultiDict[str, str], name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise BadArgs(f"Give {name} at most once.")
    return values[0] if values else None


def _jurisdiction(text: str | None, con: duckdb.DuckDBPyConnection) -> Area | None:
    areas = queries.jurisdictions(con)
    slugs = [str(s) for s in areas["slug"]]
    if text is None:
        return None
    if text not in slugs:
        raise _allowed("jurisdiction", slugs)
    row = areas.row(slugs.index(text), named=True)
    return text, str(row["jurisdiction"]), str(row["grain"])


def _organisations(text: str | None, con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    if text is None:
        return ()
    asked = tuple(part.strip() for part in text.split(","))
    known = choices.organisations(con)
    unknown = [a for a in asked if a not in known]
    if unknown or not asked:
        raise _allowed("organisation (one or several, comma-separated)", known, "league.csv")
    return asked


def _month(name: str, text: str | None, allowed: list[dt.date] | None) -> dt.date | None:
    if text is None:
        return None
    month = month_param(text)
    if month is None:
        raise BadArgs(f"{name} must be a month written YYYY-MM, such as 2015-07.")
    if allowed is not None and month not in allowed:
        raise _allowed(name, [month_text(m) for m in allowed])
    return month


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadArgs("day must be a date written YYYY-MM-DD, such as 2015-07-14.") from None


def _months(area: Area | None, con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    if area is not None:
        return queries.months(area[1], con)
    return choices.league_months(con)


def _choice(
    name: str,
    text: str | None,
    known_in: Callable[[duckdb.DuckDBPyConnection], list[str]],
    con: duckdb.DuckDBPyConnection,
    see: str,
) -> str | None:
    if text is None:
        return None
    known = known_in(con)
    if text not in known:
        raise _allowed(name, known, see)
    return text


def _peer_group(text: str | None, area: Area | None, con: duckdb.DuckDBPyConnection) -> str | None:
    """A peer group of the view's area (a league's area is always known)."""
    if text is None or area is None:
        return text
    known = [str(g) for g in queries.peer_groups(area[1], con)["peer_group"]]
    if text not in known:
        raise _allowed("peer_group", known)
    return text


def _page(args: MultiDict[str, str]) -> tuple[int, int]:
    page, per_page = _one(args, "page") or "1", _one(args, "per_page") or str(PER_PAGE)
    if not (page.isdigit() and page.isascii() and len(page) <= 9 and int(page) >= 1):
        raise BadArgs("page must be a whole number from 1.")
    if not (per_page.isdigit() and per_page.isascii() and 1 <= int(per_page) <= MAX_PER_PAGE):
        raise BadArgs(f"per_page must be a whole number from 1 to {MAX_PER_PAGE}.")
    return int(page), int(per_page)


def _first_area(con: duckdb.DuckDBPyConnection) -> Area | None:
    """The league's default area: the first jurisdiction, as on the home page."""
    slugs = queries.jurisdictions(con)["slug"]
    return _jurisdiction(str(slugs[0]), con) if len(slugs) else None


def _latest(months: list[dt.date]) -> dt.date:
    """The league's default month: the latest with figures."""
    if not months:
        raise BadArgs("There is no league table yet: no figures have been loaded.")
    return months[-1]


def _scope(f: Filters, area: Area | None) -> str:
    """The leading part of a file name: the one organisation, else the area, else the source."""
    if len(f.organisations) == 1:
        return f.organisations[0]
    if f.organisations:
        return (area[0] + "-" if area else "") + f"{len(f.organisations)}-organisations"
    return area[0] if area else (f.source or "all")


def _name_parts(dataset: Dataset, f: Filters, area: Area | None) -> tuple[str, ...]:
    parts = [_scope(f, area), dataset.name]
    if f.service:
        parts.append(f.service)
    if f.standard:
        parts.append(file_slug(f.standard))
    if f.peer_group:
        parts.append(f.peer_group)
    if f.month:
        yearly = area is not None and Grain(area[2]) is Grain.FISCAL_YEAR
        parts.append(fiscal_year_label(f.month) if yearly else month_text(f.month))
    if f.day:
        parts.append(f.day.isoformat())
    if f.start:
        parts.append("from-" + month_text(f.start))
    if f.end:
        parts.append("to-" + month_text(f.end))
    return tuple(parts)


def file_slug(text: str) -> str:
    """A file-name-safe form of an identifier: 'nhs-ae:4h' -> 'nhs-ae-4h'."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def parse(
    dataset: Dataset, args: MultiDict[str, str], fmt: str, con: duckdb.DuckDBPyConnection
) -> View:
    """The view the query string asks for; BadArgs naming what is allowed otherwise."""
    allowed = dataset.params + (PAGE_PARAMS if fmt == "json" else ())
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        listed = ", ".join(allowed) or "none"
        raise BadArgs(f"Unknown parameter(s): {', '.join(unknown)}. Allowed: {listed}.")
    get = {name: _one(args, name) for name in allowed}
    area = _jurisdiction(get.get("jurisdiction"), con)
    if dataset.name == "league" and area is None:
        area = _first_area(con)
    wants_month = get.get("month") is not None or dataset.name == "league"
    months = _months(area, con) if wants_month else []
    month = _month("month", get.get("month"), months)
    if dataset.name == "league" and month is None:
        month = _latest(months)
    start, end = _month("from", get.get("from"), None), _month("to", get.get("to"), None)
    if start and end and start > end:
        raise BadArgs("from must not be after to.")
    filters = Filters(
        jurisdiction=area[1] if area else None,
        peer_group=_peer_group(get.get("peer_group"), area, con),
        organisations=_organisations(get.get("organisation"), con),
        service=_choice("service", get.get("service"), choices.service_slugs, con,
                        "records.csv"),
        standard=_choice("standard", get.get("standard"), choices.standard_ids, con,
                         "standards.csv"),
        month=month, day=_day(get.get("day")), start=start, end=end,
        source=_choice("source", get.get("source"), choices.source_ids, con, "sources.csv"),
    )  # fmt: skip
    page, per_page = _page(args) if fmt == "json" else (1, PER_PAGE)
    return View(filters, _name_parts(dataset, filters, area), page, per_page)
