"""Every page's content is in the first response (no scripts needed), Dash takes it over
without a jump, and search engines are told what each page is and where every page is."""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import duckdb
import pytest
from playwright.sync_api import Browser, FloatRect, Page, Route, ViewportSize, expect

from tests.browser import chromium
from tests.helpers import fetch

BOSTON_JULY = "/?jurisdiction=boston&month=2015-07"
PAGES = {
    "overview": "/",
    "nhs league": "/?jurisdiction=nhs-england&month=2025-06",
    "boston league": BOSTON_JULY,
    "boston department": "/department/boston-public-works-department?month=2015-07",
    "nhs standard": "/department/nhs-england-airedale-nhs-foundation-trust/nhs-ae-4-hours",
    "compare": "/compare",
}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def words(page_html: str) -> str:
    """The text a reader without scripts sees: tags dropped, entities read, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page_html)).split())


def served_copy(page_html: str) -> str:
    start = page_html.index('<div id="server-rendered"')
    return page_html[start : page_html.index('<div id="react-entry-point"')]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_answers_with_its_heading_and_text_in_the_html(site: str, name: str) -> None:
    status, _, body = fetch(site + PAGES[name])
    assert status == 200
    page_html = body.decode()
    text = words(served_copy(page_html))
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", served_copy(page_html), re.S)
    assert heading is not None and words(heading[1])
    assert "Loading..." not in text
    title = re.findall(r"<title>([^<]*)</title>", page_html)[0]
    assert html.unescape(title) == words(heading[1]) + " – Service Standards Tracker"
    description = re.search(r'<meta name="description" content="([^"]+)"', page_html)
    assert description is not None and len(description[1]) > 20
    assert f'<link rel="canonical" href="{site}' in page_html


def test_the_boston_league_html_has_the_table_the_download_has(site: str) -> None:
    """Every row of the league as the page shows it is in the first response, with the
    organisation, its on-time figures and its service-days met as league.csv has them."""
    _, _, body = fetch(site + BOSTON_JULY)
    text = words(served_copy(body.decode()))
    assert "Across the 6 organisations in Boston" in text
    _, _, csv_body = fetch(f"{site}/download/league.csv?jurisdiction=boston&month=2015-07")
    rows = list(csv.DictReader(io.StringIO(csv_body.decode("utf-8-sig"))))
    ranked = [r for r in rows if r["rank"]]
    assert len(ranked) == 5
    for row in ranked:
        due, on_time = int(row["performance_denominator"]), int(row["performance_numerator"])
        met, judged = int(row["periods_met"]), int(row["periods_judged"])
        assert f"{row['organisation']} " in text
        assert f"{on_time:,} of {due:,}" in text
        assert f"{met} of {judged}" in text


def test_an_unknown_department_is_a_404_whose_html_says_so(site: str) -> None:
    status, _, body = fetch(f"{site}/department/no-such-department")
    assert status == 404
    assert "not found" in words(served_copy(body.decode())).lower()


def test_robots_names_the_sitemap_and_keeps_crawlers_off_downloads(site: str) -> None:
    status, headers, body = fetch(f"{site}/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    lines = body.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /download/" in lines
    assert f"Sitemap: {site}/sitemap.xml" in lines


def test_the_sitemap_lists_every_organisation_and_standard_page(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    _, _, body = fetch(f"{site}/sitemap.xml")
    locs = [e.text or "" for e in ET.fromstring(body).iter(f"{SITEMAP}loc")]
    paths = [loc.removeprefix(site) for loc in locs]
    departments = {p for p in paths if re.fullmatch(r"/department/[^/]+", p)}
    counted = bundled_con.sql(
        "SELECT count(DISTINCT org_slug) FROM judgements WHERE org_level = 'organisation'"
    ).fetchall()[0][0]
    assert len(departments) == counted
    assert "/department/boston-public-works-department/street-light-outages" in paths
    assert "/department/nhs-england-airedale-nhs-foundation-trust/nhs-ae-4-hours" in paths
    assert "/?jurisdiction=nhs-england" in paths
    for path in (paths[0], paths[5], paths[-1]):  # a fixed page, an area, a standard
        assert fetch(site + path)[0] == 200


@pytest.fixture(scope="module")
def both_copies() -> Iterator[Browser]:
    """Chromium that keeps the server's copy of each page, as a reader's browser does."""
    with chromium(server_copy=True) as b:
        yield b


def layout_shift(page: Page) -> float:
    return float(page.evaluate("() => window.__layoutShift"))


SHIFTS = """window.__layoutShift = 0;
new PerformanceObserver(function (list) {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) { window.__layoutShift += entry.value; }
  }
}).observe({type: "layout-shift", buffered: true});"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_without_javascript_the_headline_and_first_row_are_on_the_first_screen(
    both_copies: Browser, site: str, width: int
) -> None:
    context = both_copies.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(site + BOSTON_JULY)
    assert page.locator("h1").inner_text().startswith("Which organisations met")
    row = page.locator("#server-rendered table tbody tr").first
    assert "Transportation" in row.inner_text()
    box = row.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()


