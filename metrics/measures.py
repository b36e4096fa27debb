"""Every measure in one long shape, the `measures` table: computed at ingest, never in a page.

One row per organisation, service, measure and period, with its value, numerator,
denominator, unit, which way is better, any target it is read against, and a GSS status
marker. Case-level sources give five measures per service and month:

- `requests-received`: requests opened in the month;
- `backlog-past-target`: requests open past their target at the month's end, that is,
  due before the first moment of the next month and not closed by then;
- `backlog-median-days-overdue`: the median, over that backlog, of days from target to
  the month's end;
- `resolve-median-days`, `resolve-p90-days`: the median and 90th centile (linear
  interpolation between ranks, as Excel's PERCENTILE.INC) of days from open to close of the
  requests closed in the month, read against the median target time of those with one.

A service inventory with volumes named `applications` and `applications-online` gives
digital take-up: `online-share`, online applications / all applications, per service and,
volume-weighted, for the department ('All services'); a service with no online channel
(online applications marked not applicable) has none online. With `stages`, it gives
`online-stages`: the stages offered online / the stages that apply (Y or N, not NA).

A month the data ends inside (its end after data_as_of) is measured at data_as_of and
marked provisional [p]. Aggregate sources give every measure their entry declares; a service
inventory gives each service's declared volumes. Each figure carries the same measure's
figure a year earlier, where the warehouse holds one, and the change on it.

Each league row then gets its volume (`add_league_volumes`): the count its standard's measure
names as its volume in the catalog (attendances, incidents by category, applications; the
requests received for a case-level source), summed over the league window.
"""

from __future__ import annotations

import duckdb

CASE_MEASURES: dict[str, tuple[str, str, str]] = {
    "requests-received": ("Requests received", "count", "neither"),
    "backlog-past-target": ("Open past target at month end", "count", "lower"),
    "backlog-median-days-overdue": ("Median days overdue", "days", "lower"),
    "resolve-median-days": ("Median days to close", "days", "lower"),
    "resolve-p90-days": ("90th centile days to close", "days", "lower"),
}
"""Measure id: (label, unit, which way is better), for every case-level source."""

