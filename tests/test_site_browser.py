"""One real path through the site: real gunicorn, real warehouse, real headless Chromium."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def test_league_to_department_to_csv(page: Page, site: str, artifacts: Path) -> None:
    page.goto(f"{site}/?jurisdiction=boston&month=2015-07")
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? Boston, July 2015"
    )
    expect(page).to_have_title(
        "Which organisations met their standards? Boston, July 2015 – Service Standards Tracker"
    )
    rows = page.locator("table.league-table tbody tr")
    expect(rows).to_have_count(6)
    shown = [[c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()] for i in range(6)]
    page.screenshot(path=artifacts / "league-1280.png", full_page=True)

    # The headline names it as the worst; follow the table's link.
    league = page.locator("table.league-table")
    league.get_by_role("link", name="Public Works Department").click()
    expect(page).to_have_url(f"{site}/department/boston-public-works-department?month=2015-07")
    expect(page.locator("h1")).to_have_text("Public Works Department, July 2015")
    expect(page.get_by_text("Met its standard on 1 of 23 days in July 2015")).to_be_visible()
    page.screenshot(path=artifacts / "department-1280.png", full_page=True)

    response = page.request.get(f"{site}/download/league.csv?jurisdiction=boston&month=2015-07")
    assert response.status == 200
    assert response.headers["content-disposition"] == (
        "attachment; filename=boston-league-2015-07.csv"
    )
    body = response.body().decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert table[0] == [
        "rank", "rank_status", "jurisdiction", "organisation", "peer_group", "month", "period",
        "grain", "standard_id", "performance",
        "performance_numerator", "performance_denominator", "performance_unit", "periods_met",
        "periods_judged", "periods_no_data", "share_met", "share_met_status", "share_lower",
        "share_lower_status", "share_upper", "share_upper_status", "band", "reliability",
        "change_previous", "change_previous_status", "change_year", "change_year_status",
        "spc_verdict", "standard_set_by", "volume_measure", "volume", "volume_year_earlier",
        "volume_change_year",
    ]  # fmt: skip
    # The file holds the rows the page showed, in its order (rank and name), and each row's
    # periods met and judged are the figures in its row on the page.
    # An unranked row ([u]) shows '–' on the page and an empty cell in the file.
    col = {name: i for i, name in enumerate(table[0])}
    assert [[r[0] or "–", r[col["organisation"]]] for r in table[1:]] == [r[:2] for r in shown]
    for r, cells in zip(table[1:], shown, strict=True):
        text = " ".join(cells).replace(",", "")
        assert f"{r[col['periods_met']]} of {r[col['periods_judged']]}" in text


def test_month_form_puts_the_month_in_the_url(page: Page, site: str) -> None:
    page.goto(f"{site}/?jurisdiction=boston")
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? Boston, December 2015"
    )
    page.get_by_label("Month", exact=True).select_option("2015-03")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{site}/?jurisdiction=boston&month=2015-03")
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? Boston, March 2015"
    )
    page.reload()
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? Boston, March 2015"
    )
    page.get_by_role("navigation", name="Areas").get_by_role(
        "link", name="NHS England", exact=True
    ).click()
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? NHS England, 12 months to June 2025"
    )
    page.get_by_label("Month", exact=True).select_option("2024-12")
    # NHS England has peer groups and several standards, so their forms stand beside the
    # month's; the month's form keeps the group shown (the default, major EDs).
    month_form = page.locator("form").filter(has=page.get_by_label("Month", exact=True))
    month_form.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{site}/?jurisdiction=nhs-england&peer_group=type-1&month=2024-12")
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? NHS England, 12 months to December 2024"
    )


def test_bad_month_shows_latest_with_a_message(page: Page, site: str) -> None:
    page.goto(f"{site}/?month=2015-99&colour=blue")
    expect(page.get_by_role("status")).to_have_text(
        "There are no figures for month “2015-99”; showing December 2015 instead."
    )
    expect(page.locator("h1")).to_have_text(
        "Which organisations met their standards? Boston, December 2015"
    )
