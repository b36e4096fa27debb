"""Peer groups (issue 10 item 4): declared in the catalog, checked, and applied to the league,
its download and its page, against figures worked by hand from NHS England's bundled CSVs."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from playwright.sync_api import Browser, expect

from ingest.catalog import CatalogError, load_catalog, load_source
from metrics import feeds, queries
from tests.helpers import fetch
from tests.test_site_pages import close, new_page

ROOT = Path(__file__).resolve().parents[1]
NHS = ROOT / "data" / "nhs-england-ae-monthly"
TYPE_1 = ["A&E attendances Type 1", "A&E attendances Booked Appointments Type 1"]
TYPE_1_OVER = ["Attendances over 4hrs Type 1", "Attendances over 4hrs Booked Appointments Type 1"]
ALL_TYPES = [
    "A&E attendances Type 1", "A&E attendances Type 2", "A&E attendances Other A&E Department",
    "A&E attendances Booked Appointments Type 1", "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
]  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _count(row: dict[str, str], columns: list[str]) -> int:
    return sum(int(row[c] or 0) for c in columns)


def nhs_months() -> dict[dt.date, list[dict[str, str]]]:
    """Each bundled CSV's rows by its month, read with the csv module alone."""
    out = {}
    for path in NHS.glob("Monthly-AE-*.csv.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        period = next(r["Period"] for r in rows if r["Period"].startswith("MSitAE"))
        out[dt.datetime.strptime(period.title(), "Msitae-%B-%Y").date()] = rows
    return out


def _is_total(row: dict[str, str]) -> bool:
    return row["Org Code"].strip().upper() == "TOTAL"  # 'TOTAL', or 'Total' in two months


def members_by_hand(first: dt.date, last: dt.date) -> tuple[set[str], set[str]]:
    """Organisation slugs with Type 1 attendances in the months, and those with attendances
    of any type but no Type 1 in any of them. A code is named as in its latest file: four
    trusts renamed in the files (catalog lineage) are one organisation under their new name."""
    type_1, any_type = set(), set()
    months = nhs_months()
    latest = {r["Org Code"]: r["Org name"] for _, rows in sorted(months.items()) for r in rows}
    for month, rows in months.items():
        if not first <= month <= last:
            continue
        for row in rows:
            if _is_total(row):
                continue
            slug = _slug("NHS England-" + latest[row["Org Code"]])
            if _count(row, TYPE_1) > 0:
                type_1.add(slug)
            if _count(row, ALL_TYPES) > 0:
                any_type.add(slug)
    return type_1, any_type - type_1


# December 2024's TOTAL row (Monthly-AE-December-2024.csv): Type 1 attendances 1,407,530 and
# booked Type 1 appointments 32,781, so 1,440,311 Type 1 attendances; over 4 hours 633,815 and
# 9,567 booked, 643,382; within 4 hours 1,440,311 - 643,382 = 796,929: 55.3%, NHS England's
# Type 1 figure for the month.
def test_type_1_group_sums_to_england_type_1_figure_for_december_2024(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = bundled_con.sql(
        """SELECT sum(j.numerator), sum(j.denominator) FROM judgements j
           JOIN peer_group_members m ON m.org_slug = j.org_slug AND m.month = j.period_start
           WHERE m.jurisdiction = 'NHS England' AND m.peer_group = 'type-1'
             AND j.standard_id = 'nhs-ae-type-1-4-hours' AND j.period_start = $m
             AND j.status IN ('met', 'not_met')""",
        params={"m": dt.date(2024, 12, 1)},
    ).fetchall()
    assert rows == [(796_929, 1_440_311)]
    assert round(796_929 / 1_440_311 * 100, 1) == 55.3


# The league for June 2025 pools the 12 months July 2024 to June 2025. Type 1 attendances
# (Type 1 + booked Type 1) and those within 4 hours, from each month's TOTAL row:
# Jul 1,399,224+26,345 = 1,425,569, within 1,425,569-(543,499+7,401) = 874,669;
# Aug 1,320,157, 825,658; Sep 1,335,923+28,559 = 1,364,482, within 815,960; Oct 1,453,242,
# 844,129; Nov 1,428,050, 813,728; Dec 1,440,311, 796,929; Jan 1,359,026, 784,388; Feb
# 1,271,336, 741,834; Mar 1,450,686, 883,691; Apr 1,388,299, 835,898; May 1,453,036, 889,434;
# Jun 1,428,563, 881,692. Summed: 9,988,010 within of 16,782,757 (59.5%).
def test_type_1_league_rows_sum_to_england_over_the_window(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    league = queries.league_table("NHS England", dt.date(2025, 6, 1), bundled_con)
    assert set(league["peer_group"]) == {"type-1"}  # the area's first group is the default
    assert set(league["standard_id"]) == {"nhs-ae-type-1-4-hours"}
    within = int(league["performance_numerator"].sum())
    judged = int(league["performance_denominator"].sum())
    assert (within, judged) == (9_988_010, 16_782_757)
    # The all-types league of every provider stays, with every provider in it.
    every = queries.league_table(
        "NHS England", dt.date(2025, 6, 1), bundled_con, "nhs-ae-4-hours", "all-providers"
    )
    assert every.height > league.height


def test_membership_counts_for_december_2024_by_hand(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # December 2024's league pools June to December 2024 (the files start in June 2024).
    type_1, urgent = members_by_hand(dt.date(2024, 6, 1), dt.date(2024, 12, 1))
    assert (len(type_1), len(urgent)) == (122, 66)  # 124 and 67 by published name
    month = dt.date(2024, 12, 1)
    for group, expected in (("type-1", type_1), ("urgent-care", urgent)):
        league = queries.league_table("NHS England", month, bundled_con, peer_group=group)
        assert set(league["org_slug"]) == expected
        assert set(league["peer_group"]) == {group}
    # Ranks are among the group's members only (June 2025: 12 months, so most are ranked).
    june = dt.date(2025, 6, 1)
    ranked = queries.league_table("NHS England", june, bundled_con, peer_group="urgent-care")
    reliable = ranked.filter(ranked["reliability"].is_null())
    ranks = [int(r) for r in ranked["rank"].drop_nulls()]
    assert reliable.height > 0 and min(ranks) == 1 and max(ranks) <= reliable.height


def test_ambulance_trusts_not_regions_and_scotland_two_groups(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # AmbSYS.csv names 11 trusts, 7 regions (Y56-Y63) and England ('Eng'); only trusts rank.
    area = "NHS England ambulance services"
    with gzip.open(ROOT / "data" / "nhs-england-ambsys" / "AmbSYS.csv.gz", "rt") as fh:
        names = {(r["Org Code"], r["Org Name"]) for r in csv.DictReader(fh)}
    trusts = {_slug(f"{area}-{n}") for c, n in names if not re.fullmatch(r"Eng|Y[0-9]+", c)}
    assert len(trusts) == 11 and len(names) == 19
    month = queries.months(area, bundled_con)[-1]
    league = queries.league_table(area, month, bundled_con, "arp-c1-mean")
    assert set(league["org_slug"]) == trusts
    assert set(league["peer_group"]) == {"ambulance-trusts"}
    groups = queries.peer_groups("NHS Scotland", bundled_con)
    assert list(groups["peer_group"]) == ["emergency-departments", "minor-injury-units"]
    assert list(groups["standard_id"]) == ["phs-ae-4-hours", "phs-miu-4-hours"]


def test_league_csv_labels_every_group_unless_narrowed(site: str) -> None:
    type_1, urgent = members_by_hand(dt.date(2024, 7, 1), dt.date(2025, 6, 1))
    url = f"{site}/download/league.csv?jurisdiction=nhs-england&month=2025-06"
    status, _, body = fetch(url)
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by_group: dict[str, set[str]] = {}
    for row in rows:
        by_group.setdefault(row["peer_group"], set()).add(row["organisation"])
    assert set(by_group) == {"type-1", "urgent-care", "all-providers"}
    assert (len(by_group["type-1"]), len(by_group["urgent-care"])) == (len(type_1), len(urgent))
    status, headers, body = fetch(url + "&peer_group=urgent-care")
    assert status == 200
    assert headers["Content-Disposition"] == (
        "attachment; filename=nhs-england-league-urgent-care-2025-06.csv"
    )
    narrowed = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r["peer_group"] for r in narrowed} == {"urgent-care"}
    assert {_slug("NHS England-" + r["organisation"]) for r in narrowed} == urgent
    status, _, body = fetch(url + "&peer_group=trusts")
    assert status == 400
    assert b"peer_group must be one of: type-1, urgent-care, all-providers" in body


@pytest.mark.browser
def test_league_page_shows_only_the_group_members(browser: Browser, site: str) -> None:
    _, urgent = members_by_hand(dt.date(2024, 6, 1), dt.date(2024, 12, 1))
    page = new_page(browser, 1280)
    # every row (a league past 25 rows shows its first 25 and a link to the rest)
    page.goto(f"{site}/?jurisdiction=nhs-england&month=2024-12&peer_group=urgent-care&rows=all")
    table = page.locator("table.league-table")
    expect(table.locator("tbody tr").first).to_be_visible()
    hrefs = table.locator("tbody th a").evaluate_all("links => links.map(a => a.pathname)")
    assert {h.removeprefix("/department/") for h in hrefs} == urgent
    expect(table.locator("caption")).to_contain_text("NHS England urgent treatment centres")
    expect(page.locator("p.lead")).to_contain_text("Across 66 NHS England urgent treatment centres")
    choice = page.get_by_label("Compare within")
    expect(choice).to_have_value("urgent-care")
    # Choosing another group by keyboard alone: the form is a plain GET.
    choice.focus()
    choice.select_option("type-1")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"peer_group=type-1"))
    expect(page.locator("p.lead")).to_contain_text(
        "Across 122 NHS England major emergency departments (Type 1)"
    )
    # A new month keeps the group.
    page.get_by_label("Month", exact=True).select_option("2025-06")
    page.get_by_role("button", name="Show").first.click()
    expect(page).to_have_url(re.compile(r"peer_group=type-1&month=2025-06"))
    expect(page.locator("p.lead")).to_contain_text(
        "Across 122 NHS England major emergency departments (Type 1)"
    )
    close(page)


def _catalog(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    text = (ROOT / "catalog" / "nhs-ae-monthly.toml").read_text(encoding="utf-8")
    (folder / "nhs-ae-monthly.toml").write_text(text + extra, encoding="utf-8")
    shutil.copy(ROOT / "catalog" / "nhs-ambsys.toml", folder)
    return folder


GROUP = '\n[[peer_groups]]\nid = "x"\nlabel = "X"\ndescription = "Some."\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (GROUP + 'standard = "arp-c1-mean"\n',
         "peer_groups.3.standard: unknown standard 'arp-c1-mean' (the standards of NHS "
         "England: nhs-ae-12-hours-decision-to-admit, nhs-ae-4-hours, nhs-ae-type-1-4-hours)"),
        (GROUP + 'members = { not_in = ["later"] }\n',
         "peer_groups.3.members.not_in: 'later' is not a group declared before it in NHS "
         "England (declared before: type-1, urgent-care, all-providers)"),
        (GROUP.replace('"x"', '"type-1"'), "peer_groups.3.id: 'type-1' is declared twice"),
        (GROUP + 'member = { judged_on = "nhs-ae-4-hours" }\n',
         "peer_groups.3.member: unknown key 'member'; did you mean 'members'? (allowed here: "
         "description, headline_standard, id, label, members, standard)"),
        (GROUP + 'headline_standard = "arp-c1-mean"\n',
         "peer_groups.3.headline_standard: unknown standard 'arp-c1-mean' (the standards of "
         "NHS England: nhs-ae-12-hours-decision-to-admit, nhs-ae-4-hours, "
         "nhs-ae-type-1-4-hours)"),
        (GROUP + 'standard = "nhs-ae-4-hours"\nheadline_standard = "nhs-ae-4-hours"\n',
         "a group compared on one standard (standard) has no other to open on: leave out "
         "headline_standard"),
        (GROUP + 'members = { judged = "nhs-ae-4-hours" }\n',
         "peer_groups.3.members.judged: unknown key 'judged'; did you mean 'judged_on'? "
         "(allowed here: judged_on, name_matches, not_in)"),
        (GROUP + 'members = { name_matches = "UTC(" }\n',
         "peer_groups.3.members.name_matches: Value error, not a regular expression"),
        (GROUP.replace('"x"', '"Type 1"'), "peer_groups.3.id: String should match pattern"),
    ],
)  # fmt: skip
def test_a_bad_group_is_refused_naming_what_is_allowed(
    tmp_path: Path, extra: str, message: str
) -> None:
    folder = _catalog(tmp_path, extra)
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_catalog(folder)
    assert load_source(ROOT / "catalog" / "nhs-ae-monthly.toml").peer_groups  # the real one loads