SQL = """
-- Each service's months (case_facts.py made case_months) with their case facts; a month
-- with none of a kind has zero of it.
CREATE OR REPLACE TEMP TABLE case_measures AS
SELECT m.*, coalesce(r.received, 0) AS received, coalesce(b.past_target, 0) AS past_target,
       b.median_overdue, coalesce(z.closed, 0) AS closed, z.resolve_median, z.resolve_p90,
       z.target_days
FROM case_months m
LEFT JOIN case_received r USING (source_id, organisation, service, month)
LEFT JOIN case_resolved z USING (source_id, organisation, service, month)
LEFT JOIN case_backlog b USING (source_id, organisation, service, month);

-- Digital take-up: each service's applications and online applications; an online channel
-- not applicable ([z]) means none were made online.
CREATE OR REPLACE TEMP TABLE take_up AS
SELECT source_id, organisation, service, service_id, period_start, total, total_marker,
       CASE WHEN online IS NOT NULL THEN online WHEN online_marker = '[z]' THEN 0 END
           AS online, online_marker
FROM (
    SELECT v.source_id, sv.organisation, sv.service, v.service_id, v.period_start,
           max(v.volume) FILTER (WHERE v.volume_id = 'applications') AS total,
           max(v.marker) FILTER (WHERE v.volume_id = 'applications') AS total_marker,
           max(v.volume) FILTER (WHERE v.volume_id = 'applications-online') AS online,
           max(v.marker) FILTER (WHERE v.volume_id = 'applications-online') AS online_marker
    FROM service_volumes v JOIN services sv USING (source_id, period_start, service_id)
    WHERE v.volume_id IN ('applications', 'applications-online')
      AND sv.organisation IS NOT NULL
    GROUP BY ALL
    HAVING count(*) FILTER (WHERE v.volume_id = 'applications-online') > 0
);

CREATE OR REPLACE TEMP TABLE take_up_rows AS
SELECT source_id, organisation, service, period_start, 'online-share' AS measure_id,
       'Online share of applications' AS measure, online AS numerator, total AS denominator,
       CASE WHEN total > 0 THEN online / total END AS value,
       CASE WHEN total IS NULL THEN coalesce(total_marker, '[x]') WHEN total = 0 THEN '[z]'
            WHEN online IS NULL THEN coalesce(online_marker, '[x]') END AS marker
FROM take_up
UNION ALL
-- The department's take-up weighted by volume: over the services with both figures.
SELECT source_id, organisation, 'All services', period_start, 'online-share',
       'Online share of applications', sum(online), sum(total),
       sum(online) / nullif(sum(total), 0),
       CASE WHEN coalesce(sum(total), 0) = 0 THEN '[z]' END
FROM take_up WHERE total > 0 AND online IS NOT NULL OR total = 0
GROUP BY ALL
UNION ALL
SELECT st.source_id, sv.organisation, sv.service, st.period_start, 'online-stages',
       'Stages offered online', count(*) FILTER (WHERE st.online), count(st.online),
       count(*) FILTER (WHERE st.online) / nullif(count(st.online), 0),
       CASE WHEN count(st.online) = 0 THEN '[z]' END
FROM service_stages st JOIN services sv USING (source_id, period_start, service_id)
WHERE sv.organisation IS NOT NULL
GROUP BY st.source_id, sv.organisation, sv.service, st.service_id, st.period_start;

CREATE OR REPLACE TEMP TABLE measure_rows AS
WITH cased AS (
    SELECT c.source_id, c.jurisdiction, c.organisation, 'organisation' AS org_level,
           c.service, k.measure_id, c.month AS period_start, last_day(c.month) AS period_end,
           'month' AS grain,
           CASE k.measure_id WHEN 'requests-received' THEN c.received
                WHEN 'backlog-past-target' THEN c.past_target
                WHEN 'backlog-median-days-overdue' THEN c.median_overdue
                WHEN 'resolve-median-days' THEN c.resolve_median
                ELSE c.resolve_p90 END::DOUBLE AS value,
           NULL::BIGINT AS numerator,
           CASE WHEN k.measure_id = 'backlog-median-days-overdue' THEN c.past_target
                WHEN k.measure_id LIKE 'resolve-%' THEN c.closed END::BIGINT AS denominator,
           CASE WHEN k.measure_id LIKE 'resolve-%' THEN c.target_days END AS target,
           c.partial
    FROM case_measures c CROSS JOIN case_measure_kinds k
)
SELECT c.* EXCLUDE (partial), k.measure, k.unit, k.direction,
       CASE WHEN c.value IS NULL THEN '[z]' WHEN c.partial THEN '[p]' END AS marker
FROM cased c JOIN case_measure_kinds k USING (measure_id)
UNION ALL BY NAME
-- Aggregate files: every declared measure, judged or not; a row that is itself a standard
-- is one measure of its own (as in judgements: 'share-meeting-standard:1008').
SELECT o.source_id, s.jurisdiction, o.organisation, o.org_level, o.service,
       o.measure_id || coalesce(':' || o.row_standard_id, '') AS measure_id, o.period_start,
       o.period_end, o.grain, o.value, o.numerator, o.denominator, NULL::DOUBLE AS target,
       k.measure, o.unit, k.direction, o.marker
FROM named_observations o JOIN sources s USING (source_id)
JOIN measure_catalog k USING (source_id, measure_id)
WHERE s.reconciles_with IS NULL
UNION ALL BY NAME
-- A service inventory's declared volumes (applications, enquiries, visits) per service.
SELECT v.source_id, s.jurisdiction, sv.organisation, 'organisation' AS org_level,
       sv.service, v.volume_id AS measure_id, v.period_start,
       (v.period_start + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE AS period_end,
       'fiscal_year' AS grain, v.volume::DOUBLE AS value, NULL::BIGINT AS numerator,
       NULL::BIGINT AS denominator, NULL::DOUBLE AS target,
       upper(left(v.volume_id, 1)) || replace(v.volume_id[2:], '-', ' ') AS measure,
       'count' AS unit,
       'neither' AS direction, v.marker
FROM service_volumes v JOIN sources s USING (source_id)
JOIN services sv USING (source_id, period_start, service_id)
WHERE sv.organisation IS NOT NULL
UNION ALL BY NAME
SELECT t.source_id, s.jurisdiction, t.organisation, 'organisation' AS org_level, t.service,
       t.measure_id, t.period_start,
       (t.period_start + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE AS period_end,
       'fiscal_year' AS grain, t.value::DOUBLE AS value, t.numerator::BIGINT AS numerator,
       t.denominator::BIGINT AS denominator, NULL::DOUBLE AS target, t.measure,
       'share' AS unit, 'higher' AS direction, t.marker
FROM take_up_rows t JOIN sources s USING (source_id);

CREATE OR REPLACE TABLE measures AS
SELECT m.source_id, m.jurisdiction, m.organisation,
       slug(m.jurisdiction || '-' || m.organisation) AS org_slug, m.org_level, m.service,
       slug(m.service) AS service_slug, m.measure_id, m.measure, m.period_start, m.period_end,
       m.grain, m.value, m.numerator, m.denominator, m.unit, m.direction, m.target, m.marker,
       y.value AS year_earlier, m.value - y.value AS change_on_year
FROM measure_rows m
LEFT JOIN measure_rows y ON y.source_id = m.source_id AND y.organisation = m.organisation
     AND y.org_level = m.org_level AND y.service = m.service
     AND y.measure_id = m.measure_id
     AND y.period_start = (m.period_start - INTERVAL 1 YEAR)::DATE
ORDER BY m.jurisdiction, m.organisation, m.service, m.measure_id, m.period_start;
"""


