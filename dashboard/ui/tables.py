"""Tables from metrics frames: league, calendars, days, months and yearly standards."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from dashboard.ui.sentences import change_size, judged
from dashboard.ui.text import MONTH_MARK, MONTH_STATUS, STATUS_LABEL, STATUS_MARK, aria, value_text
from dashboard.web.params import month_text
from metrics.grain import Grain
from metrics.league import Sort, rank_key
from metrics.spc import NOT_ENOUGH
from metrics.wording import comparator_sign, fiscal_year_label, month_name, percent

LEAGUE_HEADS = (
    ("rank", "Rank"),
    ("organisation", "Organisation"),
    ("performance", "Performance"),
    ("change_previous", "Change"),
    ("performance_denominator", "Within standard, of cases"),
    ("volume", "Volume"),
    ("periods_met", "{periods} met"),
    ("share_met", "Share of {periods_lower} met"),
    ("band", "Compared with the others"),
)
TEXT_COLUMNS = ("organisation", "change_previous", "band")


def sort_head(column: str, label: str, by: Sort, href: Callable[[str, str], str]) -> html.Th:
    """A column head that sorts the table by its link (a keyboard reaches and follows it);
    the sorted column says which way with aria-sort and an arrow."""
    current = by.column == column
    order = "asc" if current and by.descending else "desc"
    if not current and column in ("rank", "organisation"):
        order = "asc"
    arrow = ("▼" if by.descending else "▲") if current else ""
    link = dcc.Link(
        [label, html.Span(f" {arrow}", **aria(hidden="true")) if arrow else ""],
        href=href(column, order),
        title=f"Sort by {label.lower()}",
    )
    extra = aria(sort="descending" if by.descending else "ascending") if current else {}
    return html.Th(link, scope="col", className="" if column in TEXT_COLUMNS else "num", **extra)


def league_columns(frame: pl.DataFrame) -> list[str]:
    """The columns in order: rank, organisation, then the figure the league is ranked by, so
    the rank and its reason are read side by side (a daily source ranks on service-days met,
    not on its share of requests, and on a phone the columns after the first few scroll)."""
    columns = [c for c, _ in LEAGUE_HEADS]
    if not frame.height or rank_key(str(frame["grain"][0]), frame["performance"]) != "share_met":
        return columns
    ranked_by = ["periods_met", "share_met"]
    return [*columns[:2], *ranked_by, *(c for c in columns[2:] if c not in ranked_by)]


FIRST_ROWS = 25  # a long table shows these, and links to the rest (`rows=all`)
ALL_ROWS = "all"


@dataclass(frozen=True)
class RowsShown:
    """Whether a long table shows all its rows (`rows=all` in the URL) or its first
    FIRST_ROWS, and its page's URL each way (the rest of the URL as it was)."""

    all: bool
    all_href: str
    first_href: str


def rows_shown(asked: str | None, href: Callable[[dict[str, str]], str]) -> RowsShown:
    """`rows=all` asked for or not; `href(extra)` is the page's URL with `extra` added."""
    return RowsShown(asked == ALL_ROWS, href({"rows": ALL_ROWS}), href({}))


def long_table(
    caption: str, head: Any, rows: list[Any], kind: str, shown: RowsShown | None
) -> html.Div:
    """A captioned table; past FIRST_ROWS rows, the first of them and a link to show all (or,
    when all are shown, a link back to the first), a plain link that keeps the URL's state."""
    total = len(rows)
    if shown is None or total <= FIRST_ROWS:
        return captioned_table(caption, head, rows, kind)
    if shown.all:
        note: list[Any] = [
            f"Showing all {total:,} rows. ",
            dcc.Link(f"Show the first {FIRST_ROWS} only", href=shown.first_href),
        ]
    else:
        rows = rows[:FIRST_ROWS]
        note = [f"Showing the first {FIRST_ROWS} of {total:,} rows. ",
                dcc.Link(f"Show all {total:,} rows", href=shown.all_href)]  # fmt: skip
    return html.Div(
        [captioned_table(caption, head, rows, kind), html.P(note, className="table-more")]
    )


