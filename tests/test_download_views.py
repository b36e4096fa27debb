"""The file behind each page's "Download" link holds exactly the rows the page shows.

Real gunicorn and real headless Chromium: the test reads the rendered tables, follows the
page's own CSV link and compares cell by cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page

from metrics.wording import comparator_sign

pytestmark = pytest.mark.browser
VERDICT = {"met": "Met", "not_met": "Not met", "not_applicable": "Nothing due"}
MONTH_VERDICT = {**VERDICT, "not_applicable": "Not applicable", "no_data": "No data"}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def linked_csv(page: Page, dataset: str) -> list[dict[str, str]]:
    """Follow the page's CSV link for `dataset` and read the file."""
    link = page.locator(f'a[data-dataset="{dataset}"][data-format="csv"]')
    href = link.get_attribute("href")
    assert href is not None
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200
    text = response.body().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def cells(page: Page, rows_selector: str) -> list[list[str]]:
    rows = page.locator(rows_selector)
    rows.first.wait_for(state="attached")
    return [
        [c.strip() for c in rows.nth(i).locator("th, td").all_text_contents()]
        for i in range(rows.count())
    ]


def pct(text: str) -> str:
    return "–" if text == "" else f"{float(text) * 100:.0f}%"


def test_league_csv_is_the_league_table(page: Page, site: str) -> None:
    page.goto(f"{site}/?jurisdiction=boston&month=2015-07")
    shown = cells(page, "table.league-table tbody tr")
    rows = linked_csv(page, "league")
    # Boston ranks on service-days met, so they stand beside the rank, then the rest.
    from_file = [
        [
            r["rank"] or "–",
            r["organisation"],
            f"{int(r['periods_met']):,} of {int(r['periods_judged']):,}",
            f"{pct(r['share_met'])} ({pct(r['share_lower'])[:-1]}–{pct(r['share_upper'])})",
            "–" if r["performance"] == "" else f"{float(r['performance']) * 100:.1f}%",
            "–"
            if r["performance_denominator"] == ""
            else f"{int(r['performance_numerator']):,} of {int(r['performance_denominator']):,}",
            f"{int(r['volume']):,}",  # requests received in July: no year earlier held
        ]
        for r in rows
    ]
    assert len(shown) == 6
    assert [row[:5] + row[6:8] for row in shown] == from_file
    # The Change cell shows the file's change on June and its SPC verdict, in words.
    for row, r in zip(shown, rows, strict=True):
        if r["change_previous"] == "":
            assert row[5].startswith("no figure on June"), row[5]
        else:
            assert f"{abs(float(r['change_previous'])) * 100:.1f} pts on June" in row[5]
        assert row[5].endswith(r["spc_verdict"].capitalize()), row[5]


def test_department_csv_is_each_days_table(page: Page, site: str) -> None:
    page.goto(f"{site}/department/boston-public-works-department?month=2015-07")
    page.locator("section.service").first.wait_for()
    rows = linked_csv(page, "daily")
    assert {r["day"][:7] for r in rows} == {"2015-07"}
    services = page.locator("section.service h2").all_text_contents()
    # Every service with requests due has its section; one with nothing due is named only.
    assert services and sorted(services) == sorted({r["service"] for r in rows if int(r["due"])})
    for index, service in enumerate(services):
        shown = cells(page, f"section.service >> nth={index} >> table.days-table tbody tr")
        from_file = [
            [
                f"{dt.date.fromisoformat(r['day']):%a %d %b}",
                f"{int(r['due']):,}",
                f"{int(r['on_time']):,}",
                pct(r["share_on_time"]),
                VERDICT[r["status"]],
            ]
            for r in rows
            if r["service"] == service
        ]
        assert shown == from_file, service
    records = linked_csv(page, "days-met")
    headlines = page.locator("section.service p.headline").all_text_contents()
    # Boston publishes target times but no share: each headline says whose 95% it is. The
    # page shows the services with requests due, worst first; the file holds every service.
    by_service = dict(zip(services, headlines, strict=True))
    assert by_service == {
        r["service"]: r["headline"] + " (against 95%, a share set by this tracker)"
        for r in records
        if int(r["due"]) > 0
    }


def test_monthly_department_csv_is_its_months_table(page: Page, site: str) -> None:
    # Two standards (4 hours; 12 hours from decision to admit): the first section is the
    # 4-hour one, and the file holds both.
    page.goto(f"{site}/department/nhs-england-woking-walk-in-centre")
    shown = cells(page, "section.service >> nth=0 >> table.months-table tbody tr")
    rows = [r for r in linked_csv(page, "records") if r["standard_id"] == "nhs-ae-4-hours"]
    from_file = [
        [
            f"{dt.date.fromisoformat(r['period_start']):%B %Y}",
            "–" if r["value"] == "" else f"{float(r['value']) * 100:.1f}%",
            f"{comparator_sign(r['comparator'])} {float(r['target']) * 100:.1f}%",
            MONTH_VERDICT[r["status"]],
        ]
        for r in reversed(rows)  # the page shows the newest month first
    ]
    assert len(shown) == 13
    assert shown == from_file


def test_monthly_standard_page_csv_is_its_months_table(page: Page, site: str) -> None:
    page.goto(f"{site}/department/nhs-england-airedale-nhs-foundation-trust/nhs-ae-4-hours")
    shown = cells(page, "table.months-table tbody tr")
    rows = linked_csv(page, "records")
    assert {r["standard_id"] for r in rows} == {"nhs-ae-4-hours"}
    from_file = [
        [
            f"{dt.date.fromisoformat(r['period_start']):%B %Y}",
            "–" if r["value"] == "" else f"{float(r['value']) * 100:.1f}%",
            f"{comparator_sign(r['comparator'])} {float(r['target']) * 100:.1f}%",
            MONTH_VERDICT[r["status"]],
        ]
        for r in rows  # oldest first, as the standard page shows them
    ]
    assert len(shown) == 13
    assert shown == from_file


def test_daily_standard_page_csvs_are_its_service(page: Page, site: str) -> None:
    page.goto(f"{site}/department/boston-public-works-department/street-light-outages")
    headline = page.locator("p.headline").first.text_content() or ""
    days = linked_csv(page, "daily")
    assert {(r["organisation"], r["service"]) for r in days} == {
        ("Public Works Department", "Street Light Outages")
    }
    met = sum(r["status"] == "met" for r in days)
    judged = sum(r["status"] in ("met", "not_met") for r in days)
    assert headline.startswith(f"Met its standard on {met} of {judged} days judged")
    months = linked_csv(page, "days-met")
    assert {r["service"] for r in months} == {"Street Light Outages"}
    assert sum(int(r["days_met"]) for r in months) == met
    july = [r["headline"] for r in months if r["month"] == "2015-07-01"]
    assert july == ["Met its standard on 1 of 23 days in July 2015"]
