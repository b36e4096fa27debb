"""Fault injection: kill -9 mid-run, two writers at once, damaged warehouses, a full disk.

Each run is the real CLI (`python -m ingest`) in its own process, on small agency-format
fixtures; the site is real gunicorn. A run is killed at a known point by the fault hook
(TRACKER_FAULT_AT names the point; the run SIGKILLs itself there, as `kill -9` would).
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingest.lock import writer_lock
from settings import ROOT
from tests.conftest import FIXTURES, serve
from tests.helpers import fetch, query

BOSTON = "boston-311"
CANADA = "canada-gc-service-standards"
STYLE = sorted(p.name for p in (ROOT / "assets").glob("*.css"))[0]
LEAGUE = "/download/league.csv?jurisdiction=boston&month=2015-03"


def place(home: Path, source: str) -> None:
    """Add the source's real catalog entry, and its fixture where the entry's pattern finds
    it (gzipped, as the bundled files are)."""
    shutil.copy(ROOT / "catalog" / f"{source}.toml", home / "catalog")
    data = home / "data"
    if source == BOSTON:
        files = {"boston-311-2015/cases.csv.gz": FIXTURES / "boston-mini" / "cases.csv"}
    else:
        folder = data / "canada-gc-service-standards-2023-24"
        files = {
            f"{folder.name}/{name}.csv.gz": FIXTURES / "canada-mini" / f"{name}.csv"
            for name in ("si_2024", "ss_2024")
        }
    for target, origin in files.items():
        (data / target).parent.mkdir(parents=True, exist_ok=True)
        (data / target).write_bytes(gzip.compress(origin.read_bytes(), mtime=0))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty catalog folder, a data folder and a warehouse folder."""
    (tmp_path / "catalog").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "warehouse").mkdir()
    return tmp_path


def ingest(home: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRACKER_CATALOG_DIR": str(home / "catalog"),
        "TRACKER_DATA_DIR": str(home / "data"),
        "TRACKER_WAREHOUSE_PATH": str(home / "warehouse" / "tracker.duckdb"),
        "TRACKER_TODAY": "2025-06-30",
    }
    env.pop("TRACKER_FAULT_AT", None)
    if fault:
        env["TRACKER_FAULT_AT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def warehouse(home: Path) -> Path:
    return home / "warehouse" / "tracker.duckdb"


def litter(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "warehouse").iterdir() if ".draft" in p.name)


def loaded_sources(home: Path) -> list[tuple[object, ...]]:
    return query(
        warehouse(home),
        "SELECT source_id, count(*) FROM loads WHERE status = 'loaded' GROUP BY 1 ORDER BY 1",
    )


@pytest.fixture
def requests_during() -> Iterator[tuple[list[int], list[str], threading.Event]]:
    statuses: list[int] = []
    bodies: list[str] = []
    stop = threading.Event()
    yield statuses, bodies, stop
    stop.set()


def test_kill_9_at_each_point_leaves_the_published_file_and_the_site_whole(home: Path) -> None:
    place(home, BOSTON)
    first = ingest(home, "run")
    assert first.returncode == 0, first.stderr
    before = warehouse(home).read_bytes()
    place(home, CANADA)  # a new source: the next run reads, builds and swaps
    statuses: list[int] = []
    leagues: set[bytes] = set()
    stop = threading.Event()

    def keep_requesting(base: str) -> None:
        while not stop.is_set():
            for path in ("/", LEAGUE, "/api/openapi.json"):
                status, _, body = fetch(base + path)
                statuses.append(status)
                if path == LEAGUE:
                    leagues.add(body)

    with serve(warehouse(home)) as base:
        served_before = fetch(base + LEAGUE)[2]
        client = threading.Thread(target=keep_requesting, args=(base,))
        client.start()
        try:
            for point in ("reading", "measures", "swap"):
                killed = ingest(home, "run", fault=point)
                assert killed.returncode == -9, (point, killed.stderr)
                assert warehouse(home).read_bytes() == before, point
            # While the old file stands, only the old figures were served.
            assert leagues == {served_before}
            done = ingest(home, "run")
        finally:
            stop.set()
            client.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert "published" in done.stdout
    assert litter(home) == []  # the dead runs' drafts, WALs and temp folders are gone
    assert [s for s in statuses if s != 200] == []
    assert len(statuses) >= 9
    assert loaded_sources(home) == [(BOSTON, 1), (CANADA, 2)]


