"""The `observations` dataset: the agency's own row behind each monthly or yearly verdict,
with the file, line and checksum it was read from, and any earlier figure a revision replaced."""

from __future__ import annotations

import duckdb

from metrics.datasets import base as b

# A verdict keeps the load, line and measure of the row it was judged on (metrics/build.py);
# a revised file's earlier figures for the same organisation, measure and period are kept in
# `replaced_observations` by ingest.
SQL = f"""
WITH j AS (
    SELECT jurisdiction, organisation, service, standard_id, grain, period_start, period_end,
           status, source_id, load_id, row_number, measure_id
    FROM judgements
    WHERE load_id IS NOT NULL AND org_level = 'organisation' AND {b.IN_VIEW}
      AND ($standard IS NULL OR standard_id = $standard)
      AND ($start IS NULL OR period_start >= $start)
      AND ($end IS NULL OR period_start <= last_day($end))
), now_and_before AS (
    SELECT j.*, 'current' AS figure, o.org_code, o.numerator, o.denominator, o.value, o.marker,
           o.load_id AS file_load, o.row_number AS file_row, NULL::BIGINT AS replaced_by
    FROM j JOIN observations o ON o.load_id = j.load_id AND o.row_number = j.row_number
         AND o.measure_id = j.measure_id
    UNION ALL
    SELECT j.*, 'replaced', r.org_code, r.numerator, r.denominator, r.value, r.marker,
           r.load_id, r.row_number, r.replaced_by
    FROM j JOIN observations o ON o.load_id = j.load_id AND o.row_number = j.row_number
         AND o.measure_id = j.measure_id
    JOIN replaced_observations r ON r.source_id = o.source_id AND r.org_code = o.org_code
         AND r.org_level = o.org_level AND r.measure_id = o.measure_id
         AND r.period_start = o.period_start AND r.service = o.service
         AND r.row_standard_id IS NOT DISTINCT FROM o.row_standard_id
)
SELECT x.jurisdiction, x.organisation, x.org_code, x.service, x.standard_id, x.measure_id,
       x.grain, x.period_start, x.period_end, x.status, x.figure, x.numerator,
       x.denominator, x.value, coalesce(x.marker, CASE WHEN x.value IS NULL THEN '[x]' END)
           AS value_status,
       x.source_id, l.file_name, x.file_row AS row_number, l.sha256,
       l.finished_at AS received_at, f.url AS file_url,
       CASE WHEN f.url IS NULL THEN '[x]' END AS file_url_status, r.file_name AS replaced_by,
       CASE WHEN x.replaced_by IS NULL THEN '[z]' END AS replaced_by_status
FROM now_and_before x JOIN loads l ON l.load_id = x.file_load
LEFT JOIN source_files f ON f.source_id = l.source_id AND f.file_name = l.file_name
LEFT JOIN loads r ON r.load_id = x.replaced_by
ORDER BY x.jurisdiction, x.organisation, x.service, x.standard_id, x.period_start, x.figure,
         x.file_load
"""  # noqa: S608 - IN_VIEW is a constant


def read(f: b.Filters, con: duckdb.DuckDBPyConnection) -> b.Rows:
    """The published row behind each judged period of the view, to stream."""
    return f.bind(SQL)


DATASET = b.Dataset(
    name="observations",
    title="The published row behind each verdict",
    description=(
        "For each monthly or yearly verdict: the figures as the agency published them, the "
        "file, line and SHA-256 they were read from and the file's public address; where a "
        "revised file replaced them, the earlier figures too (figure = replaced)."
    ),
    params=("jurisdiction", "organisation", "standard", "from", "to"),
    fields=b.fields(
        b.WHERE, b.ORG, ("org_code", b.S, "The organisation's code in the file"), b.SERVICE, b.STD,
        ("measure_id", b.S, "The catalog's measure the standard judges"),
        ("grain", b.S, "month or fiscal_year"),
        ("period_start", b.D, "First day of the period"),
        ("period_end", b.D, "Last day of the period"),
        ("status", b.S, "The verdict: met, not_met, no_data or not_applicable"),
        ("figure", b.S, "current (the row judged) or replaced (an earlier file's row)"),
        ("numerator", b.INT, "As published: cases within the standard", "cases"),
        ("denominator", b.INT, "As published: cases judged", "cases"),
        ("value", b.N, "As published: the figure (a share 0-1, seconds or a count)"),
        ("value_status", b.S),
        ("source_id", b.S, "Catalog entry"), ("file_name", b.S, "The published file"),
        ("row_number", b.INT, "Line in that file (the header is line 1)"),
        ("sha256", b.S, "SHA-256 of that file"),
        ("received_at", b.T, "When the file was loaded (UTC)"),
        ("file_url", b.S, "Where the file is published"), ("file_url_status", b.S),
        ("replaced_by", b.S, "The file whose figures replaced these"), ("replaced_by_status", b.S),
    ),
    read=read,
    streamed=True,
    sorted=True,
)  # fmt: skip
