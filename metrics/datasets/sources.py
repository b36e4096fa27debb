"""The `sources` dataset: provenance: every file received, its checksum, when and how many rows
(each source's ledger, `/data/source/<id>`, shows the same)."""

from __future__ import annotations

import duckdb
import polars as pl

from metrics.datasets.base import (
    INT,
    WHERE,
    Dataset,
    Filters,
    Rows,
    S,
    T,
    fields,
)

SQL = """
SELECT s.source_id, s.title, s.jurisdiction, s.publisher, s.licence, s.licence_url,
       s.source_url, l.load_id, l.file_name, l.sha256, l.finished_at AS loaded_at,
       l.rows_read, l.rows_loaded, l.rows_rejected, l.status, l.superseded_by,
       CASE WHEN l.superseded_by IS NULL THEN '[z]' END AS superseded_by_status,
       l.rows_excluded, l.reason, CASE WHEN l.reason IS NULL THEN '[z]' END AS reason_status
FROM sources s JOIN loads l USING (source_id)
WHERE ($source IS NULL OR s.source_id = $source)
ORDER BY s.source_id, l.load_id
"""


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """Provenance: every file loaded, with its checksum and row counts."""
    query = f.bind(SQL)
    frame: pl.DataFrame = con.sql(query.sql, params=query.params).pl()
    return frame


DATASET = Dataset(
    name="sources",
    title="Sources and files loaded",
    description="Provenance: every file loaded, its checksum, when and how many rows.",
    params=("source",),
    fields=fields(
        ("source_id", S, "Catalog entry"), ("title", S, "Dataset title"), WHERE,
        ("publisher", S, "Who publishes it"), ("licence", S, "Licence"),
        ("licence_url", S, "Licence text"), ("source_url", S, "Where it is published"),
        ("load_id", INT, "Load number"), ("file_name", S, "File loaded"),
        ("sha256", S, "SHA-256 of the file"),
        ("loaded_at", T, "When the load finished (UTC)"),
        ("rows_read", INT, "Rows read", "rows"), ("rows_loaded", INT, "Rows loaded", "rows"),
        ("rows_rejected", INT, "Rows quarantined (see rejects)", "rows"),
        ("status", S, "loaded, or superseded by a revised file"),
        ("superseded_by", INT, "The load that replaced this file's rows"),
        ("superseded_by_status", S),
        ("rows_excluded", INT, "Rows left out by the entry's filters", "rows"),
        ("reason", S, "Why a file was rejected whole"), ("reason_status", S),
    ),
    read=read,
    streamed=False,
)  # fmt: skip
