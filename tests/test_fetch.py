"""`ingest fetch` against a loopback HTTP server serving the agencies' own files."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.catalog import ObservationSource, load_source
from ingest.fetch import fetch
from ingest.run import run
from settings import ROOT

SHARED = ROOT.parent / "shared" / "data"
MONTHS = ["Monthly-AE-December-2024.csv", "Monthly-AE-January-2025.csv"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


@pytest.fixture
def server() -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(SHARED / "nhs-england-ae-monthly"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetched_source(base: str) -> ObservationSource:
    source = load_source(ROOT / "catalog" / "nhs-ae-monthly.toml")
    assert isinstance(source, ObservationSource)
    layout = source.file.model_copy(update={"pattern": "ae/*.csv"})
    urls = [f"{base}/{name}" for name in MONTHS]
    return source.model_copy(update={"file": layout, "urls": urls})


def test_fetch_downloads_then_asks_conditionally(server: str, tmp_path: Path) -> None:
    source = fetched_source(server)
    first = fetch(source, tmp_path)
    assert [f.status for f in first] == ["downloaded", "downloaded"]
    for name in MONTHS:
        assert (tmp_path / "ae" / name).read_bytes() == (
            SHARED / "nhs-england-ae-monthly" / name
        ).read_bytes()
    summary = run([source], tmp_path, tmp_path / "w.duckdb")
    assert [f.status for f in summary.files] == ["loaded", "loaded"]

    second = fetch(source, tmp_path)
    assert [f.status for f in second] == ["not modified", "not modified"]
    again = run([source], tmp_path, tmp_path / "w.duckdb")
    assert not again.published
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]
