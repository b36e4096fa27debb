"""Compute every measure at ingest time into warehouse tables, so pages read facts only.

This is the one place the days-met definition lives (see the methodology page):
a request is due on the local day its target time falls on; it is on time if it was
closed at or before its target; a day is met if on_time * 100 >= target_percent * due,
compared exactly; a day with nothing due is not applicable and is never judged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb

from metrics.case_facts import build_case_facts
from metrics.league import band_league
from metrics.lineage import build_organisation_names, name_observations
from metrics.measures import add_league_volumes, add_take_up_ranks, build_measures_table
from metrics.peer_groups import build_peer_groups
from metrics.series import build_series
from metrics.trend import add_league_trends, build_group_trends

# The modules that only read what is built; every other module of metrics/ can change a
# stored figure, so its text is part of the version.
READ_SIDE = {
    "cache.py",
    "compare.py",
    "queries.py",
    "reader.py",
    "standard_series.py",
    "working.py",
}


HERE = Path(__file__).resolve().parent


def definitions_hash(folder: Path = HERE) -> str:
    """A hash of every module that defines a stored measure (its SQL, code and wording)."""
    digest = hashlib.sha256()
    for module in sorted(folder.glob("*.py")):
        if module.name not in READ_SIDE:
            digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


METRICS_VERSION = definitions_hash()
"""Derived, never bumped by hand: a changed definition makes the next ingest rebuild."""

MEASURES = """
CREATE OR REPLACE MACRO slug(x) AS trim(regexp_replace(lower(x), '[^a-z0-9]+', '-', 'g'), '-');

-- The calendar spine: every day from the first month with requests opened to the last,
-- and never past data_as_of, for every service the source has.
CREATE OR REPLACE TEMP TABLE spine AS
WITH svc AS MATERIALIZED (  -- slugs once per service, not once per day: the regex costs
    SELECT s.source_id, s.organisation, s.service,
           slug(f.jurisdiction || '-' || s.organisation) AS org_slug,
           slug(s.service) AS service_slug
    FROM (SELECT source_id, organisation, service FROM case_due_days
          UNION SELECT source_id, organisation, service FROM case_no_target_days) s
    JOIN source_facts f USING (source_id)
)
SELECT f.source_id, f.jurisdiction, svc.organisation, svc.service, svc.org_slug,
       svc.service_slug, d.day::DATE AS day
FROM source_facts f JOIN svc USING (source_id)
CROSS JOIN LATERAL (
    SELECT unnest(generate_series(date_trunc('month', f.first_opened),
                                  least(last_day(f.last_opened), f.data_as_of::DATE),
                                  INTERVAL 1 DAY)) AS day
) d;

CREATE OR REPLACE TABLE service_days AS
SELECT sp.source_id, sp.jurisdiction, st.standard_id, st.version AS standard_version,
       sp.organisation, sp.org_slug, sp.service, sp.service_slug, sp.day,
       coalesce(due.due, 0)::BIGINT AS due, coalesce(due.on_time, 0)::BIGINT AS on_time,
       coalesce(nt.no_target, 0)::BIGINT AS no_target, st.target_percent,
       CASE WHEN coalesce(due.due, 0) = 0 THEN 'not_applicable'
            WHEN due.on_time * 100 >= st.target_percent * due.due THEN 'met'
            ELSE 'not_met' END AS status
FROM spine sp
JOIN standards st ON st.source_id = sp.source_id AND st.valid_from <= sp.day
     AND (st.valid_to IS NULL OR sp.day <= st.valid_to)
LEFT JOIN case_due_days due ON due.source_id = sp.source_id
     AND due.organisation = sp.organisation
     AND due.service = sp.service AND due.day = sp.day
LEFT JOIN case_no_target_days nt ON nt.source_id = sp.source_id
     AND nt.organisation = sp.organisation
     AND nt.service = sp.service AND nt.day = sp.day
-- Stored in the order downloads stream them, so a download need not sort millions of rows.
ORDER BY sp.jurisdiction, sp.organisation, sp.service, st.standard_id, sp.day;

CREATE OR REPLACE TABLE days_met AS
SELECT source_id, jurisdiction, standard_id, organisation, org_slug, service, service_slug,
       date_trunc('month', day)::DATE AS month,
       count(*) FILTER (WHERE status = 'met') AS days_met,
       count(*) FILTER (WHERE status = 'not_met') AS days_not_met,
       count(*) FILTER (WHERE status = 'not_applicable') AS days_not_applicable,
       sum(due)::BIGINT AS due, sum(on_time)::BIGINT AS on_time,
       sum(no_target)::BIGINT AS no_target
