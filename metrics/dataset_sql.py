"""The SQL of each downloadable dataset; every user value is a bound parameter, never text.

Filters left empty match everything: `$j` (jurisdiction name), `$orgs` (organisation slugs,
an empty list for all), `$service` (service slug), `$standard`, `$month`, `$start`/`$end`
(first days of months), `$source`. A `*_status` column carries the GSS marker for a value
that is missing or qualified: [x] not available, [z] not applicable, [p] provisional, [r] revised,
[u] low reliability.

RECORDS and DAILY have no ORDER BY: `metrics.build` stores `judgements` and `service_days`
sorted by jurisdiction, organisation, service, standard and period, and DuckDB keeps that
order in a scan (preserve_insertion_order), so millions of rows stream without a sort.
"""

from __future__ import annotations

RECORDS = """
SELECT jurisdiction, organisation, service, standard_id, standard, period_start, period_end,
       grain,
       numerator, CASE WHEN numerator IS NULL THEN coalesce(marker, '[x]') END
           AS numerator_status,
       denominator, CASE WHEN denominator IS NULL THEN coalesce(marker, '[x]') END
           AS denominator_status,
       value, coalesce(marker, CASE WHEN value IS NULL THEN '[x]' END) AS value_status,
       target, CASE WHEN target IS NULL THEN '[x]' END AS target_status,
       comparator, status
FROM judgements
WHERE org_level = 'organisation' AND ($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))
  AND ($service IS NULL OR service_slug = $service)
  AND ($standard IS NULL OR standard_id = $standard)
  AND ($start IS NULL OR period_start >= $start)
  AND ($end IS NULL OR period_start <= last_day($end))
"""

DAILY = """
SELECT jurisdiction, organisation, service, standard_id, day, due, on_time, no_target,
       CASE WHEN due > 0 THEN on_time / due END AS share_on_time,
       CASE WHEN due = 0 THEN '[z]' END AS share_on_time_status,
       target_percent::DOUBLE AS target_percent, status
FROM service_days
WHERE ($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))
  AND ($service IS NULL OR service_slug = $service)
  AND ($standard IS NULL OR standard_id = $standard)
  AND ($month IS NULL OR date_trunc('month', day) = $month)
"""

DAYS_MET = """
SELECT jurisdiction, organisation, service, standard_id, month, days_met, days_not_met,
       day(last_day(month)) - days_met - days_not_met - days_not_applicable AS days_no_data,
       days_not_applicable, days_met + days_not_met AS days_judged, due, on_time, no_target
FROM days_met
WHERE ($j IS NULL OR jurisdiction = $j)
  AND (len($orgs::VARCHAR[]) = 0 OR list_contains($orgs::VARCHAR[], org_slug))
  AND ($service IS NULL OR service_slug = $service)
  AND ($standard IS NULL OR standard_id = $standard)
  AND ($month IS NULL OR month = $month)
ORDER BY jurisdiction, organisation, service, standard_id, month
"""

SOURCES = """
SELECT s.source_id, s.title, s.jurisdiction, s.publisher, s.licence, s.licence_url,
       s.source_url, l.load_id, l.file_name, l.sha256, l.finished_at AS loaded_at,
       l.rows_read, l.rows_loaded, l.rows_rejected, l.status, l.superseded_by,
       CASE WHEN l.superseded_by IS NULL THEN '[z]' END AS superseded_by_status
FROM sources s JOIN loads l USING (source_id)
ORDER BY s.source_id, l.load_id
"""

REJECTS = """
SELECT r.source_id, r.load_id, r.file_name, r.row_number, r.column_name, r.value, r.reason
FROM rejects r
WHERE ($source IS NULL OR r.source_id = $source)
ORDER BY r.source_id, r.load_id, r.row_number, r.column_name
"""

STANDARDS_SOURCES = "SELECT source_id FROM sources WHERE $j IS NULL OR jurisdiction = $j"

ORGANISATIONS = "SELECT DISTINCT org_slug FROM league ORDER BY org_slug"

ALL_MONTHS = "SELECT DISTINCT month FROM league ORDER BY month"

STANDARD_IDS = """
SELECT DISTINCT standard_id FROM judgements WHERE org_level = 'organisation' ORDER BY 1
"""

SERVICE_SLUGS = """
SELECT DISTINCT service_slug FROM judgements WHERE org_level = 'organisation' ORDER BY 1
"""

SOURCE_IDS = "SELECT source_id FROM sources ORDER BY source_id"

PUBLISHED_AT = "SELECT value FROM meta WHERE key = 'published_at'"
