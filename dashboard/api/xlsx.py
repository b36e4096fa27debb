"""Spreadsheets that open right: typed columns, a frozen header and an "About" sheet.

Numbers are numbers, dates are dates, shares are fractions shown as percentages, and text is
inline text (never run as a formula). The workbook is a zip of SpreadsheetML parts written
as a stream: each Arrow batch becomes sheet XML column by column with Arrow's compute
kernels, and is sent before the next batch is read, so memory stays flat whatever the size.
A sheet holds Excel's 1,048,576 rows at most; a larger view goes on in "Data (2)" and so on.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

import pyarrow as pa
import pyarrow.compute as pc

from dashboard.api.writers import Chunks, plain
from metrics.datasets import Dataset, Field

SHEET_ROWS = 1_048_575  # data rows a sheet holds beneath its header
# Rows turned into XML at a time: each column's cells are a few copies of its text, so
# small pieces keep memory flat (1M rows: 358 MB peak at 25,000 a piece, 215 MB at 4,096).
# At 2,048 the 5M-record site route peaks ~7 MB lower than at 4,096; text escaped once per
# distinct value (_text_cells) pays for the smaller pieces (1M records: 4.9 s of CPU at
# 2,048 against 5.3-6.2 s at 4,096 before).
PIECE_ROWS = 2_048
EPOCH = 25_569  # Excel's serial number of 1970-01-01
STYLE = {"text": 0, "date": 1, "datetime": 2, "percent": 3, "bold": 4, "integer": 5, "number": 0}
STATUS_CODES = (
    ("[x]", "not available: the publisher gives no figure"),
    ("[z]", "not applicable: there is nothing to measure (e.g. nothing was due)"),
    ("[u]", "low reliability: too few periods judged to rank or band"),
    ("[c]", "confidential: withheld by the publisher"),
    ("[low]", "a value too small to show, as the publisher marks it"),
    ("[p]", "provisional"),
    ("[r]", "revised"),
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/><numFmt numFmtId="166"
formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill>
<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>
</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>
</cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"
xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"
applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0"
applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0"
applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0"
applyFont="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0"
applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0"
builtinId="0"/></cellStyles></styleSheet>"""
# Characters XML 1.0 cannot carry at all; a cell's text loses them rather than the file.
NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"


@dataclass(frozen=True)
class About:
    """What the workbook's "About" sheet says of the view it holds."""

    dataset: Dataset
    params: tuple[tuple[str, str], ...]
    sources: tuple[dict[str, Any], ...]
    version: str
    row_count: int
    url: str


def _text(value: str) -> pa.Scalar:
    """A literal to join with cells (which are large strings)."""
    return pa.scalar(value, pa.large_string())


def _style(f: Field) -> int:
    if f.type == "number" and f.unit and f.unit.startswith("share"):
        return STYLE["percent"]
    return STYLE.get(f.type, STYLE["text"])


def _text_cells(column: pa.Array) -> pa.Array:
    """Text cells, escaped once per distinct value: a batch's text columns mostly repeat a
    few values (areas, services, statuses), so each is written from its dictionary."""
    encoded = pc.dictionary_encode(column)
    return _escaped_cells(encoded.dictionary).take(encoded.indices)


def _escaped_cells(column: pa.Array) -> pa.Array:
    text = pc.replace_substring_regex(column.cast(pa.large_string()), NOT_XML, "")
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, raw, escaped)
    opening = _text('<c t="inlineStr"><is><t xml:space="preserve">')
    return pc.binary_join_element_wise(opening, text, _text("</t></is></c>"), _text(""))


def _value_cells(values: pa.Array, style: int, kind: str = "") -> pa.Array:
    attributes = (f' s="{style}"' if style else "") + (f' t="{kind}"' if kind else "")
    return pc.binary_join_element_wise(
        _text(f"<c{attributes}><v>"), values, _text("</v></c>"), _text("")
    )


def _number_cells(column: pa.Array, field: Field, units: pa.Array | None) -> pa.Array:
    """Numbers; where each row names its unit, a share is shown as a percentage and any
    other (seconds, counts) as a plain number."""
    text = column.cast(pa.large_string())
    if units is None:
        return _value_cells(text, _style(field))
    shares = pc.fill_null(pc.equal(plain(units).cast(pa.large_string()), "share"), False)
    percent, number = _value_cells(text, STYLE["percent"]), _value_cells(text, STYLE["number"])
    return pc.if_else(shares, percent, number)


def _cells(column: pa.Array, field: Field, units: pa.Array | None = None) -> pa.Array:
    """One column of a batch as SpreadsheetML cells; a missing value is an empty cell.
    `units` is the column naming each row's unit, where the field has one."""
    column = plain(column)
    kind = column.type
    if pa.types.is_date(kind):
        days = pc.add(column.cast(pa.int32()), EPOCH)
        cells = _value_cells(days.cast(pa.large_string()), STYLE["date"])
    elif pa.types.is_timestamp(kind):
        seconds = column.cast(pa.timestamp("us", tz=kind.tz)).cast(pa.int64())
        serial = pc.add(pc.divide(seconds.cast(pa.float64()), 86_400_000_000.0), EPOCH)
        cells = _value_cells(serial.cast(pa.large_string()), STYLE["datetime"])
    elif pa.types.is_boolean(kind):
        cells = _value_cells(column.cast(pa.int8()).cast(pa.large_string()), 0, "b")
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        # A decimal is written as its own digits (0.95, not 0.9500000000000001).
        cells = _number_cells(column, field, units)
    else:
        cells = _text_cells(column.cast(pa.large_string()))
    return pc.fill_null(cells, _text("<c/>"))


