"""A day's file recomputes the case facts of the periods it can change only (issue 16 item 3),
and what it publishes is what a build from scratch of the same files publishes, row for row.

Each warehouse is built by the real ingest (`ingest.run.run`) from the real-layout files in
tests/fixtures/boston-feed and the bundled year of Boston's Sidewalk Repair requests.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import shutil
from pathlib import Path

import duckdb

from ingest.run import run
from metrics.case_facts import CASE_FACTS
from settings import ROOT
from tests.helpers import query
from tests.test_incremental import FEED, FEED_FILES, feed_source

FMT = "%m/%d/%Y %I:%M:%S %p"
YEAR = ROOT / "data" / "boston-311-2015" / "Sidewalk Repair (Make Safe).csv.gz"
# Tables that record how and when the files were loaded, not what they say: the load times,
# the case store's part paths (a new name per write), when a replacement was recorded, the
# publish time and the first period recomputed. Every other table is compared whole.
LOAD_RECORDS = {"loads", "case_parts", "retired_parts", "case_replacements", "meta"}
LOAD_TIMES = {"source_facts": "last_received"}  # the time the latest file was loaded


def earliest_month(path: Path) -> dt.date:
    """The first day of the earliest month a file's requests were opened in (csv module)."""
    with open(path, newline="") as fh:
        opened = [dt.datetime.strptime(r["OPEN_DT"], FMT) for r in csv.DictReader(fh)]
    return min(opened).date().replace(day=1)


def differences(incremental: Path, scratch: Path) -> dict[str, tuple[int, int, int]]:
    """Every table of the build from scratch beside the incremental one: (rows, rows only
    in the incremental build, rows only in the build from scratch), compared as multisets."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{incremental}' AS inc (READ_ONLY)")
    con.execute(f"ATTACH '{scratch}' AS scratch (READ_ONLY)")
    names = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'scratch' ORDER BY 1"
    ).fetchall()
    found = {}
    for (name,) in names:
        if name in LOAD_RECORDS:
            continue
        cols = f"* EXCLUDE ({LOAD_TIMES[name]})" if name in LOAD_TIMES else "*"
        a, b = f"SELECT {cols} FROM inc.{name}", f"SELECT {cols} FROM scratch.{name}"
        rows = con.execute(f"SELECT count(*) FROM ({b})").fetchall()[0][0]
        only_a = con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchall()[0][0]
        only_b = con.execute(f"SELECT count(*) FROM ({b} EXCEPT ALL {a})").fetchall()[0][0]
        found[name] = (rows, only_a, only_b)
    con.close()
    return found


def assert_same(incremental: Path, scratch: Path) -> dict[str, int]:
    """No table differs by a row; returns each table's rows."""
    found = differences(incremental, scratch)
    assert {name: d for name, d in found.items() if d[1] or d[2]} == {}
    assert {*CASE_FACTS, "measures", "service_days", "days_met", "judgements"} <= found.keys()
    return {name: d[0] for name, d in found.items()}


def recomputed_from(warehouse: Path) -> dt.date:
    rows = query(warehouse, "SELECT value FROM meta WHERE key = 'case_facts_from'")
    return dt.date.fromisoformat(str(rows[0][0]))


def test_a_second_day_of_a_feed_publishes_what_a_build_from_scratch_does(tmp_path: Path) -> None:
    """The feed's 4 March file, then its 5 March file (which re-sends, closed, 3 requests the
    first had open): the second run recomputes from March only, and every table it publishes
    equals that of one run over both files."""
    daily, both = tmp_path / "daily", tmp_path / "both"
    daily.mkdir()
    both.mkdir()
    shutil.copy(FEED / FEED_FILES[0], daily)
    run([feed_source()], daily, tmp_path / "daily.duckdb")
    assert recomputed_from(tmp_path / "daily.duckdb") == dt.date.min
    shutil.copy(FEED / FEED_FILES[1], daily)
    summary = run([feed_source()], daily, tmp_path / "daily.duckdb")
    assert [(f.status, f.replaced) for f in summary.files] == [("unchanged", 0), ("loaded", 3)]
    assert recomputed_from(tmp_path / "daily.duckdb") == earliest_month(FEED / FEED_FILES[1])
    for name in FEED_FILES:
        shutil.copy(FEED / name, both)
    run([feed_source()], both, tmp_path / "both.duckdb")
    assert recomputed_from(tmp_path / "both.duckdb") == dt.date.min
    rows = assert_same(tmp_path / "daily.duckdb", tmp_path / "both.duckdb")
    assert rows["measures"] > 0 and rows["case_due_days"] > 0 and rows["case_resolved"] > 0


