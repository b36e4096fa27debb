"""'Cite or share this view' on every page: the permalink, the page's heading, the data's
version and publication date, each publisher and licence, as plain text to paste. In the
server's HTML, and in real Chromium by keyboard alone."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, expect

from settings import today
from tests.helpers import fetch

LEAGUE = "/?jurisdiction=boston&month=2015-07"
TRUST = "/department/nhs-england-airedale-nhs-foundation-trust"
LATEST_NHS = "2025-06"
ROOT = Path(__file__).resolve().parents[1]


def meta(con: duckdb.DuckDBPyConnection, key: str) -> str:
    return str(con.sql("SELECT value FROM meta WHERE key = $k", params={"k": key}).fetchall()[0][0])


def expected(site: str, con: duckdb.DuckDBPyConnection, title: str, path: str, where: str) -> str:
    """The reference, put together here from the warehouse's meta and sources tables."""
    version = meta(con, "warehouse_version")
    published = dt.datetime.fromisoformat(meta(con, "published_at"))
    rows = con.sql(
        f"SELECT DISTINCT publisher, title, licence FROM sources WHERE {where} ORDER BY 1, 2"
    ).fetchall()
    credits = "; ".join(f"{p}, {t} ({lic})" for p, t, lic in rows)
    return (
        f"{title}. Service Standards Tracker. {site}{path} (data version {version}, published "
        f"{published:%-d %B %Y}). Source: {credits}. Accessed {today():%-d %B %Y}."
    )


def cite_text(body: bytes) -> str:
    found = re.search(r'<textarea id="cite-[0-9a-f]{8}"[^>]*>(.*?)</textarea>', body.decode(), re.S)
    assert found, "no reference box"
    return html.unescape(found[1])


def test_league_page_carries_its_reference(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    status, _, body = fetch(site + LEAGUE)
    assert status == 200
    page = body.decode()
    assert page.count("Cite or share this view") == 1
    assert f'href="{html.escape(site + LEAGUE)}"' in page  # the permalink, as a link
    title = "Which organisations met their standards? Boston, July 2015"
    want = expected(site, bundled_con, title, LEAGUE, "jurisdiction = 'Boston'")
    assert cite_text(body) == want
    assert "Open Data Commons Public Domain Dedication and License (ODC-PDDL) 1.0" in want


def test_every_page_kind_has_the_block(site: str) -> None:
    compare = "/compare?orgs=boston-public-works-department,boston-property-management"
    for path, link in (
        ("/", "/"),
        (TRUST, f"{TRUST}?month={LATEST_NHS}"),
        (f"{TRUST}/nhs-ae-4-hours", f"{TRUST}/nhs-ae-4-hours"),
        # Boston's bundled requests are 2015's: by default the latest 12 months, Jan-Dec.
        (compare, f"{compare}&from=2015-01&to=2015-12"),
        ("/methodology", "/methodology"),
        ("/data", "/data"),
    ):
        status, _, body = fetch(site + path)
        assert status == 200, path
        assert body.decode().count("Cite or share this view") == 1, path
        assert f"{site}{html.escape(link)} (data version " in html.escape(cite_text(body)), path


def latest_period(con: duckdb.DuckDBPyConnection, organisation: str) -> str:
    """The latest month an organisation's rows cover in the bundled NHS England A&E CSVs,
    read straight from the raw files' `Period` column (`MSitAE-JUNE-2025`), not the warehouse."""
    sql = """SELECT max(strptime(split_part(Period, '-', 2) || '-' || split_part(Period, '-', 3),
                                 '%B-%Y'))
             FROM read_csv($files, union_by_name = true, all_varchar = true)
             WHERE "Org name" ILIKE $org"""
    files = str(ROOT / "data" / "nhs-england-ae-monthly" / "*.csv.gz")
    return f"{con.sql(sql, params={'files': files, 'org': organisation}).fetchall()[0][0]:%Y-%m}"


def test_an_implicit_month_is_written_into_the_permalink(site: str) -> None:
    """A department page left to its latest month cites that month, so the link keeps showing
    the same figures after the next publication; a month with no figures cites the one shown."""
    latest = latest_period(duckdb.connect(), "%AIREDALE%")
    assert latest == LATEST_NHS  # June 2025, the newest Period among Airedale's rows
    for asked in (TRUST, f"{TRUST}?month=1999-01"):
        _, _, body = fetch(site + asked)
        permalink = f"{site}{TRUST}?month={latest}"
        assert f'href="{html.escape(permalink)}"' in body.decode(), asked
        assert f" {permalink} (data version " in cite_text(body), asked
    # The permalink names the view drawn: the same heading from the explicit address.
    _, _, implicit = fetch(site + TRUST)
    _, _, explicit = fetch(f"{site}{TRUST}?month={latest}")
    heading = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.S)
    found, again = heading.search(implicit), heading.search(explicit)
    assert found and again and found[1] == again[1] == b"AIREDALE NHS FOUNDATION TRUST, June 2025"
    # A month asked for and held stays as asked.
    _, _, body = fetch(f"{site}{TRUST}?month=2025-01")
    assert f" {site}{TRUST}?month=2025-01 (data version " in cite_text(body)
    status, _, body = fetch(site + "/no-such-page")
    assert status == 404 and b"Cite or share this view" not in body


def test_a_department_cites_its_own_area_only(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    _, _, body = fetch(site + TRUST)
    text = cite_text(body)
    assert text.startswith("AIREDALE NHS FOUNDATION TRUST, ")
    assert "NHS England A&E attendances" in text and "(Open Government Licence v3.0)" in text
    assert "City of Boston" not in text and "Canada" not in text


@pytest.mark.browser
def test_the_block_opens_and_is_read_by_keyboard(browser: Browser, site: str) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site + LEAGUE)
    block = page.locator(".cite-view:visible")
    expect(block).to_have_count(1, timeout=30_000)
    summary = block.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(block).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(block.locator(".permalink")).to_be_focused()
    page.keyboard.press("Tab")
    box = page.get_by_label("Reference to copy")
    expect(box).to_be_focused()
    expect(box).to_have_js_property("readOnly", True)
    value = box.input_value()
    assert value.startswith("Which organisations met their standards? Boston, July 2015. ")
    assert f"{site}{LEAGUE} (data version " in value
    page.close()
