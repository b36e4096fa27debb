"""Read a spreadsheet sheet laid out for people (metadata block, two-row header) as records.

The catalog describes the layout; nothing here knows any particular agency's workbook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from ingest.catalog import FileLayout

CELL = re.compile(r"^([A-Z]+)([0-9]+)$")


def _text(value: object) -> str | None:
    """A cell as text: whole floats lose the spreadsheet's float artefacts (870296.9999…)."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and abs(value - round(value)) < 1e-6:
        return str(round(value))
    return str(value).strip() or None


def _cell(rows: Sequence[Sequence[object]], ref: str) -> str | None:
    match = CELL.match(ref)
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for char in match[1]:
        col = col * 26 + ord(char) - 64
    row = int(match[2])
    return _text(rows[row - 1][col - 1]) if row <= len(rows) and col <= len(rows[row - 1]) else None


def _header(rows: Sequence[Sequence[object]], header_rows: list[int]) -> list[str]:
    """Column names: each header row's labels (merged labels carried right), joined by ' / '."""
    width = max(len(r) for r in rows)
    parts: list[list[str]] = [[] for _ in range(width)]
    for number in header_rows:
        carried = ""
        for i in range(width):
            label = _text(rows[number - 1][i]) if i < len(rows[number - 1]) else None
            if number != header_rows[-1]:
                carried = label or carried
                label = carried
            if label:
                parts[i].append(label)
    return [" / ".join(p) if p else f"column{i}" for i, p in enumerate(parts)]


def read_sheet(path: Path, layout: FileLayout) -> pl.DataFrame:
    """The sheet's records as text, with `row_number` as the spreadsheet shows it.

    Blank rows between records are skipped; declared metadata cells become columns.
    """
    book = CalamineWorkbook.from_path(str(path))
    if layout.sheet not in book.sheet_names:
        raise ValueError(f"no sheet {layout.sheet!r} (the workbook has {book.sheet_names})")
    rows = book.get_sheet_by_name(layout.sheet or "").to_python()
    names = _header(rows, layout.header_rows)
    records: dict[str, list[str | None]] = {n: [] for n in ["row_number", *names]}
    for number in range(layout.first_data_row, len(rows) + 1):
        cells = [_text(v) for v in rows[number - 1]]
        if not any(cells):
            continue
        records["row_number"].append(str(number))
        for i, name in enumerate(names):
            records[name].append(cells[i] if i < len(cells) else None)
    frame = pl.DataFrame(records, schema=dict.fromkeys(records, pl.String))
    constants = {name: _cell(rows, ref) for name, ref in layout.cells.items()}
    return frame.with_columns(
        pl.col("row_number").cast(pl.Int64),
        *(pl.lit(value, dtype=pl.String).alias(name) for name, value in constants.items()),
    )