def test_requests_sent_again_months_back_recompute_from_their_month(tmp_path: Path) -> None:
    """The bundled year of Sidewalk Repair requests (opened January to December 2015), then
    the feed's 5 March file, whose 16 requests are all in that year already, opened in March:
    their new versions replace the old ones nine months before the data's end. The run keeps
    the case facts before March from the snapshot, recomputes March on, and publishes every
    table as a build from scratch of both files does."""
    daily, both = tmp_path / "daily", tmp_path / "both"
    for folder in (daily, both):
        folder.mkdir()
        # named to sort before the feed's file: one run over both loads it first, as the
        # daily runs do (a later file's version of a request wins)
        (folder / "2015-01.csv").write_bytes(gzip.decompress(YEAR.read_bytes()))
    run([feed_source()], daily, tmp_path / "daily.duckdb")
    before = query(tmp_path / "daily.duckdb", "SELECT * FROM case_resolved ORDER BY ALL")
    shutil.copy(FEED / FEED_FILES[1], daily)
    summary = run([feed_source()], daily, tmp_path / "daily.duckdb")
    assert [(f.status, f.replaced) for f in summary.files] == [("unchanged", 0), ("loaded", 16)]
    since = earliest_month(FEED / FEED_FILES[1])
    assert recomputed_from(tmp_path / "daily.duckdb") == since
    after = query(tmp_path / "daily.duckdb", "SELECT * FROM case_resolved ORDER BY ALL")
    # The months before March were kept (there are some), and a later one changed.
    first = since.isoformat()  # a row's month is its fourth column
    kept = [r for r in before if str(r[3]) < first]
    assert kept and kept == [r for r in after if str(r[3]) < first]
    assert [r for r in before if str(r[3]) >= first] != [r for r in after if str(r[3]) >= first]
    shutil.copy(FEED / FEED_FILES[1], both)
    run([feed_source()], both, tmp_path / "both.duckdb")
    rows = assert_same(tmp_path / "daily.duckdb", tmp_path / "both.duckdb")
    assert rows["case_backlog"] > 0 and rows["case_open"] > 0 and rows["measures"] > 0


def test_a_file_past_the_data_end_recomputes_the_month_the_end_was_in(tmp_path: Path) -> None:
    """The year's requests opened and closed before March (written out with the csv module),
    so the data end in February and February's backlog is counted at that moment; then the
    feed's 4 March file, all opened in March. February's backlog is now counted at its end,
    so the run recomputes from February, not March, and publishes what one run over both
    files does."""
    daily, both = tmp_path / "daily", tmp_path / "both"
    march = dt.datetime(2015, 3, 1)
    with gzip.open(YEAR, "rt", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, year = reader.fieldnames, list(reader)
    early = [
        r for r in year
        if dt.datetime.strptime(r["OPEN_DT"], FMT) < march
        and (not r["CLOSED_DT"] or dt.datetime.strptime(r["CLOSED_DT"], FMT) < march)
    ]  # fmt: skip
    assert fields and early
    ends = [dt.datetime.strptime(r[k], FMT) for r in early for k in ("OPEN_DT", "CLOSED_DT")
            if r[k]]  # fmt: skip
    data_end = max(ends).date().replace(day=1)
    assert data_end < earliest_month(FEED / FEED_FILES[0])
    for folder in (daily, both):
        folder.mkdir()
        with open(folder / "2015-01.csv", "w", newline="") as out:
            writer = csv.DictWriter(out, fields)
            writer.writeheader()
            writer.writerows(early)
    run([feed_source()], daily, tmp_path / "daily.duckdb")
    shutil.copy(FEED / FEED_FILES[0], daily)
    run([feed_source()], daily, tmp_path / "daily.duckdb")
    assert recomputed_from(tmp_path / "daily.duckdb") == data_end
    shutil.copy(FEED / FEED_FILES[0], both)
    run([feed_source()], both, tmp_path / "both.duckdb")
    rows = assert_same(tmp_path / "daily.duckdb", tmp_path / "both.duckdb")
    assert rows["case_backlog"] > 0
