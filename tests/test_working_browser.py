"""The working pages in real headless Chromium at a desktop and a phone width: axe-core finds
nothing serious, nothing scrolls sideways, and the calendar's days reach their requests by
keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.test_accessibility import describe, open_page, serious_violations

pytestmark = pytest.mark.browser

PWD = "boston-public-works-department"
PAGES = {
    "day": f"/department/{PWD}/street-light-outages/2015-07-14",
    "day-page-2": f"/department/{PWD}/street-light-outages/2015-01-20"
    "?sort=case_id&order=desc&page=2",
    "ledger": "/data/source/canada-gc-service-standards",
    "month-row": "/department/nhs-england-airedale-nhs-foundation-trust/nhs-ae-4-hours/2025-01",
    "verdicts": f"/verdicts/{PWD}?month=2015-07&standard=boston-311-closed-by-target",
}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", PAGES)
def test_axe_clean_and_no_sideways_scroll(
    browser: Browser, site: str, artifacts: Path, name: str, width: int
) -> None:
    page = open_page(browser, site + PAGES[name], width, bypass_csp=True)
    page.screenshot(path=artifacts / f"working-{name}-{width}.png", full_page=True)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    serious = serious_violations(page)
    page.context.close()
    assert not serious, "axe violations:\n" + describe(serious)


def test_the_ledger_lists_the_rejected_rows(browser: Browser, site: str) -> None:
    # canada-gc-service-standards: ss_2024.csv had 2,343 rows read, 2,328 loaded, 15 rejected.
    page = open_page(browser, site + PAGES["ledger"], 1280)
    expect(page.locator(".rejects-table tbody tr")).to_have_count(15)
    expect(page.locator(".ledger-table tbody tr").filter(has_text="ss_2024.csv")).to_contain_text(
        "2,343"
    )
    page.context.close()


def test_a_calendar_day_is_reached_by_keyboard_and_opens_its_requests(
    browser: Browser, site: str
) -> None:
    page = open_page(browser, f"{site}/department/{PWD}?month=2015-07", 1280)
    link = page.locator(f".calendar a[href='{PAGES['day']}']").first
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(
        "Street Light Outages, Public Works Department: 14 July 2015"
    )
    expect(page.locator(".cases-table tbody tr")).to_have_count(24)
    page.context.close()