def league_table(
    frame: pl.DataFrame,
    month: dt.date,
    caption: str,
    by: Sort,
    href: Callable[[str, str], str],
    shown: RowsShown | None = None,
) -> html.Div:
    """The league table as an accessible HTML table, each organisation linking to its page,
    each column sortable by its head's link (`href(column, order)` gives the URL). A column
    with nothing to show in any row (counts for a time, a volume no standard names) is left
    out, so the table stays as narrow as it can; a long one shows its first rows unless
    `shown` says all."""
    periods = Grain(frame["grain"][0]).periods_label if frame.height else "Periods"
    words = {"periods": periods, "periods_lower": periods.lower()}
    empty = {
        c for c in ("performance_denominator", "volume") if frame[c].is_null().all()
    } if frame.height else set()  # fmt: skip
    columns = [c for c in league_columns(frame) if c not in empty]
    heads = dict(LEAGUE_HEADS)
    head = html.Tr([sort_head(c, heads[c].format(**words), by, href) for c in columns])
    rows = [html.Tr([cell[c] for c in columns])
            for cell in (league_cells(r, month) for r in frame.iter_rows(named=True))]  # fmt: skip
    return long_table(caption, head, rows, "league-table", shown)


def league_cells(r: dict[str, Any], month: dt.date) -> dict[str, html.Td | html.Th]:
    """One league row's cells, by the column each shows."""
    return {
        "rank": html.Td("–" if r["rank"] is None else str(r["rank"]), className="num"),
        "organisation": html.Th(dcc.Link(r["organisation"], href=department_href(r, month)),
                                scope="row"),
        "performance": html.Td(value_text(r["performance"], str(r["performance_unit"])),
                               className="num"),
        "change_previous": html.Td(change_cell(r, month), className="change"),
        "performance_denominator": html.Td(counts_text(r), className="num"),
        "volume": html.Td(volume_cell(r), className="num volume"),
        "periods_met": html.Td(dcc.Link(f"{r['periods_met']:,} of {r['periods_judged']:,}",
                                        href=verdicts_href(r, month)), className="num"),
        "share_met": html.Td(share_with_interval(r), className="num"),
        "band": html.Td(band_text(r["band"], r["reliability"], r["performance_unit"])),
    }  # fmt: skip


def department_href(row: dict[str, Any], month: dt.date) -> str:
    """A league row's organisation page for the league's month."""
    return f"/department/{row['org_slug']}?month={month_text(month)}"


def verdicts_href(row: dict[str, Any], month: dt.date) -> str:
    """The verdicts a league row counts: `/verdicts/<slug>?month=…&standard=…`."""
    query = urlencode({"month": month_text(month), "standard": row["standard_id"]})
    return f"/verdicts/{row['org_slug']}?{query}"


def change_line(change: float | None, row: dict[str, Any], when: str) -> html.Span:
    """'▲ 2.1 pts on May': the arrow for the eye, 'up' or 'down' for a screen reader, and
    'better' or 'worse' only where the SPC verdict agrees (sentences.judged)."""
    if change is None:
        return html.Span(f"no figure {when}", className="change-line")
    if change == 0:
        return html.Span(f"no change {when}", className="change-line")
    unit, verdict = str(row["performance_unit"]), row["spc_verdict"]
    word = judged(change, str(row["comparator"]), verdict)
    return html.Span(
        [
            html.Span("▲ " if change > 0 else "▼ ", **aria(hidden="true")),
            html.Span("up " if change > 0 else "down ", className="visually-hidden"),
            f"{change_size(change, unit, short=True)} {when}" + (f", {word}" if word else ""),
        ],
        className="change-line",
    )


