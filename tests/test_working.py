"""Show the working: a day's verdict lists exactly the requests it counts, each with its file
and row, checked against the real bundled Boston file read separately here."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from dashboard.ui import tables
from ingest.catalog import load_catalog
from ingest.run import run
from metrics import cache, queries, reader, working
from metrics.datasets import DATASETS, Filters, SqlQuery
from metrics.league import Sort
from settings import ROOT
from tests.helpers import fetch
from tests.test_malformed import BY_NAME, CASES, MALFORMED, Case, case_source, ingest_case
from tests.test_whose_standard import page_layout

PWD = "boston-public-works-department"
LIGHTS = "street-light-outages"
DAY = dt.date(2015, 7, 14)
FILE = ROOT / "data" / "boston-311-2015" / "Street Light Outages.csv.gz"
# Hand-checked on the real file (python csv, below): 24 requests have a TARGET_DT on 14 July
# 2015; 17 closed at or before it, 3 closed after it, 4 never closed. These 7 are not on time.
NOT_ON_TIME = {
    (3390, "101001419906"), (3394, "101001419985"), (3396, "101001420000"),
    (3397, "101001420003"), (3403, "101001420050"), (3406, "101001420316"),
    (3410, "101001420628"),
}  # fmt: skip


def due_in_file(day: dt.date) -> list[tuple[int, str, bool]]:
    """(line, CASE_ENQUIRY_ID, on time) of each Street Light Outages request whose target falls
    on `day`, read from the published CSV with the csv module, not through ingest."""
    fmt, found = "%m/%d/%Y %I:%M:%S %p", []
    with gzip.open(FILE, "rt", newline="") as f:
        rows = csv.DictReader(f)
        for line, row in enumerate(rows, start=2):  # the header is line 1
            if not row["TARGET_DT"] or row["TYPE"] != "Street Light Outages":
                continue
            target = dt.datetime.strptime(row["TARGET_DT"], fmt)
            if target.date() == day:
                closed = row["CLOSED_DT"] and dt.datetime.strptime(row["CLOSED_DT"], fmt)
                found.append((line, row["CASE_ENQUIRY_ID"], bool(closed and closed <= target)))
    return found


def day_rows(con: duckdb.DuckDBPyConnection, day: dt.date = DAY) -> list[dict[str, Any]]:
    query = DATASETS["cases"].read(Filters(organisations=(PWD,), service=LIGHTS, day=day), con)
    assert isinstance(query, SqlQuery)
    return list(con.sql(query.sql, params=query.params).pl().iter_rows(named=True))


def test_the_file_itself_gives_24_due_17_on_time() -> None:
    due = due_in_file(DAY)
    assert (len(due), sum(on for *_, on in due)) == (24, 17)
    assert {(line, case) for line, case, on in due if not on} == NOT_ON_TIME


def test_the_day_lists_exactly_the_requests_its_verdict_counts(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = day_rows(bundled_con)
    listed = {(r["row_number"], r["case_id"], r["outcome"] == "on_time") for r in rows}
    assert listed == set(due_in_file(DAY))
    assert {r["file_name"] for r in rows} == {"Street Light Outages.csv.gz"}
    outcomes = sorted(r["outcome"] for r in rows)
    assert outcomes.count("on_time") == 17 and outcomes.count("late") == 3
    assert outcomes.count("open_late") == 4
    verdict = working.service_day(PWD, LIGHTS, DAY, bundled_con)
    assert verdict is not None
    assert (verdict["due"], verdict["on_time"], verdict["status"]) == (24, 17, "not_met")


def test_how_late_is_closed_minus_target(bundled_con: duckdb.DuckDBPyConnection) -> None:
    row = next(r for r in day_rows(bundled_con) if r["case_id"] == "101001420000")
    # The file: TARGET_DT 07/14/2015 08:30:00 AM, CLOSED_DT 08/05/2015 01:57:.. PM.
    assert row["outcome"] == "late" and row["row_number"] == 3396
    assert row["late_by_seconds"] == (row["closed_at"] - row["target_at"]).total_seconds()
    assert 22 * 86400 < row["late_by_seconds"] < 23 * 86400


def texts(node: Any) -> list[str]:
    """Every text in a Dash tree, in order."""
    if isinstance(node, str | int):
        return [str(node)]
    if isinstance(node, list | tuple):
        return [t for child in node for t in texts(child)]
    return texts(getattr(node, "children", None) or [])


def hrefs(node: Any) -> list[str]:
    """Every link target in a Dash tree, in order."""
    if isinstance(node, list | tuple):
        return [h for child in node for h in hrefs(child)]
    if node is None or isinstance(node, str | int):
        return []
    own = [node.href] if getattr(node, "href", None) else []
    return own + hrefs(getattr(node, "children", None))


def rows_of(node: Any, kind: str) -> list[Any]:
    """The body rows of the table with class `kind`."""
    if isinstance(node, list | tuple):
        return [r for child in node for r in rows_of(child, kind)]
    if node is None or isinstance(node, str | int):
        return []
    if kind in str(getattr(node, "className", "") or "").split():
        return list(node.children[2].children)
    return rows_of(getattr(node, "children", None), kind)


def test_the_day_page_shows_the_verdict_rows_files_and_downloads(bundled_reader: None) -> None:
    page = page_layout("period")(slug=PWD, standard=LIGHTS, period="2015-07-14")
    words = " ".join(texts(page))
    assert "Not met: 17 of 24 requests due were closed by their target (71%)" in words
    rows = rows_of(page, "cases-table")
    assert len(rows) == 24 and "Page 1 of 1" in words
    first = texts(rows[0])  # sorted by target time, then row: line 3390 first
    assert first[0] == "101001419906" and "row 3,390" in first
    assert "Street Light Outages.csv.gz" in first
    links = hrefs(page)
    assert f"/download/cases.csv?organisation={PWD}&service={LIGHTS}&day=2015-07-14" in links
    assert f"/department/{PWD}?month=2015-07" in links


def test_the_day_page_is_paginated_and_sorted_by_its_url(bundled_reader: None) -> None:
    # 20 January 2015 had 98 Street Light Outages due (the daily dataset): pages of 50 and 48.
    day = "2015-01-20"
    first = page_layout("period")(slug=PWD, standard=LIGHTS, period=day)
    assert len(rows_of(first, "cases-table")) == 50 and "Page 1 of 2" in " ".join(texts(first))
    assert f"/department/{PWD}/{LIGHTS}/{day}?page=2" in hrefs(first)
    second = page_layout("period")(slug=PWD, standard=LIGHTS, period=day, page="2")
    assert len(rows_of(second, "cases-table")) == 48
    assert f"/department/{PWD}/{LIGHTS}/{day}" in hrefs(second)  # previous: page 1
    by_id = page_layout("period")(
        slug=PWD, standard=LIGHTS, period=day, sort="case_id", order="desc"
    )
    ids = [texts(r)[0] for r in rows_of(by_id, "cases-table")]
    assert ids == sorted(ids, reverse=True)
    following = f"/department/{PWD}/{LIGHTS}/{day}?sort=case_id&order=desc&page=2"
    assert following in hrefs(by_id)  # the next page keeps the sort


def test_every_calendar_day_and_days_table_row_links_to_its_requests(
    bundled_reader: None,
) -> None:
    page = page_layout("department")(slug=PWD, month="2015-07")
    links = hrefs(page)
    day_link = f"/department/{PWD}/{LIGHTS}/2015-07-14"
    assert links.count(day_link) == 2  # the calendar cell and the days table's row
    # July 2015: every day of every service with a verdict has both links.
    assert sum(1 for h in links if h.startswith(f"/department/{PWD}/{LIGHTS}/2015-07-")) == 62


@pytest.mark.parametrize(
    ("slug", "standard", "day"),
    [
        (PWD, LIGHTS, "2015-07-32"),
        (PWD, LIGHTS, "2014-07-14"),  # before the series
        ("no-such-department", LIGHTS, "2015-07-14"),
        (PWD, "no-such-service", "2015-07-14"),
    ],
)
def test_an_unknown_day_answers_404(site: str, slug: str, standard: str, day: str) -> None:
    status, _, _ = fetch(f"{site}/department/{slug}/{standard}/{day}")
    assert status == 404


def test_the_day_page_answers_200_and_its_download_counts_24_rows(site: str) -> None:
    assert fetch(f"{site}/department/{PWD}/{LIGHTS}/2015-07-14")[0] == 200
    status, headers, body = fetch(
        f"{site}/download/cases.csv?organisation={PWD}&service={LIGHTS}&day=2015-07-14"
    )
    assert status == 200 and headers["X-Row-Count"] == "24"
    assert body.startswith("\ufeff".encode())  # the BOM, as every CSV of the site
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(table) == 25 and table[0][:4] == [
        "jurisdiction",
        "organisation",
        "service",
        "case_id",
    ]
    assert {(int(r[13]), r[3]) for r in table[1:]} == {
        (line, case) for line, case, _ in due_in_file(DAY)
    }
    status, _, body = fetch(f"{site}/download/cases.csv?day=14-07-2015")
    assert status == 400 and b"day must be a date written YYYY-MM-DD" in body


TRUST = "nhs-england-airedale-nhs-foundation-trust"
NHS_FILE = ROOT / "data" / "nhs-england-ae-monthly" / "Monthly-AE-January-2025.csv.gz"
ATTENDANCES = ("Type 1", "Type 2", "Other A&E Department", "Booked Appointments Type 1",
               "Booked Appointments Type 2", "Booked Appointments Other Department")  # fmt: skip
OVER_4H = ("Type 1", "Type 2", "Other Department", "Booked Appointments Type 1",
           "Booked Appointments Type 2", "Booked Appointments Other Department")  # fmt: skip


def csv_line(path: Path, line: int) -> dict[str, str]:
    """One line of a published gzipped CSV, by its number (the header is line 1)."""
    with gzip.open(path, "rt", newline="") as f:
        for number, row in enumerate(csv.DictReader(f), start=2):
            if number == line:
                return row
    raise AssertionError(f"{path.name} has no line {line}")


def test_an_nhs_month_links_to_the_exact_published_row(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = working.verdict_rows(TRUST, "nhs-ae-4-hours", dt.date(2025, 1, 1), bundled_con)
    assert rows["figure"].to_list() == ["current"]  # no revision of January 2025 is bundled
    row = rows.row(0, named=True)
    assert (row["file_name"], row["row_number"]) == ("Monthly-AE-January-2025.csv.gz", 84)
    published = csv_line(NHS_FILE, 84)  # read here with the csv module, not through ingest
    assert (published["Org Code"], published["Org name"]) == (
        "RCF",
        "AIREDALE NHS FOUNDATION TRUST",
    )
    seen = sum(int(published[f"A&E attendances {c}"]) for c in ATTENDANCES)
    over = sum(int(published[f"Attendances over 4hrs {c}"]) for c in OVER_4H)
    assert (row["denominator"], row["numerator"]) == (seen, seen - over) == (6167, 3826)
    assert row["sha256"] == hashlib.sha256(NHS_FILE.read_bytes()).hexdigest()
    assert row["file_url"].endswith("/Monthly-AE-January-2025.csv")


def test_the_month_page_shows_the_row_and_the_standard_page_links_to_it(
    bundled_reader: None,
) -> None:
    page = page_layout("period")(slug=TRUST, standard="nhs-ae-4-hours", period="2025-01")
    words = " ".join(texts(page))
    assert "Not met: 62.0% against ≥ 95.0%" in words
    assert "62.0% (3,826 of 6,167)" in words and "84 (the header is line 1)" in words
    assert "Monthly-AE-January-2025.csv.gz" in words and "No revised file has replaced" in words
    month = f"/department/{TRUST}/nhs-ae-4-hours/2025-01"
    assert month in hrefs(page_layout("standard")(slug=TRUST, standard="nhs-ae-4-hours"))
    assert month in hrefs(page_layout("department")(slug=TRUST))


def test_a_revised_month_shows_the_earlier_figure_and_file(tmp_path: Path) -> None:
    """The agency re-publishes January 2025 with Airedale's Type 1 attendances 5,350 -> 5,400:
    the verdict is judged on the revision, and the page shows the first file's figures too."""
    folder = tmp_path / "nhs-england-ae-monthly"
    folder.mkdir()
    shutil.copyfile(NHS_FILE, folder / NHS_FILE.name)
    text = gzip.decompress(NHS_FILE.read_bytes()).decode()
    old = "AIREDALE NHS FOUNDATION TRUST,5350,"
    assert text.count(old) == 1
    revised = text.replace(old, "AIREDALE NHS FOUNDATION TRUST,5400,")
    (folder / "Monthly-AE-January-2025-revised.csv.gz").write_bytes(gzip.compress(revised.encode()))
    source = next(s for s in load_catalog(ROOT / "catalog") if s.id == "nhs-ae-monthly")
    path = tmp_path / "w.duckdb"
    run([source], tmp_path, path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = working.verdict_rows(TRUST, "nhs-ae-4-hours", dt.date(2025, 1, 1), con)
    finally:
        con.close()
    assert rows["figure"].to_list() == ["current", "replaced"]
    now, before = rows.row(0, named=True), rows.row(1, named=True)
    assert (now["file_name"], now["denominator"]) == (
        "Monthly-AE-January-2025-revised.csv.gz",
        6217,
    )
    assert (before["file_name"], before["denominator"], before["row_number"]) == (
        "Monthly-AE-January-2025.csv.gz",
        6167,
        84,
    )
    assert before["replaced_by"] == "Monthly-AE-January-2025-revised.csv.gz"


@pytest.mark.parametrize(
    ("area", "slug", "month", "standard", "met", "judged"),
    [
        ("Boston", PWD, dt.date(2015, 7, 1), "boston-311-closed-by-target", 1, 46),
        ("NHS England", TRUST, dt.date(2025, 6, 1), "nhs-ae-type-1-4-hours", 0, 12),
    ],
)
def test_a_league_row_links_to_exactly_the_verdicts_it_counts(
    bundled_reader: None, area: str, slug: str, month: dt.date, standard: str, met: int,
    judged: int,
) -> None:  # fmt: skip
    league = queries.league_table(area, month)
    row = league.filter((pl.col("org_slug") == slug) & (pl.col("standard_id") == standard))
    assert row.select("periods_met", "periods_judged").row(0) == (met, judged)
    href = f"/verdicts/{slug}?month={month:%Y-%m}&standard={standard}"
    table = tables.league_table(league, month, "caption", Sort("rank", False), lambda c, o: "")
    assert href in hrefs(table)
    page = page_layout("verdicts")(slug=slug, month=f"{month:%Y-%m}", standard=standard)
    rows = rows_of(page, "verdicts-table")
    verdicts = [texts(r)[-1] for r in rows]
    assert (verdicts.count("Met"), verdicts.count("Met") + verdicts.count("Not met")) == (
        met,
        judged,
    )
    first = hrefs(rows[0])[0]  # each period links to its working
    assert first.startswith(f"/department/{slug}/") and first.count("/") == 4


def read_warehouse(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read `path` in this process as a web worker does, with an empty result cache."""
    monkeypatch.setattr(reader, "_reader", reader.Reader(path, "256MB", 1))
    monkeypatch.setattr(cache, "RESULTS", cache.ResultCache())


# Every case of tests/test_malformed.py whose file loads with rejected rows (a file rejected
# whole changes no figure, so nothing is published: the site's ledger never sees it).
WITH_REJECTS = [c.name for c in CASES if c.rejects]


@pytest.mark.parametrize("name", WITH_REJECTS)
def test_every_rejected_row_of_a_malformed_file_is_on_its_ledger(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = BY_NAME[name]
    _, warehouse, _ = ingest_case(case, tmp_path)
    read_warehouse(warehouse, monkeypatch)
    source_id = case_source(case).id
    page = page_layout("ledger")(source_id=source_id)
    listed = [texts(r) for r in rows_of(page, "rejects-table")]
    # the rows test_malformed.py computed by hand: file, line, column, value, reason
    assert listed == [
        [file, f"{line:,}", column, "(empty)" if value is None else value, reason]
        for file, line, column, value, reason in case.rejects
    ]
    files = [texts(r) for r in rows_of(page, "ledger-table")]
    assert [f[0] for f in files] == ["baseline.csv", case_file(case)]
    assert case.counts is not None
    read, loaded, rejected = case.counts
    assert files[-1][3:7] == [f"{read:,}", f"{loaded:,}", f"{rejected:,}", "0"]
    assert f"/download/rejects.csv?source={source_id}" in hrefs(page)


def case_file(case: Case) -> str:
    """The one file in a malformed case's folder."""
    (path,) = (MALFORMED / case.name).iterdir()
    return path.name


def test_an_unknown_source_has_no_ledger(site: str) -> None:
    assert fetch(f"{site}/data/source/boston-311")[0] == 200
    assert fetch(f"{site}/data/source/no-such-source")[0] == 404


def test_cases_stream_unsorted_every_line_once(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    """No sort (a sort of millions of wide rows overran the memory budget): the rows come
    as the case store's parts are read (month by month, not strictly in order: the parts
    are read in parallel), every line of every file once."""
    status, headers, body = fetch(f"{site}/download/cases.csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    at_file, at_row = table[0].index("file_name"), table[0].index("row_number")
    keys = [(r[at_file], int(r[at_row])) for r in table[1:]]
    expected = bundled_con.sql("SELECT count(*) FROM cases").fetchall()[0][0]
    assert status == 200 and len(keys) == int(headers["X-Row-Count"]) == expected > 40_000
    assert len({f for f, _ in keys}) == 17  # 16 Boston files and NYC's one
    assert len(set(keys)) == len(keys)
