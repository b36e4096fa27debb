"""WCAG 2.2 AA and security headers, checked in real headless Chromium against real gunicorn."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Error, Page, expect

from settings import ROOT
from tests.helpers import contrast

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DEPARTMENT = "/department/boston-public-works-department?month=2015-07"
COMPARE = "/compare?orgs=boston-public-works-department,boston-property-management"
PAGES = {
    "overview": "/",
    "league": "/?jurisdiction=boston",
    "league-2015-03": "/?month=2015-03",
    "department": DEPARTMENT,
    "data": "/data",
    "compare": COMPARE,
}
TITLES = {
    # Each names its view as its heading does, before and after Dash draws it.
    "overview": "Did public services meet their published standards? – Service Standards Tracker",
    "league": "Which organisations met their standards? Boston, December 2015 – Service "
    "Standards Tracker",
    "league-2015-03": "Which organisations met their standards? Boston, March 2015 – Service "
    "Standards Tracker",
    "department": "Public Works Department, July 2015 – Service Standards Tracker",
    "data": "Data and downloads – Service Standards Tracker",
    "compare": "Compare organisations: Boston, January 2015 to December 2015 – Service "
    "Standards Tracker",
}
# The control that chooses each page's period.
PERIOD_LABEL = {"overview": "", "compare": "From", "data": ""}
# Pages with charts, the per-standard page and search results.
TRUST = "/department/nhs-england-airedale-nhs-foundation-trust"
PAGES |= {
    "search": "/?q=street",
    "department-monthly": TRUST,
    "standard-daily": "/department/boston-public-works-department/street-light-outages",
    "standard-monthly": f"{TRUST}/nhs-ae-4-hours",
}
TITLES |= {
    "search": "Which organisations met their standards? Boston, December 2015 – Service "
    "Standards Tracker",
    "department-monthly": "AIREDALE NHS FOUNDATION TRUST, June 2025 – Service Standards Tracker",
    "standard-daily": "Street Light Outages, Public Works Department – Service Standards Tracker",
    "standard-monthly": "A&E: seen within 4 hours, AIREDALE NHS FOUNDATION TRUST – "
    "Service Standards Tracker",
}
PERIOD_LABEL |= {"department-monthly": "", "standard-daily": "", "standard-monthly": ""}
# Canada: each standard judged once a fiscal year.
PAGES |= {
    "league-yearly": "/?jurisdiction=government-of-canada",
    "department-yearly": "/department/government-of-canada-agriculture-and-agri-food-canada",
}
TITLES |= {
    "league-yearly": "Which organisations met their standards? Government of Canada, fiscal "
    "year 2023-24 – Service Standards Tracker",
    "department-yearly": "Agriculture and Agri-Food Canada, fiscal year 2023-24 – Service "
    "Standards Tracker",
}
PERIOD_LABEL |= {"league-yearly": "Fiscal year", "department-yearly": ""}
# NHS England: a league within a peer group, with the group's choice beside the standard's.
PAGES |= {"league-peer-group": "/?jurisdiction=nhs-england&month=2025-06&peer_group=urgent-care"}
TITLES |= {
    "league-peer-group": "Which organisations met their standards? NHS England, 12 months to "
    "June 2025 – Service Standards Tracker"
}
WIDTHS = (1280, 375)
# Records CSP violations from the first byte; init scripts are not subject to the page's CSP.
WATCH_CSP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__csp.push("
    "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' ' + e.sample));"
)


def open_page(browser: Browser, url: str, width: int, *, bypass_csp: bool = False) -> Page:
    """A loaded page in its own context: the layout rendered and the title set."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=bypass_csp)
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(url)
    expect(page.locator("h1")).to_have_count(1)
    expect(page).not_to_have_title("Service Standards Tracker")
    page.wait_for_load_state("networkidle")
    return page