def change_cell(row: dict[str, Any], month: dt.date) -> list[Any] | str:
    """The row's change on the period before and a year before, and its SPC verdict in a
    word; '–' where the row has no performance (several standards pooled)."""
    if row["performance_unit"] is None:
        return "–"
    grain = Grain(row["grain"])
    lines = [change_line(row["change_previous"], row, "on " + previous_name(month, grain))]
    if grain is not Grain.FISCAL_YEAR:  # the year before is the period before
        lines.append(change_line(row["change_year"], row, "on a year"))
    verdict = str(row["spc_verdict"] or NOT_ENOUGH)
    return [*lines, html.Span(verdict.capitalize(), className="change-line verdict")]


def previous_name(month: dt.date, grain: Grain) -> str:
    """The period before a league's, short: 'May', 'Dec 2014', '2022-23'."""
    before = grain.previous(month) if grain is not Grain.DAY else Grain.MONTH.previous(month)
    if grain is Grain.FISCAL_YEAR:
        return fiscal_year_label(before)
    return f"{before:%B}" if before.year == month.year else f"{before:%b %Y}"


def counts_text(row: dict[str, Any]) -> str:
    """'742 of 864', or 'not published' where a figure comes without its counts."""
    if row["performance_denominator"] is None:
        return "–" if row["performance"] is None else "not published"
    return f"{row['performance_numerator']:,} of {row['performance_denominator']:,}"


def volume_cell(row: dict[str, Any]) -> list[Any] | str:
    """'13,134' and 'down 73.1% on a year' beneath it (the arrow for the eye, the word for a
    screen reader); '–' where the standard names no volume. A volume is neither better nor
    worse for being larger, so the change is never called either."""
    volume, earlier = row["volume"], row["volume_year_earlier"]
    if volume is None:
        return "–"
    if earlier is None:
        return f"{volume:,}"
    change = volume - earlier
    if change == 0 or earlier == 0:
        said = "no change" if change == 0 else f"{abs(change):,} more than none"
        return [f"{volume:,}", html.Span(f"{said} on a year", className="change-line")]
    line = html.Span(
        [
            html.Span("▲ " if change > 0 else "▼ ", **aria(hidden="true")),
            html.Span("up " if change > 0 else "down ", className="visually-hidden"),
            f"{abs(change) / earlier:.1%} on a year",
        ],
        className="change-line",
    )
    return [f"{volume:,}", line]


def share_with_interval(row: dict[str, Any]) -> str:
    """'43% (32–55%)', or '–' when nothing was judged."""
    if row["share_met"] is None:
        return "–"
    low, high = row["share_lower"], row["share_upper"]
    return f"{percent(row['share_met'])} ({low * 100:.0f}–{high * 100:.0f}%)"


def band_text(band: str | None, reliability: str | None, unit: str | None = None) -> str:
    """The funnel-plot band in words; too few judged periods, or a measure with no funnel
    (a time published without its spread), is said, not hidden."""
    if reliability:
        return "Too few periods judged to compare [u]"
    if band is None and unit == "seconds":
        return "No funnel: times are published without their spread"
    if band is None and unit == "count":
        return "No funnel: a count has no share to compare"
    return (band or "–").capitalize()


DayHref = Callable[[dt.date], str] | None
"""The URL of a period's working (`/department/<slug>/<standard>/<period>`), if it has one."""


def period_links(series_url: str, grain: str) -> DayHref:
    """Each period's working, under a series' page: `<series_url>/2015-07-14` (or 2025-01)."""
    return lambda period: f"{series_url}/{Grain(grain).url_text(period)}"


def _day_link(content: Any, day: dt.date, href: DayHref) -> Any:
    """A day's cell content, linked to the requests it counts where there is a page."""
    return dcc.Link(content, href=href(day), className="day-link") if href else content


