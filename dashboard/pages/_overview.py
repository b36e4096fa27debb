"""`/` with no parameters: every area in one view, newest figures first: its latest period,
its headline, its best and worst organisation, how current it is, and a link to its league."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import html

from dashboard.ui import currency, terms
from dashboard.ui.group import ends_parts, headline_parts, trend_parts
from dashboard.ui.whose import linked_note
from metrics import queries
from metrics.wording import league_window


def compared_groups(groups: pl.DataFrame) -> list[tuple[str | None, str | None]]:
    """The peer groups (rows of `queries.peer_groups`) an area's overview names best and worst
    in: (id, label) of each group compared on one standard (the first group where none is),
    or the area's league where it declares no group."""
    if not groups.height:
        return [(None, None)]
    compared = groups.filter(pl.col("standard_id").is_not_null())
    chosen = compared if compared.height else groups.head(1)
    return list(zip(chosen["peer_group"], chosen["label"], strict=True))


def group_line(
    area: str, month: Any, group: str | None, label: str | None, several: bool
) -> list[str | html.A]:
    """'Major emergency departments (Type 1). Best: A, 76.2%. Worst: B, 40.1%. Trend: no
    significant change. Pooled figure for June 2025: …', names linked to their pages."""
    league = queries.league_table(area, month, peer_group=group)
    said = ends_parts(league, month) if league.height else ["No figures."]
    trend = trend_parts(queries.group_trends(area, month, peer_group=group))
    standard = str(league["standard_id"][0]) if league.height else "all"
    whose_said = linked_note(standard, area)
    named = [f"{label}", *whose_said, ". "] if several and label else []
    return [*named, *said, " ", *trend]


def area_section(area: dict[str, Any]) -> html.Section:
    """One area's latest league in a few lines, linking to the league itself."""
    name, month = str(area["jurisdiction"]), area["last_month"]
    league = queries.league_table(name, month)
    window = league_window(str(area["grain"]), month)
    href = "/?" + urlencode({"jurisdiction": area["slug"], "month": f"{month:%Y-%m}"})
    declared = queries.peer_groups(name)
    default = str(declared["label"][0]) if declared.height > 1 else None
    groups = compared_groups(declared)
    several = len(groups) > 1
    lines = [group_line(name, month, g, label, several) for g, label in groups]
    return html.Section(
        [
            html.H2(html.A(name, href=href)),
            *currency.currency_note(name),
            html.P(
                [
                    *headline_parts(league, name, window, default),
                    *([] if several else linked_note(str(league["standard_id"][0]), name)),
                    ".",
                ],
                className="overview-headline",
            ),
            html.Ul([html.Li(line) for line in lines], className="overview-ends")
            if several
            else html.P(lines[0]),
            html.P(html.A(f"{name}: the league table", href=href)),
        ],
        className="area-summary",
    )


OVERVIEW_TERMS = ["standard", "service-day", "standard-month", "peer-group", "usual-variation",
                  "performance"]  # fmt: skip
"""The terms the overview uses."""


def overview() -> html.Div:
    """Every area with figures, the most current first."""
    areas = queries.jurisdictions().sort("last_month", descending=True)
    return html.Div(
        [
            html.H1("Did public services meet their published standards?"),
            html.P(
                f"Figures from {areas.height} areas' own published files, each judged against "
                "the standard in force. The most current come first; each links to its full "
                "league table of organisations.",
                className="lead",
            ),
            terms.explained(OVERVIEW_TERMS, "overview"),
            *(area_section(a) for a in areas.iter_rows(named=True)),
        ]
    )
