"""The league's first screen answers a reader's questions: who is best and worst among like
organisations (linked, ties said), whether the group is getting better (its pooled figure,
change and SPC verdict, stored at ingest), and whose standard it is judged against."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import polars as pl
import pytest
from dash import html
from dash.development.base_component import Component

from dashboard.ui.group import ends_parts
from tests.test_whose_standard import page_layout, text, walk

CONSTITUTION = (
    "https://www.gov.uk/government/publications/the-nhs-constitution-for-england/"
    "the-handbook-to-the-nhs-constitution-for-england"
)


def group_row(con: duckdb.DuckDBPyConnection, area: str, group: str, period: str) -> dict[str, Any]:
    frame = con.sql(
        "SELECT * FROM group_trends WHERE jurisdiction = $a AND peer_group = $g AND period = $p",
        params={"a": area, "g": group, "p": dt.date.fromisoformat(period)},
    ).pl()
    assert frame.height == 1, frame
    row: dict[str, Any] = frame.row(0, named=True)
    return row


def test_the_type_1_groups_pooled_figure_for_june_2025(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # By hand from the raw CSVs (Monthly-AE-June-2025-1-1.csv, Monthly-AE-May-2025.csv), every
    # provider row but TOTAL: Type 1 plus booked Type 1 attendances, less those over 4 hours.
    # June 2025: 881,692 of 1,428,563 within 4 hours (61.72%); May 2025: 889,434 of
    # 1,453,036 (61.21%); a change of +0.507 points. (NHS England's own Type 1 figure.)
    june = group_row(bundled_con, "NHS England", "type-1", "2025-06-01")
    assert (june["numerator"], june["denominator"]) == (881_692, 1_428_563)
    assert june["change_previous"] == pytest.approx(881_692 / 1_428_563 - 889_434 / 1_453_036)
    assert june["figures"] == 121  # providers with Type 1 attendances in June 2025


def test_bostons_pooled_figure_for_july_2015_and_its_verdict(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # By hand from the raw Boston CSVs (distinct CASE_ENQUIRY_ID, TARGET_DT's local day):
    # July 2015 2,420 of 4,321 requests due closed by their target (56.0%); June 2,287 of
    # 3,898 (58.7%). January to July: 56.9, 42.7, 50.8, 56.5, 55.6, 58.7, 56.0%; mean 53.9%,
    # average moving range 5.75 points, limits 38.6% to 69.2%: July is inside, no run of 7
    # on one side nor a trend of 7, so no significant change.
    july = group_row(bundled_con, "Boston", "departments", "2015-07-01")
    assert (july["numerator"], july["denominator"]) == (2_420, 4_321)
    assert july["change_previous"] == pytest.approx(2_420 / 4_321 - 2_287 / 3_898)
    assert july["spc_verdict"] == "no significant change"


def lead_parts(layout: object) -> dict[str, Component]:
    return {
        str(getattr(c, "className", "")): c
        for c in walk(layout)
        if getattr(c, "className", "") in ("lead", "lead-ends", "lead-trend")
    }


def hrefs(node: object) -> list[str]:
    return [str(getattr(c, "href", "")) for c in walk(node) if isinstance(c, html.A)]


def test_the_nhs_league_names_best_and_worst_and_the_trend(bundled_reader: None) -> None:
    layout = page_layout("home")(jurisdiction="nhs-england", month="2025-06")
    parts = lead_parts(layout)
    # By hand from the twelve raw CSVs July 2024 to June 2025, Type 1 and booked Type 1
    # attendances summed per provider: Sheffield Children's 91.45% (the highest of the 124
    # providers with Type 1 attendances), Mid Cheshire 42.25% (the lowest, 35,516 of 84,062).
    assert text(parts["lead-ends"]) == (
        "Best: SHEFFIELD CHILDREN'S NHS FOUNDATION TRUST, 91.4%. "
        "Worst: MID CHESHIRE HOSPITALS NHS FOUNDATION TRUST, 42.2%."
    )
    assert hrefs(parts["lead-ends"]) == [
        "/department/nhs-england-sheffield-children-s-nhs-foundation-trust?month=2025-06",
        "/department/nhs-england-mid-cheshire-hospitals-nhs-foundation-trust?month=2025-06",
    ]
    assert text(parts["lead-trend"]).startswith(
        "Trend: no significant change. Pooled figure for June 2025: 61.7%, up 0.5 percentage "
        "points on May 2025, within its usual variation."
    )
    assert "/methodology#usual-variation" in hrefs(parts["lead-trend"])
    # Whose standard: NHS England's, linked to the NHS Constitution's handbook.
    assert "(against NHS England's standard: ≥ 95%)." in text(parts["lead"])
    assert hrefs(parts["lead"]) == ["/methodology#standard-month", CONSTITUTION]


def test_the_boston_league_says_its_trend(bundled_reader: None) -> None:
    parts = lead_parts(page_layout("home")(jurisdiction="boston", month="2015-07"))
    assert text(parts["lead-trend"]).startswith(
        "Trend: no significant change. Pooled figure for July 2015: 56.0%, down 2.7 "
        "percentage points on June 2015, within its usual variation."
    )
    assert "a share set by this tracker" in text(parts["lead"])


def test_the_ambulance_league_opens_on_c1_mean_and_counts_trends_when_pooled(
    bundled_reader: None,
) -> None:
    """By default the league is the trusts' Category 1 mean (the group's declared headline
    standard). AmbSYS.csv by hand, column A25 of the 11 trusts (codes R…, not regions or
    England): January 2021 averages 463.45 s (7:43), December 2020 454.36 s, up 9 seconds.
    With every standard pooled, the trend is counted standard by standard."""
    home = page_layout("home")
    parts = lead_parts(home(jurisdiction="nhs-england-ambulance-services"))
    said = text(parts["lead-trend"])
    assert said.startswith(
        "Trend: no significant change. Average of its members' figures for January 2021: "
        "7:43, up 9 seconds on December 2020, within its usual variation."
    )
    assert "(against NHS England's standard: ≤ 7 minutes)" in text(parts["lead"])
    pooled = lead_parts(home(jurisdiction="nhs-england-ambulance-services", standard="all"))
    said = text(pooled["lead-trend"])
    assert said.startswith("Trend: by standard. In January 2021: ")
    assert "of its 6 standards" in said
    assert "(against NHS England's standards)" in text(pooled["lead"])


def league(rows: Sequence[tuple[int | None, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(r, o, o.lower(), p, "month", "share", 1.0) for r, o, p in rows],
        schema=["rank", "organisation", "org_slug", "performance", "grain",
                "performance_unit", "share_met"],
        orient="row",
    )  # fmt: skip


def test_ties_at_either_end_are_said_as_ties() -> None:
    rows = [(1, "A", 1.0), (1, "B", 1.0), (3, "C", 0.9), (4, "D", 0.5), (4, "E", 0.5),
            (4, "F", 0.5), (4, "G", 0.5), (None, "H", 0.1)]  # fmt: skip
    said = "Best: 2 tied at 100.0%: A and B. Worst: 4 tied at 50.0%: D, E, F and G."
    assert text(ends_parts(league(rows))) == said
    many = [(1, chr(65 + i), 1.0) for i in range(6)] + [(7, "Z", 0.2)]
    assert text(ends_parts(league(many))).startswith(
        "Best: 6 tied at 100.0%: A, B, C and 3 others."
    )
    assert text(ends_parts(league([(1, "A", 1.0), (1, "B", 1.0)]))) == (
        "All 2 ranked organisations tie."
    )
