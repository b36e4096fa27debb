"""Story first: how current the figures are beside the headline, an overview of every area at
`/`, and the headline and first rows of the table on the first screen of a phone."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from dash import html
from playwright.sync_api import Browser, expect

from dashboard.pages._glance import ordinal
from dashboard.ui.currency import Currency, age_words, sentences
from metrics.grain import Grain
from tests.helpers import fetch
from tests.test_whose_standard import page_layout, text, walk

BOSTON = Currency(
    area="Boston",
    publisher="City of Boston",
    grain=Grain.DAY,
    latest=dt.date(2015, 12, 1),
    next_due=dt.date(2016, 1, 13),
    overdue=True,
)


def test_an_overdue_area_says_how_old_and_when_newer_were_due() -> None:
    # December 2015 ends on 31 December 2015; on 3 December 2026 that is 10 years and 11
    # months earlier, so "10 years old".
    assert sentences(BOSTON, dt.date(2026, 12, 3)) == [
        "Latest figures: December 2015, 10 years old (City of Boston).",
        "Newer figures were due by 13 January 2016; none have reached us.",
    ]


def test_a_current_area_says_nothing_of_age_or_lateness() -> None:
    nhs = Currency("NHS England", "NHS England", Grain.MONTH, dt.date(2025, 6, 1),
                   dt.date(2025, 8, 15), overdue=False)  # fmt: skip
    assert sentences(nhs, dt.date(2025, 8, 1)) == ["Latest figures: June 2025 (NHS England)."]


@pytest.mark.parametrize(
    ("end", "on", "words"),
    [
        (dt.date(2025, 6, 30), dt.date(2025, 8, 29), ""),  # 1 month and 30 days
        (dt.date(2025, 6, 30), dt.date(2025, 8, 30), "2 months old"),
        (dt.date(2025, 6, 30), dt.date(2026, 6, 29), "11 months old"),
        (dt.date(2025, 6, 30), dt.date(2026, 6, 30), "1 year old"),
        (dt.date(2024, 3, 31), dt.date(2026, 12, 3), "2 years old"),
    ],
)
def test_age_in_whole_months_and_years(end: dt.date, on: dt.date, words: str) -> None:
    assert age_words(end, on) == words


def test_periods_end_on_their_last_day() -> None:
    assert Grain.MONTH.end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert Grain.MONTH.end(dt.date(2015, 12, 1)) == dt.date(2015, 12, 31)
    assert Grain.FISCAL_YEAR.end(dt.date(2023, 4, 1)) == dt.date(2024, 3, 31)
    assert Grain.DAY.end(dt.date(2015, 7, 14)) == dt.date(2015, 7, 14)


def test_an_earlier_month_links_to_the_latest(bundled_reader: None) -> None:
    layout = page_layout("home")(jurisdiction="boston", month="2015-07")
    [note] = [c for c in walk(layout) if getattr(c, "className", "") == "currency"]
    assert text(note).startswith("Latest figures: December 2015")
    assert "Shown: July 2015 (see the latest)." in text(note)
    links = [getattr(c, "href", None) for c in walk(note) if getattr(c, "href", None)]
    assert links == ["/?jurisdiction=boston&month=2015-12"]


def league_rows(site: str, query: str) -> list[dict[str, str]]:
    status, _, body = fetch(f"{site}/download/league.csv?{query}")
    assert status == 200
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_overview_names_every_area_newest_first_with_its_best_and_worst(
    site: str, bundled_reader: None
) -> None:
    layout = page_layout("home")()
    sections = [c for c in walk(layout) if getattr(c, "className", "") == "area-summary"]
    names = [text(s.children[0]) for s in sections]
    # Latest periods held: NHS England June 2025, Scotland May 2023, Canada 2023-24 (from
    # April 2023), Northern Ireland March 2021, ambulance January 2021, Boston December 2015,
    # New York City December 2013.
    assert names == [
        "NHS England", "NHS Scotland", "Government of Canada", "Northern Ireland",
        "NHS England ambulance services", "Boston", "New York City",
    ]  # fmt: skip
    boston = text(sections[names.index("Boston")])
    assert "Latest figures: December 2015" in boston
    # Boston's league for December 2015, as the journalists' file gives it: rank 1 and the
    # last rank are the overview's best and worst, with their share of service-days met.
    rows = [r for r in league_rows(site, "jurisdiction=boston&month=2015-12") if r["rank"]]
    best = min(rows, key=lambda r: int(r["rank"]))
    worst = max(rows, key=lambda r: int(r["rank"]))
    share = round(100 * float(best["share_met"]))
    assert f"Best: {best['organisation']}, {share}% of service-days met." in boston
    assert f"Worst: {worst['organisation']}, " in boston
    links = {getattr(c, "href", None) for c in walk(sections[names.index("Boston")])}
    assert "/?jurisdiction=boston&month=2015-12" in links


def test_the_overview_names_best_and_worst_within_each_peer_group(
    site: str, bundled_reader: None
) -> None:
    layout = page_layout("home")()
    [nhs] = [text(c) for c in walk(layout) if getattr(c, "className", "") == "area-summary"
             and text(c).startswith("NHS England") and "ambulance" not in text(c)[:40]]  # fmt: skip
    for group, label in (
        ("type-1", "Major emergency departments (Type 1)"),
        ("urgent-care", "Urgent treatment centres, minor injury units and walk-in centres"),
    ):
        rows = league_rows(site, f"jurisdiction=nhs-england&month=2025-06&peer_group={group}")
        ranked = [r for r in rows if r["rank"] and r["standard_id"] != "all"]
        best = min(ranked, key=lambda r: (int(r["rank"]), r["organisation"]))
        worst = max(ranked, key=lambda r: int(r["rank"]))
        # Each group says whose standard it is judged against; a tie at the top is said.
        assert f"{label} (against NHS England's standard: ≥ 95%). Best: " in nhs
        tied = [r for r in ranked if r["rank"] == best["rank"]]
        if len(tied) > 1:
            assert f"Best: {len(tied)} tied at " in nhs
        assert best["organisation"] in nhs
        assert f"Worst: {worst['organisation']}, " in nhs


def test_the_headline_is_a_record_that_counts_even_a_share_under_one_percent(
    bundled_reader: None,
) -> None:
    # By hand, duckdb over the twelve monthly CSVs (July 2024 to June 2025, June 2024 left
    # out): 122 providers with Type 1 attendances in each month to December, 121 after, so
    # 1,458 trust-months; two were at or above 95% (Type 1 incl. booked appointments, all
    # in August 2024: Birmingham Women's and Children's 3,582 of 3,730, 96.0%; Sheffield
    # Children's 3,620 of 3,800, 95.3%). 2 of 1,458 is 0.14%: the sentence gives the count.
    layout = page_layout("home")()
    [nhs] = [text(c) for c in walk(layout) if getattr(c, "className", "") == "area-summary"
             and text(c).startswith("NHS England") and "ambulance" not in text(c)[:40]]  # fmt: skip
    assert (
        "Across 122 NHS England major emergency departments (Type 1), standards were met on "
        "2 of 1,458 standard-months in 12 months to June 2025." in nhs
    )
    assert "(0%)" not in nhs


FIRST_SCREEN = ["/?jurisdiction=boston&month=2015-07", "/?jurisdiction=nhs-england"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", FIRST_SCREEN)
def test_the_headline_and_first_row_are_on_the_first_screen(
    browser: Browser, site: str, path: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(site + path)
    # The headline, the group's best and worst, its trend and the first row of the table.
    lead, ends, trend = (page.locator(f"p.{c}") for c in ("lead", "lead-ends", "lead-trend"))
    row = page.locator("table.league-table tbody tr").first
    expect(row).to_be_visible()
    expect(ends).to_contain_text("Worst: ")
    expect(trend).to_contain_text("Trend: ")
    for shown in (page.locator("h1"), page.locator("p.currency"), lead, ends, trend, row):
        box = shown.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, (path, width, box)
    page.close()


def test_a_department_opens_with_its_record_rank_and_services_worst_first(
    bundled_reader: None,
) -> None:
    layout = page_layout("department")(slug="boston-public-works-department", month="2015-07")
    [glance] = [c for c in walk(layout) if getattr(c, "className", "") == "glance"]
    said = text(glance)
    # July 2015, by hand from the days-met records: Street Light Outages 398 of 567 due on
    # time, 1 of 23 days met; Sidewalk Repair (Make Safe) 160 of 349, 0 of 23 days met;
    # Misc. Snow Complaint had nothing due. Together 558 of 916 (61%), 1 of 46 days.
    assert "met its standards on 1 of 46 service-days; 558 of 916 requests due (61%)" in said
    # Boston's July 2015 league: Public Works is last of the 5 ranked, with 1 of 46 days (2%);
    # the league's headline gives the departments' 15%.
    assert "Ranked 5th of the 5 ranked Boston organisations" in said
    assert "(2%, against their average of 15%)" in said
    services = [text(li) for c in walk(glance) if isinstance(c, html.Ol) for li in c.children]
    assert services == [
        "Sidewalk Repair (Make Safe): met on 0 of 23 days; 46% of 349 requests due closed on time.",
        "Street Light Outages: met on 1 of 23 days; 70% of 567 requests due closed on time.",
    ]
    assert "Nothing was due this month for: Misc. Snow Complaint." in said
    # Sections follow in the same order; the service with nothing due has none.
    sections = [c for c in walk(layout) if getattr(c, "className", "") == "service"]
    assert [text(s.children[0]) for s in sections] == [
        "Sidewalk Repair (Make Safe)", "Street Light Outages",
    ]  # fmt: skip


@pytest.mark.parametrize(("n", "said"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                         (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
                                         (22, "22nd"), (101, "101st"), (111, "111th")])  # fmt: skip
def test_ordinals(n: int, said: str) -> None:
    assert ordinal(n) == said


def test_methodology_says_it_in_plain_words_before_the_formulas(bundled_reader: None) -> None:
    layout = page_layout("methodology")()
    headings = [text(c) for c in walk(layout) if isinstance(c, html.H2)]
    assert headings.index("In plain words") < headings.index("Measures")
    anchors = {getattr(c, "id", None) for c in walk(layout) if isinstance(c, html.Dt)}
    assert {"service-day", "standard-month", "performance", "peer-group",
            "compared-with-others", "usual-variation"} <= anchors  # fmt: skip
    league = page_layout("home")(jurisdiction="boston")
    hrefs = [getattr(c, "href", None) for c in walk(league)]
    assert "/methodology#service-day" in hrefs
