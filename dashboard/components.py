"""Pure builders from metrics frames to page components; unit-tested without a browser."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import polars as pl
from dash import dcc, html

from dashboard.params import month_text
from metrics.wording import fiscal_year_label, month_name, percent

STATUS_LABEL = {"met": "Met", "not_met": "Not met", "not_applicable": "Nothing due"}
STATUS_MARK = {"met": "✓", "not_met": "✗", "not_applicable": "–"}


def aria(**attributes: str) -> dict[str, Any]:
    """ARIA attributes for a Dash component: aria(label="Key") -> {"aria-label": "Key"}."""
    return {f"aria-{name}": value for name, value in attributes.items()}


def _select(label: str, name: str, options: list[tuple[str, str]], chosen: str) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=name, className="label"),
            html.Select(
                [
                    html.Option(text, value=value, selected=value == chosen)
                    for value, text in options
                ],
                id=name,
                name=name,
                className="select",
            ),
        ],
        className="form-group",
    )


def view_form(
    action: str,
    months: list[dt.date],
    chosen: dt.date | None,
    jurisdiction: str = "",
    grain: str = "day",
) -> html.Form:
    """A plain GET form, so the chosen month lands in the URL and works without scripts.
    Standards judged by fiscal year choose a year, named as the agency names it ('2023-24')."""
    yearly = grain == "fiscal_year"
    name_of = fiscal_year_label if yearly else month_name
    month_options = [(month_text(m), name_of(m)) for m in reversed(months)]
    chosen_text = month_text(chosen) if chosen else ""
    hidden = [
        html.Div(
            dcc.Input(type="hidden", name="jurisdiction", value=jurisdiction),
            className="hidden-fields",
        )
    ]
    return html.Form(
        [
            *(hidden if jurisdiction else []),
            _select("Fiscal year" if yearly else "Month", "month", month_options, chosen_text),
            html.Button("Show", type="submit", className="button"),
        ],
        method="get",
        action=action,
        className="month-form",
    )


def area_nav(options: list[tuple[str, str]], chosen: str, base: str = "/") -> html.Nav:
    """Links to each area's view at `base` (the league table by default); the current one
    is marked for all users."""
    items = [
        html.Li(
            html.A(name, href=f"{base}?jurisdiction={slug}", **aria(current="page"))
            if slug == chosen
            else html.A(name, href=f"{base}?jurisdiction={slug}")
        )
        for slug, name in options
    ]
    return html.Nav(
        [html.H2("Areas", className="nav-heading"), html.Ul(items, className="area-list")],
        className="area-nav",
        **aria(label="Areas"),
    )


def notice(message: str | None) -> html.Div | None:
    """A visible, announced message about the request (e.g. a month with no figures)."""
    if not message:
        return None
    return html.Div(message, className="notice", role="status")


PERIOD_WORD = {"day": "Service-days", "month": "Standard-months", "fiscal_year": "Standard-years"}


def league_table(frame: pl.DataFrame, month: dt.date, caption: str) -> html.Div:
    """The league table as an accessible HTML table, each organisation linking to its page."""
    periods = PERIOD_WORD[str(frame["grain"][0])] if frame.height else "Periods"
    head = html.Tr(
        [
            html.Th("Rank", scope="col", className="num"),
            html.Th("Organisation", scope="col"),
            html.Th(f"{periods} met", scope="col", className="num"),
            html.Th(f"{periods} judged", scope="col", className="num"),
            html.Th("Share met (95% interval)", scope="col", className="num"),
            html.Th("Compared with the others", scope="col"),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Td("–" if r["rank"] is None else str(r["rank"]), className="num"),
                html.Th(
                    dcc.Link(
                        r["organisation"],
                        href=f"/department/{r['org_slug']}?month={month_text(month)}",
                    ),
                    scope="row",
                ),
                html.Td(f"{r['periods_met']:,}", className="num"),
                html.Td(f"{r['periods_judged']:,}", className="num"),
                html.Td(share_with_interval(r), className="num"),
                html.Td(band_text(r["band"], r["reliability"])),
            ]
        )
        for r in frame.iter_rows(named=True)
    ]
    return captioned_table(caption, head, rows, "league-table")


def share_with_interval(row: dict[str, Any]) -> str:
    """'43% (32–55%)', or '–' when nothing was judged."""
    if row["share_met"] is None:
        return "–"
    low, high = row["share_lower"], row["share_upper"]
    return f"{percent(row['share_met'])} ({low * 100:.0f}–{high * 100:.0f}%)"


def band_text(band: str | None, reliability: str | None) -> str:
    """The funnel-plot band in words; too few judged periods is said, not hidden."""
    if reliability:
        return "Too few periods judged to compare [u]"
    return (band or "–").capitalize()


def _day_cell(day: dt.date, status: str | None) -> html.Td:
    if status is None:
        return html.Td("", className="day day--none")
    return html.Td(
        [
            html.Span(str(day.day), className="day-num"),
            html.Span(STATUS_MARK[status], className="day-mark", **aria(hidden="true")),
            html.Span(STATUS_LABEL[status], className="visually-hidden"),
        ],
        className=f"day day--{status.replace('_', '-')}",
    )


def days_calendar(service: str, days: pl.DataFrame, month: dt.date) -> html.Table:
    """A month calendar, one cell per day; the verdict is a symbol and text, not only colour."""
    status = dict(zip(days["day"], days["status"], strict=True))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    body = [
        html.Tr([_day_cell(d, status.get(d) if d.month == month.month else None) for d in week])
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


def days_table(service: str, days: pl.DataFrame, month: dt.date) -> html.Details:
    """The calendar's figures as a table: due, on time, share and verdict for each day."""
    rows: list[Any] = [
        html.Tr(
            [
                html.Th(f"{d['day']:%a %d %b}", scope="row"),
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


MONTH_STATUS = {**STATUS_LABEL, "not_applicable": "Not applicable", "no_data": "No data"}


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "seconds":
        minutes, seconds = divmod(round(value), 60)
        return f"{minutes}:{seconds:02d}"
    return f"{value * 100:.1f}%"


def months_table(part: pl.DataFrame) -> html.Div:
    """One standard's judged months as a table: figure, target and verdict for each."""
    unit = str(part["unit"][0])
    rows = [
        html.Tr(
            [
                html.Th(f"{r['period_start']:%B %Y}", scope="row"),
                html.Td(_figure(r["value"], unit), className="num"),
                html.Td(f"{r['comparator']} {_figure(r['target'], unit)}", className="num"),
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


def standards_year_table(frame: pl.DataFrame, pages: dict[str, str], caption: str) -> html.Div:
    """An organisation's yearly standards (rows of `judgements`), one row each: the service,
    linked to its page through `pages` (standard id -> URL), the standard, figure and verdict."""
    rows = [
        html.Tr(
            [
                html.Th(html.A(r["service"], href=pages[r["standard_id"]]), scope="row"),
                html.Td(r["standard"]),
                html.Td(_figure(r["value"], str(r["unit"])), className="num"),
                html.Td(f"{r['comparator']} {_figure(r['target'], str(r['unit']))}",
                        className="num"),
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
    return captioned_table(caption, head, rows, "standards-table")
