"""The `rejects` dataset: rows quarantined at ingest, with the column and the reason."""

from __future__ import annotations

import duckdb

from metrics.datasets.base import (
    INT,
    Dataset,
    Filters,
    Rows,
    S,
    fields,
)

SQL = """
SELECT r.source_id, r.load_id, r.file_name, r.row_number, r.column_name, r.value, r.reason
FROM rejects r
WHERE ($source IS NULL OR r.source_id = $source)
ORDER BY r.source_id, r.load_id, r.row_number, r.column_name
"""


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """Rows quarantined at ingest, and why, to stream."""
    return f.bind(SQL)


DATASET = Dataset(
    name="rejects",
    title="Rows rejected at ingest",
    description="Rows quarantined at ingest, with the column and the reason.",
    params=("source",),
    fields=fields(
        ("source_id", S, "Catalog entry"), ("load_id", INT, "Load number"),
        ("file_name", S, "File"),
        ("row_number", INT, "Line in the file (the header is line 1)"),
        ("column_name", S, "Column at fault"), ("value", S, "The value as read"),
        ("reason", S, "Why it was rejected"),
    ),
    read=read,
    streamed=True,
    sorted=True,
)  # fmt: skip
