"""The agency's own row behind a monthly or yearly verdict: figures, file, line, checksum."""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import html

from dashboard.api import links
from dashboard.ui import tables
from dashboard.ui.text import MONTH_STATUS, value_text
from metrics.grain import Grain


def _figures(r: dict[str, Any], unit: str) -> str:
    """'62.0% (3,826 of 6,167)', or the figure alone, or its marker."""
    if r["value"] is None:
        return str(r["value_status"] or "[x]")
    counts = (
        f" ({r['numerator']:,} of {r['denominator']:,})"
        if r["numerator"] is not None and r["denominator"] is not None
        else ""
    )
    return value_text(r["value"], unit) + counts


def row_table(r: dict[str, Any], unit: str, caption: str) -> html.Div:
    """One published row as a two-column table: what it says and where it is."""
    url = r["file_url"]
    facts: list[tuple[str, Any]] = [
        ("Organisation code in the file", r["org_code"]),
        ("Figures read from the row", _figures(r, unit)),
        ("File", r["file_name"]),
        ("Line in the file", f"{r['row_number']:,} (the header is line 1)"),
        ("SHA-256 of the file", html.Code(r["sha256"], className="checksum")),
        ("Loaded", f"{r['received_at']:%-d %B %Y %H:%M} UTC"),
        ("Published at", html.A(r["file_name"], href=url) if url else "not listed in the catalog"),
    ]
    if r["replaced_by"]:
        facts.append(("Replaced by", r["replaced_by"]))
    rows = [html.Tr([html.Th(k, scope="row"), html.Td(v)]) for k, v in facts]
    head = html.Tr([html.Th("What", scope="col"), html.Th("Value", scope="col")])
    return tables.captioned_table(caption, head, rows, "agency-row")


def body(rows: pl.DataFrame, verdict: dict[str, Any], slug: str) -> list[Any]:
    """The verdict in words, the row it was judged on, then any row a revision replaced."""
    grain, unit = Grain(verdict["grain"]), str(verdict["unit"])
    name = grain.period_name(verdict["period_start"])
    current = rows.filter(pl.col("figure") == "current")
    earlier = rows.filter(pl.col("figure") == "replaced")
    sentence = (
        f"{MONTH_STATUS[verdict['status']]}: {value_text(verdict['value'], unit)} against "
        f"{tables.target_cell(verdict['comparator'], verdict['target'], unit)}, judged on the "
        "row below as the agency published it."
    )
    parts: list[Any] = [html.P(sentence, className="headline")]
    for r in current.iter_rows(named=True):
        parts.append(row_table(r, unit, f"The row judged for {name}"))
    if earlier.height:
        parts.append(html.H2("Earlier figures, replaced by a revision"))
        parts += [
            row_table(r, unit, f"Earlier row for {name}, from {r['file_name']}")
            for r in earlier.iter_rows(named=True)
        ]
    else:
        parts.append(html.P("No revised file has replaced these figures.", className="hint"))
    start = verdict["period_start"]
    view = {"organisation": slug, "standard": str(verdict["standard_id"]),
            "from": f"{start:%Y-%m}", "to": f"{start:%Y-%m}"}  # fmt: skip
    parts.append(links.download_links("observations", view, "this row and any it replaced"))
    return parts
