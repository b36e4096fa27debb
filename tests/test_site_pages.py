"""Every page through real gunicorn and real headless Chromium: controls, URLs, permalinks,
the keyboard, and a screenshot of each page at a desktop and a phone width."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PWD = "boston-public-works-department"
PM = "boston-property-management"
SCREENS = {
    "league": "/?jurisdiction=boston&month=2015-07",
    "league-nhs": "/?jurisdiction=nhs-england",
    "department": f"/department/{PWD}?month=2015-07",
    "department-monthly": "/department/nhs-england-airedale-nhs-foundation-trust",
    "methodology": "/methodology",
    "compare": f"/compare?orgs={PWD},{PM}&from=2015-01&to=2015-06",
    "compare-monthly": "/compare?jurisdiction=nhs-england-ambulance-services"
    "&standard=arp-c1-mean&from=2020-02&to=2021-01",
}


def new_page(browser: Browser, width: int = 1280) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def close(page: Page) -> None:
    errors = page.errors  # type: ignore[attr-defined]
    page.context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def table_text(page: Page) -> list[str]:
    return page.locator("main table").first.locator("tr").all_inner_texts()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", SCREENS)
def test_screenshot_of_every_page(
    browser: Browser, site: str, artifacts: Path, name: str, width: int
) -> None:
    page = new_page(browser, width)
    page.goto(site + SCREENS[name])
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).not_to_have_text("This page could not be shown")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / f"page-{name}-{width}.png", full_page=True)
    close(page)


def compare_rows(page: Page) -> list[str]:
    """The rows of the first standard's table of months (the chart's figures table is apart)."""
    return page.locator("main section.service table").first.locator("tr").all_inner_texts()


def test_compare_through_its_controls_then_reload(browser: Browser, site: str) -> None:
    page = new_page(browser)
    page.goto(f"{site}/compare?jurisdiction=boston")
    expect(page.locator("h1")).to_have_text(
        "Compare organisations: Boston, January 2015 to December 2015"
    )
    picks = page.get_by_role("group", name="Organisations: City departments")
    # It opens on the group's best, middle and worst; untick them, tick two others.
    for name in (
        "Transportation - Traffic Division",
        "Parks & Recreation Department",
        "Inspectional Services",
        "Public Works Department",
        "Property Management",
    ):
        picks.get_by_role("checkbox", name=name).click()  # fmt: skip
    expect(picks.get_by_role("checkbox", checked=True)).to_have_text(
        ["Property Management", "Public Works Department"]
    )
    page.get_by_label("Standard", exact=True).select_option("boston-311-closed-by-target")
    page.get_by_label("From", exact=True).select_option("2015-03")
    page.get_by_label("To", exact=True).select_option("2015-05")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page).to_have_url(
        f"{site}/compare?jurisdiction=boston&orgs={PM}%2C{PWD}"
        "&standard=boston-311-closed-by-target&from=2015-03&to=2015-05"
    )
    heading = "Compare organisations: Boston, March 2015 to May 2015"
    expect(page.locator("h1")).to_have_text(heading)
    header = page.locator("main section.service table thead th")
    expect(header).to_have_text(["Month", "Property Management", "Public Works Department"])
    rows = compare_rows(page)
    assert [r.split("\t")[0] for r in rows[1:]] == [
        "March 2015", "April 2015", "May 2015", "All months compared",
        "Volume: Requests received, months compared",
    ]  # fmt: skip
    finding = page.locator("p.compare-finding").inner_text()
    page.reload()
    expect(page.locator("h1")).to_have_text(heading)
    assert compare_rows(page) == rows
    expect(page.locator("p.compare-finding")).to_have_text(finding)
    # Another area through its link: the organisations chosen are that area's.
    page.get_by_role("navigation", name="Areas").get_by_role("link", name="New York City").click()
    expect(page).to_have_url(f"{site}/compare?jurisdiction=new-york-city")
    expect(page.locator("h1")).to_have_text(
        "Compare organisations: New York City, December 2013 to December 2013"
    )
    close(page)


def test_compare_through_the_url_matches_the_league_and_department(
    browser: Browser, site: str
) -> None:
    page = new_page(browser)
    page.goto(f"{site}/compare?orgs={PWD},{PM}&from=2015-07&to=2015-07")
    july = page.locator("main section.service table tbody tr").first
    expect(july.locator("th")).to_have_text("July 2015")
    pwd_july = july.locator("td").first.inner_text()
    # The same service-days as the league table shows for July 2015.
    page.goto(f"{site}/?jurisdiction=boston&month=2015-07")
    league_row = page.locator("main table tbody tr", has_text="Public Works Department")
    record = league_row.locator("td").nth(1).inner_text()  # "1 of 46": service-days met, first
    assert pwd_july.startswith(f"{record} (")
    # From the department page, its compare link keeps the organisation.
    page.goto(f"{site}/department/{PWD}?month=2015-07")
    page.get_by_role("link", name="Compare with other organisations").click()
    expect(page).to_have_url(f"{site}/compare?orgs={PWD}")
    expect(page.get_by_role("status").first).to_have_text(
        "Choose at least one more organisation below to compare."
    )
    close(page)


def test_bad_compare_urls_show_a_default_view_with_a_message(browser: Browser, site: str) -> None:
    page = new_page(browser)
    page.goto(f"{site}/compare?orgs=nowhere&from=2015-13&to=x&standard=y&extra=1")
    expect(page.locator("h1")).to_have_text(
        "Compare organisations: Boston, January 2015 to December 2015"
    )
    # The default standard is the peer group's (City departments: requests closed on time).
    expect(page.locator(".notice[role=status]")).to_have_text(
        [
            "There is no organisation “nowhere”; it is left out.",
            "These organisations have no standard “y”; showing the group's standard.",
            "There are no figures for “to” month “x”; showing December 2015 instead.",
            "There are no figures for “from” month “2015-13”; showing January 2015 instead.",
        ]
    )
    expect(page.locator("main section.service")).to_have_count(1)
    expect(page.locator("main section.service table")).to_have_count(1)
    close(page)


# The page's words and figures, less its charts' axis labels (drawn when plotly has loaded,
# which a reload may not have reached when the text is read).
MAIN_WITHOUT_CHARTS = """() => {
    const main = document.querySelector("main").cloneNode(true);
    main.querySelectorAll(".js-plotly-plot, .dash-graph").forEach(c => c.remove());
    return main.textContent;
}"""


def test_period_and_area_through_the_url_and_a_permalink_reloads(
    browser: Browser, site: str
) -> None:
    page = new_page(browser)
    page.goto(f"{site}/?jurisdiction=new-york-city&month=2013-12")
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? New York City, December 2013"
    )
    page.goto(f"{site}/department/{PWD}")
    page.get_by_label("Month", exact=True).select_option("2015-02")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{site}/department/{PWD}?month=2015-02")
    expect(page.locator("h1")).to_have_text("Public Works Department, February 2015")
    before = page.evaluate(MAIN_WITHOUT_CHARTS)
    page.reload()
    expect(page.locator("h1")).to_have_text("Public Works Department, February 2015")
    assert page.evaluate(MAIN_WITHOUT_CHARTS) == before
    close(page)


def test_walk_the_league_table_by_keyboard_on_a_phone(browser: Browser, site: str) -> None:
    page = new_page(browser, 375)
    page.goto(f"{site}/?jurisdiction=boston&month=2015-07")
    expect(page.locator("h1")).to_contain_text("Boston, July 2015")
    page.wait_for_load_state("networkidle")
    region = page.get_by_role("region", name="Boston organisations, July 2015", exact=False)
    for _ in range(90):  # Tab until the table's scrolling region has focus
        page.keyboard.press("Tab")
        if region.evaluate("r => r === document.activeElement"):
            break
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # The wide table scrolls by keyboard (Chromium may animate the scroll).
    page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5000)
    assert page.evaluate("window.scrollX") == 0
    names = region.locator("tbody th a").all_inner_texts()
    first = region.get_by_role("link", name=names[0], exact=True)
    for _ in range(12):  # past the column heads' sort links to the first department
        page.keyboard.press("Tab")
        if first.evaluate("a => a === document.activeElement"):
            break
    expect(first).to_be_focused()
    verdicts = region.locator("a[href^='/verdicts/']")
    for i, name in enumerate(names[1:]):  # each row's department, then its verdicts, in order
        page.keyboard.press("Tab")
        expect(verdicts.nth(i)).to_be_focused()
        page.keyboard.press("Tab")
        expect(region.get_by_role("link", name=name, exact=True)).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the row before's verdicts, then its department
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"{names[-2]}, July 2015")
    close(page)