LEAGUE_VOLUMES = """
-- Each standard's volume: the count its measure names; a case-level source's requests received.
CREATE OR REPLACE TABLE standard_volumes AS
SELECT DISTINCT s.jurisdiction, st.standard_id, st.source_id,
       coalesce(k.volume_id, CASE WHEN s.kind = 'cases' THEN 'requests-received' END)
           AS volume_id
FROM standards st JOIN sources s USING (source_id)
LEFT JOIN measure_catalog k ON k.source_id = st.source_id AND k.measure_id = st.measure_id
WHERE s.reconciles_with IS NULL;

-- 'all' pools an area's standards: it has a volume only where they all share one.
INSERT INTO standard_volumes
SELECT jurisdiction, 'all', any_value(source_id), any_value(volume_id) FROM standard_volumes
GROUP BY jurisdiction
HAVING count(DISTINCT standard_id) > 1 AND count(DISTINCT volume_id) = 1
   AND count(volume_id) = count(*) AND count(DISTINCT source_id) = 1;

-- Summed over the league window's periods (the month of a daily league, the 12 months to
-- the month of a monthly one, the fiscal year) and every service of the organisation; a
-- year earlier only where every period summed has its figure a year before.
CREATE OR REPLACE TEMP TABLE league_volumes AS
SELECT l.jurisdiction, l.month, l.standard_id, l.organisation,
       any_value(m.measure) AS volume_measure, sum(m.value)::BIGINT AS volume,
       CASE WHEN count(m.year_earlier) = count(*) THEN sum(m.year_earlier) END::BIGINT
           AS volume_year_earlier
FROM (SELECT DISTINCT jurisdiction, month, grain, standard_id, organisation FROM league) l
JOIN standard_volumes v USING (jurisdiction, standard_id)
JOIN measures m ON m.source_id = v.source_id AND m.measure_id = v.volume_id
     AND m.organisation = l.organisation AND m.org_level = 'organisation'
     AND m.value IS NOT NULL AND m.period_start <= l.month
     AND m.period_start > l.month - INTERVAL (CASE WHEN l.grain = 'month' THEN 12 ELSE 1 END)
                                    MONTH
GROUP BY ALL;

CREATE OR REPLACE TABLE league AS
SELECT l.*, v.volume_measure, v.volume, v.volume_year_earlier,
       v.volume - v.volume_year_earlier AS volume_change_year
FROM league l
LEFT JOIN league_volumes v USING (jurisdiction, month, standard_id, organisation);
"""


def add_league_volumes(con: duckdb.DuckDBPyConnection) -> None:
    """Give every league row its volume over the window, and the same a year earlier."""
    con.execute(LEAGUE_VOLUMES)


TAKE_UP_RANKS = """
-- Digital take-up ranked within each peer group: a department's volume-weighted online share
-- ('All services') in a fiscal year among the group's members (in any league window: an
-- inventory may run a year past the standards) with one that year, highest first, ties
-- sharing a rank; the rank is the value, the number ranked its denominator.
INSERT INTO measures
WITH members AS (
    SELECT DISTINCT jurisdiction, peer_group, org_slug FROM peer_group_members
), shares AS (
    SELECT m.*, g.peer_group, g.label FROM measures m
    JOIN members p ON p.jurisdiction = m.jurisdiction AND p.org_slug = m.org_slug
    JOIN peer_groups g ON g.jurisdiction = p.jurisdiction AND g.peer_group = p.peer_group
    WHERE m.measure_id = 'online-share' AND m.service = 'All services' AND m.value IS NOT NULL
      AND m.org_level = 'organisation'
)
SELECT source_id, jurisdiction, organisation, org_slug, org_level, service, service_slug,
       'online-share-rank:' || peer_group,
       'Rank for applications made online, among ' || label, period_start, period_end, grain,
       rank() OVER (PARTITION BY source_id, peer_group, period_start ORDER BY value DESC)
           ::DOUBLE,
       NULL, count(*) OVER (PARTITION BY source_id, peer_group, period_start), 'rank', 'lower',
       NULL, NULL, NULL, NULL
FROM shares;
"""


def add_take_up_ranks(con: duckdb.DuckDBPyConnection) -> None:
    """Rank each department's digital take-up among its peer group (after the groups)."""
    con.execute(TAKE_UP_RANKS)


def build_measures_table(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the `measures` table from the cases, observations and inventories loaded."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE case_measure_kinds "
        "(measure_id VARCHAR, measure VARCHAR, unit VARCHAR, direction VARCHAR)"
    )
    con.executemany(
        "INSERT INTO case_measure_kinds VALUES (?, ?, ?, ?)",
        [[key, *about] for key, about in CASE_MEASURES.items()],
    )
    con.execute(SQL)
