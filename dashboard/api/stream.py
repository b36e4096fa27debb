"""The one path every download takes: a dataset's rows as Arrow batches, handed to a writer.

Streamed datasets are read from DuckDB on a cursor of their own, batch by batch, and each
batch is written and sent before the next is read, so memory stays flat whatever the size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from metrics.datasets import Rows, SqlQuery

# Rows per Arrow batch from DuckDB: at 100,000 a site worker streaming 5M records peaked at
# 332 MB, at 25,000 at 281 MB (benchmarks/bench_export.py, site route); since then the worker
# grew, and 8,192 (four DuckDB vectors) keeps ~10 MB less in flight than 25,000 at the same
# CPU time (5M records written in one process: 298 against 312 MB peak, 4.0 s either way).
BATCH_ROWS = 8_192
# What DuckDB may compute ahead of the reader on a streamed result. Its default (10 MiB) is
# filled as soon as the query starts and held for the whole download; 1 MiB (about one
# batch) kept 12 MB less at the same speed (5M records read as Arrow in one process: 274
# against 286 MB peak, 0.7 s against 1.0 s). Set on each download's own cursor: it is a
# connection's setting, not the instance's.
STREAM_BUFFER = "1MB"
T = TypeVar("T")


def row_count(rows: Rows, con: duckdb.DuckDBPyConnection) -> int:
    """How many rows the view has, so a route can say so before streaming."""
    if not isinstance(rows, SqlQuery):
        return rows.height
    # The dataset's own query text, never user input; the user's values stay bound.
    counted = f"SELECT count(*) FROM ({rows.sql.strip().rstrip(';')}) AS view_rows"  # noqa: S608
    return int(con.sql(counted, params=rows.params).fetchall()[0][0])


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
    batch_rows: int = BATCH_ROWS,
) -> Iterator[T]:
    """What `write` makes of the view's rows (from `offset`, at most `limit`).

    An open Arrow reader owns its connection until read out, so it gets a cursor of its own,
    closed however the download ends (finished, failed or the client went away).
    """
    if not isinstance(rows, SqlQuery):
        table = rows.slice(offset, limit).to_arrow()
        yield from write(pa.RecordBatchReader.from_batches(table.schema, table.to_batches()))
        return
    query = _window(rows, offset, limit)
    cursor = con.cursor()
    try:
        cursor.execute(f"SET streaming_buffer_size = '{STREAM_BUFFER}'")  # a constant
        reader = cursor.sql(query.sql, params=query.params).to_arrow_reader(batch_rows)
        try:
            yield from write(reader)
        finally:
            reader.close()
    finally:
        cursor.close()


def _dicts(reader: pa.RecordBatchReader) -> Iterator[dict[str, Any]]:
    for batch in reader:
        yield from batch.to_pylist()


def page_rows(
    rows: Rows, con: duckdb.DuckDBPyConnection, offset: int, limit: int
) -> list[dict[str, Any]]:
    """One JSON page of the view's rows, as dicts (held whole: a page is small)."""
    return list(written(rows, con, _dicts, offset, limit))