def open_first_screen(browser: Browser, url: str, width: int) -> Page:
    """A loaded page whose first screen is `width` by 800 px, at its top (ready for axe)."""
    page = open_page(browser, url, width, bypass_csp=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.evaluate("window.scrollTo(0, 0)")
    return page


def fetch(url: str) -> tuple[dict[str, str], str]:
    with urllib.request.urlopen(url) as response:  # the test server on loopback
        return dict(response.headers), response.read().decode("utf-8")


def directives(policy: str) -> dict[str, list[str]]:
    parts = [d.split() for d in policy.split(";") if d.strip()]
    return {name: sources for name, *sources in parts}


def test_security_headers_on_every_response(site: str) -> None:
    paths = ["/", DEPARTMENT, "/assets/tracker.css", "/download/league.csv", "/no-such-page"]
    for path in paths:
        try:
            headers, _ = fetch(site + path)
        except urllib.error.HTTPError as err:  # a 4xx is a response too
            headers = dict(err.headers)
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert headers["X-Frame-Options"] == "DENY", path
        csp = directives(headers["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"], path
        assert csp["frame-ancestors"] == ["'none'"], path
        assert csp["object-src"] == ["'none'"], path
        assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], path
        assert csp["script-src"][0] == "'self'", path
        # Scripts: this origin and hashed inline scripts only; never inline-at-large or eval.
        assert all(s.startswith("'sha256-") for s in csp["script-src"][1:]), path


def test_every_inline_script_is_allowed_by_hash_and_debug_is_off(site: str) -> None:
    headers, html = fetch(site + "/")
    allowed = directives(headers["Content-Security-Policy"])["script-src"]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    executable = [body for attrs, body in inline if "application/json" not in attrs]
    assert len(executable) >= 2  # Dash Pages' title callback and the renderer
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]
    config = json.loads(next(body for attrs, body in inline if "_dash-config" in attrs))
    assert config["ui"] is False and "hot_reload" not in config  # no debug under gunicorn
    assert '<html lang="en">' in html


