"""Compute every measure at ingest time into warehouse tables, so pages read facts only.

This is the one place the days-met definition lives (see the methodology page):
a request is due on the local day its target time falls on; it is on time if it was
closed at or before its target; a day is met if on_time * 100 >= target_percent * due,
compared exactly; a day with nothing due is not applicable and is never judged.
"""

from __future__ import annotations

import duckdb

METRICS_VERSION = "1"
"""Bump when a definition below changes, so the next ingest rebuilds the measures."""

MEASURES = """
CREATE OR REPLACE TEMP MACRO slug(x) AS trim(regexp_replace(lower(x), '[^a-z0-9]+', '-', 'g'), '-');

CREATE OR REPLACE TABLE source_facts AS
SELECT s.source_id, s.jurisdiction,
       coalesce(s.declared_data_as_of,
                max(greatest(c.opened_at, coalesce(c.closed_at, c.opened_at)))) AS data_as_of,
       min(c.opened_at)::DATE AS first_opened, max(c.opened_at)::DATE AS last_opened,
       any_value(l.last_received) AS last_received
FROM sources s LEFT JOIN cases c USING (source_id)
LEFT JOIN (SELECT source_id, max(finished_at) AS last_received FROM loads
           WHERE status = 'loaded' GROUP BY 1) l USING (source_id)
GROUP BY s.source_id, s.jurisdiction, s.declared_data_as_of;

-- The calendar spine: every day from the first month with requests opened to the last,
-- and never past data_as_of, for every service the source has.
CREATE OR REPLACE TEMP TABLE spine AS
SELECT f.source_id, f.jurisdiction, svc.organisation, svc.service, d.day::DATE AS day
FROM source_facts f
JOIN (SELECT DISTINCT source_id, organisation, service FROM cases) svc USING (source_id)
CROSS JOIN LATERAL (
    SELECT unnest(generate_series(date_trunc('month', f.first_opened),
                                  least(last_day(f.last_opened), f.data_as_of::DATE),
                                  INTERVAL 1 DAY)) AS day
) d;

CREATE OR REPLACE TABLE service_days AS
WITH due AS (
    SELECT source_id, organisation, service, due_at::DATE AS day, count(*) AS due,
           count(*) FILTER (WHERE closed_at IS NOT NULL AND closed_at <= due_at) AS on_time
    FROM cases WHERE due_at IS NOT NULL GROUP BY ALL
), no_target AS (
    SELECT source_id, organisation, service, opened_at::DATE AS day, count(*) AS no_target
    FROM cases WHERE due_at IS NULL GROUP BY ALL
)
SELECT sp.source_id, sp.jurisdiction, st.standard_id, st.version AS standard_version,
       sp.organisation, slug(sp.jurisdiction || '-' || sp.organisation) AS org_slug,
       sp.service, slug(sp.service) AS service_slug, sp.day,
       coalesce(due.due, 0)::BIGINT AS due, coalesce(due.on_time, 0)::BIGINT AS on_time,
       coalesce(nt.no_target, 0)::BIGINT AS no_target, st.target_percent,
       CASE WHEN coalesce(due.due, 0) = 0 THEN 'not_applicable'
            WHEN due.on_time * 100 >= st.target_percent * due.due THEN 'met'
            ELSE 'not_met' END AS status
FROM spine sp
JOIN standards st ON st.source_id = sp.source_id AND st.valid_from <= sp.day
     AND (st.valid_to IS NULL OR sp.day <= st.valid_to)
LEFT JOIN due ON due.source_id = sp.source_id AND due.organisation = sp.organisation
     AND due.service = sp.service AND due.day = sp.day
LEFT JOIN no_target nt ON nt.source_id = sp.source_id AND nt.organisation = sp.organisation
     AND nt.service = sp.service AND nt.day = sp.day;

CREATE OR REPLACE TABLE days_met AS
SELECT source_id, jurisdiction, standard_id, organisation, org_slug, service, service_slug,
       date_trunc('month', day)::DATE AS month,
       count(*) FILTER (WHERE status = 'met') AS days_met,
       count(*) FILTER (WHERE status = 'not_met') AS days_not_met,
       count(*) FILTER (WHERE status = 'not_applicable') AS days_not_applicable,
       sum(due)::BIGINT AS due, sum(on_time)::BIGINT AS on_time,
       sum(no_target)::BIGINT AS no_target
FROM service_days GROUP BY ALL;

CREATE OR REPLACE TABLE league AS
WITH pooled AS (
    SELECT jurisdiction, month, organisation, org_slug,
           sum(days_met)::BIGINT AS service_days_met,
           sum(days_met + days_not_met)::BIGINT AS service_days_judged
    FROM days_met GROUP BY ALL
)
SELECT *, CASE WHEN service_days_judged > 0
               THEN service_days_met / service_days_judged END AS share_met,
       CASE WHEN service_days_judged > 0
            THEN rank() OVER (PARTITION BY jurisdiction, month, service_days_judged > 0
                              ORDER BY service_days_met / service_days_judged DESC) END AS rank
FROM pooled;
"""


def build_measures(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every measure table from the loaded cases and the catalog's standards."""
    con.execute(MEASURES)
