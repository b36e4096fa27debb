"""`python -m ingest schedule --once`: the real CLI in its own process, fetching the real
AmbSYS file from a loopback mirror (tests/test_fetch.py's server), loading and publishing it,
and recording every attempt in job_runs.jsonl beside the warehouse."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser

from ingest.jobs import job_runs, jobs_path
from ingest.lock import writer_lock
from settings import ROOT
from tests.conftest import serve
from tests.helpers import fetch, query
from tests.test_accessibility import open_page, serious_violations
from tests.test_fetch import SHARED, serving

SOURCE = "nhs-ambsys"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A catalog of the one real AmbSYS entry, an empty data folder, no warehouse yet."""
    (tmp_path / "catalog").mkdir()
    shutil.copy(ROOT / "catalog" / f"{SOURCE}.toml", tmp_path / "catalog")
    return tmp_path


def schedule(
    home: Path, mirror: str, today: str, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRACKER_CATALOG_DIR": str(home / "catalog"),
        "TRACKER_DATA_DIR": str(home / "data"),
        "TRACKER_WAREHOUSE_PATH": str(home / "warehouse" / "tracker.duckdb"),
        "TRACKER_FETCH_MIRROR": mirror,
        "TRACKER_TODAY": today,
        **{f"TRACKER_{k.upper()}": v for k, v in settings.items()},
    }
    return subprocess.run(
        [sys.executable, "-m", "ingest", "schedule", "--once"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def warehouse(home: Path) -> Path:
    return home / "warehouse" / "tracker.duckdb"


def test_once_fetches_a_due_source_records_it_and_waits_for_its_next_figures(home: Path) -> None:
    with serving(SHARED) as mirror:
        first = schedule(home, mirror, "2026-12-05")
        assert first.returncode == 0, first.stderr
        again = schedule(home, mirror, "2026-12-05")  # already fetched today: nothing to do
        assert again.returncode == 0, again.stderr
        runs = job_runs(warehouse(home))
        # AmbSYS.csv has 798 data rows (counted apart: csv.DictReader over the bundled file).
        assert runs.select("source", "outcome", "attempt", "files", "rows").rows() == [
            (SOURCE, "succeeded", 1, 1, 798)
        ]
        con = duckdb.connect(str(warehouse(home)), read_only=True)
        version = con.sql("SELECT value FROM meta WHERE key = 'warehouse_version'").fetchall()
        loaded = con.sql("SELECT sum(rows_loaded) FROM loads WHERE status = 'loaded'").fetchall()
        con.close()
        assert runs["message"][0] == f"published version {version[0][0]}"
        assert loaded == [(798,)]
        assert runs["day"][0] == dt.date(2026, 12, 5)
        assert runs["started"][0] <= runs["finished"][0]
        # The record is beside the warehouse, so the publish that swapped the file kept it.
        assert jobs_path(warehouse(home)).parent == warehouse(home).parent

        # Next day: due again only if next_due (the footer's date) has come.
        from ingest.schedule import next_due

        due_on = next_due(warehouse(home))[SOURCE]
        before = schedule(home, mirror, (due_on - dt.timedelta(days=1)).isoformat())
        assert before.returncode == 0 and job_runs(warehouse(home)).height == 1
        on = schedule(home, mirror, due_on.isoformat())
        assert on.returncode == 0, on.stderr
    runs = job_runs(warehouse(home))
    # Fetched again on its due day: the mirror's file is the same, so nothing new is loaded.
    assert runs.select("outcome", "files", "rows", "message").rows()[1:] == [
        (
            "succeeded",
            0,
            0,
            "no new figures; warehouse unchanged, not copied "
            "(every file already loaded, same sha256)",
        )
    ]


def test_a_failing_fetch_is_recorded_with_its_message_and_retried_with_backoff(
    home: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with serving(empty) as mirror:
        result = schedule(
            home, mirror, "2026-12-05", schedule_retries="2", schedule_backoff_seconds="0.1"
        )
    assert result.returncode == 1
    runs = job_runs(warehouse(home))
    assert runs.select("outcome", "attempt", "files", "rows").rows() == [
        ("failed", 1, 0, 0), ("failed", 2, 0, 0), ("failed", 3, 0, 0)
    ]  # fmt: skip
    assert set(runs["message"]) == {"HTTPError: HTTP Error 404: File not found"}
    # Waited 0.1 s, then 0.2 s (twice as long), between the attempts.
    ends, starts = runs["finished"][:-1], runs["started"][1:]
    gaps = [(b - a).total_seconds() for a, b in zip(ends, starts, strict=True)]
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2
    assert gaps[1] < 2  # and not much longer
    assert not warehouse(home).exists()


def test_a_second_scheduler_while_the_lock_is_held_records_busy_and_runs_nothing(
    home: Path,
) -> None:
    with serving(SHARED) as mirror, writer_lock(warehouse(home)):
        result = schedule(home, mirror, "2026-12-05")
    assert result.returncode == 75
    assert "another ingest run is publishing" in result.stderr
    runs = job_runs(warehouse(home))
    assert runs.select("source", "outcome").rows() == [(SOURCE, "busy")]
    assert not (home / "data").exists() and not warehouse(home).exists()


def test_status_and_healthz_tell_an_operator_what_ran_and_what_is_due(
    home: Path, tmp_path: Path, browser: Browser
) -> None:
    """The real scheduler loads AmbSYS, then fails twice on its next due day (an empty
    mirror); the real site shows both in words, /healthz the published warehouse."""
    empty = tmp_path / "empty-mirror"
    empty.mkdir()
    with serving(SHARED) as mirror:
        assert schedule(home, mirror, "2026-12-05").returncode == 0
    from ingest.schedule import next_due

    due_on = next_due(warehouse(home))[SOURCE]
    with serving(empty) as mirror:
        failed = schedule(
            home, mirror, due_on.isoformat(), schedule_retries="1", schedule_backoff_seconds="0"
        )
    assert failed.returncode == 1
    runs = job_runs(warehouse(home))
    assert runs["outcome"].to_list() == ["succeeded", "failed", "failed"]
    meta = {str(k): str(v) for k, v in query(warehouse(home), "SELECT key, value FROM meta")}
    with serve(warehouse(home)) as base:
        status, headers, body = fetch(base + "/healthz")
        page_status, _, page = fetch(base + "/status")
        view = open_page(browser, base + "/status", 375, bypass_csp=True)
        serious = serious_violations(view)
        view.context.close()
        warehouse(home).write_bytes(b"")  # no readable warehouse: a new worker has none
        with serve(warehouse(home)) as broken:
            down, down_headers, down_body = fetch(broken + "/healthz")
    assert status == 200 and headers["Content-Type"] == "application/json"
    health = json.loads(body)
    published = dt.datetime.fromisoformat(meta["published_at"]).replace(tzinfo=dt.UTC)
    assert health["warehouse_version"] == meta["warehouse_version"]
    assert dt.datetime.fromisoformat(health["published_at"]) == published
    assert 0 <= health["age_seconds"] < 600
    # AmbSYS's latest figures are from 2021: with the system date, its next figures are late.
    assert health["sources_overdue"] == [SOURCE]

    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.decode())).split())
    assert page_status == 200
    started = runs["started"][2]
    assert f"{started:%-d %B %Y}, {started:%H:%M} UTC: failed (attempt 2): HTTPError: " in text
    success = runs["finished"][0]
    assert f"{success:%-d %B %Y}, {success:%H:%M} UTC: 1 file, 798 rows loaded" in text
    assert f"{due_on:%-d %B %Y}: overdue, not yet published" in text
    assert "2 failed attempts since the last success; the latest: HTTPError: HTTP Error 404" in text
    assert not serious, serious

    assert down == 503 and down_headers["Content-Type"] == "application/json"
    assert json.loads(down_body)["status"] == "unavailable"
    assert down_headers["Retry-After"] == "30"
