"""Charts, the per-standard page and search in real headless Chromium against real gunicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

DEPARTMENT = "/department/boston-public-works-department"
STREET_LIGHTS = f"{DEPARTMENT}/street-light-outages"
TRUST = "/department/nhs-england-airedale-nhs-foundation-trust"


@pytest.fixture(params=[1280, 375])
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"errors on the page: {errors}"


def width(page: Page) -> int:
    return int(page.viewport_size["width"]) if page.viewport_size else 0


def drawn(page: Page, count: int) -> None:
    """Plotly has drawn this many charts, each one image named by its finding."""
    images = page.locator(".chart-image[role=img]")
    expect(images).to_have_count(count)
    # plotly.js is 4.8 MB; on a busy 2-core machine it can take a while to arrive.
    expect(page.locator(".chart-image .main-svg").first).to_be_visible(timeout=30_000)
    for i in range(count):
        label = images.nth(i).get_attribute("aria-label") or ""
        title = page.locator(".chart-title").nth(i).inner_text()
        assert label.startswith(title), (label, title)


def test_department_heading_leads_to_the_standard_page(
    page: Page, site: str, artifacts: Path
) -> None:
    page.goto(f"{site}{DEPARTMENT}?month=2015-07")
    # A pooled trend for each service with requests due; Misc. Snow Complaint had none, and
    # is named in one line rather than given an empty section.
    drawn(page, 2)
    expect(page.get_by_text("There are no figures to chart yet.")).to_have_count(0)
    expect(
        page.get_by_text("Nothing was due this month for: Misc. Snow Complaint.")
    ).to_be_visible()
    expect(page.locator(".chart-title").nth(1)).to_have_text(
        "The pooled share on time met the standard (against 95%, a share set by this "
        "tracker) in 0 of 12 months; performance is consistently short of the target"
    )
    page.screenshot(path=artifacts / f"department-charts-{width(page)}.png", full_page=True)
    page.locator("section.service h2").get_by_role(
        "link", name="Street Light Outages", exact=True
    ).click()
    expect(page).to_have_url(f"{site}{STREET_LIGHTS}")
    expect(page.locator("h1")).to_have_text("Street Light Outages, Public Works Department")
    expect(page).to_have_title(
        "Street Light Outages, Public Works Department – Service Standards Tracker"
    )
    expect(page.locator(".headline")).to_have_text(
        "Met its standard on 5 of 246 days judged, 1 January 2015 to 31 December 2015 "
        "(against 95%, a share set by this tracker)"
    )
    expect(page.get_by_text("Standard last met on 4 September 2015.")).to_be_visible()
    drawn(page, 1)
    july = page.get_by_role("row", name="July 2015")
    expect(july).to_contain_text("567")  # due, as on the department page
    expect(july).to_contain_text("70.2%")  # 398 / 567 pooled
    page.screenshot(path=artifacts / f"standard-daily-{width(page)}.png", full_page=True)
    page.get_by_role("link", name="← Public Works Department").click()
    expect(page.locator("h1")).to_contain_text("Public Works Department")


def test_monthly_standard_page_reloads_as_the_same_view(
    page: Page, site: str, artifacts: Path
) -> None:
    page.goto(f"{site}{TRUST}")
    # The glance above links the same words to the section; the section's heading links on.
    section = page.locator("#standard-nhs-ae-4-hours")
    section.get_by_role("link", name="A&E: seen within 4 hours").click()
    expect(page).to_have_url(f"{site}{TRUST}/nhs-ae-4-hours")
    page.reload()
    expect(page.locator("h1")).to_have_text(
        "A&E: seen within 4 hours, AIREDALE NHS FOUNDATION TRUST"
    )
    expect(page.locator(".headline")).to_have_text(
        "Met its standard in 0 of 13 months judged (against NHS England's standard: ≥ 95%)"
    )
    strip = page.get_by_role("list", name="Each month's verdict")
    expect(strip.get_by_role("listitem")).to_have_count(13)
    expect(strip.get_by_role("listitem").first).to_contain_text("Not met")
    drawn(page, 1)
    expect(page.locator(".chart-title")).to_have_text(
        "Met the standard in 0 of 13 months; performance is consistently short of the target"
    )
    expect(
        page.get_by_text("Change on May 2025: up 1.4 percentage points (better).")
    ).to_be_visible()
    page.get_by_text("The chart's figures").click()
    expect(page.get_by_role("row", name="Jun 2025")).to_contain_text("69.6%")
    page.screenshot(path=artifacts / f"standard-monthly-{width(page)}.png", full_page=True)


def test_search_puts_the_query_in_the_url_and_announces_results(
    page: Page, site: str, artifacts: Path
) -> None:
    page.goto(f"{site}/?jurisdiction=boston&month=2015-07")
    drawn(page, 1)  # the funnel plot
    expect(page.locator(".chart-title")).to_have_text(
        "None of the 5 Boston organisations compared was outside the expected range in July 2015, "
        "once chance and the usual spread between organisations are allowed for"
    )
    box = page.get_by_label("Search organisations and services")
    box.fill("street light")
    box.press("Enter")
    expect(page).to_have_url(f"{site}/?jurisdiction=boston&month=2015-07&q=street+light")
    status = page.get_by_role("status")
    expect(status).to_have_text("2 matches for “street light”.")
    results = page.get_by_role("region", name="Search results").get_by_role("link")
    expect(results).to_have_count(2)
    page.screenshot(path=artifacts / f"search-{width(page)}.png", full_page=True)
    page.get_by_role("link", name="Street Light Outages").click()
    expect(page).to_have_url(f"{site}{STREET_LIGHTS}")
    page.go_back()
    expect(page.get_by_role("status")).to_have_text("2 matches for “street light”.")
