"""A dataset's rows as Arrow batches, written out as CSV, JSON or Parquet.

Streamed datasets are read from DuckDB on a cursor of their own, batch by batch, and each
batch is written and sent before the next is read, so memory stays flat whatever the size.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.api import export
from metrics.datasets import Rows, SqlQuery

# Rows per Arrow batch from DuckDB: at 100,000 a site worker streaming 5M records peaked at
# 332 MB, at 25,000 at 281 MB (benchmarks/bench_export.py, site route).
BATCH_ROWS = 25_000
Writer = Callable[[pa.RecordBatchReader], Iterator[bytes]]
T = TypeVar("T")


def row_count(rows: Rows, con: duckdb.DuckDBPyConnection) -> int:
    """How many rows the view has."""
    if isinstance(rows, SqlQuery):
        return export.row_count(con, rows.sql, rows.params)
    return rows.height


def _window(rows: SqlQuery, offset: int, limit: int | None) -> SqlQuery:
    if limit is None:
        return rows
    # The dataset's own query text, never user input; offset and limit stay bound.
    sql = f"SELECT * FROM ({rows.sql}) AS view_rows LIMIT $_limit OFFSET $_offset"  # noqa: S608
    return SqlQuery(sql, {**rows.params, "_limit": limit, "_offset": offset})


def written(
    rows: Rows,
    con: duckdb.DuckDBPyConnection,
    write: Callable[[pa.RecordBatchReader], Iterator[T]],
    offset: int = 0,
    limit: int | None = None,
) -> Iterator[T]:
    """The bytes `write` makes of the view's rows (from `offset`, at most `limit`)."""
    if not isinstance(rows, SqlQuery):
        table = rows.slice(offset, limit).to_arrow()
        yield from write(pa.RecordBatchReader.from_batches(table.schema, table.to_batches()))
        return
    query = _window(rows, offset, limit)
    cursor = con.cursor()
    try:
        reader = cursor.sql(query.sql, params=query.params).to_arrow_reader(BATCH_ROWS)
        try:
            yield from write(reader)
        finally:
            reader.close()
    finally:
        cursor.close()


def csv_writer(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    """RFC 4180 CSV with BOM, ISO dates and formula-safe text (see `dashboard.api.export`)."""
    return export.csv_batches(reader)


def _plain(column: pa.Array) -> pa.Array:
    """Types every Parquet reader knows: dictionaries decoded, string views as strings."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_string_view(column.type):
        column = column.cast(pa.large_string())
    return column


def _plain_schema(schema: pa.Schema) -> pa.Schema:
    fields = [f.with_type(_plain(pa.array([], type=f.type)).type) for f in schema]
    return pa.schema(fields)


class _Chunks:
    """A write-only file whose writes are collected and handed on as chunks."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered here."""

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def parquet_writer(reader: pa.RecordBatchReader) -> Iterator[bytes]:
    """Parquet, one row group per batch, each sent as soon as it is written."""
    sink = _Chunks()
    schema = _plain_schema(reader.schema)
    with pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema) as writer:
        for batch in reader:
            arrays = [_plain(column) for column in batch.columns]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            yield sink.take()
    yield sink.take()


def _json_value(value: object) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dicts(reader: pa.RecordBatchReader) -> Iterator[dict[str, Any]]:
    for batch in reader:
        yield from batch.to_pylist()


def page_rows(
    rows: Rows, con: duckdb.DuckDBPyConnection, offset: int, limit: int
) -> list[dict[str, Any]]:
    """One JSON page of the view's rows, as dicts (held whole: a page is small)."""
    return list(written(rows, con, _dicts, offset, limit))


def json_bytes(document: dict[str, Any]) -> bytes:
    """UTF-8 JSON, dates as ISO 8601 text."""
    return json.dumps(document, default=_json_value, ensure_ascii=False).encode()
