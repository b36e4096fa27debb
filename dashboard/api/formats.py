"""The one registry of download formats: extension, name, media type and writer.

Routes, download links, `/data`, the data package and the OpenAPI document all read it, as
Datasette's output renderers do; adding a format is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from dashboard.api import writers

Writer = Callable[[pa.RecordBatchReader], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    """One file format: how it is named, sent and written.

    `write` is None for a format answered a page at a time (JSON) rather than as one file.
    """

    extension: str
    label: str
    media_type: str
    schema: dict[str, Any]
    write: Writer | None

    @property
    def paged(self) -> bool:
        """Answered a page at a time, with `page` and `per_page`."""
        return self.write is None


FORMATS: dict[str, Format] = {
    f.extension: f
    for f in (
        Format("csv", "CSV", "text/csv; charset=utf-8", {"type": "string"}, writers.csv_batches),
        Format("json", "JSON", "application/json", {"$ref": "#/components/schemas/Page"}, None),
        Format("parquet", "Parquet", "application/vnd.apache.parquet",
               {"type": "string", "format": "binary"}, writers.parquet_writer),
    )
}  # fmt: skip