def h1_box(browser: Browser, url: str, javascript: bool) -> FloatRect:
    """Where the heading stands at 375 px: as the server drew it, or once Dash has."""
    viewport: ViewportSize = {"width": 375, "height": 800}
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url)
    if javascript:
        page.keyboard.press("Shift")  # Dash's scripts load on the reader's first action
        page.wait_for_selector("#server-rendered", state="detached", timeout=30_000)
        page.wait_for_timeout(500)
    box = page.locator("h1").bounding_box()
    context.close()
    assert box is not None
    return box


@pytest.mark.browser
@pytest.mark.parametrize("name", ["boston league", "nhs league", "boston department", "compare"])
def test_dash_takes_the_page_over_without_a_jump(
    both_copies: Browser, site: str, name: str
) -> None:
    """The heading stands where the server drew it once Dash has drawn the page, and the
    hand-over moves nothing a reader sees (cumulative layout shift, as browsers measure it)."""
    server = h1_box(both_copies, site + PAGES[name], javascript=False)
    dash_drawn = h1_box(both_copies, site + PAGES[name], javascript=True)
    assert abs(server["y"] - dash_drawn["y"]) < 1
    assert abs(server["height"] - dash_drawn["height"]) < 1
    context = both_copies.new_context(viewport={"width": 375, "height": 800})
    context.add_init_script(SHIFTS)
    page = context.new_page()
    page.goto(site + PAGES[name])
    page.keyboard.press("Shift")
    page.wait_for_selector("#server-rendered", state="detached", timeout=30_000)
    page.wait_for_timeout(1000)
    assert page.locator("#react-entry-point").is_visible()
    assert page.locator("h1").count() == 1
    assert layout_shift(page) <= 0.1
    context.close()


@pytest.mark.browser
def test_the_title_still_names_the_view_once_dash_has_drawn_it(
    both_copies: Browser, site: str
) -> None:
    """Dash Pages would reset it to the page's registered title ('League table – …')."""
    html_ = fetch(site + PAGES["nhs league"])[2].decode()
    served = html.unescape(re.search(r"<title>([^<]*)</title>", html_)[1])  # type: ignore[index]
    assert served.startswith("Which organisations met their standards? NHS England")
    context = both_copies.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(site + PAGES["nhs league"])
    page.keyboard.press("Shift")  # Dash's scripts load on the reader's first action
    page.wait_for_selector("#server-rendered", state="detached", timeout=30_000)
    expect(page).to_have_title(served, timeout=10_000)
    context.close()


@pytest.mark.browser
def test_what_a_reader_does_before_dash_arrives_carries_over(
    both_copies: Browser, site: str
) -> None:
    """Dash loads on the reader's first action, so they may be using the server's copy when it
    takes over: the field they typed in keeps its words, its focus and its caret, and the
    organisation they ticked is ticked, in Dash's drawing (which then filters the list as it
    would have). Dash's renderer is held back until the reader is done, so all of it happens
    in the server's copy."""
    status, _, body = fetch(site + PAGES["compare"])
    assert status == 200
    copy = served_copy(body.decode())
    picks = re.findall(r'<button[^>]*class="org-pick"[^>]*aria-checked="(\w+)"[^>]*>([^<]*)<', copy)
    # counted from the served HTML, apart from the page's script that counts them
    matching = [html.unescape(name) for _, name in picks if "dep" in html.unescape(name).lower()]
    unticked = next(html.unescape(name) for ticked, name in picks if ticked == "false")
    assert matching and len(matching) < len(picks)

    context = both_copies.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    held: list[Route] = []
    page.route("**/dash_renderer*", lambda route: held.append(route))
    page.goto(site + PAGES["compare"], wait_until="domcontentloaded")
    assert page.locator("#server-rendered").count() == 1
    copy_page = page.locator("#server-rendered")
    copy_page.get_by_role("checkbox", name=unticked, exact=True).click()
    copy_page.get_by_label("Filter by name").click()
    page.keyboard.type("Dep")
    page.keyboard.press("ArrowLeft")  # the caret before the "p"
    for _ in range(300):  # Dash's renderer is asked for on the reader's first action
        if held:
            break
        page.wait_for_timeout(100)
    assert held and page.locator("#server-rendered").count() == 1
    for route in held:
        route.continue_()
    held.clear()
    page.unroute("**/dash_renderer*")
    page.wait_for_selector("#server-rendered", state="detached", timeout=60_000)
    focused = page.evaluate(
        "() => [document.activeElement.id, document.activeElement.value,"
        " document.activeElement.selectionStart,"
        " document.activeElement.closest('#react-entry-point') !== null]"
    )
    assert focused == ["org-filter", "Dep", 2, True]
    expect(page.locator("#org-count")).to_have_text(
        f"{len(matching)} of {len(picks)} organisations match “Dep”"
    )
    # (by its text: a ticked box's name gains the tick its CSS draws)
    ticked = page.locator("#react-entry-point .org-pick", has_text=unticked)
    expect(ticked).to_have_attribute("aria-checked", "true")
    context.close()
