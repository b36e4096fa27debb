"""`/data/source/<source_id>`: a source's ledger: every file received, and every row rejected.

So an agency can see exactly what was done with its file, and correct it: each file's
checksum, when it arrived, its rows read, loaded, rejected and excluded, what replaced it;
then each rejected row with its line, column, value and reason.
"""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import html

from dashboard.api import links
from dashboard.pages._not_found import not_found
from dashboard.ui import tables
from metrics import working
from metrics.wording import plural

REJECTS_SHOWN = 500


def title(source_id: str | None = None) -> str:
    """The browser title names the source."""
    source = working.ledger_source(source_id) if source_id else None
    name = source["title"] if source else "Source"
    return f"{name}: files and rejects – Service Standards Tracker"


def exists(source_id: str) -> bool:
    """Whether the warehouse holds the source (otherwise the server answers 404)."""
    return working.ledger_source(source_id) is not None


dash.register_page(
    __name__, path_template="/data/source/<source_id>", title=title, name="Ledger", exists=exists
)


def _status(r: dict[str, Any]) -> str:
    if r["status"] == "rejected":
        return f"Rejected whole: {r['reason']}"
    if r["superseded_by_file"]:
        return f"Replaced by {r['superseded_by_file']}"
    return str(r["status"]).capitalize()


def files_table(files: pl.DataFrame, caption: str) -> html.Div:
    """One row per file received: name, checksum, when, rows and what became of it."""
    heads = ("File", "SHA-256", "Received (UTC)", "Read", "Loaded", "Rejected", "Excluded")
    head = html.Tr(
        [html.Th(h, scope="col", className="num" if i > 2 else "") for i, h in enumerate(heads)]
        + [html.Th("Status", scope="col")]
    )
    rows = [
        html.Tr(
            [html.Th(r["file_name"], scope="row"),
             html.Td(html.Code(r["sha256"], className="checksum")),
             html.Td(f"{r['received']:%-d %b %Y %H:%M}")]
            + [html.Td(f"{r[k]:,}", className="num")
               for k in ("rows_read", "rows_loaded", "rows_rejected", "rows_excluded")]
            + [html.Td(_status(r))]
        )
        for r in files.iter_rows(named=True)
    ]  # fmt: skip
    return tables.captioned_table(caption, head, rows, "ledger-table")


def rejects_table(rejects: pl.DataFrame, caption: str) -> html.Div:
    """Each rejected row: its file, line, column, the value as read and the reason."""
    heads = ("File", "Line", "Column", "Value as read", "Reason")
    head = html.Tr([html.Th(h, scope="col", className="num" if h == "Line" else "") for h in heads])
    rows = [
        html.Tr(
            [html.Td(r["file_name"]), html.Th(f"{r['row_number']:,}", scope="row", className="num"),
             html.Td(r["column_name"]), html.Td("(empty)" if r["value"] is None else r["value"]),
             html.Td(r["reason"])]
        )
        for r in rejects.iter_rows(named=True)
    ]  # fmt: skip
    return tables.captioned_table(caption, head, rows, "rejects-table")


def _sent_again(source_id: str, kind: str) -> list[html.P]:
    """For a case-level source: how many cases a later file sent again (each counted once)."""
    if kind != "cases":
        return []
    again = working.ledger_replacements(source_id)
    if not again:
        return [html.P("No case arrived again in a later file.", id="cases-replaced")]
    return [
        html.P(
            f"{plural(again, 'case')} arrived again in a later file (a feed re-sends a request "
            "when it changes, e.g. once it closes); each replaced its earlier version and is "
            "counted once.",
            id="cases-replaced",
        )
    ]


def layout(source_id: str | None = None, **_query: str) -> html.Div:
    """The source's files and rejected rows."""
    source = working.ledger_source(source_id) if source_id else None
    if source is None or not source_id:
        back = html.A("See every dataset and source", href="/data")
        return not_found("Source not found", "There is no source at this address.", back)
    files = working.ledger_files(source_id)
    rejects, total = working.ledger_rejects(source_id, REJECTS_SHOWN)
    shown = f"the first {rejects.height:,} of {total:,}" if total > rejects.height else "all"
    view = {"source": source_id}
    return html.Div(
        [
            html.P(html.A("← Data and downloads", href="/data")),
            html.H1(f"{source['title']}: files received"),
            html.P(
                [
                    f"Published by {source['publisher']} at ",
                    html.A(source["source_url"], href=source["source_url"]),
                    f" under the {source['licence']}.",
                ],
                className="source-line",
            ),
            html.P(
                f"{plural(files.height, 'file')} received; every row read was loaded, rejected "
                "(below, with the reason) or excluded by the catalog entry's filters.",
                className="headline",
            ),
            files_table(files, f"{source['title']}: each file received"),
            *_sent_again(source_id, source["kind"]),
            links.download_links("sources", view, "this list of files"),
            html.H2("Rows rejected"),
            html.P(f"{plural(total, 'row')} rejected; shown: {shown}.")
            if total
            else html.P("No row of these files was rejected."),
            *([rejects_table(rejects, f"{source['title']}: rows rejected")] if total else []),
            links.download_links("rejects", view, "every rejected row"),
        ]
    )
