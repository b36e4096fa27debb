"""The one registry of download formats: extension, name, media type and writer.

Routes, download links, `/data`, the data package and the OpenAPI document all read it, as
Datasette's output renderers do; adding a format is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from dashboard.api import writers, xlsx
from dashboard.api.xlsx import About

# A writer is handed the view's rows and what the file should say about itself.
Writer = Callable[[pa.RecordBatchReader, About], Iterator[bytes]]


def _csv(reader: pa.RecordBatchReader, about: About) -> Iterator[bytes]:
    return writers.csv_batches(reader)


def _parquet(reader: pa.RecordBatchReader, about: About) -> Iterator[bytes]:
    return writers.parquet_writer(reader)


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


BINARY = {"type": "string", "format": "binary"}
FORMATS: dict[str, Format] = {
    f.extension: f
    for f in (
        Format("csv", "CSV", "text/csv; charset=utf-8", {"type": "string"}, _csv),
        Format("json", "JSON", "application/json", {"$ref": "#/components/schemas/Page"}, None),
        Format("parquet", "Parquet", "application/vnd.apache.parquet", BINARY, _parquet),
        Format("xlsx", "Excel",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", BINARY,
               xlsx.workbook),
    )
}  # fmt: skip
