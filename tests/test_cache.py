"""Read results are cached per published warehouse, and a publish gives new figures."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.run import run
from metrics import cache, queries, reader
from settings import ROOT
from tests.conftest import FIXTURES, boston_mini_source

MARCH = dt.date(2015, 3, 1)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A warehouse built from a copy of the mini fixture, and the process reading it."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "boston-mini", data / "boston-mini")
    path = tmp_path / "tracker.duckdb"
    run([boston_mini_source()], data, path)
    monkeypatch.setattr(reader, "_reader", reader.Reader(path, "256MB", 1))
    monkeypatch.setattr(cache, "RESULTS", cache.ResultCache())
    yield path, data


def direct() -> list[tuple[object, ...]]:
    """The league for March read straight from the current file, bypassing the cache."""
    return queries.league_table("Boston", MARCH, con=reader.reader().connection()).rows()


def publish(data: Path, path: Path) -> None:
    """Ingest in its own process, as in production (a web worker only ever reads)."""
    code = (
        "import sys; from pathlib import Path; from ingest.run import run;"
        "from tests.conftest import boston_mini_source;"
        "assert run([boston_mini_source()], Path(sys.argv[1]), Path(sys.argv[2])).published"
    )
    subprocess.run([sys.executable, "-c", code, str(data), str(path)], cwd=ROOT, check=True)


def test_a_second_read_comes_from_the_cache(served: tuple[Path, Path]) -> None:
    first = queries.league_table("Boston", MARCH)
    assert queries.league_table("Boston", MARCH) is first  # the same frame: no second query
    assert len(cache.RESULTS) == 1
    assert first.rows() == direct()
    other = queries.league_table("Boston", dt.date(2015, 4, 1))
    assert other is not first and len(cache.RESULTS) == 2


def test_a_publish_gives_new_figures(served: tuple[Path, Path]) -> None:
    path, data = served
    before = queries.league_table("Boston", MARCH)
    csv = data / "boston-mini" / "cases.csv"
    csv.write_text("".join(csv.read_text().splitlines(keepends=True)[:-12]))
    publish(data, path)
    after = queries.league_table("Boston", MARCH)
    assert after.rows() == direct()
    assert after.rows() != before.rows()
    assert len(cache.RESULTS) == 1  # the old version's entries were dropped


def test_a_call_with_its_own_connection_is_not_cached(served: tuple[Path, Path]) -> None:
    con = reader.reader().connection()
    assert queries.months("Boston", con=con) == queries.months("Boston", con)
    assert len(cache.RESULTS) == 0


def test_results_are_copied_and_bounded(bundled_reader: None) -> None:
    results = cache.ResultCache(max_entries=2)
    for key in "abc":
        results.put("v1", key, key.upper())
    assert results.get("v1", "a") == (False, None)  # the least recently used went first
    assert results.get("v1", "c") == (True, "C")
    assert results.get("v2", "c") == (False, None)
    results.put("v2", "d", "D")
    assert len(results) == 1
    organisation = cache.cached(lambda slug, con=None: {"organisation": slug})
    organisation("x")["organisation"] = "changed"  # a caller's change stays with the caller
    assert organisation("x") == {"organisation": "x"}
