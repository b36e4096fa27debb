"""Incremental loads (issue 16 items 3 and 4): a run with nothing new touches nothing.

Each run is the real CLI (`python -m ingest`) in its own process on a real warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ingest.catalog import CaseSource, load_source
from ingest.run import run
from settings import ROOT
from tests.conftest import FIXTURES, serve
from tests.helpers import fetch, query


def ingest(
    warehouse: Path, data: Path, *args: str, catalog: Path | None = None, fault: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRACKER_CATALOG_DIR": str(catalog or ROOT / "catalog"),
        "TRACKER_DATA_DIR": str(data),
        "TRACKER_WAREHOUSE_PATH": str(warehouse),
        "TRACKER_FAULT_AT": fault,
    }
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_run_with_every_file_loaded_before_copies_and_writes_nothing(
    bundled_warehouse: Path,
) -> None:
    """The bundled data, loaded once by the real ingest, run again: every file's sha256 is in
    `loads`, so the run decides before copying. The fault hook kills a run that reaches the
    measures (which a run that copied the warehouse would): this one must not get there."""
    folder = bundled_warehouse.parent
    before = os.stat(bundled_warehouse)
    names = sorted(p.name for p in folder.iterdir())
    version = query(bundled_warehouse, "SELECT value FROM meta WHERE key = 'warehouse_version'")
    files = query(bundled_warehouse, "SELECT count(*) FROM loads WHERE status = 'loaded'")
    done = ingest(bundled_warehouse, ROOT / "data", "run", "--json", fault="measures")
    assert done.returncode == 0, done.stderr
    after = os.stat(bundled_warehouse)
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino, before.st_mtime_ns, before.st_size,
    )  # fmt: skip
    assert query(bundled_warehouse, "SELECT value FROM meta WHERE key = 'warehouse_version'") == (
        version
    )
    # No draft was made beside it (only the writer lock may be new).
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [
        n for n in names if not n.endswith(".lock")
    ]
    summary = json.loads(done.stdout)
    assert summary["untouched"] is True and summary["published"] is False
    assert {f["status"] for f in summary["files"]} == {"unchanged"}
    assert len(summary["files"]) == files[0][0]
    said = ingest(bundled_warehouse, ROOT / "data", "run", fault="measures")
    assert said.returncode == 0, said.stderr
    assert "nothing was copied or written" in said.stdout.splitlines()[-1]


FEED = FIXTURES / "boston-feed"
FEED_FILES = ("2015-03-04.csv", "2015-03-05.csv")


def feed_source() -> CaseSource:
    """The real Boston entry, reading a daily feed's files."""
    source = load_source(ROOT / "catalog" / "boston-311.toml")
    assert isinstance(source, CaseSource)
    return source.model_copy(update={"file": source.file.model_copy(update={"pattern": "*.csv"})})


def latest_versions() -> dict[str, dict[str, str]]:
    """Each case id's last version across the feed's files, read with the csv module (the
    hand computation the warehouse is checked against)."""
    latest: dict[str, dict[str, str]] = {}
    for name in FEED_FILES:
        with open(FEED / name, newline="") as fh:
            for row in csv.DictReader(fh):
                latest[row["CASE_ENQUIRY_ID"]] = row
    return latest


def due_on(day: dt.date) -> tuple[int, int]:
    """Cases whose target falls on `day`, and those closed by it, from the last versions."""
    fmt = "%m/%d/%Y %I:%M:%S %p"
    due = on_time = 0
    for row in latest_versions().values():
        target = dt.datetime.strptime(row["TARGET_DT"], fmt)
        if target.date() == day:
            due += 1
            closed = row["CLOSED_DT"] and dt.datetime.strptime(row["CLOSED_DT"], fmt)
            on_time += bool(closed and closed <= target)
    return due, on_time