def _day_cell(day: dt.date, status: str | None, href: DayHref = None) -> html.Td:
    if status is None:
        return html.Td("", className="day day--none")
    parts = [
        html.Span(str(day.day), className="day-num"),
        html.Span(STATUS_MARK[status], className="day-mark", **aria(hidden="true")),
        html.Span(f"{day:%-d %B}: " if href else "", className="visually-hidden"),
        html.Span(STATUS_LABEL[status], className="visually-hidden"),
    ]
    return html.Td(_day_link(parts, day, href), className=f"day day--{status.replace('_', '-')}")


def days_calendar(
    service: str, days: pl.DataFrame, month: dt.date, href: DayHref = None
) -> html.Table:
    """A month calendar, one cell per day; the verdict is a symbol and text, not only colour;
    with `href`, each day links to the requests it counts."""
    status = dict(zip(days["day"], days["status"], strict=True))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    body = [
        html.Tr(
            [_day_cell(d, status.get(d) if d.month == month.month else None, href) for d in week]
        )
        for week in weeks
    ]
    head = html.Tr([html.Th(html.Abbr(n[:3], title=n), scope="col") for n in calendar.day_name])
    return html.Table(
        [
            html.Caption(f"{service}: each day of {month_name(month)}"),
            html.Thead(head),
            html.Tbody(body),
        ],
        className="calendar",
    )


def legend() -> html.Ul:
    """The key to the calendar's symbols."""
    return html.Ul(
        [
            html.Li(
                [html.Span(STATUS_MARK[s], className=f"day-mark day--{s.replace('_', '-')}"),
                 " ", STATUS_LABEL[s]],
            )
            for s in STATUS_LABEL
        ],
        className="legend",
        **aria(label="Key"),
    )  # fmt: skip


def days_table(
    service: str, days: pl.DataFrame, month: dt.date, href: DayHref = None
) -> html.Details:
    """The calendar's figures as a table: due, on time, share and verdict for each day; with
    `href`, each day links to the requests it counts."""
    rows: list[Any] = [
        html.Tr(
            [
                html.Th(_day_link(f"{d['day']:%a %d %b}", d["day"], href), scope="row"),
                html.Td(f"{d['due']:,}", className="num"),
                html.Td(f"{d['on_time']:,}", className="num"),
                html.Td(percent(d["on_time"] / d["due"] if d["due"] else None), className="num"),
                html.Td(STATUS_LABEL[d["status"]]),
            ]
        )
        for d in days.iter_rows(named=True)
    ]
    head = html.Tr(
        [
            html.Th("Day", scope="col"),
            html.Th("Due", scope="col", className="num"),
            html.Th("Closed on time", scope="col", className="num"),
            html.Th("Share on time", scope="col", className="num"),
            html.Th("Verdict", scope="col"),
        ]
    )
    caption = f"{service}, {month_name(month)}"
    return html.Details(
        [
            html.Summary(f"Figures for each day, {service}"),
            captioned_table(caption, head, rows, "days-table"),
        ]
    )


def target_cell(comparator: str, target: float, unit: str) -> str:
    """'≥ 95.0%': the standard's sign and target, as a table cell shows it."""
    return f"{comparator_sign(comparator)} {value_text(target, unit)}"


def months_table(part: pl.DataFrame, href: DayHref = None) -> html.Div:
    """One standard's judged months as a table: figure, target and verdict for each; with
    `href`, each month links to the published row it was judged on."""
    unit = str(part["unit"][0])
    rows = [
        html.Tr(
            [
                html.Th(
                    _day_link(f"{r['period_start']:%B %Y}", r["period_start"], href), scope="row"
                ),
                html.Td(value_text(r["value"], unit), className="num"),
                html.Td(target_cell(r["comparator"], r["target"], unit), className="num"),
                html.Td(MONTH_STATUS[r["status"]]),
            ]
        )
        for r in part.iter_rows(named=True)
    ]
    head = html.Tr(
        [
            html.Th("Month", scope="col"),
            html.Th("Figure" + (" (min:sec)" if unit == "seconds" else ""), scope="col",
                    className="num"),
            html.Th("Standard", scope="col", className="num"),
            html.Th("Verdict", scope="col"),
        ]
    )  # fmt: skip
    caption = f"{part['service'][0]}: each month"
    return captioned_table(caption, head, rows, "months-table")


