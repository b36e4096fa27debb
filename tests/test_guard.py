"""One page whose layout fails shows its own message; every other page still works."""

from __future__ import annotations

import logging
import shutil
import urllib.request
from pathlib import Path

import duckdb
import pytest
from dash import html
from playwright.sync_api import expect

from dashboard.web import guard
from dashboard.web.guard import guarded_layout, guarded_title
from metrics import reader
from metrics.cache import ResultCache
from tests.browser import chromium
from tests.conftest import serve


def broken(**_query: str) -> html.Div:
    raise RuntimeError("no such table")


def test_a_failing_layout_answers_with_a_message_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="dashboard.web.guard"):
        page = guarded_layout("pages.broken", broken)(month="2015-07")
    heading = page.children[0]
    assert isinstance(heading, html.H1) and heading.children == "This page could not be shown"
    [record] = caplog.records
    assert "pages.broken" in record.getMessage() and "2015-07" in record.getMessage()
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)


def test_a_failing_title_falls_back_to_the_site_name() -> None:
    def failing(**_path: str) -> str:
        raise LookupError("unknown slug")

    assert guarded_title("pages.broken", failing)() == "Service Standards Tracker"
    assert guarded_title("pages.ok", lambda **p: f"{p['slug']} – x")(slug="a") == "a – x"


@pytest.mark.browser
def test_one_broken_page_leaves_the_others_working(bundled_warehouse: Path, tmp_path: Path) -> None:
    served = tmp_path / "tracker.duckdb"
    shutil.copyfile(bundled_warehouse, served)
    # Only the methodology page reads this column (the league reads the table's wording).
    with duckdb.connect(str(served)) as con:
        con.execute("ALTER TABLE standards DROP COLUMN citation_url")
    with serve(served) as site, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{site}/methodology")  # the first request builds the validation layout
        expect(page.locator("h1")).to_have_text("This page could not be shown")
        expect(page.get_by_role("alert")).to_contain_text("Other pages are not affected")
        page.goto(f"{site}/?jurisdiction=boston&month=2015-07")
        expect(page.locator("h1")).to_have_text(
            "Which organisations met their standards? Boston, July 2015"
        )
        table = page.get_by_role("region", name="Boston organisations", exact=False)
        table.get_by_role("link", name="Public Works Department").click()
        expect(page).to_have_url(f"{site}/department/boston-public-works-department?month=2015-07")
        expect(page.locator("h1")).to_have_text("Public Works Department, July 2015")


def test_outside_a_callback_a_page_gives_its_skeleton(bundled_reader: None) -> None:
    def page(**_query: str) -> html.Div:
        return html.Div([html.H1("Figures"), html.Select([html.Option("a")], id="month")])

    validation = guarded_layout("pages.ok", page)()
    assert [type(c).__name__ for c in validation.children] == ["Select"]
    assert validation.children[0].id == "month" and validation.children[0].children is None


def test_a_page_is_built_once_per_warehouse_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "tracker.duckdb"
    warehouse.write_bytes(b"v1")
    monkeypatch.setattr(reader, "_reader", reader.Reader(warehouse, "256MB", 1))
    monkeypatch.setattr(guard, "LAYOUTS", ResultCache(max_entries=4))
    builds: list[dict[str, str]] = []

    def page(**query: str) -> html.Div:
        builds.append(query)
        return html.Div(query.get("month", ""))

    first = guard.rendered("pages.x", page, {"month": "2015-07"})
    assert guard.rendered("pages.x", page, {"month": "2015-07"}) is first
    guard.rendered("pages.x", page, {"month": "2015-08"})
    (tmp_path / "new.duckdb").write_bytes(b"v2")
    (tmp_path / "new.duckdb").replace(warehouse)  # a publish: a new file renamed into place
    guard.rendered("pages.x", page, {"month": "2015-07"})
    assert builds == [{"month": "2015-07"}, {"month": "2015-08"}, {"month": "2015-07"}]


def test_a_page_that_could_not_be_drawn_is_kept_by_no_cache(
    bundled_warehouse: Path, tmp_path: Path
) -> None:
    """Its fault may pass, and a shared cache holding it with a validator would keep it until
    the next publication; every other page is still marked for shared caches."""
    served = tmp_path / "tracker.duckdb"
    shutil.copyfile(bundled_warehouse, served)
    with duckdb.connect(str(served)) as con:  # only the methodology page reads this column
        con.execute("ALTER TABLE standards DROP COLUMN citation_url")
    with serve(served) as site:
        for _ in range(3):  # both workers, and again: never kept by the worker either
            with urllib.request.urlopen(f"{site}/methodology", timeout=30) as response:
                assert b"This page could not be shown" in response.read()
                assert response.headers["Cache-Control"] == "no-store"
                assert "ETag" not in response.headers
        with urllib.request.urlopen(f"{site}/?jurisdiction=boston", timeout=30) as response:
            assert b"<h1>Which organisations met their standards?" in response.read()
            assert response.headers["Cache-Control"].startswith("public, max-age=")
            assert response.headers["ETag"]
