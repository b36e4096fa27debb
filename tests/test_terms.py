"""Plain words (issue 11 item 4): each page's terms are explained on the page, in one sentence,
in a keyboard-operable disclosure whose entries link to the same sentence on /methodology."""

from __future__ import annotations

from typing import Any

import pytest
from dash import html
from playwright.sync_api import Browser, expect

from dashboard.ui.terms import TERMS
from tests.test_whose_standard import page_layout, text, walk

PWD = "boston-public-works-department"
MID_CHESHIRE = "nhs-england-mid-cheshire-hospitals-nhs-foundation-trust"

# Each page and the terms it uses (the words on it a member of the public may not know).
PAGES: list[tuple[str, dict[str, str], set[str]]] = [
    ("home", {}, {"standard-month", "service-day", "peer-group", "usual-variation",
                  "performance"}),
    ("home", {"jurisdiction": "boston", "month": "2015-07"},
     {"service-day", "peer-group", "usual-variation", "performance", "compared-with-others",
      "unreliable"}),
    ("home", {"jurisdiction": "nhs-england", "month": "2025-06"},
     {"standard-month", "peer-group", "usual-variation", "performance", "compared-with-others",
      "unreliable"}),
    ("department", {"slug": PWD, "month": "2015-07"},
     {"service-day", "peer-group", "performance", "usual-variation", "markers"}),
    ("department", {"slug": MID_CHESHIRE},
     {"standard-month", "peer-group", "performance", "usual-variation", "markers"}),
    ("standard", {"slug": PWD, "standard": "street-light-outages"},
     {"service-day", "performance", "usual-variation", "markers"}),
    ("standard", {"slug": MID_CHESHIRE, "standard": "nhs-ae-type-1-4-hours"},
     {"standard-month", "usual-variation", "markers"}),
    ("compare", {"orgs": f"{PWD},boston-property-management", "from": "2015-01",
                 "to": "2015-06"},
     {"peer-group", "performance", "service-day", "usual-variation", "markers"}),
]  # fmt: skip


def disclosures(layout: Any) -> list[html.Details]:
    return [
        c
        for c in walk(layout)
        if isinstance(c, html.Details) and getattr(c, "className", None) == "terms"
    ]


@pytest.mark.parametrize(("name", "query", "used"), PAGES)
def test_every_term_a_page_uses_is_explained_on_it(
    bundled_reader: None, name: str, query: dict[str, str], used: set[str]
) -> None:
    layout = page_layout(name)(**query)
    [box] = disclosures(layout)
    said = text(box)
    hrefs = {getattr(c, "href", None) for c in walk(box)}
    for anchor in used:
        term = TERMS[anchor]
        # Its one sentence on the page, and a link to the same sentence on /methodology.
        assert term.meaning in said, (name, anchor)
        assert f"/methodology#{anchor}" in hrefs, (name, anchor)
    assert isinstance(box.children[0], html.Summary)


def test_methodology_holds_each_terms_sentence_under_its_anchor(bundled_reader: None) -> None:
    layout = page_layout("methodology")()
    entries = {getattr(c, "id", None): c for c in walk(layout) if isinstance(c, html.Dt)}
    dds = [c for c in walk(layout) if isinstance(c, html.Dd)]
    for anchor, term in TERMS.items():
        assert anchor in entries
        assert any(text(d) == term.meaning for d in dds), anchor


def test_the_leagues_headline_links_its_words_where_they_first_appear(
    bundled_reader: None,
) -> None:
    layout = page_layout("home")(jurisdiction="boston", month="2015-07")
    lead = [c for c in walk(layout) if getattr(c, "className", "") in ("lead", "lead-trend")]
    hrefs = [getattr(c, "href", None) for part in lead for c in walk(part)]
    assert "/methodology#service-day" in hrefs
    assert "/methodology#usual-variation" in hrefs
    assert "/methodology#performance" in hrefs


@pytest.mark.browser
def test_the_words_open_by_keyboard(browser: Browser, site: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{site}/?jurisdiction=nhs-england&month=2025-06")
    summary = page.locator("details.terms summary")
    meaning = page.locator("details.terms dd").filter(has_text=TERMS["peer-group"].meaning)
    expect(meaning).to_be_hidden()
    for _ in range(800):  # Tab until the disclosure's summary has the focus (past every row)
        page.keyboard.press("Tab")
        if summary.evaluate("s => s === document.activeElement"):
            break
    else:
        pytest.fail("the terms' disclosure is not reachable by Tab")
    page.keyboard.press("Enter")
    expect(meaning).to_be_visible()
    # Its link to /methodology is the next stop, and leads to the same sentence there.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert str(focused).startswith("/methodology#")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{focused}")
    anchor = str(focused).split("#")[1]
    expect(page.locator(f"[id='{anchor}'] + dd")).to_have_text(TERMS[anchor].meaning)
    page.close()
