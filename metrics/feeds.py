"""What the Atom feeds say: one entry per published period, its record in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from metrics.grain import Grain
from metrics.reader import read_frame

MAX_ENTRIES = 24


@dataclass(frozen=True)
class Entry:
    """One period of an area or organisation, as a feed entry."""

    key: str
    title: str
    summary: str
    month: dt.date
    updated: dt.datetime
    path: str


def _record(met: int, judged: int, grain: Grain, month: dt.date) -> str:
    if judged == 0:
        return f"had nothing judged in {grain.window(month)}"
    return f"met its standard in {met} of {grain.periods(judged)} in {grain.window(month)}"


LEAGUE = """
SELECT l.jurisdiction, slug(l.jurisdiction) AS area, l.month, l.grain, l.organisation,
       l.org_slug, l.periods_met, l.periods_judged, l.rank, l.reliability,
       (SELECT max(f.last_received) FROM source_facts f WHERE f.jurisdiction = l.jurisdiction)
           AS received
FROM league l
WHERE ($area IS NULL OR slug(l.jurisdiction) = $area) AND ($org IS NULL OR l.org_slug = $org)
  -- each organisation once a month: in the first of its area's peer groups that holds it
  AND l.peer_group = (
      SELECT g.peer_group FROM peer_groups g JOIN peer_group_members m
             ON m.jurisdiction = g.jurisdiction AND m.peer_group = g.peer_group
      WHERE g.jurisdiction = l.jurisdiction AND m.month = l.month AND m.org_slug = l.org_slug
      ORDER BY g.position LIMIT 1)
  -- an area's best and worst: within its first (default) peer group, as its league opens
  AND ($org IS NOT NULL OR l.peer_group = (
      SELECT g.peer_group FROM peer_groups g WHERE g.jurisdiction = l.jurisdiction
      ORDER BY g.position LIMIT 1))
ORDER BY l.month DESC, l.rank NULLS LAST, l.organisation
"""


def _updated(received: object, month: dt.date) -> dt.datetime:
    if isinstance(received, dt.datetime):
        return received if received.tzinfo else received.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(month, dt.time(), dt.UTC)


def area_entries(area: str, con: duckdb.DuckDBPyConnection | None = None) -> list[Entry]:
    """An area's latest periods, newest first: who ranked first and last in each."""
    frame = read_frame(LEAGUE, {"area": area, "org": None}, con)
    out = []
    for part in frame.partition_by("month", maintain_order=True)[:MAX_ENTRIES]:
        ranked = part.filter(part["rank"].is_not_null())
        first = part.row(0, named=True)
        grain, month = Grain(first["grain"]), first["month"]
        title = f"{first['jurisdiction']}: figures for {grain.window(month)}"
        if ranked.height:
            best, worst = ranked.row(0, named=True), ranked.row(ranked.height - 1, named=True)
            summary = (
                f"Best: {best['organisation']} "
                f"{_record(best['periods_met'], best['periods_judged'], grain, month)}. "
                f"Worst: {worst['organisation']} "
                f"{_record(worst['periods_met'], worst['periods_judged'], grain, month)}."
            )
        else:
            summary = "No organisation had enough periods judged to be ranked."
        out.append(Entry(f"{area}/{month:%Y-%m}", title, summary, month,
                         _updated(first["received"], month),
                         f"/?jurisdiction={area}&month={month:%Y-%m}"))  # fmt: skip
    return out


def organisation_entries(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> list[Entry]:
    """An organisation's latest periods, newest first, each its record in words."""
    frame = read_frame(LEAGUE, {"area": None, "org": slug}, con).head(MAX_ENTRIES)
    out = []
    for row in frame.iter_rows(named=True):
        grain, month = Grain(row["grain"]), row["month"]
        sentence = f"{row['organisation']} " + _record(
            row["periods_met"], row["periods_judged"], grain, month
        )
        out.append(Entry(f"department/{slug}/{month:%Y-%m}", sentence, sentence + ".", month,
                         _updated(row["received"], month),
                         f"/department/{slug}?month={month:%Y-%m}"))  # fmt: skip
    return out
