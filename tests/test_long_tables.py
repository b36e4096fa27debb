"""Long tables show their first 25 rows and a link to all of them (`rows=all`), a plain link
that keeps the rest of the URL, so it works without scripts (the server's copy) and in Dash's
drawing alike; the downloads keep every row.

The NHS England league for June 2025 ranks the major emergency departments (Type 1) over the
12 months to June 2025. How many there are is counted here from NHS England's raw monthly
CSVs, apart from the ingest: the providers (other than the `TOTAL`/`Total `/`Total` rows) with any
Type 1 attendances, booked or not, in July 2024 to June 2025 (the June 2024 file is before
the window): 122.
"""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from playwright.sync_api import Browser, expect

from settings import ROOT
from tests.helpers import fetch

NHS = ROOT / "data" / "nhs-england-ae-monthly"
LEAGUE = "/?jurisdiction=nhs-england&month=2025-06"


def type_1_providers() -> int:
    """Providers with Type 1 attendances in the window, from the raw files."""
    files = [str(p) for p in sorted(NHS.glob("Monthly-AE-*.csv.gz")) if "June-2024" not in p.name]
    assert len(files) == 12
    found = duckdb.sql(
        """SELECT count(DISTINCT "Org Code") FROM read_csv($files, all_varchar = true)
            WHERE upper(trim("Org Code")) <> 'TOTAL'
              AND coalesce(try_cast("A&E attendances Type 1" AS BIGINT), 0)
                + coalesce(try_cast("A&E attendances Booked Appointments Type 1" AS BIGINT), 0)
                > 0""",
        params={"files": files},
    )
    assert found is not None
    return int(found.fetchall()[0][0])


def served_copy(site: str, path: str) -> str:
    status, _, body = fetch(site + path)
    assert status == 200
    page = body.decode()
    return page[page.index('<div id="server-rendered"') : page.index('<div id="react-entry-point"')]


def league_rows(copy: str) -> int:
    table = copy[copy.index('class="table league-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return body.count("<tr")


def more_link(copy: str) -> tuple[str, str]:
    """The href and words of the table's 'show all' (or 'first only') link."""
    found = re.search(r'<p class="table-more">.*?<a href="([^"]+)">([^<]+)</a>', copy)
    assert found is not None, "no link to the rest of the table"
    return html.unescape(found[1]), found[2]


def test_the_nhs_league_shows_25_rows_and_links_to_all_of_them_without_scripts(
    site: str,
) -> None:
    total = type_1_providers()
    assert total == 122
    copy = served_copy(site, LEAGUE)
    assert league_rows(copy) == 25
    assert f"Showing the first 25 of {total} rows." in copy
    href, words = more_link(copy)
    assert words == f"Show all {total} rows"
    query = parse_qs(urlsplit(href).query)
    assert query == {
        "jurisdiction": ["nhs-england"], "month": ["2025-06"], "peer_group": ["type-1"],
        "rows": ["all"],
    }  # fmt: skip
    every = served_copy(site, href)
    assert league_rows(every) == total
    back, words = more_link(every)
    assert words == "Show the first 25 only" and "rows=" not in back


def test_showing_all_keeps_the_sort_and_sorting_keeps_showing_all(site: str) -> None:
    copy = served_copy(site, LEAGUE + "&sort=organisation&order=desc")
    href, _ = more_link(copy)
    assert parse_qs(urlsplit(href).query)["sort"] == ["organisation"]
    every = served_copy(site, href)
    assert league_rows(every) == type_1_providers()
    heads = re.findall(r'<th[^>]*scope="col"[^>]*><a href="([^"]+)"', every)
    assert heads and all("rows=all" in html.unescape(h) for h in heads)
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', every)
    assert names == sorted(names, reverse=True)


def test_a_short_table_has_no_link_and_the_download_keeps_every_row(site: str) -> None:
    copy = served_copy(site, "/?jurisdiction=boston&month=2015-07")
    assert league_rows(copy) == 6 and 'class="table-more"' not in copy
    # the NHS league's own download link (its view: this peer group) holds every row
    download = re.search(r'href="(/download/league\.csv\?[^"]+)"', served_copy(site, LEAGUE))
    assert download is not None
    _, _, body = fetch(site + html.unescape(download[1]))
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == type_1_providers()


def test_a_canadian_department_shows_its_first_25_standards_and_links_to_all(site: str) -> None:
    # ss_2024.csv, counted with duckdb apart from the ingest: owner_org 'aafc-aac' published
    # 100 service standards for fiscal year 2023-2024, each its own service_standard_id.
    raw = ROOT / "data" / "canada-gc-service-standards-2023-24" / "ss_2024.csv.gz"
    found = duckdb.sql(
        """SELECT count(DISTINCT service_standard_id) FROM read_csv($f, all_varchar = true)
           WHERE owner_org = 'aafc-aac' AND fiscal_yr = '2023-2024'""",
        params={"f": str(raw)},
    )
    assert found is not None
    total = int(found.fetchall()[0][0])
    assert total == 100
    page = "/department/government-of-canada-agriculture-and-agri-food-canada"
    copy = served_copy(site, page)
    table = copy[copy.index('class="table standards-table"') :]
    assert table[: table.index("</tbody>")].count("<tr") == 25 + 1  # and the head's row
    href, words = more_link(copy)
    assert words == f"Show all {total} rows"
    assert parse_qs(urlsplit(href).query) == {"month": ["2023-04"], "rows": ["all"]}
    every = served_copy(site, href)
    table = every[every.index('class="table standards-table"') :]
    assert table[: table.index("</tbody>")].count("<tr") == total + 1


@pytest.mark.browser
def test_in_dash_the_link_shows_every_row_and_keeps_the_url(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + LEAGUE)
    rows = page.locator("table.league-table tbody tr")
    expect(rows).to_have_count(25, timeout=30_000)
    page.wait_for_load_state("networkidle")  # Dash's first callbacks answered
    total = type_1_providers()
    page.get_by_role("link", name=f"Show all {total} rows").click()
    expect(page).to_have_url(f"{site}/?jurisdiction=nhs-england&month=2025-06"
                             "&peer_group=type-1&rows=all")  # fmt: skip
    # Dash draws 122 rows of links slowly on a busy 2-core host (once over 30 s)
    expect(rows).to_have_count(total, timeout=90_000)
    page.get_by_role("link", name="Show the first 25 only").click()
    expect(rows).to_have_count(25, timeout=30_000)
    context.close()