def test_a_case_sent_again_in_a_later_file_replaces_its_earlier_version(tmp_path: Path) -> None:
    """Two days of a real-layout Boston feed (tests/fixtures/boston-feed, real 2015 Sidewalk
    Repair rows; make_feed.py there made them): the second day's file re-sends, closed, three
    requests the first day's file had open. They are counted once, in their closed version."""
    data, warehouse = tmp_path / "data", tmp_path / "tracker.duckdb"
    data.mkdir()
    shutil.copy(FEED / FEED_FILES[0], data)
    run([feed_source()], data, warehouse)
    # The first day alone: its data end on 4 March, so 5 March is not yet judged.
    assert query(warehouse, "SELECT count(*) FROM cases") == [(8,)]
    days = "SELECT day, due, on_time, status FROM service_days ORDER BY day"
    assert query(warehouse, days)[-1] == (dt.date(2015, 3, 4), 0, 0, "not_applicable")
    shutil.copy(FEED / FEED_FILES[1], data)
    summary = run([feed_source()], data, warehouse)
    assert [(f.status, f.replaced) for f in summary.files] == [("unchanged", 0), ("loaded", 3)]
    # 8 + 16 rows, 3 of them the same requests again: 21 cases (the csv module agrees).
    assert query(warehouse, "SELECT count(*), count(DISTINCT case_id) FROM cases") == [(21, 21)]
    assert len(latest_versions()) == 21
    files = query(
        warehouse, "SELECT file_name, rows_read, rows_loaded, rows_rejected FROM loads ORDER BY 1"
    )
    assert files == [("2015-03-04.csv", 8, 8, 0), ("2015-03-05.csv", 16, 16, 0)]
    # 5 March: 7 requests fall due (all opened on the 4th); the 3 re-sent closed before their
    # targets. Counted from the first file's versions it would be 0 of 7, from both 3 of 10.
    assert due_on(dt.date(2015, 3, 5)) == (7, 3)
    assert query(warehouse, days)[-1] == (dt.date(2015, 3, 5), 7, 3, "not_met")
    # Each replacement names the file and line dropped and the one kept (header = line 1).
    kept = query(
        warehouse,
        "SELECT case_id, old_file, old_row, new_file, new_row FROM case_replacements ORDER BY 1",
    )
    assert kept == [
        ("101001324046", "2015-03-04.csv", 5, "2015-03-05.csv", 15),
        ("101001324102", "2015-03-04.csv", 7, "2015-03-05.csv", 16),
        ("101001324168", "2015-03-04.csv", 8, "2015-03-05.csv", 17),
    ]
    with serve(warehouse) as url:
        status, _, body = fetch(f"{url}/data/source/boston-311")
    assert status == 200
    assert "3 cases arrived again in a later file" in body.decode()


def test_a_declared_update_time_decides_which_version_is_kept(tmp_path: Path) -> None:
    """The same feed with its files' order reversed (the closed versions arrive first) and an
    entry declaring updated_at (here the close time stands in for it: only the closed version
    has one): the closed versions are kept, so 5 March is judged as before, 3 of 7."""
    data, warehouse = tmp_path / "data", tmp_path / "tracker.duckdb"
    data.mkdir()
    shutil.copy(FEED / FEED_FILES[1], data / "a.csv")
    shutil.copy(FEED / FEED_FILES[0], data / "b.csv")
    source = feed_source()
    declared = source.model_copy(update={"columns": {**source.columns, "updated_at": "CLOSED_DT"}})
    run([declared], data, warehouse)
    assert query(warehouse, "SELECT count(*) FROM cases") == [(21,)]
    day = "SELECT due, on_time FROM service_days WHERE day = DATE '2015-03-05'"
    assert query(warehouse, day) == [due_on(dt.date(2015, 3, 5))] == [(7, 3)]
    kept = "SELECT DISTINCT old_file, new_file FROM case_replacements"
    assert query(warehouse, kept) == [("b.csv", "a.csv")]


def test_a_new_file_rewrites_only_the_months_it_touches(tmp_path: Path) -> None:
    """The bundled year of Boston's Sidewalk Repair requests (4,170 rows, 12 months opened),
    then the feed's 5 March file, whose 16 real rows are all in that year already: only
    March's part is written again; the other 11 months keep their files; the snapshot holds
    no request rows (`cases` is a view over the parts)."""
    data, warehouse = tmp_path / "data", tmp_path / "tracker.duckdb"
    data.mkdir()
    year = ROOT / "data" / "boston-311-2015" / "Sidewalk Repair (Make Safe).csv.gz"
    (data / "2015.csv").write_bytes(gzip.decompress(year.read_bytes()))
    run([feed_source()], data, warehouse)
    parts = "SELECT month, path FROM case_parts ORDER BY month"
    before = {row[0]: str(row[1]) for row in query(warehouse, parts)}
    loaded = query(warehouse, "SELECT rows_loaded FROM loads")[0][0]
    assert len(before) == 12 and query(warehouse, "SELECT count(*) FROM cases") == [(loaded,)]
    stamps = {month: os.stat(path).st_mtime_ns for month, path in before.items()}
    shutil.copy(FEED / FEED_FILES[1], data)
    summary = run([feed_source()], data, warehouse)
    assert [(f.status, f.replaced) for f in summary.files] == [("loaded", 16), ("unchanged", 0)]
    after = {row[0]: str(row[1]) for row in query(warehouse, parts)}
    march = dt.date(2015, 3, 1)
    assert after[march] != before[march]
    assert {m: p for m, p in after.items() if m != march} == {
        m: p for m, p in before.items() if m != march
    }
    assert all(os.stat(after[m]).st_mtime_ns == stamps[m] for m in after if m != march)
    # March's old part is retired, kept on disk for readers of the snapshot before.
    assert query(warehouse, "SELECT path FROM retired_parts") == [(before[march],)]
    assert Path(before[march]).exists()
    assert query(warehouse, "SELECT count(*) FROM cases") == [(loaded,)]
    kinds = "SELECT table_type FROM information_schema.tables WHERE table_name = 'cases'"
    assert query(warehouse, kinds) == [("VIEW",)]
