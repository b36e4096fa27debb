"""The league through real gunicorn and headless Chromium: sorting by keyboard at a desktop
and a phone width, the sorted column announced, and screenshots of three areas' leagues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.test_site_pages import close, new_page

pytestmark = pytest.mark.browser

LEAGUES = {
    "boston": "/?jurisdiction=boston&month=2015-07",
    "nhs-england": "/?jurisdiction=nhs-england&month=2025-06",
    "ambulance": "/?jurisdiction=nhs-england-ambulance-services&standard=arp-c2-mean",
}


@pytest.mark.parametrize("width", [1280, 375])
def test_sort_the_league_by_keyboard(browser: Browser, site: str, width: int) -> None:
    page = new_page(browser, width)
    page.goto(site + LEAGUES["boston"])
    table = page.locator("table.league-table")
    # Boston is a daily source: sorted by share of service-days met, best first.
    expect(table.locator("th[aria-sort]")).to_have_count(1)
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    expect(table.locator("th[aria-sort]")).to_contain_text("Share of service-days met")
    head = table.get_by_role("link", name="Performance")
    head.focus()
    page.keyboard.press("Enter")
    sorted_url = "/?jurisdiction=boston&month=2015-07&sort=performance&order=desc"
    expect(page).to_have_url(site + sorted_url)
    sorted_head = table.locator("th[aria-sort]")
    expect(sorted_head).to_contain_text("Performance")
    expect(sorted_head).to_have_attribute("aria-sort", "descending")
    # Cells after the rank (the organisation is each row's header): service-days met, their
    # share, then performance.
    first = table.locator("tbody tr").first.locator("td").nth(3)
    expect(first).to_have_text("87.4%")  # Transportation - Traffic: 689 of 788 due on time
    # Following the sorted head again reverses it: worst first.
    again = table.get_by_role("link", name="Performance")
    expect(again).to_have_attribute("href", sorted_url.replace("desc", "asc"))
    again.focus()
    expect(again).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + sorted_url.replace("desc", "asc"), timeout=20_000)
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
    rows = table.locator("tbody tr")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("0.0%")  # Water & Sewer: 0 of 3
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("29.6%")  # Inspectional: 465 of 1,573
    close(page)


@pytest.mark.parametrize("name", LEAGUES)
def test_screenshot_of_each_league(browser: Browser, site: str, artifacts: Path, name: str) -> None:
    page = new_page(browser, 1280)
    page.goto(site + LEAGUES[name])
    expect(page.locator("table.league-table tbody tr").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / f"league-{name}-1280.png", timeout=90_000)
    close(page)


CHANGES = {**LEAGUES, "nhs-england": LEAGUES["nhs-england"] + "&standard=nhs-ae-4-hours"}


@pytest.mark.parametrize("name", CHANGES)
def test_the_change_column_stays_in_its_box_on_a_phone(
    browser: Browser, site: str, name: str
) -> None:
    page = new_page(browser, 375)
    page.goto(site + CHANGES[name])
    table = page.locator("table.league-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(table.locator(".change .visually-hidden").first).to_have_text(re.compile("up|down"))
    # The hidden "up"/"down" words stay inside the scrolling table: the page never scrolls.
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    close(page)


def test_sort_by_change_by_keyboard(browser: Browser, site: str) -> None:
    page = new_page(browser, 375)
    page.goto(site + LEAGUES["boston"])
    table = page.locator("table.league-table")
    head = table.get_by_role("link", name="Change")
    head.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + LEAGUES["boston"] + "&sort=change_previous&order=desc")
    expect(table.locator("th[aria-sort]")).to_contain_text("Change", timeout=20_000)
    expect(table.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
    # July 2015 on June from the bundled files (requests due in the month, closed by target):
    # Transportation 689/788 - 502/660 = +11.4 points, Property Management 508/686 - 541/770 =
    # +3.8, Parks 200/355 - 183/319 = -1.0, Public Works 558/916 - 653/1047 = -1.5,
    # Inspectional 465/1573 - 408/1102 = -7.5; Water & Sewer had nothing due in June: last.
    expect(table.locator("tbody th a")).to_have_text(
        [
            "Transportation - Traffic Division",
            "Property Management",
            "Parks & Recreation Department",
            "Public Works Department",
            "Inspectional Services",
            "Boston Water & Sewer Commission",
        ]
    )
    close(page)
