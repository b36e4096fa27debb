"""`ingest fetch` against a loopback HTTP server serving the agencies' own files.

The server serves ../shared/data, laid out as the catalog's patterns are; nothing here
needs the internet.
"""

from __future__ import annotations

import functools
import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import duckdb
import pytest

from ingest.catalog import ObservationSource, load_catalog, load_source
from ingest.fetch import fetch
from ingest.run import run, sha256_of
from settings import ROOT

SHARED = ROOT.parent / "shared" / "data"
MONTHS = ["Monthly-AE-December-2024.csv", "Monthly-AE-January-2025.csv"]


class Quiet(SimpleHTTPRequestHandler):
    """http.server's file handler: Last-Modified, and 304 for If-Modified-Since."""

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean."""


class WithETag(Quiet):
    """Also an ETag (the file's sha256), answering If-None-Match with 304."""

    etag: str | None = None

    def send_head(self) -> BinaryIO | BytesIO | None:
        path = Path(self.translate_path(self.path))
        self.etag = f'"{sha256_of(path)}"' if path.is_file() else None
        if self.etag and self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self) -> None:
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()


class NoValidators(Quiet):
    """A server that sends neither ETag nor Last-Modified: every GET is a full 200."""

    def send_header(self, keyword: str, value: str) -> None:
        if keyword != "Last-Modified":
            super().send_header(keyword, value)


@contextmanager
def serving(directory: Path, handler: type[Quiet] = Quiet) -> Iterator[str]:
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server() -> Iterator[str]:
    with serving(SHARED / "nhs-england-ae-monthly") as url:
        yield url


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
    for name, got in zip(MONTHS, first, strict=True):
        published = SHARED / "nhs-england-ae-monthly" / name
        assert (tmp_path / "ae" / name).read_bytes() == published.read_bytes()
        assert got.sha256 == sha256_of(published)
    summary = run([source], tmp_path, tmp_path / "w.duckdb")
    assert [f.status for f in summary.files] == ["loaded", "loaded"]

    second = fetch(source, tmp_path)
    assert [f.status for f in second] == ["not modified", "not modified"]
    again = run([source], tmp_path, tmp_path / "w.duckdb")
    assert not again.published
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]


def as_published(stored: Path) -> bytes:
    """What the publisher's file holds: the stored file, uncompressed if it was stored .gz."""
    raw = stored.read_bytes()
    return gzip.decompress(raw) if stored.suffix == ".gz" else raw


FIGURES = {
    "loads": "SELECT source_id, file_name, sha256, rows_read, rows_loaded, rows_rejected, "
    "status FROM loads",
    "cases": "SELECT * EXCLUDE (load_id) FROM cases",
    "observations": "SELECT * EXCLUDE (load_id) FROM observations",
    "rejects": "SELECT * EXCLUDE (load_id) FROM rejects",
    "services": "SELECT * EXCLUDE (load_id) FROM services",
    "service_volumes": "SELECT * EXCLUDE (load_id) FROM service_volumes",
    "judgements": "SELECT * FROM judgements",
    "league": "SELECT * FROM league",
}


def figures(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: con.sql(f"{sql} ORDER BY ALL").fetchall() for name, sql in FIGURES.items()}
    finally:
        con.close()


def published_copies(tmp_path: Path) -> Path:
    """A folder laid out like data/, uncompressed: the shared data, plus any bundled folder it
    lacks, decompressed from data/ (the bundled files are the publishers' bytes, gzipped)."""
    root = tmp_path / "published"
    root.mkdir()
    for folder in SHARED.iterdir():
        (root / folder.name).symlink_to(folder)
    for stored in sorted((ROOT / "data").glob("*/**/*.gz")):
        name = stored.relative_to(ROOT / "data")
        if not (SHARED / name.parts[0]).exists():
            target = root / name.with_suffix("")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(gzip.decompress(stored.read_bytes()))
    return root


