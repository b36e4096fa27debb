"""Unknown pages, departments and standards: HTTP 404 from the real server, and a way on."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.web.not_found import match

DEPARTMENT = "/department/boston-public-works-department"
TRUST = "/department/nhs-england-airedale-nhs-foundation-trust"
MISSING = [
    "/no-such-page",
    "/department/no-such-place",
    f"{DEPARTMENT}/no-such-standard?colour=blue",
    "/department/no-such-place/street-light-outages",
    f"{DEPARTMENT}/street-light-outages/extra",
    "/department",
    "/not-found-404",
]
FOUND = [
    "/",
    "/?jurisdiction=boston&month=2015-07",
    "/methodology",
    "/data",
    "/compare",
    DEPARTMENT,
    f"{DEPARTMENT}/",
    f"{DEPARTMENT}/street-light-outages",
    f"{TRUST}/nhs-ae-4-hours",
    "/department/government-of-canada-agriculture-and-agri-food-canada",
    "/assets/tracker.css",
    "/_dash-layout",
    "/download/league.csv",
]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # the test server
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_match_reads_the_variables_of_a_path_template() -> None:
    assert match("/department/<slug>", "/department/a-b/") == {"slug": "a-b"}
    assert match("/department/<slug>/<standard>", "department/a/b") == {
        "slug": "a",
        "standard": "b",
    }
    assert match("/department/<slug>", "/department/a/b") is None
    assert match("/department/<slug>", "/compare/a") is None


@pytest.mark.parametrize("path", MISSING)
def test_unknown_addresses_answer_404(site: str, path: str) -> None:
    assert status(site + path) == 404


@pytest.mark.parametrize("path", FOUND)
def test_known_addresses_answer_200(site: str, path: str) -> None:
    assert status(site + path) == 200


@pytest.fixture
def page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 375, "height": 800}).new_page()


@pytest.mark.browser
def test_an_unknown_page_offers_search_and_the_way_home(page: Page, site: str) -> None:
    page.goto(f"{site}/no-such-page")
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page).to_have_title("Page not found – Service Standards Tracker")
    page.get_by_label("Search organisations and services").fill("street")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("for “street”")


@pytest.mark.browser
def test_unknown_standard_says_so_and_links_to_its_department(page: Page, site: str) -> None:
    page.goto(f"{site}{DEPARTMENT}/no-such-standard?colour=blue")
    expect(page.locator("h1")).to_have_text("Standard not found")
    page.get_by_role("link", name="See every standard of Public Works Department").click()
    expect(page.locator("h1")).to_contain_text("Public Works Department", timeout=30_000)
    page.goto(f"{site}/department/no-such-place/street-light-outages")
    expect(page.locator("h1")).to_have_text("Standard not found")
    page.get_by_role("link", name="Go to the home page").click()
    # The home page is the overview of every area.
    expect(page.locator("h1")).to_have_text(
        "Did public services meet their published standards?", timeout=30_000
    )