def test_feeds_compare_within_a_group(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # The area's feed names best and worst among its first group (major emergency
    # departments); an organisation's feed has one entry a month, from its own first group.
    type_1, _ = members_by_hand(dt.date(2024, 7, 1), dt.date(2025, 6, 1))
    latest = feeds.area_entries("nhs-england", bundled_con)[0]
    best, worst = re.findall(r"(?:Best|Worst): (.+?) met its standard", latest.summary)
    names = {_slug("NHS England-" + n) for n in (best, worst)}
    assert names <= type_1
    entries = feeds.organisation_entries("nhs-england-woking-walk-in-centre", bundled_con)
    assert len({e.key for e in entries}) == len(entries) == 13  # June 2024 to June 2025


@pytest.mark.browser
def test_methodology_lists_each_area_groups(browser: Browser, site: str) -> None:
    page = new_page(browser, 1280)
    page.goto(f"{site}/methodology#peer-groups")
    table = page.locator("table", has=page.locator("caption", has_text="Peer groups"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(10)  # NHS England 3, Scotland 2, five other areas 1 each
    urgent = table.locator("tr", has=page.get_by_role("rowheader", name="(urgent-care)"))
    expect(urgent.locator("td").nth(0)).to_have_text("NHS England")
    expect(urgent.locator("td").nth(2)).to_have_text(
        "95% of A&E attendances admitted, transferred or discharged within 4 hours of arrival"
    )
    every = table.locator("tr", has=page.get_by_role("rowheader", name="(all-providers)"))
    expect(every.locator("td").nth(2)).to_have_text("Each of the area's standards")
    close(page)


AMBULANCE = "NHS England ambulance services"


def test_the_ambulance_league_opens_on_its_declared_headline_standard(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    """The ambulance trusts' group declares the Category 1 mean as the standard its league
    opens on; the six standards pooled as periods met stay one choice away. Best and worst
    worked out from AmbSYS.csv by hand: the mean of column A25 (C1 mean, seconds) over
    February 2020 to January 2021 is 386.5 s for North East (RX6, 12 months) and 579.8 s for
    the Isle of Wight (R1F, 12 months)."""
    choices = queries.league_standards(AMBULANCE, bundled_con)
    assert choices["standard_id"].to_list()[:2] == ["arp-c1-mean", "all"]
    league = queries.league_table(AMBULANCE, dt.date(2021, 1, 1), bundled_con)
    assert set(league["standard_id"]) == {"arp-c1-mean"}
    ranked = league.filter(pl.col("rank").is_not_null()).sort("rank")
    assert ranked.height == 11
    best, worst = ranked.row(0, named=True), ranked.row(-1, named=True)
    assert best["organisation"].startswith("NORTH EAST AMBULANCE SERVICE")
    assert best["performance"] == pytest.approx(386.5)
    assert worst["organisation"] == "ISLE OF WIGHT NHS TRUST"
    assert worst["performance"] == pytest.approx(579.8333, abs=1e-3)
    every = queries.league_table(AMBULANCE, dt.date(2021, 1, 1), bundled_con, standard="all")
    assert set(every["standard_id"]) == {"all"}