def _rows_xml(batch: pa.RecordBatch, fields: tuple[Field, ...]) -> bytes | memoryview:
    """A batch's rows as sheet XML: every cell built column-wise, then the rows joined."""
    names = [f.name for f in fields]
    columns = [
        _cells(column, f, batch.column(names.index(f.unit_column)) if f.unit_column else None)
        for column, f in zip(batch.columns, fields, strict=True)
    ]
    rows = pc.binary_join_element_wise(_text("<row>"), *columns, _text("</row>"), _text(""))
    if not len(rows):
        return b""
    # A string array's data buffer holds its strings end to end, between its first and last
    # offsets: the rows' XML without a copy per row, nor of the whole (the zip's compressor
    # reads the buffer where Arrow wrote it; the copy of each piece cost ~5 MB of peak RSS).
    _, offsets_buffer, data = rows.buffers()
    offsets = pa.Array.from_buffers(pa.int64(), len(rows) + 1, [None, offsets_buffer], 0,
                                    rows.offset)  # fmt: skip
    return memoryview(data)[offsets[0].as_py() : offsets[-1].as_py()]


def _sheet_head(fields: tuple[Field, ...]) -> bytes:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{max(10, min(40, len(f.name) + 2))}" customWidth="1"/>'
        for i, f in enumerate(fields, start=1)
    )
    header = "".join(
        f'<c s="{STYLE["bold"]}" t="inlineStr"><is><t>{escape(f.name)}</t></is></c>' for f in fields
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<cols>{widths}</cols><sheetData><row>{header}</row>"
    ).encode()


SHEET_TAIL = b"</sheetData></worksheet>"


def _about_rows(about: About) -> list[tuple[str, str, bool]]:
    """The About sheet, line by line: (first cell, second cell, is a heading)."""
    out: list[tuple[str, str, bool]] = [("About this file", "", True)]
    out += [
        ("Dataset", f"{about.dataset.title} ({about.dataset.name})", False),
        ("What it holds", about.dataset.description, False),
        ("Address", about.url, False),
        *((f"Parameter: {k}", v, False) for k, v in about.params),
        ("Rows", f"{about.row_count:,}", False),
        ("Warehouse version", about.version, False),
        ("Made by", "Service Standards Tracker, from the publishers' own files", False),
        ("", "", False),
        ("Fields", "", True),
    ]
    out += [(f.name, f.description + (f" ({f.unit})" if f.unit else ""), False)
            for f in about.dataset.fields]  # fmt: skip
    out += [("", "", False), ("Status codes", "", True)]
    out += [(code, meaning, False) for code, meaning in STATUS_CODES]
    out += [("", "", False), ("Sources, licences and attribution", "", True)]
    for s in about.sources:
        out += [
            ("Source", f"{s['title']}, published by {s['publisher']}", False),
            ("Licence", f"{s['licence']} {s['licence_url'] or ''}".strip(), False),
            ("Attribution", str(s["attribution"] or ""), False),
            ("Published at", str(s["source_url"] or ""), False),
        ]
    return out


def _about_sheet(about: About) -> bytes:
    def cell(text: str, bold: bool) -> str:
        style = f' s="{STYLE["bold"]}"' if bold else ""
        return f'<c{style} t="inlineStr"><is><t>{escape(text)}</t></is></c>' if text else "<c/>"

    rows = "".join(f"<row>{cell(a, bold)}{cell(b, False)}</row>" for a, b, bold in
                   _about_rows(about))  # fmt: skip
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
        '<cols><col min="1" max="1" width="28" customWidth="1"/>'
        '<col min="2" max="2" width="100" customWidth="1"/></cols>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def _package_parts(names: list[str]) -> dict[str, str]:
    """The workbook's fixed parts, for sheets named `names` (sheet1.xml, sheet2.xml, …)."""
    sheets = "".join(
        f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        f'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        f'ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        f'ContentType="{ct}.styles+xml"/>{overrides}</Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{sheets}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{PKG}">{rels}'
        f'<Relationship Id="rId{len(names) + 1}" Type="{REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": STYLES,
    }


def workbook(reader: pa.RecordBatchReader, about: About) -> Iterator[bytes]:
    """The view as .xlsx bytes, sent batch by batch: its data sheet(s), then "About"."""
    fields = about.dataset.fields
    sheets = max(1, -(-about.row_count // SHEET_ROWS))
    names = ["Data" if n == 1 else f"Data ({n})" for n in range(1, sheets + 1)] + ["About"]
    sink = Chunks()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        number, in_sheet = 1, 0
        part: IO[bytes] = book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        part.write(_sheet_head(fields))
        for batch in reader:
            start = 0
            while start < batch.num_rows:
                if in_sheet == SHEET_ROWS and number < sheets:
                    part.write(SHEET_TAIL)
                    part.close()
                    number, in_sheet = number + 1, 0
                    part = book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
                    part.write(_sheet_head(fields))
                take = batch.num_rows - start
                if number < sheets:
                    take = min(take, SHEET_ROWS - in_sheet)
                for piece in range(start, start + take, PIECE_ROWS):
                    size = min(PIECE_ROWS, start + take - piece)
                    part.write(_rows_xml(batch.slice(piece, size), fields))
                start, in_sheet = start + take, in_sheet + take
                yield sink.take()
        part.write(SHEET_TAIL)
        part.close()
        book.writestr(f"xl/worksheets/sheet{len(names)}.xml", _about_sheet(about))
        for name, text in _package_parts(names).items():
            book.writestr(name, text)
    yield sink.take()
