"""Typed read functions over the warehouse's measure tables; parameters are always bound.

Every frame's columns are documented on the function. Pages and downloads call these and
nothing else, so the figures on screen and in every file are the same figures.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from metrics import spc
from metrics.cache import cached
from metrics.measures import CASE_MEASURES
from metrics.reader import read_frame
from metrics.series import POINT_SCHEMA, VERDICT_FIELDS
from metrics.wording import days_met_headline
from settings import today


@cached
def jurisdictions(con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Jurisdictions with a league table. Columns: jurisdiction, slug, grain ('day' or
    'month': the grain its standards are judged at), first_month, last_month."""
    return read_frame(
        """SELECT jurisdiction, slug(jurisdiction) AS slug, any_value(grain) AS grain,
                  min(month) AS first_month, max(month) AS last_month
           FROM league GROUP BY jurisdiction ORDER BY jurisdiction""",
        {},
        con,
    )


@cached
def months(jurisdiction: str, con: duckdb.DuckDBPyConnection | None = None) -> list[dt.date]:
    """Months that have a league table for the jurisdiction, oldest first."""
    frame = read_frame(
        "SELECT DISTINCT month FROM league WHERE jurisdiction = $j ORDER BY month",
        {"j": jurisdiction},
        con,
    )
    return list(frame["month"])


LEAGUE_COLUMNS = (
    "rank", "organisation", "org_slug", "jurisdiction", "peer_group", "grain", "standard_id",
    "periods_met", "periods_judged", "periods_no_data", "share_met", "share_lower",
    "share_upper", "performance", "performance_numerator", "performance_denominator",
    "performance_unit", "comparator", "band", "reliability", "lower_95", "upper_95",
    "lower_998", "upper_998", "change_previous", "change_year", "spc_verdict",
    "volume_measure", "volume", "volume_year_earlier", "volume_change_year",
)  # fmt: skip