@pytest.mark.parametrize("name", PAGES)
def test_no_csp_violations_under_the_real_policy(browser: Browser, site: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site + PAGES[name])
    page.wait_for_load_state("networkidle")
    if name.startswith("league"):  # and a client-side move to a department, by callback
        page.locator("table.league-table tbody th a").first.click()
        expect(page.locator("h1")).not_to_contain_text("Which organisations")
        page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert errors == []
    expect(page.locator("h1")).to_have_count(1)
    # The policy is really enforced: an injected inline script is refused. (This is why the
    # axe test below opens its pages with Playwright's bypass_csp; the site never relaxes.)
    with pytest.raises(Error, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    context.close()


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}")
        lines += [f"    {' '.join(map(str, n['target']))}" for n in v["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_serious(
    browser: Browser, site: str, artifacts: Path, name: str, width: int
) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make js-deps`")
    # bypass_csp lets Playwright add axe as an inline script; the site's CSP is unchanged.
    page = open_page(browser, site + PAGES[name], width, bypass_csp=True)
    page.screenshot(path=artifacts / f"a11y-{name}-{width}.png", full_page=True)
    serious = serious_violations(page)
    page.context.close()
    assert not serious, "axe violations:\n" + describe(serious)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical WCAG violations on the page as it stands, every
    <details> opened (the page needs bypass_csp for axe's script)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make js-deps`")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=AXE)
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", PAGES)
def test_no_sideways_scrolling_on_a_phone(browser: Browser, site: str, name: str) -> None:
    page = open_page(browser, site + PAGES[name], 375)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    wraps = page.evaluate(
        """() => [...document.querySelectorAll('.table-wrap')].map(w => ({
            right: w.getBoundingClientRect().right, overflow: getComputedStyle(w).overflowX,
            table: w.querySelector('table').offsetWidth, client: w.clientWidth,
            scroll: w.scrollWidth, focusable: w.tabIndex === 0}))"""
    )
    assert wraps or name == "overview"  # the overview is sections of text, not tables
    for wrap in wraps:
        assert wrap["right"] <= 375 and wrap["overflow"] in ("auto", "scroll"), wrap
        assert wrap["scroll"] >= wrap["table"] and wrap["focusable"], wrap
    if name.startswith("league"):
        # The league's columns do not fit in 345px: the table scrolls in its box, not the page.
        assert wraps[0]["table"] > wraps[0]["client"]
        page.locator(".table-wrap").first.evaluate("w => { w.scrollLeft = 1000; }")
        assert page.locator(".table-wrap").first.evaluate("w => w.scrollLeft") > 0
        assert page.evaluate("window.scrollX") == 0
    page.context.close()


FOCUS_STYLE = """() => { const s = getComputedStyle(document.activeElement);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
        && !/rgba\\(.*, 0\\)$/.test(s.outlineColor) && s.outlineColor !== 'transparent';
    return outline || s.boxShadow !== 'none'; }"""
ACTIVE = """() => { const e = document.activeElement;
    return [e.tagName.toLowerCase(), e.id, e.getAttribute('href') || '',
            (e.textContent || '').trim().slice(0, 60)]; }"""


def test_keyboard_path_through_the_league_table(browser: Browser, site: str) -> None:
    page = open_page(browser, site + "/?jurisdiction=boston", 1280)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate(FOCUS_STYLE), "the skip link has no visible focus style"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    visited: list[list[str]] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        here = page.evaluate(ACTIVE)
        if here[0] == "body" or page.evaluate("!!document.activeElement.closest('footer')"):
            break
        assert page.evaluate(FOCUS_STYLE), f"no visible focus style on {here}"
        visited.append(here)
    order = [
        f"{tag}#{ident}" if ident else f"{tag} {href or text}" for tag, ident, href, text in visited
    ]
    links = page.locator("table.league-table tbody th a")
    departments = [
        f"a {href}" for href in links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    ]
    assert len(departments) == 6
    # Figures first: the table's departments, then the controls that change the view.
    # (The headline's best and worst link to two of them before the table: stops counted from
    # the table's scrollable region on.)
    expected = [*departments, "select#month", "button Show"]
    table = next(i for i, stop in enumerate(order) if stop.startswith("div "))
    positions = [order.index(item, table) for item in expected]  # ValueError: a missing stop
    assert positions == sorted(positions), f"focus order: {order}"
    page.context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_structure(browser: Browser, site: str, name: str) -> None:
    page = open_page(browser, site + PAGES[name], 1280)
    expect(page.locator("h1")).to_have_count(1)
    for landmark in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(landmark)).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    period = PERIOD_LABEL.get(name, "Month")
    if period:  # the data page has no period to choose
        expect(page.get_by_label(period, exact=True)).to_have_js_property("tagName", "SELECT")
    expect(page).to_have_title(TITLES[name])
    page.context.close()


def is_clear(colour: str) -> bool:
    return colour == "transparent" or (colour.startswith("rgba") and colour.endswith(", 0)"))


STATUS_COLOURS = """sel => [...document.querySelectorAll(sel)].map(e => {
    const s = getComputedStyle(e);
    return {cls: e.className, color: s.color, background: s.backgroundColor,
            border: s.borderTopStyle === 'none' ? 'transparent' : s.borderTopColor}; })"""


def test_verdict_colours_meet_contrast(browser: Browser, site: str) -> None:
    """Computed colours of each verdict, in the calendar and the key: text 4.5:1, edge 3:1.

    axe cannot judge these (it files the ✓ ✗ marks as 'incomplete'), so this test does.
    """
    page = open_page(browser, site + DEPARTMENT, 1280)
    page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    cells = page.evaluate(STATUS_COLOURS, ".calendar .day:not(.day--none), .legend .day-mark")
    page.context.close()
    seen = {c["cls"].split()[-1] for c in cells}
    assert {"day--met", "day--not-met", "day--not-applicable"} <= seen
    for cell in cells:
        fill = page_bg if is_clear(cell["background"]) else cell["background"]
        assert contrast(cell["color"], fill) >= 4.5, cell
        edges = [c for c in (cell["background"], cell["border"]) if not is_clear(c)]
        assert max(contrast(c, page_bg) for c in edges) >= 3, cell