def test_two_concurrent_runs_of_different_sources_keep_both_updates(home: Path) -> None:
    place(home, BOSTON)
    place(home, CANADA)
    env_runs = [
        subprocess.Popen(
            [sys.executable, "-m", "ingest", "run", source],
            cwd=ROOT,
            env={
                **os.environ,
                "TRACKER_CATALOG_DIR": str(home / "catalog"),
                "TRACKER_DATA_DIR": str(home / "data"),
                "TRACKER_WAREHOUSE_PATH": str(warehouse(home)),
                "TRACKER_TODAY": "2025-06-30",
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for source in (BOSTON, CANADA)
    ]
    outputs = [p.communicate(timeout=120) for p in env_runs]
    assert [p.returncode for p in env_runs] == [0, 0], outputs
    assert loaded_sources(home) == [(BOSTON, 1), (CANADA, 2)]


def test_a_second_run_with_no_wait_exits_75_naming_the_lock(home: Path) -> None:
    with writer_lock(warehouse(home)):
        busy = ingest(home, "run", "--no-wait")
    assert busy.returncode == 75
    assert "another ingest run is publishing" in busy.stderr
    assert ".tracker.duckdb.lock" in busy.stderr
    assert not warehouse(home).exists()


@pytest.mark.parametrize("damage", ["truncated", "zero-byte", "not-duckdb"])
def test_a_damaged_warehouse_is_kept_aside_and_rebuilt(home: Path, damage: str) -> None:
    place(home, BOSTON)
    assert ingest(home, "run").returncode == 0
    good = warehouse(home).read_bytes()
    bad = {"truncated": good[: len(good) // 3], "zero-byte": b"", "not-duckdb": b"hello\n" * 99}
    warehouse(home).write_bytes(bad[damage])
    for command in ("ensure", "run"):
        result = ingest(home, command)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        if command == "ensure":
            assert "could not be opened; kept as tracker.duckdb.damaged-" in result.stderr
    kept = [p for p in (home / "warehouse").iterdir() if ".damaged-" in p.name]
    assert [p.read_bytes() for p in kept] == [bad[damage]]
    assert loaded_sources(home) == [(BOSTON, 1)]


def test_ensure_rebuilds_measures_built_by_older_code_and_leaves_a_current_one(
    home: Path,
) -> None:
    """A warehouse of the same table shapes whose measures older code built (its fingerprint
    differs) is brought up to date by `ensure`, as `make run` calls it; a current one is left
    as it is."""
    place(home, BOSTON)
    assert ingest(home, "run").returncode == 0
    before = warehouse(home).stat().st_mtime_ns
    assert ingest(home, "ensure").returncode == 0
    assert warehouse(home).stat().st_mtime_ns == before
    con = duckdb.connect(str(warehouse(home)))
    current = con.sql("SELECT value FROM meta WHERE key = 'fingerprint'").fetchall()[0][0]
    con.execute("UPDATE meta SET value = 'older code' WHERE key = 'fingerprint'")
    con.execute("DROP TABLE league")
    con.close()
    result = ingest(home, "ensure")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(warehouse(home)), read_only=True)
    assert con.sql("SELECT value FROM meta WHERE key = 'fingerprint'").fetchall()[0][0] == current
    assert con.sql("SELECT count(*) FROM league").fetchall()[0][0] > 0
    con.close()


@pytest.mark.parametrize("damage", ["zero-byte", "truncated"])
def test_the_site_with_no_readable_warehouse_answers_503_with_retry_after(
    home: Path, damage: str
) -> None:
    place(home, BOSTON)
    assert ingest(home, "run").returncode == 0
    good = warehouse(home).read_bytes()
    warehouse(home).write_bytes(b"" if damage == "zero-byte" else good[:5000])
    with serve(warehouse(home)) as base:
        answers = {p: fetch(base + p) for p in ("/", "/department/x", LEAGUE, "/api/openapi.json")}
        asset = (
            fetch(base + "/assets/style.css")[0] if (ROOT / "assets/style.css").exists() else 200
        )
    for path, (status, headers, body) in answers.items():
        assert status == 503, path
        assert headers["Retry-After"] == "30", path
        assert b"being rebuilt" in body, path
        assert b"Traceback" not in body
    assert b"<h1>Figures are being rebuilt</h1>" in answers["/"][2]
    assert asset == 200


def test_a_worker_keeps_its_last_good_snapshot_when_a_damaged_file_replaces_it(
    home: Path,
) -> None:
    place(home, BOSTON)
    assert ingest(home, "run").returncode == 0
    with serve(warehouse(home)) as base:
        good = [fetch(base + LEAGUE) for _ in range(4)]  # both workers open the good file
        damaged = home / "warehouse" / "damaged"
        damaged.write_bytes(b"")
        os.replace(damaged, warehouse(home))  # as a bad publish would
        after = [fetch(base + LEAGUE) for _ in range(4)]
    assert {s for s, _, _ in good} == {200}
    assert [(s, b) for s, _, b in after] == [(200, good[0][2])] * 4


def tmpfs(path: Path, size: str) -> bool:
    """Mount a small tmpfs at `path`; False where this machine does not allow it."""
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True, timeout=10,
    )  # fmt: skip
    return done.returncode == 0


def test_a_full_disk_is_one_clear_line_and_leaves_nothing(home: Path) -> None:
    place(home, BOSTON)
    assert ingest(home, "run").returncode == 0
    small = home / "small"
    # room for the published file and a little more, never for the copy a run makes
    size = warehouse(home).stat().st_size // 2**20 + 2
    if not tmpfs(small, f"{size}m"):
        pytest.skip("cannot mount a tmpfs here (needs root and mount permission, as in CI)")
    try:
        shutil.copy(warehouse(home), small / "tracker.duckdb")
        before = (small / "tracker.duckdb").read_bytes()
        place(home, CANADA)
        env_home = home / "full"
        env_home.mkdir()
        os.symlink(home / "catalog", env_home / "catalog")
        os.symlink(home / "data", env_home / "data")
        os.symlink(small, env_home / "warehouse")
        result = ingest(env_home, "run")
        assert result.returncode == 3, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr
        assert lines[0].startswith(f"error: not enough free space in {env_home / 'warehouse'}")
        assert "MB free" in lines[0] and "needs about" in lines[0]
        assert (small / "tracker.duckdb").read_bytes() == before
        assert sorted(p.name for p in small.iterdir()) == [".tracker.duckdb.lock", "tracker.duckdb"]
    finally:
        subprocess.run(["umount", str(small)], check=False, timeout=10)


def test_the_cli_shows_the_first_row_rejects_and_where_to_see_all(home: Path) -> None:
    place(home, BOSTON)
    result = ingest(home, "run")
    assert result.returncode == 0, result.stderr
    assert "boston-311: cases.csv.gz: first rejected rows:" in result.stdout
    shown = [line for line in result.stdout.splitlines() if line.startswith("  cases.csv.gz row")]
    assert 1 <= len(shown) <= 5
    assert "python -m ingest status" in result.stdout and "rejects.csv" in result.stdout


def test_a_refused_file_publishes_nothing(home: Path) -> None:
    place(home, BOSTON)
    assert ingest(home, "run").returncode == 0
    before = warehouse(home).read_bytes()
    (home / "data" / "boston-311-2015" / "more.csv.gz").write_bytes(b"")
    refused = ingest(home, "run")
    assert refused.returncode == 1
    assert "more.csv.gz: the file is empty (0 bytes)" in refused.stderr
    assert "nothing new; warehouse unchanged" in refused.stdout
    assert warehouse(home).read_bytes() == before
