"""The footer on every page: each source's publisher, licence and how current it is."""

from __future__ import annotations

from dash import html

from metrics import queries
from metrics.reader import WarehouseMissing


def _source_item(row: dict[str, object]) -> html.Li:
    return html.Li(
        [
            html.A(str(row["title"]), href=str(row["source_url"])),
            f", published by {row['publisher']} under the ",
            html.A(str(row["licence"]), href=str(row["licence_url"])),
            f". Data as of {row['data_as_of']:%d %B %Y %H:%M} (local time);",
            f" last received {row['last_received']:%d %B %Y}.",
            f" Newer figures were due by {row['next_due']:%-d %B %Y}; these are the latest "
            "this site holds."
            if row["overdue"]
            else f" Next figures due by {row['next_due']:%-d %B %Y}.",
            html.Br(),
            html.Span(str(row["attribution"]), className="attribution"),
        ]
    )


def publishers_line(rows: list[dict[str, object]]) -> str:
    """'Figures from 8 published sources by City of Boston, …, and Public Health Scotland, used
    under …', each publisher and licence named once, in the sources' order."""
    publishers = list(dict.fromkeys(str(r["publisher"]) for r in rows))
    licences = list(dict.fromkeys(str(r["licence"]) for r in rows))
    return (
        f"Figures from {len(rows)} published sources by {and_list(publishers)}, used under "
        f"{and_list(licences)}."
    )


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def footer() -> html.Footer:
    """Sources and licences, read from the warehouse when the page is served."""
    try:
        rows = list(queries.sources().iter_rows(named=True))
    except WarehouseMissing:
        rows = []
    return html.Footer(
        html.Div(
            [
                html.H2("Sources and licences", className="footer-heading"),
                html.P(publishers_line(rows)) if rows else None,
                # Folded: eight sources' full lines are two phone screens under every page.
                html.Details(
                    [
                        html.Summary(f"Each source's licence, attribution and dates ({len(rows)})"),
                        html.Ul([_source_item(r) for r in rows], className="footer-list"),
                    ],
                    className="footer-sources",
                )
                if rows
                else None,
                html.P(
                    [
                        "Figures are computed by this tracker from the agencies' own files. ",
                        html.A("How we judge whether a standard was met", href="/methodology"),
                        ". ",
                        html.A("Download every judged period (CSV)", href="/download/records.csv"),
                        ". ",
                        html.A(
                            "Download the files loaded, with their checksums (CSV)",
                            href="/download/sources.csv",
                        ),
                        ".",
                    ]
                ),
            ],
            className="width-container",
        ),
        className="footer",
    )
