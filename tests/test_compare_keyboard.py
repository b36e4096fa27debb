"""/compare chosen by keyboard alone, at a desktop and a phone width, in real headless Chromium
against real gunicorn: Tab to the filter, type part of a name, Tab to its checkbox, Space, Tab
to Compare, Enter; the new address names the organisation and the comparison shows it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.test_accessibility import describe, open_first_screen, serious_violations

pytestmark = pytest.mark.browser

AIREDALE = "nhs-england-airedale-nhs-foundation-trust"
NORTHUMBRIA = "nhs-england-northumbria-healthcare-nhs-foundation-trust"
# Summed by hand with duckdb over the raw Monthly-AE-*.csv.gz files, July 2024 to June 2025
# (the June 2024 file left out): Type 1 attendances with Type 1 booked appointments, less
# those over 4 hours. Airedale (RCF) 75,808 and 28,430 -> 47,378 within 4 hours (62.5%);
# Northumbria (RTF) 117,401 and 30,632 -> 86,769 (73.9%); 11.4 points apart.
FINDING = (
    "NORTHUMBRIA HEALTHCARE NHS FOUNDATION TRUST did better than AIREDALE NHS FOUNDATION "
    "TRUST: 73.9% against 62.5%, 11.4 percentage points apart."
)
FOCUSED = """() => { const e = document.activeElement;
    return e.tagName === "BUTTON" ? e.textContent.trim() : e.id; }"""


def tab_to(page: Page, wanted: str, most: int = 60) -> list[str]:
    """Press Tab until the focused element is `wanted` (a button by its words, any other
    control by its id); the stops passed on the way."""
    passed: list[str] = []
    for _ in range(most):
        page.keyboard.press("Tab")
        here = str(page.evaluate(FOCUSED))
        if here == wanted:
            return passed
        passed.append(here)
    raise AssertionError(f"Tab never reached {wanted!r}; it passed {passed}")


@pytest.mark.parametrize("width", [1280, 375])
def test_choose_an_organisation_by_keyboard_alone(
    browser: Browser, site: str, artifacts: Path, width: int
) -> None:
    # Arriving from Airedale's page: Airedale is ticked, the Type 1 group is the default.
    page = open_first_screen(browser, f"{site}/compare?orgs={AIREDALE}", width)
    finding = page.locator("p.compare-finding")
    expect(finding).to_contain_text("AIREDALE NHS FOUNDATION TRUST: 62.5%")
    tab_to(page, "org-filter")
    page.keyboard.type("northumb")
    expect(page.locator("#org-count")).to_have_text("1 of 122 organisations match “northumb”")
    # Only the match and the ticked Airedale are left in the list, so two Tabs reach it.
    passed = tab_to(page, "NORTHUMBRIA HEALTHCARE NHS FOUNDATION TRUST", most=2)
    assert passed == ["AIREDALE NHS FOUNDATION TRUST"]
    page.keyboard.press("Space")
    box = page.get_by_role("checkbox", name="NORTHUMBRIA HEALTHCARE NHS FOUNDATION TRUST")
    expect(box).to_have_attribute("aria-checked", "true")
    expect(box).to_be_focused()
    # Then on through the group, standard and months to the button, and Enter.
    passed = tab_to(page, "Compare", most=6)
    assert passed == ["peer_group", "standard", "from", "to"]
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/compare?jurisdiction=nhs-england&orgs={AIREDALE}%2C"
                             f"{NORTHUMBRIA}&peer_group=type-1&standard=nhs-ae-type-1-4-hours"
                             "&from=2024-07&to=2025-06")  # fmt: skip
    chosen = parse_qs(urlparse(page.url).query)["orgs"][0].split(",")
    assert NORTHUMBRIA in chosen
    page.wait_for_load_state("networkidle")
    expect(finding).to_have_text(
        FINDING + " Across the 122 major emergency departments (Type 1), 59.5% from July 2024 "
        "to June 2025, every case pooled; the best was SHEFFIELD CHILDREN'S NHS FOUNDATION "
        "TRUST (91.4%), the worst MID CHESHIRE HOSPITALS NHS FOUNDATION TRUST (42.2%)."
    )
    expect(page.locator("main section.service table thead th")).to_have_text(
        ["Month", "AIREDALE NHS FOUNDATION TRUST", "NORTHUMBRIA HEALTHCARE NHS FOUNDATION TRUST"]
    )
    # The finding is on the first screen, directly under the heading.
    page.evaluate("window.scrollTo(0, 0)")
    found = finding.bounding_box()
    assert found is not None and found["y"] + found["height"] <= 800, (width, found)
    assert page.evaluate("document.querySelector('h1').nextElementSibling.className") == (
        "lead compare-finding"
    )
    page.screenshot(path=artifacts / f"compare-keyboard-{width}.png")
    if width == 375:
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    serious = serious_violations(page)
    page.context.close()
    assert not serious, "axe violations:\n" + describe(serious)


PWD, PM = "boston-public-works-department", "boston-property-management"
NO_SCRIPT = "Ticking this list needs JavaScript, which is off."


@pytest.mark.parametrize("width", [1280, 375])
def test_without_javascript_the_page_says_how_to_choose(
    browser: Browser, site: str, width: int
) -> None:
    """The server's copy, scripts off (so nothing removes it): the finding under the heading,
    and a note that the list needs JavaScript and that orgs= in the address works, which it
    does."""
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{site}/compare?jurisdiction=boston")
    expect(page.locator("#server-rendered")).to_have_count(1)
    finding = page.locator("p.compare-finding")
    expect(finding).to_contain_text("Across the 6 city departments, 57.0% from January")
    box = finding.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 800, (width, box)
    note = page.locator(".org-choice .notice", has_text=NO_SCRIPT)
    expect(note).to_be_visible()
    example = note.get_by_role("link")
    opened = "boston-transportation-traffic-division,boston-parks-recreation-department,"
    expect(example).to_have_text(f"/compare?jurisdiction=boston&orgs={opened}"
                                 "boston-inspectional-services")  # fmt: skip
    example.click()
    expect(page.locator("main section.service table thead th")).to_have_count(4)
    page.goto(f"{site}/compare?jurisdiction=boston&orgs={PWD},{PM}")
    expect(page.locator("main section.service table thead th")).to_have_text(
        ["Month", "Public Works Department", "Property Management"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
    # With scripts on (Dash's drawing), the note is not shown, nor read out.
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{site}/compare?jurisdiction=boston")
    expect(page.get_by_role("checkbox", name="Public Works Department")).to_be_visible()
    expect(page.get_by_text(NO_SCRIPT)).not_to_be_visible()
    context.close()