def test_every_source_fetched_from_loopback_loads_as_the_bundled_files(
    tmp_path: Path, bundled_warehouse: Path
) -> None:
    sources = load_catalog(ROOT / "catalog")
    data, warehouse = tmp_path / "data", tmp_path / "w.duckdb"
    shared = published_copies(tmp_path)
    with serving(shared) as mirror:
        first = {s.id: fetch(s, data, mirror) for s in sources}
        # 16 Boston type files, NYC's day, 13 A&E months and the workbook, AmbSYS,
        # Canada's standards and service inventory, PHS's monthly A&E file (for each of its two
        # entries) and NI's emergency care file.
        assert {k: len(v) for k, v in first.items()} == {
            "boston-311": 16, "nyc-311": 1, "nhs-ae-monthly": 13, "nhs-ae-monthly-xlsx": 1,
            "nhs-ambsys": 1, "canada-gc-service-standards": 2, "phs-scotland-ae-monthly": 1,
            "phs-scotland-ae-monthly-miu": 1, "ni-emergency-care-waiting-times": 1,
        }  # fmt: skip
        # PHS's file feeds two entries: fetched once for the first read, the other finds it current.
        statuses = {s: [got.status for got in results] for s, results in first.items()}
        phs = [statuses.pop(s) for s in ("phs-scotland-ae-monthly", "phs-scotland-ae-monthly-miu")]
        assert sorted(phs) == [["downloaded"], ["not modified"]]
        assert {status for got in statuses.values() for status in got} == {"downloaded"}
        for got in (got for results in first.values() for got in results):
            # Stored as the bundled file is (gzip with no timestamp): the very same bytes.
            name = got.path.relative_to(data)
            assert got.sha256 == sha256_of(got.path) == sha256_of(ROOT / "data" / name)
            published = shared / (name.with_suffix("") if name.suffix == ".gz" else name)
            assert as_published(got.path) == published.read_bytes()
        assert run(sources, data, warehouse).published
        assert figures(warehouse) == figures(bundled_warehouse)

        again = [got for s in sources for got in fetch(s, data, mirror)]
    assert {got.status for got in again} == {"not modified"}
    rerun = run(sources, data, warehouse)
    assert not rerun.published
    assert {f.status for f in rerun.files} == {"unchanged"}


@pytest.mark.parametrize(
    ("handler", "second"), [(WithETag, "not modified"), (NoValidators, "unchanged")]
)
def test_unchanged_file_is_never_reloaded(
    handler: type[Quiet], second: str, tmp_path: Path
) -> None:
    # With an ETag the server answers 304; with no validators it sends the file again, and
    # the same bytes (same sha256) leave the stored file and the warehouse as they were.
    source = load_source(ROOT / "catalog" / "nhs-ambsys.toml")
    data, warehouse = tmp_path / "data", tmp_path / "w.duckdb"
    with serving(SHARED, handler) as mirror:
        [first] = fetch(source, data, mirror)
        assert run([source], data, warehouse).published
        stamp = first.path.stat().st_mtime_ns
        [again] = fetch(source, data, mirror)
    assert (first.status, again.status) == ("downloaded", second)
    assert again.sha256 == first.sha256 and first.path.stat().st_mtime_ns == stamp
    rerun = run([source], data, warehouse)
    assert [f.status for f in rerun.files] == ["unchanged"] and not rerun.published


def test_cli_fetches_from_the_mirror_setting_then_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ingest.__main__ import main
    from settings import get_settings

    with serving(SHARED) as mirror:
        for name, value in (("DATA_DIR", tmp_path / "data"), ("FETCH_MIRROR", mirror),
                            ("WAREHOUSE_PATH", tmp_path / "w.duckdb")):  # fmt: skip
            monkeypatch.setenv(f"TRACKER_{name}", str(value))
        get_settings.cache_clear()
        try:
            assert main(["fetch", "nhs-ambsys"]) == 0
            assert main(["fetch", "nhs-ambsys"]) == 0
        finally:
            for name in ("DATA_DIR", "FETCH_MIRROR", "WAREHOUSE_PATH"):
                monkeypatch.delenv(f"TRACKER_{name}")
            get_settings.cache_clear()
    digest = sha256_of(ROOT / "data" / "nhs-england-ambsys" / "AmbSYS.csv.gz")
    url = f"{mirror}/nhs-england-ambsys/AmbSYS.csv"
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "http" in line] == [
        f"nhs-ambsys: {url}: downloaded (sha256 {digest})",
        f"nhs-ambsys: {url}: not modified (sha256 {digest})",
    ]
    assert out[1] == (
        "nhs-ambsys: AmbSYS.csv.gz: loaded read 798, loaded 798, rejected 0, excluded 0"
    )
    assert out[-1].startswith("nothing new; warehouse unchanged")
