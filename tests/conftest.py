"""Shared fixtures: real warehouses built by the real ingest, and a real gunicorn server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser

from ingest.catalog import ObservationSource, Source, load_catalog, load_source
from ingest.run import run
from metrics import cache, reader
from settings import ROOT
from tests.browser import chromium

FIXTURES = Path(__file__).parent / "fixtures"
BOSTON_ENTRY = ROOT / "catalog" / "boston-311.toml"


def boston_mini_source() -> Source:
    """The real Boston catalog entry, pointed at the hand-made fixture file."""
    source = load_source(BOSTON_ENTRY)
    layout = source.file.model_copy(update={"pattern": "boston-mini/*.csv"})
    return source.model_copy(update={"file": layout})


def canada_mini_source() -> ObservationSource:
    """The real Canada catalog entry, pointed at the fixture folder."""
    source = load_source(ROOT / "catalog" / "canada-gc-service-standards.toml")
    assert isinstance(source, ObservationSource) and source.inventory is not None
    layout = source.file.model_copy(update={"pattern": "canada-mini/ss_*.csv"})
    inventory = source.inventory.model_copy(update={"pattern": "canada-mini/si_*.csv"})
    return source.model_copy(update={"file": layout, "inventory": inventory})


@pytest.fixture
def mini_warehouse(tmp_path: Path) -> Path:
    """A warehouse built from the hand-made Boston-format fixture."""
    path = tmp_path / "mini.duckdb"
    run([boston_mini_source()], FIXTURES, path)
    return path


@pytest.fixture
def mini_con(mini_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(mini_warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def bundled_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the bundled real data, as `make run` builds it."""
    path = tmp_path_factory.mktemp("bundled") / "tracker.duckdb"
    run(load_catalog(ROOT / "catalog"), ROOT / "data", path)
    return path


@pytest.fixture(scope="session")
def bundled_con(bundled_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(bundled_warehouse), read_only=True)
    yield con
    con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listening on port {port} after {seconds}s")


@contextmanager
def serve(warehouse: Path, settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """Real gunicorn (2 workers) on a free loopback port, serving the warehouse file, with
    any further TRACKER_ `settings`."""
    port = free_port()
    env = {**os.environ, "TRACKER_WAREHOUSE_PATH": str(warehouse), "TRACKER_PORT": str(port),
           **(settings or {})}  # fmt: skip
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-c", "dashboard/web/gunicorn_conf.py", "dashboard.app:server"],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def site(bundled_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site serving a copy of the bundled warehouse."""
    served = tmp_path_factory.mktemp("served") / "tracker.duckdb"
    shutil.copyfile(bundled_warehouse, served)
    with serve(served) as url:
        yield url


@pytest.fixture
def bundled_reader(
    bundled_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Read a copy of the bundled warehouse in this process, as a web worker does (a copy:
    DuckDB refuses a second configuration for a file another test holds open)."""
    copy = tmp_path / "tracker.duckdb"
    shutil.copyfile(bundled_warehouse, copy)
    monkeypatch.setattr(reader, "_reader", reader.Reader(copy, "256MB", 1))
    monkeypatch.setattr(cache, "RESULTS", cache.ResultCache())
    yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Real headless Chromium (Debian's), one per test module."""
    with chromium() as b:
        yield b


ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