def table_region(table: html.Table, label: str) -> html.Div:
    """A table in a labelled region that takes keyboard focus, so it can scroll sideways
    (WCAG 2.1.1: a region that may scroll must be reachable by keyboard)."""
    return html.Div(table, className="table-wrap", tabIndex=0, role="region", **aria(label=label))


def captioned_table(caption: str, head: Any, rows: list[Any], kind: str = "") -> html.Div:
    """A table with its caption, head and rows, in a scrollable labelled region; `kind` is an
    extra class naming the table (e.g. 'league-table') for styles and tests."""
    table = html.Table(
        [html.Caption(caption), html.Thead(head), html.Tbody(rows)],
        className=f"table {kind}".strip(),
    )
    return table_region(table, caption)


def standards_year_table(
    frame: pl.DataFrame, pages: dict[str, str], caption: str, shown: RowsShown | None = None
) -> html.Div:
    """An organisation's yearly standards (rows of `judgements`), one row each: the service,
    linked to its page through `pages` (standard id -> URL), the standard, figure and verdict."""
    rows = [
        html.Tr(
            [
                html.Th(html.A(r["service"], href=pages[r["standard_id"]]), scope="row"),
                html.Td(r["standard"]),
                html.Td(value_text(r["value"], str(r["unit"])), className="num"),
                html.Td(target_cell(r["comparator"], r["target"], str(r["unit"])), className="num"),
                html.Td(MONTH_STATUS[r["status"]]),
            ]
        )
        for r in frame.iter_rows(named=True)
    ]  # fmt: skip
    head = html.Tr(
        [
            html.Th("Service", scope="col"),
            html.Th("Standard", scope="col"),
            html.Th("Performance", scope="col", className="num"),
            html.Th("Target", scope="col", className="num"),
            html.Th("Verdict", scope="col"),
        ]
    )
    return long_table(caption, head, rows, "standards-table", shown)


def month_label(period: dt.date) -> str:
    """'Jun 24': short enough for a cell."""
    return f"{period:%b %y}"


def months_strip(
    part: pl.DataFrame, label: str, label_of: Callable[[dt.date], str] = month_label
) -> html.Ol:
    """A row of period cells, each with its verdict as a mark and in words, oldest first."""
    cells = [
        html.Li(
            [
                html.Span(label_of(r["period_start"]), className="day-num"),
                html.Span(MONTH_MARK[r["status"]], className="day-mark", **aria(hidden="true")),
                html.Span(f" {MONTH_STATUS[r['status']]}", className="visually-hidden"),
            ],
            className=f"day month-cell day--{r['status'].replace('_', '-')}",
        )
        for r in part.sort("period_start").iter_rows(named=True)
    ]
    return html.Ol(cells, className="months-strip", **aria(label=label))


def days_met_months_table(pooled: pl.DataFrame, caption: str) -> html.Div:
    """A daily standard month by month: days met, days judged, pooled share and its verdict."""
    head = html.Tr(
        [html.Th("Month", scope="col")]
        + [
            html.Th(t, scope="col", className="num")
            for t in ("Days met", "Days judged", "Due", "On time", "Pooled share")
        ]
        + [html.Th("Pooled verdict", scope="col")]
    )
    rows = [
        html.Tr(
            [html.Th(f"{r['period_start']:%B %Y}", scope="row")]
            + [
                html.Td(f"{n:,}", className="num")
                for n in (
                    r["days_met"],
                    r["days_met"] + r["days_not_met"],
                    r["denominator"],
                    r["numerator"],
                )
            ]
            + [
                html.Td(value_text(r["value"], "share"), className="num"),
                html.Td(MONTH_STATUS[r["status"]]),
            ]
        )
        for r in pooled.iter_rows(named=True)
    ]
    return captioned_table(caption, head, rows)
