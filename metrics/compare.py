"""Organisations side by side on the same standards and periods (the `/compare` view).

A period is a month (a fiscal year for yearly standards). For standards judged daily, a
month's figure is its service-days met of those judged, as in the league table; for the
others it is the organisation's one judged figure for the month, with its verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from metrics.cache import cached
from metrics.grain import Grain, plural
from metrics.reader import read_frame
from metrics.wording import percent


@cached
def organisations(jurisdiction: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Organisations of a jurisdiction in its league. Columns: org_slug, organisation."""
    return read_frame(
        """SELECT DISTINCT org_slug, organisation FROM league WHERE jurisdiction = $j
           ORDER BY organisation, org_slug""",
        {"j": jurisdiction},
        con,
    )


@cached
def where(slugs: tuple[str, ...], con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """The known organisations among the slugs. Columns: org_slug, organisation,
    jurisdiction, slug (the jurisdiction's URL slug)."""
    return read_frame(
        """SELECT DISTINCT org_slug, organisation, jurisdiction, slug(jurisdiction) AS slug
           FROM league WHERE list_contains($slugs, org_slug)""",
        {"slugs": list(slugs)},
        con,
    )


@cached
def standards(slugs: tuple[str, ...], con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Standards any of the organisations is judged against. Columns: standard_id, standard,
    grain, organisations (how many of them it covers); most shared first."""
    return read_frame(
        """SELECT standard_id, any_value(standard) AS standard, any_value(grain) AS grain,
                  count(DISTINCT org_slug) AS organisations
           FROM judgements WHERE org_level = 'organisation' AND list_contains($slugs, org_slug)
           GROUP BY standard_id ORDER BY organisations DESC, standard_id""",
        {"slugs": list(slugs)},
        con,
    )


@cached
def periods(jurisdiction: str, con: duckdb.DuckDBPyConnection | None = None) -> list[dt.date]:
    """Months with any judged figure for the jurisdiction's organisations, oldest first."""
    frame = read_frame(
        """SELECT DISTINCT date_trunc('month', period_start)::DATE AS month FROM judgements
           WHERE org_level = 'organisation' AND jurisdiction = $j ORDER BY month""",
        {"j": jurisdiction},
        con,
    )
    return list(frame["month"])


@cached
def comparison(
    slugs: tuple[str, ...],
    standard_id: str | None,
    first: dt.date,
    last: dt.date,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """One row per organisation, standard and month from `first` to `last` (months).

    Columns: org_slug, organisation, standard_id, standard, grain, unit, comparator, target,
    month, met, judged, no_data (periods with each verdict: service-days for daily
    standards), value and status (the month's one figure and verdict, for standards not
    judged daily; null for daily ones).
    """
    return read_frame(
        """SELECT org_slug, any_value(organisation) AS organisation, standard_id,
                  any_value(standard) AS standard, any_value(grain) AS grain,
                  any_value(unit) AS unit, any_value(comparator) AS comparator,
                  any_value(target) AS target,
                  date_trunc('month', period_start)::DATE AS month,
                  count(*) FILTER (WHERE status = 'met') AS met,
                  count(*) FILTER (WHERE status IN ('met', 'not_met')) AS judged,
                  count(*) FILTER (WHERE status = 'no_data') AS no_data,
                  CASE WHEN any_value(grain) <> 'day' AND count(*) = 1
                       THEN any_value(value) END AS value,
                  CASE WHEN any_value(grain) <> 'day' AND count(*) = 1
                       THEN any_value(status) END AS status
           FROM judgements
           WHERE org_level = 'organisation' AND list_contains($slugs, org_slug)
             AND ($standard IS NULL OR standard_id = $standard)
             AND period_start >= $first AND period_start <= last_day($last)
           GROUP BY org_slug, standard_id, month
           ORDER BY standard_id, month, organisation""",
        {"slugs": list(slugs), "standard": standard_id, "first": first, "last": last},
        con,
    )


@cached
def volumes(
    slugs: tuple[str, ...],
    standard_id: str,
    first: dt.date,
    last: dt.date,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """Each organisation's volume behind one standard over the months `first` to `last`: the
    count the standard names (`standard_volumes`), summed over the periods and services with
    a figure, as the league sums it over its window. A service's own standard ('gc:1008')
    has none: the department's count is not that service's.

    Columns: org_slug, volume_measure, volume, volume_year_earlier (the same periods a year
    before, where every one has its figure; else null). No row for an organisation with none.
    """
    return read_frame(
        """SELECT m.org_slug, any_value(m.measure) AS volume_measure,
                  sum(m.value)::BIGINT AS volume,
                  CASE WHEN count(m.year_earlier) = count(*) THEN sum(m.year_earlier) END::BIGINT
                      AS volume_year_earlier
           FROM standard_volumes v
           JOIN measures m ON m.source_id = v.source_id AND m.measure_id = v.volume_id
           WHERE v.standard_id = $standard
             AND m.org_level = 'organisation' AND list_contains($slugs, m.org_slug)
             AND m.value IS NOT NULL
             AND m.period_start >= $first AND m.period_start <= last_day($last)
           GROUP BY m.org_slug ORDER BY m.org_slug""",
        {"slugs": list(slugs), "standard": standard_id, "first": first, "last": last},
        con,
    )


def met_records(part: pl.DataFrame, order: Sequence[str] = ()) -> pl.DataFrame:
    """Each organisation's record over one standard's rows of `comparison`, in the `order`
    of their slugs (by name otherwise). Columns: org_slug, organisation, met, judged,
    no_data, share (met / judged; null when nothing was judged)."""
    records = (
        part.group_by("org_slug", "organisation", maintain_order=True)
        .agg(pl.col("met").sum(), pl.col("judged").sum(), pl.col("no_data").sum())
        .with_columns(share=pl.when(pl.col("judged") > 0).then(pl.col("met") / pl.col("judged")))
    )
    if not order:
        return records
    position = {slug: i for i, slug in enumerate(order)}
    return records.sort(pl.col("org_slug").replace_strict(position, default=len(order)))


def months_all_and_none(part: pl.DataFrame, organisations: int) -> tuple[int, int, int]:
    """(months every organisation was judged, of which every one met, of which none met)."""
    per_month = part.group_by("month").agg(
        judged=(pl.col("judged") > 0).sum(), met=(pl.col("met") > 0).sum()
    )
    complete = per_month.filter(pl.col("judged") == organisations)
    return (
        complete.height,
        complete.filter(pl.col("met") == organisations).height,
        complete.filter(pl.col("met") == 0).height,
    )


PERIOD_WORDS = {"day": ("on", "service-days"), "month": ("in", "months")}


def record_sentence(records: pl.DataFrame, grain: str) -> str:
    """'A met the standard in 9 of 12 months judged (75%), B in 3 of 12 (25%).'"""
    prep, unit = PERIOD_WORDS.get(grain, ("in", "years"))
    parts = []
    for i, r in enumerate(records.iter_rows(named=True)):
        verb = "" if i else "met the standard "
        if not r["judged"]:
            parts.append(f"{r['organisation']} had no {unit} judged")
            continue
        counted = f"{r['met']:,} of {r['judged']:,}" + ("" if i else f" {unit} judged")
        parts.append(f"{r['organisation']} {verb}{prep} {counted} ({percent(r['share'])})")
    return ", ".join(parts) + "."


def spread_sentence(records: pl.DataFrame) -> str | None:
    """'The highest share met was A's (75%), the lowest B's (25%): 50 percentage points apart.'"""
    judged = records.filter(pl.col("share").is_not_null()).sort("share", descending=True)
    if judged.height < 2:
        return None
    top, bottom = judged.row(0, named=True), judged.row(-1, named=True)
    if top["share"] == bottom["share"]:
        return f"All met it equally often ({percent(top['share'])})."
    gap = round(top["share"] * 100) - round(bottom["share"] * 100)
    return (
        f"The highest share met was {top['organisation']}'s ({percent(top['share'])}), the "
        f"lowest {bottom['organisation']}'s ({percent(bottom['share'])}): "
        f"{gap} percentage points apart."
    )


def together_sentence(part: pl.DataFrame, organisations: int) -> str | None:
    """'Of the 12 months in which every organisation was judged, all met the standard in 4
    and none in 3.' (for standards judged once a period)."""
    if organisations < 2 or Grain(part["grain"][0]) is Grain.DAY:
        return None
    months, every, none = months_all_and_none(part, organisations)
    if not months:
        return "There was no month in which every organisation was judged."
    return (
        f"Of the {plural(months, 'month')} in which every organisation was judged, all met the "
        f"standard in {every} and none did in {none}."
    )
