"""The requests one day's verdict counts: each with its times, outcome, file and row."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import html

from dashboard.api import links
from dashboard.ui import tables
from dashboard.ui.text import STATUS_LABEL, aria
from dashboard.web.params import one
from metrics.league import Sort
from metrics.wording import percent, plural

PER_PAGE = 50
COLUMNS = (
    ("case_id", "Request id"),
    ("opened_at", "Opened"),
    ("target_at", "Target"),
    ("closed_at", "Closed"),
    ("late_by_seconds", "On time or late"),
    ("row_number", "File and row"),
)
DEFAULT = Sort("target_at", descending=False)


def duration_text(seconds: int) -> str:
    """'2 days 3 h', '5 h 12 min', '45 min': how late, to the minute."""
    minutes = seconds // 60
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"{plural(days, 'day')} {hours} h"
    return f"{hours} h {mins} min" if hours else f"{max(mins, 1)} min" if seconds else "0 min"


def outcome_text(row: dict[str, Any]) -> str:
    """'On time', 'Late by 5 h 12 min', or 'Still open at the data's end, 3 days past target'."""
    late = row["late_by_seconds"]
    if row["outcome"] == "on_time":
        return "On time"
    if row["outcome"] == "late":
        return f"Late by {duration_text(late)}"
    return "Not closed by the data's end" + (f", {duration_text(late)} past target" if late else "")


def choose(sort: object, order: object, page: object, rows: int) -> tuple[Sort, int]:
    """The sort and page the URL asks for, or the defaults (target time, first page)."""
    column, way, number = one(sort), one(order), one(page)
    by = DEFAULT
    if column in dict(COLUMNS):
        by = Sort(str(column), descending=way == "desc")
    pages = max(1, -(-rows // PER_PAGE))
    wanted = int(number) if number and number.isdigit() and len(number) < 6 else 1
    return by, min(max(wanted, 1), pages)


def page_href(path: str, by: Sort, page: int) -> str:
    """The day page's URL for a sort and page (the defaults left out)."""
    query: dict[str, str] = {}
    if by != DEFAULT:
        query |= {"sort": by.column, "order": "desc" if by.descending else "asc"}
    if page > 1:
        query["page"] = str(page)
    return path + (f"?{urlencode(query)}" if query else "")


def _time(value: dt.datetime | None) -> str:
    return f"{value:%-d %b %Y %H:%M}" if value else "–"


def _row(r: dict[str, Any]) -> html.Tr:
    return html.Tr(
        [
            html.Th(r["case_id"], scope="row"),
            html.Td(_time(r["opened_at"])),
            html.Td(_time(r["target_at"])),
            html.Td(_time(r["closed_at"]) if r["closed_at"] else "Open"),
            html.Td(
                outcome_text(r), className=f"outcome outcome--{r['outcome'].replace('_', '-')}"
            ),
            html.Td([r["file_name"], html.Br(), f"row {r['row_number']:,}"]),
        ]
    )


def verdict_sentence(verdict: dict[str, Any], note: str = "") -> str:
    """'Not met: 17 of 24 requests due were closed by their target (70.8%); the standard asks
    for 95%.'; `note` says whose standard it is."""
    due, on_time = int(verdict["due"]), int(verdict["on_time"])
    share = percent(on_time / due) if due else "–"
    return (
        f"{STATUS_LABEL[verdict['status']]}: {on_time:,} of {plural(due, 'request')} due "
        f"{'was' if due == 1 else 'were'} closed by their target ({share}); the standard asks "
        f"for {verdict['target_percent']:g}%{note}."
    )


def counts_list(frame: pl.DataFrame) -> html.Ul:
    """How many were on time, late, and still open, counted from the rows listed."""
    counts = dict(frame.group_by("outcome").len().iter_rows())
    return html.Ul(
        [
            html.Li(f"On time: {counts.get('on_time', 0):,}"),
            html.Li(f"Closed late: {counts.get('late', 0):,}"),
            html.Li(f"Not closed by the data's end (not on time): {counts.get('open_late', 0):,}"),
        ],
        className="facts",
    )


def cases_table(frame: pl.DataFrame, path: str, by: Sort, page: int, caption: str) -> list[Any]:
    """One page of the requests, sorted as asked, with links to the other pages."""
    ordered = frame.sort([by.column, "row_number"], descending=[by.descending, False],
                         nulls_last=True)  # fmt: skip
    shown = ordered.slice((page - 1) * PER_PAGE, PER_PAGE)
    first = (page - 1) * PER_PAGE + 1
    span = f"{first:,}–{first + shown.height - 1:,} of {frame.height:,}" if frame.height else "none"

    def href(column: str, way: str) -> str:
        return page_href(path, Sort(column, way == "desc"), 1)

    head = html.Tr([tables.sort_head(c, label, by, href) for c, label in COLUMNS])
    rows = [_row(r) for r in shown.iter_rows(named=True)]
    return [
        tables.captioned_table(f"{caption} ({span})", head, rows, "cases-table"),
        pager(path, by, page, max(1, -(-frame.height // PER_PAGE))),
    ]


def pager(path: str, by: Sort, page: int, pages: int) -> html.Nav:
    """Previous and next links that keep the sort; the current page in words."""
    parts: list[Any] = []
    if page > 1:
        parts.append(html.A("← Previous page", href=page_href(path, by, page - 1), rel="prev"))
    parts.append(html.Span(f" Page {page} of {pages} ", className="pager-at"))
    if page < pages:
        parts.append(html.A("Next page →", href=page_href(path, by, page + 1), rel="next"))
    return html.Nav(parts, className="pager", **aria(label="Pages of requests"))


def downloads(slug: str, service_slug: str, day: dt.date) -> html.P:
    """The day's requests as files, with the same parameters as the page."""
    view = {"organisation": slug, "service": service_slug, "day": day.isoformat()}
    return links.download_links("cases", view, "these requests")
