"""How rows are written: spreadsheet-safe CSV, Parquet and JSON, from Arrow batches.

A CSV file is RFC 4180 CSV in UTF-8 with a byte-order mark (so Excel reads accents), CRLF line
endings, a header row, ISO 8601 dates and times, numbers written plainly and nulls as empty
fields. Numeric columns stay numeric: where a value is missing the query supplies a GSS status
column beside it (e.g. `value` with `value_status` holding [x] not available, [z] not
applicable, [p] provisional, [r] revised, [u] low reliability), never a marker inside the
number column. Text that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

BOM = b"\xef\xbb\xbf"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_BYTES = pa.array([start.encode() for start in FORMULA_START], type=pa.binary())
ZERO_FRACTION = r"\.0+(Z?)$"
# Rows written per chunk at most (about 2.5 MB of CSV here): the writer's buffers grow to a few
# times a chunk's size, so smaller chunks keep a worker's memory flat whatever batch_rows is.
CHUNK_ROWS = 16_384
WRITE_OPTIONS = pa_csv.WriteOptions(
    include_header=False, eol="\r\n", null_string="", quoting_style="needed", batch_size=8192
)
HEADER_OPTIONS = pa_csv.WriteOptions(include_header=True, eol="\r\n", quoting_header="needed")


def csv_batches(reader: pa.RecordBatchReader, step: int = CHUNK_ROWS) -> Iterator[bytes]:
    """BOM and header, then the reader's rows as CSV in chunks of at most `step` rows."""
    yield BOM + _header(reader.schema.names)
    for batch in reader:
        # DuckDB's batch size is approximate; writing each batch in slices keeps
        # chunks to `step` rows and the CSV bytes in flight small.
        for start in range(0, batch.num_rows, step):
            yield _csv_bytes(csv_cells(batch.slice(start, step)), WRITE_OPTIONS)


def _header(names: list[str]) -> bytes:
    empty = [pa.array([], type=pa.string()) for _ in names]
    return _csv_bytes(pa.RecordBatch.from_arrays(empty, names=names), HEADER_OPTIONS)


def _csv_bytes(batch: pa.RecordBatch, options: pa_csv.WriteOptions) -> bytes:
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(batch, sink, options)
    data: bytes = sink.getvalue().to_pybytes()
    return data


def csv_cells(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch as it should be written: text neutralised, timestamps ISO 8601, rest untouched."""
    return pa.RecordBatch.from_arrays(
        [_cell_column(column) for column in batch.columns], names=batch.schema.names
    )


def plain(column: pa.Array) -> pa.Array:
    """Types every reader knows: dictionaries decoded, string views as strings."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_string_view(column.type):
        column = column.cast(pa.large_string())
    return column


def _cell_column(column: pa.Array) -> pa.Array:
    column = plain(column)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return _neutralised(column)
    if pa.types.is_timestamp(column.type):
        return _iso_timestamp(column)
    return column


def _neutralised(column: pa.Array) -> pa.Array:
    """Text with a leading apostrophe on each cell a spreadsheet would run as a formula."""
    # Comparing each cell's first byte is ~20x faster than a regex over every cell, and
    # a column with nothing to change (the usual case) is passed on without a copy.
    raw = column.view(pa.large_binary() if pa.types.is_large_string(column.type) else pa.binary())
    first = pc.binary_slice(raw, 0, 1)
    risky = pc.fill_null(pc.is_in(first, value_set=FORMULA_BYTES.cast(first.type)), False)
    if not pc.any(risky).as_py():
        return column
    apostrophe, nothing = pa.scalar("'", column.type), pa.scalar("", column.type)
    fixed = pc.binary_join_element_wise(apostrophe, column.filter(risky), nothing)
    return pc.replace_with_mask(column, risky, fixed)


def _iso_timestamp(column: pa.Array) -> pa.Array:
    """`2024-07-01T09:30:00` (local, as stored) or `...Z` (an instant, written in UTC)."""
    unit, zone = column.type.unit, column.type.tz
    if zone is not None:
        column = column.cast(pa.timestamp(unit, tz="UTC"))
    # Arrow's cast writes `2024-07-01 09:30:00.000000` (with `Z` in UTC): strftime's text
    # with a space for the T, at a quarter of its CPU (the cases download writes three
    # timestamps a row: 5M rows, ~14 s less).
    text = pc.replace_substring(column.cast(pa.string()), " ", "T", max_replacements=1)
    # Arrow writes every fractional digit of the unit; whole seconds read better without them.
    return pc.replace_substring_regex(text, pattern=ZERO_FRACTION, replacement=r"\1")


def _plain_schema(schema: pa.Schema) -> pa.Schema:
    fields = [f.with_type(plain(pa.array([], type=f.type)).type) for f in schema]
    return pa.schema(fields)


class Chunks:
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
    # Imported here, not with the module: pyarrow.parquet loads Arrow's Parquet and S3
    # libraries, ~9 MB of every worker's resident memory, carried for nothing by each page
    # and every other download (make bench-export's site routes: 262 -> 252 MB before a
    # download starts).
    import pyarrow.parquet as pq

    sink = Chunks()
    schema = _plain_schema(reader.schema)
    with pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema) as writer:
        for batch in reader:
            arrays = [plain(column) for column in batch.columns]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            yield sink.take()
    yield sink.take()


def _json_value(value: object) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_bytes(document: dict[str, Any]) -> bytes:
    """UTF-8 JSON, dates as ISO 8601 text."""
    return json.dumps(document, default=_json_value, ensure_ascii=False).encode()