FROM service_days GROUP BY ALL;

-- Every judged standard-period, daily or monthly, in one shape: the `records` dataset.
CREATE OR REPLACE TABLE judgements AS
SELECT d.source_id, d.jurisdiction, d.organisation, d.org_slug, 'organisation' AS org_level,
       d.service, d.service_slug, d.standard_id, d.standard_version, st.wording AS standard,
       d.day AS period_start, d.day AS period_end, 'day' AS grain,
       d.on_time AS numerator, d.due AS denominator,
       CASE WHEN d.due > 0 THEN d.on_time / d.due END AS value,
       st.comparator, d.target_percent::DOUBLE / 100 AS target, 'share' AS unit,
       CASE WHEN d.due = 0 THEN '[z]' END AS marker, d.status, st.set_by,
       -- the published row an aggregate verdict was judged on (a day's rows are its cases)
       NULL::BIGINT AS load_id, NULL::BIGINT AS row_number, NULL::VARCHAR AS measure_id
FROM service_days d
JOIN standards st ON st.standard_id = d.standard_id AND st.version = d.standard_version
UNION ALL
SELECT o.source_id, s.jurisdiction, o.organisation,
       slug(s.jurisdiction || '-' || o.organisation), o.org_level, o.service, slug(o.service),
       CASE WHEN st.target_from_row THEN st.standard_id || ':' || o.row_standard_id
            ELSE st.standard_id END,
       st.version, coalesce(o.row_standard, st.wording), o.period_start, o.period_end, o.grain,
       o.numerator, o.denominator, o.value, st.comparator,
       coalesce(st.target_percent::DOUBLE / 100, st.target_value::DOUBLE,
                o.row_target::DOUBLE), o.unit, o.marker,
       CASE WHEN o.marker = '[z]' THEN 'not_applicable'
            WHEN o.value IS NULL THEN 'no_data'
            WHEN st.target_from_row THEN
                 CASE WHEN o.row_target IS NULL THEN 'no_data'
                      WHEN o.value::DECIMAL(9, 4) >= o.row_target THEN 'met'
                      ELSE 'not_met' END
            WHEN st.target_percent IS NOT NULL THEN
                 CASE WHEN o.numerator * 100 >= st.target_percent * o.denominator
                      THEN 'met' ELSE 'not_met' END
            WHEN st.comparator = '<=' THEN
                 CASE WHEN o.value <= st.target_value THEN 'met' ELSE 'not_met' END
            ELSE CASE WHEN o.value >= st.target_value THEN 'met' ELSE 'not_met' END
       END, st.set_by, o.load_id, o.row_number, o.measure_id
-- named: a renamed organisation's rows under its current name (metrics/lineage.py)
FROM named_observations o JOIN sources s USING (source_id)
JOIN standards st ON st.source_id = o.source_id AND st.measure_id = o.measure_id
     AND st.valid_from <= o.period_start
     AND (st.valid_to IS NULL OR o.period_start <= st.valid_to)
WHERE s.reconciles_with IS NULL
ORDER BY jurisdiction, organisation, service, standard_id, period_start;

-- A source that re-publishes another's figures (a workbook beside a CSV) is checked
-- against it, figure by figure; any row here with differs = true is a discrepancy.
CREATE OR REPLACE TABLE reconciliation AS
SELECT s.source_id, s.reconciles_with, o.org_code, o.measure_id, o.period_start,
       o.numerator, o.denominator, b.numerator AS base_numerator,
       b.denominator AS base_denominator,
       b.source_id IS NULL OR o.numerator IS DISTINCT FROM b.numerator
           OR o.denominator IS DISTINCT FROM b.denominator
           OR o.value IS DISTINCT FROM b.value AS differs
FROM observations o JOIN sources s USING (source_id)
LEFT JOIN observations b ON b.source_id = s.reconciles_with AND b.org_level = o.org_level
     AND (b.org_code = o.org_code OR o.org_level = 'total')
     AND b.measure_id = o.measure_id AND b.period_start = o.period_start
WHERE s.reconciles_with IS NOT NULL;

-- League windows: a month of days for daily standards; the 12 months to a month for
-- monthly ones (one judgement a month would make a month's league all-or-nothing).
CREATE OR REPLACE TABLE league AS
WITH latest AS (
    SELECT jurisdiction, max(period_start) AS last_period FROM judgements GROUP BY 1
), windowed AS (
    SELECT j.*, date_trunc('month', j.period_start)::DATE AS month FROM judgements j
    WHERE j.grain IN ('day', 'fiscal_year')
    UNION ALL
    SELECT j.*, (j.period_start + INTERVAL (k) MONTH)::DATE AS month
    FROM judgements j JOIN latest l USING (jurisdiction), range(0, 12) AS r(k)
    WHERE j.grain = 'month' AND j.period_start + INTERVAL (k) MONTH <= l.last_period
), pooled AS (
    -- One row per organisation and catalog standard (a Canadian row's own standard id,
    -- 'gc:1008', pools under its catalog standard 'gc'). Performance is volume-weighted:
    -- all within the standard / all judged, over the window; a measure published without
    -- its counts (a mean time, a published share) is the mean of its judged figures.
    SELECT jurisdiction, month, any_value(grain) AS grain,
           split_part(standard_id, ':', 1) AS standard_id, organisation, org_slug,
           count(*) FILTER (WHERE status = 'met') AS periods_met,
           count(*) FILTER (WHERE status IN ('met', 'not_met')) AS periods_judged,
           count(*) FILTER (WHERE status = 'no_data') AS periods_no_data,
           count(*) FILTER (WHERE status IN ('met', 'not_met') AND unit = 'share'
                            AND (numerator IS NULL OR denominator IS NULL)) AS uncounted,
           sum(numerator) FILTER (WHERE status IN ('met', 'not_met'))::BIGINT AS num,
           sum(denominator) FILTER (WHERE status IN ('met', 'not_met'))::BIGINT AS den,
           avg(value) FILTER (WHERE status IN ('met', 'not_met')) AS mean_value,
           any_value(unit) AS unit, any_value(comparator) AS comparator
    FROM windowed WHERE org_level = 'organisation' GROUP BY ALL
), per_standard AS (
    SELECT jurisdiction, month, grain, standard_id, organisation, org_slug, periods_met,
           periods_judged, periods_no_data,
           CASE WHEN unit = 'share' AND uncounted = 0 AND den > 0 THEN num END
               AS performance_numerator,
           CASE WHEN unit = 'share' AND uncounted = 0 AND den > 0 THEN den END
               AS performance_denominator,
           CASE WHEN unit = 'share' AND uncounted = 0 AND den > 0 THEN num / den
                ELSE mean_value END AS performance,
           unit AS performance_unit, comparator
    FROM pooled
), several AS (
    SELECT jurisdiction FROM per_standard GROUP BY 1 HAVING count(DISTINCT standard_id) > 1
), every_standard AS (
    -- Where an area has several standards, 'all' pools their periods-met record; a
    -- performance across different measures would mean nothing, so it has none.
    SELECT jurisdiction, month, any_value(grain), 'all', organisation, org_slug,
           sum(periods_met)::BIGINT, sum(periods_judged)::BIGINT, sum(periods_no_data)::BIGINT,
           NULL::BIGINT, NULL::BIGINT, NULL::DOUBLE, NULL, NULL
    FROM per_standard JOIN several USING (jurisdiction) GROUP BY jurisdiction, month,
         organisation, org_slug
), rows AS (
    SELECT * FROM per_standard UNION ALL SELECT * FROM every_standard
)
SELECT *, periods_met AS service_days_met, periods_judged AS service_days_judged,
       CASE WHEN periods_judged > 0 THEN periods_met / periods_judged END AS share_met,
       NULL::BIGINT AS rank
FROM rows;
"""


def build_measures(
    con: duckdb.DuckDBPyConnection, min_judged: int = 10, since: dt.date | None = None
) -> dt.date:
    """Recompute every measure table from the loaded cases and the catalog's standards.

    `since`: the earliest month opened of the requests a run added or replaced; the case
    facts of the periods before it are kept from the snapshot (metrics/case_facts.py), every
    table built from them is rebuilt. None rebuilds them all. Returns the first period whose
    case facts were recomputed.

    Organisations with fewer than `min_judged` judged periods in a league window are marked
    low reliability [u] and left out of funnel bands and ranks.
    """
    # One transaction: every table is replaced together, with one commit rather than one each.
    con.execute("BEGIN TRANSACTION")
    try:
        name_observations(con)
        start = build_case_facts(con, since)
        con.execute(MEASURES)
        build_measures_table(con)
        add_league_volumes(con)
        build_organisation_names(con)
        build_peer_groups(con)
        add_take_up_ranks(con)
        band_league(con, min_judged)
        add_league_trends(con)
        build_group_trends(con)
        build_series(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return start
