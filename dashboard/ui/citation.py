"""Who published the figures a view shows, and under which licence: for a chart's source line
and the 'Cite or share this view' block."""

from __future__ import annotations

from typing import Any

from metrics import queries

SITE_NAME = "Service Standards Tracker"


def sources_of(
    jurisdiction: str | None = None, standard_id: str | None = None
) -> list[dict[str, Any]]:
    """The sources behind a view: the standard's own where it names one, else its area's,
    else every source."""
    sources = queries.sources()
    if standard_id:
        standards = queries.standards()
        ids = set(standards.filter(standards["standard_id"] == standard_id)["source_id"])
        if ids:
            return list(sources.filter(sources["source_id"].is_in(ids)).iter_rows(named=True))
    if jurisdiction:
        sources = sources.filter(sources["jurisdiction"] == jurisdiction)
    return list(sources.iter_rows(named=True))


def source_line(sources: list[dict[str, Any]]) -> str:
    """'NHS England, NHS England A&E attendances …; Service Standards Tracker' (no repeats)."""
    named = dict.fromkeys(f"{s['publisher']}, {s['title']}" for s in sources)
    return "; ".join([*named, SITE_NAME])