@cached
def peer_groups(jurisdiction: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """The jurisdiction's peer groups in the catalog's order, the default first.

    Columns: peer_group (id), label, description, standard_id (the standard its members are
    compared on; null where they are compared on each of the area's standards).
    """
    return read_frame(
        """SELECT peer_group, label, description, standard_id FROM peer_groups
           WHERE jurisdiction = $j ORDER BY position""",
        {"j": jurisdiction},
        con,
    )


@cached
def default_peer_group(
    jurisdiction: str, con: duckdb.DuckDBPyConnection | None = None, standard: str | None = None
) -> str:
    """The area's first declared peer group ('all' where it declares none); given a
    standard, its first group whose league has that standard (else its first)."""
    frame = read_frame(
        """SELECT g.peer_group FROM peer_groups g WHERE g.jurisdiction = $j
           ORDER BY NOT EXISTS (
                 SELECT 1 FROM league l WHERE l.jurisdiction = g.jurisdiction
                   AND l.peer_group = g.peer_group AND l.standard_id = $s), g.position
           LIMIT 1""",
        {"j": jurisdiction, "s": standard},
        con,
    )
    return str(frame["peer_group"][0]) if frame.height else "all"


@cached
def league_standards(
    jurisdiction: str,
    con: duckdb.DuckDBPyConnection | None = None,
    peer_group: str | None = None,
) -> pl.DataFrame:
    """The standards a jurisdiction's league can be shown for in a peer group (default: the
    area's first), the default first.

    Columns: standard_id ('all' pools every standard's periods-met record where an area has
    several), wording. The default is the single standard; where there are several, the
    group's declared headline standard, or else 'all'.
    """
    group = peer_group or default_peer_group(jurisdiction, con)
    return read_frame(
        """SELECT l.standard_id,
                  coalesce(any_value(s.wording), 'Every standard: periods met') AS wording
           FROM league l LEFT JOIN standards s ON s.standard_id = l.standard_id
           LEFT JOIN peer_groups g ON g.jurisdiction = l.jurisdiction
                AND g.peer_group = l.peer_group
           WHERE l.jurisdiction = $j AND l.peer_group = $g GROUP BY l.standard_id
           ORDER BY bool_or(l.standard_id = g.headline_standard) IS NOT TRUE,
                    l.standard_id <> 'all', l.standard_id""",
        {"j": jurisdiction, "g": group},
        con,
    )


def league_key(
    jurisdiction: str,
    con: duckdb.DuckDBPyConnection | None,
    standard: str | None,
    peer_group: str | None,
) -> tuple[str, str]:
    """The (peer group, standard) a league shows: the group asked for, else the area's
    default (with the standard, if one is given); the standard asked for, else the group's
    first of `league_standards`."""
    group = peer_group or default_peer_group(jurisdiction, con, standard)
    if standard is None:
        choices = league_standards(jurisdiction, con, group)
        standard = str(choices["standard_id"][0]) if choices.height else "all"
    return group, standard


@cached
def league_table(
    jurisdiction: str,
    month: dt.date,
    con: duckdb.DuckDBPyConnection | None = None,
    standard: str | None = None,
    peer_group: str | None = None,
) -> pl.DataFrame:
    """Organisations of a jurisdiction's peer group for a league window and standard, best
    first; ranks and bands compare the group's members only.

    The window is the month for standards judged daily, and the 12 months to the month for
    standards judged monthly. `peer_group` defaults to the area's first group (with the
    standard, if one is given), `standard` to the first of `league_standards` for the group.
    Columns: rank (by performance for monthly and yearly sources, lower first where the
    standard is a time; by share of service-days met for daily ones; ties share a rank; null
    when low reliability), organisation, org_slug, jurisdiction, peer_group (the group's id),
    grain, standard_id,
    periods_met, periods_judged, periods_no_data, share_met (met / judged, null when nothing
    was judged), share_lower and share_upper (Wilson 95% interval), performance (within the
    standard / judged, summed over the window: performance_numerator /
    performance_denominator; the mean of the judged figures where no counts are published),
    performance_unit ('share' or 'seconds'), comparator, band (funnel plot of performance on
    case volumes, 99.8% limits: 'above expected', 'within expected range', 'below expected'),
    reliability ('[u]' when fewer periods were judged than the minimum; such rows are neither
    banded nor ranked), lower_95, upper_95, lower_998, upper_998 (the funnel's limits at the
    row's performance denominator), change_previous and change_year (the latest period's
    figure minus the previous period's and the same period's a year earlier: a fraction for a
    share, seconds for a time; null where either is missing, and on 'all'), spc_verdict
    ('improving', 'deteriorating', 'no significant change', 'not enough data'; null on 'all';
    see metrics.trend), volume_measure, volume, volume_year_earlier, volume_change_year (the
    count the standard's measure names as its volume, summed over the window's periods and
    the organisation's services with a figure, and over the same periods a year before where
    each has one; see metrics.measures), standard_set_by ('agency' or 'tracker').
    """
    group, standard = league_key(jurisdiction, con, standard, peer_group)
    return read_frame(
        f"""SELECT {", ".join(LEAGUE_COLUMNS)}, {SET_BY} AS standard_set_by
           FROM league WHERE jurisdiction = $j AND month = $month AND standard_id = $s
             AND peer_group = $g
           ORDER BY rank NULLS LAST, organisation""",  # noqa: S608 - constant columns
        {"j": jurisdiction, "month": month, "s": standard, "g": group},
        con,
    )


@cached
def group_trends(
    jurisdiction: str,
    month: dt.date,
    con: duckdb.DuckDBPyConnection | None = None,
    standard: str | None = None,
    peer_group: str | None = None,
) -> pl.DataFrame:
    """A peer group's pooled figure for the league's period (a daily source's month, a
    monthly source's last month, a fiscal year), its change on the period before and its SPC
    verdict over the group's periods to then: one row for the league's standard, or one per
    standard where the league pools several ('all'). Group and standard default as
    `league_table`'s do.

    Columns: standard_id, period, grain, unit, comparator, figures (the members' figures
    pooled), numerator, denominator (null for a time or a published share), performance
    (numerator / denominator, else the mean of the members' figures), change_previous,
    spc_verdict (as metrics.trend.verdict says it).
    """
    group, standard = league_key(jurisdiction, con, standard, peer_group)
    return read_frame(
        """SELECT standard_id, period, grain, unit, comparator, figures, numerator,
                  denominator, performance, change_previous, spc_verdict
           FROM group_trends WHERE jurisdiction = $j AND peer_group = $g
             AND ($s = 'all' OR standard_id = $s) AND period = $month
           ORDER BY standard_id""",
        {"j": jurisdiction, "g": group, "s": standard, "month": month},
        con,
    )


SET_BY = """(SELECT CASE WHEN bool_or(st.set_by = 'tracker') THEN 'tracker' ELSE 'agency' END
    FROM standards st JOIN sources src ON src.source_id = st.source_id
    WHERE src.jurisdiction = league.jurisdiction
      AND (league.standard_id = 'all' OR st.standard_id = league.standard_id))"""
"""Who set a league row's standard: 'tracker' if this site set it (or any of those pooled
under 'all'), else 'agency'."""


def _judged(slug: str, grain: str, con: duckdb.DuckDBPyConnection | None) -> pl.DataFrame:
    """An organisation's judged periods at one grain; the callers choose the order."""
    return read_frame(
        """SELECT service, standard_id, standard, period_start, numerator, denominator,
                  value, target, comparator, unit, marker, status, org_slug, set_by
           FROM judgements WHERE org_slug = $slug AND grain = $grain""",
        {"slug": slug, "grain": grain},
        con,
    )


@cached
def judgements(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Every judged month of an organisation's monthly standards, newest first.

    Columns: service, standard_id, standard, period_start, numerator, denominator, value,
    target, comparator, unit, marker (GSS status: [x] missing, [z] not applicable), status,
    org_slug, set_by ('agency' or 'tracker': who set the standard).
    """
    return _judged(slug, "month", con).sort(
        "service", "standard_id", "period_start", descending=[False, False, True], nulls_last=True
    )


@cached
def organisation(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> dict[str, str] | None:
    """The organisation's name and jurisdiction, or None for an unknown slug."""
    frame = read_frame(
        "SELECT DISTINCT organisation, jurisdiction FROM league WHERE org_slug = $slug",
        {"slug": slug},
        con,
    )
    return frame.row(0, named=True) if frame.height else None


@cached
def days_met_records(
    slug: str, month: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """One row per service of the organisation for the month: the days-met record.

    Columns: service, service_slug, standard_id, days_met, days_not_met, days_not_applicable,
    days_judged, due, on_time, no_target (requests opened with no target, never judged),
    headline ('Met its standard on 1 of 23 days in July 2015').
    """
    frame = read_frame(
        """SELECT service, service_slug, standard_id, days_met, days_not_met,
                  days_not_applicable, days_met + days_not_met AS days_judged,
                  due, on_time, no_target
           FROM days_met WHERE org_slug = $slug AND month = $month ORDER BY service""",
        {"slug": slug, "month": month},
        con,
    )
    headlines = [
        days_met_headline(met, judged, month)
        for met, judged in zip(frame["days_met"], frame["days_judged"], strict=True)
    ]
    return frame.with_columns(pl.Series("headline", headlines, dtype=pl.String))


@cached
def service_days(
    slug: str, month: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """One row per service and day of the month.

    Columns: service, service_slug, day, due, on_time, no_target, target_percent,
    status ('met', 'not_met' or 'not_applicable').
    """
    return read_frame(
        """SELECT service, service_slug, day, due, on_time, no_target,
                  target_percent::DOUBLE AS target_percent, status
           FROM service_days
           WHERE org_slug = $slug AND date_trunc('month', day) = $month
           ORDER BY service, day""",
        {"slug": slug, "month": month},
        con,
    )


@cached
def sources(con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Provenance for every source, for the footer.

    Columns: source_id, title, jurisdiction, publisher, licence, licence_url, source_url,
    attribution, cadence, data_as_of, last_received, next_due (the date the period after
    data_as_of should have been published by: its end plus the declared publication lag),
    overdue (today, from the one clock, is past next_due).
    """
    return read_frame(
        """WITH s AS (
               SELECT s.*, f.data_as_of, f.last_received,
                      (CASE s.cadence
                           WHEN 'daily' THEN f.data_as_of::DATE + INTERVAL 1 DAY
                           WHEN 'monthly' THEN last_day(f.data_as_of + INTERVAL 1 MONTH)
                           ELSE f.data_as_of::DATE + INTERVAL 1 YEAR END
                       + INTERVAL (s.publication_lag_days) DAY)::DATE AS next_due
               FROM sources s JOIN source_facts f USING (source_id))
           SELECT source_id, title, jurisdiction, publisher, licence, licence_url, source_url,
                  attribution, cadence, data_as_of, last_received, next_due,
                  $today > next_due AS overdue
           FROM s ORDER BY source_id""",
        {"today": today()},
        con,
    )


@cached
def standards(con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Every standard version. Columns: standard_id, version, source_id, wording, measure,
    comparator, target_percent, target_value, target_from_row, unit, grain, set_by, reason,
    citation_url, valid_from, valid_to."""
    return read_frame(
        """SELECT standard_id, version, source_id, wording, measure, comparator,
                  target_percent::DOUBLE AS target_percent,
                  target_value::DOUBLE AS target_value, target_from_row, unit, grain, set_by,
                  reason, citation_url, valid_from, valid_to
           FROM standards ORDER BY standard_id, version""",
        {},
        con,
    )


@cached
def standards_set_by(con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Who set each standard version, and against what: what a verdict's note needs.
    Columns: standard_id, version, set_by, comparator, target_percent, target_value, reason."""
    return read_frame(
        """SELECT standard_id, version, set_by, comparator,
                  target_percent::DOUBLE AS target_percent,
                  target_value::DOUBLE AS target_value, reason
           FROM standards ORDER BY standard_id, version""",
        {},
        con,
    )


@cached
def warehouse_version(con: duckdb.DuckDBPyConnection | None = None) -> str:
    """The published warehouse's version, which changes whenever any figure can."""
    frame = read_frame("SELECT value FROM meta WHERE key = 'warehouse_version'", {}, con)
    return str(frame["value"][0]) if frame.height else "unknown"


@cached
def service_summaries(
    slug: str, month: dt.date, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """For each daily service of the organisation, measures of the month's days-met record.

    Columns: service, pooled (volume-weighted share on time in the month), disagrees (the
    pooled share and the days-met record point opposite ways), last_met (latest day met up
    to the month's end), current_miss_run (days missed in a row at the month's end),
    longest_miss_run (in the month), coverage (judged / (judged + no data)), judged_ever
    (any day of the service judged up to the month's end).
    """
    frame = read_frame(
        """SELECT service, pooled, disagrees, last_met, current_miss_run, longest_miss_run,
                  coverage, judged_ever
           FROM met_records WHERE org_slug = $slug AND month = $month AND grain = 'day'
           ORDER BY service""",
        {"slug": slug, "month": month},
        con,
    )
    return frame.cast(pl.Schema(SUMMARY_SCHEMA))


SUMMARY_SCHEMA = {
    "service": pl.String,
    "pooled": pl.Float64,
    "disagrees": pl.Boolean,
    "last_met": pl.Date,
    "current_miss_run": pl.Int64,
    "longest_miss_run": pl.Int64,
    "coverage": pl.Float64,
    "judged_ever": pl.Boolean,
}


def standard_spc(
    part: pl.DataFrame, con: duckdb.DuckDBPyConnection | None = None
) -> spc.SpcResult | None:
    """SPC of one organisation's monthly series for one standard (rows of `judgements(slug)`,
    whose org_slug and standard_id name the series), as stored at ingest. Higher is better for
    '>=' standards, lower for '<='. None when there are fewer than two figures to chart."""
    key = {"slug": part["org_slug"][0], "standard_id": part["standard_id"][0]}
    where = "WHERE org_slug = $slug AND standard_id = $standard_id"
    verdict = read_frame(f"SELECT * FROM spc_verdicts {where}", key, con)  # noqa: S608
    if verdict.height == 0:
        return None
    columns = ", ".join(list(POINT_SCHEMA)[2:])
    points = read_frame(f"SELECT {columns} FROM spc_points {where} ORDER BY period", key, con)  # noqa: S608
    fields = verdict.row(0, named=True)
    return spc.SpcResult(points=points, **{f: fields[f] for f in VERDICT_FIELDS})


def met_records(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Every stored met record of an organisation, by service, standard and month.

    For a daily standard a row's record counts the month's days; for a monthly or fiscal-year
    standard it counts the periods from record_from up to and including the month. Columns:
    jurisdiction, organisation, org_slug, org_level, service, standard_id, grain, month,
    comparator, target, last_met (latest period met up to the month's end), current_miss_run
    (judged periods missed in a row at the month's end), judged_ever, record_from, met,
    not_met, no_data, not_applicable, longest_miss_run (in the record), value (the month's
    figure: pooled share on time for a daily standard, the published figure otherwise),
    judged, coverage (judged / (judged + no data)), pooled (all on time / all due over the
    record), disagrees (pooled and the met record point opposite ways), change_on_previous
    and change_on_year (value minus the previous period's, and the same period a year
    earlier's; null where either is missing).
    """
    return read_frame(
        "SELECT * FROM met_records WHERE org_slug = $slug ORDER BY service, standard_id, month",
        {"slug": slug},
        con,
    )


# Pages read through a cache keyed by the published warehouse (metrics/cache.py): each
# read runs once per warehouse version and worker, and a publish makes the old results unused.


SERIES_KEY = "CASE WHEN grain = 'day' THEN service_slug ELSE slug(standard_id) END"
"""A standard series' key under its organisation (`/department/<org>/<key>`): a daily standard
covers every service of a source, so its series is named by service; any other by its
standard id, as a slug ('gc:1008' -> 'gc-1008')."""


def search(
    text: str, limit: int = 50, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """Organisations and services whose name contains the text, in every jurisdiction; an
    organisation is found by any name it was published under, or by its code (whole).

    Case-insensitive; the text is a bound parameter matched literally (no wildcards).
    Columns: kind ('organisation' or 'service'), name, standard (wording; null for
    organisations), organisation, org_slug, jurisdiction, series (the service's key under
    `/department/<org_slug>/`; null for organisations), known_as ('formerly <name>' or
    'code <code>': what matched, where the current name did not), total (matches before the
    limit).
    """
    return read_frame(
        f"""WITH named AS (
               SELECT DISTINCT organisation, org_slug, jurisdiction, NULL::VARCHAR AS known_as
               FROM league WHERE contains(lower(organisation), lower($q))
               UNION ALL
               SELECT organisation, org_slug, jurisdiction,
                      CASE WHEN lower(org_code) = lower($q) THEN 'code ' || org_code
                           ELSE 'formerly ' || published_name END
               FROM organisation_names
               WHERE lower(org_code) = lower($q)
                  OR (published_name <> organisation
                      AND contains(lower(published_name), lower($q)))
           ), hits AS (
               SELECT 'organisation' AS kind, organisation AS name, NULL::VARCHAR AS standard,
                      organisation, org_slug, jurisdiction, NULL::VARCHAR AS series,
                      CASE WHEN count(*) FILTER (WHERE known_as IS NULL) = 0
                           THEN min(known_as) END AS known_as
               FROM named GROUP BY organisation, org_slug, jurisdiction
               UNION ALL
               SELECT DISTINCT 'service', service, standard, organisation, org_slug,
                      jurisdiction, {SERIES_KEY}, NULL
               FROM judgements
               WHERE org_level = 'organisation' AND contains(lower(service), lower($q)))
           SELECT *, count(*) OVER () AS total FROM hits
           ORDER BY kind, name, organisation, standard LIMIT $limit""",  # noqa: S608 - a constant
        {"q": text, "limit": limit},
        con,
    )


@cached
def former_names(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """The names and codes an organisation was published under before its current ones,
    oldest first. Columns: published_name, org_code, first_period, last_period, since (the
    first period under the next name, as the catalog's lineage declares it)."""
    return read_frame(
        """SELECT published_name, org_code, first_period, last_period, since
           FROM organisation_names WHERE org_slug = $slug AND since IS NOT NULL
           ORDER BY first_period, published_name""",
        {"slug": slug},
        con,
    )


@cached
def current_slug(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> str | None:
    """The address of the organisation once published under the name `slug` was made from,
    where that name is a former one; None otherwise."""
    frame = read_frame(
        """SELECT DISTINCT org_slug FROM organisation_names
           WHERE published_slug = $slug AND org_slug <> $slug""",
        {"slug": slug},
        con,
    )
    return str(frame["org_slug"][0]) if frame.height == 1 else None


@cached
def yearly_judgements(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Every judged fiscal year of an organisation's yearly standards (each row a published
    standard), newest year first. Columns as `judgements`."""
    return _judged(slug, "fiscal_year", con).sort(
        "period_start", "service", "standard_id", descending=[True, False, False], nulls_last=True
    )


@cached
def other_measures(
    slug: str, period: dt.date | None = None, con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """The organisation's measures that no standard judges, for the period starting on
    `period` (else its latest), case measures in their defined order.

    Columns: service, service_slug, measure_id, measure, period_start, grain, value,
    denominator, unit, direction, target, marker, year_earlier, change_on_year.
    """
    return read_frame(
        """WITH mine AS (
               SELECT * FROM measures m WHERE org_slug = $slug AND org_level = 'organisation'
                 AND unit <> 'rank'
                 AND split_part(measure_id, ':', 1) NOT IN (
                     SELECT measure_id FROM standards
                     WHERE measure_id IS NOT NULL AND source_id = m.source_id)
           )
           SELECT service, service_slug, measure_id, measure, period_start, grain, value,
                  denominator, unit, direction, target, marker, year_earlier, change_on_year
           FROM mine
           WHERE period_start = coalesce($period, (SELECT max(period_start) FROM mine))
           ORDER BY service, coalesce(list_position($order, measure_id), 99), measure_id""",
        {"slug": slug, "period": period, "order": list(CASE_MEASURES)},
        con,
    )


@cached
def take_up(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Digital take-up in the organisation's latest inventory year, one row per service, the
    department's own volume-weighted figure ('All services') first.

    Columns: service, period_start, online, applications, online_share, online_share_marker,
    stages_online, stages, stages_marker.
    """
    return read_frame(
        """WITH mine AS (
               SELECT * FROM measures WHERE org_slug = $slug
                 AND measure_id IN ('online-share', 'online-stages')
           )
           SELECT service, period_start,
                  max(numerator) FILTER (WHERE measure_id = 'online-share') AS online,
                  max(denominator) FILTER (WHERE measure_id = 'online-share') AS applications,
                  max(value) FILTER (WHERE measure_id = 'online-share') AS online_share,
                  max(marker) FILTER (WHERE measure_id = 'online-share') AS online_share_marker,
                  max(numerator) FILTER (WHERE measure_id = 'online-stages') AS stages_online,
                  max(denominator) FILTER (WHERE measure_id = 'online-stages') AS stages,
                  max(marker) FILTER (WHERE measure_id = 'online-stages') AS stages_marker
           FROM mine WHERE period_start = (SELECT max(period_start) FROM mine)
           GROUP BY service, period_start
           ORDER BY service <> 'All services', service""",
        {"slug": slug},
        con,
    )


@cached
def take_up_ranks(slug: str, con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Where the organisation's digital take-up is ranked in its peer groups, its latest
    year's ranks. Columns: peer_group, label, period_start, rank (1 = the highest online
    share; ties share a rank), ranked (members with a figure), tied (members at this rank,
    itself included).
    """
    return read_frame(
        """WITH mine AS (
               SELECT * FROM measures WHERE org_slug = $slug
                 AND split_part(measure_id, ':', 1) = 'online-share-rank'
           )
           SELECT split_part(m.measure_id, ':', 2) AS peer_group, g.label, m.period_start,
                  m.value::BIGINT AS rank, m.denominator AS ranked,
                  (SELECT count(*) FROM measures o WHERE o.source_id = m.source_id
                     AND o.measure_id = m.measure_id AND o.period_start = m.period_start
                     AND o.value = m.value) AS tied
           FROM mine m JOIN peer_groups g ON g.jurisdiction = m.jurisdiction
                AND g.peer_group = split_part(m.measure_id, ':', 2)
           WHERE m.period_start = (SELECT max(period_start) FROM mine)
           ORDER BY g.position""",
        {"slug": slug},
        con,
    )


@cached
def page_index(con: duckdb.DuckDBPyConnection | None = None) -> pl.DataFrame:
    """Every organisation's standard series, for the site map: one row a series.

    Columns: org_slug, series (its URL key under the organisation), last_period (the end of
    its latest judged period).
    """
    return read_frame(
        f"""SELECT org_slug, {SERIES_KEY} AS series, max(period_end) AS last_period
           FROM judgements WHERE org_level = 'organisation'
           GROUP BY ALL ORDER BY org_slug, series""",  # noqa: S608 - a constant
        {},
        con,
    )
