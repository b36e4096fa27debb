"""`ingest check` reports what an entry would load without publishing; `ingest remove` takes
a source out of the published warehouse; `ingest status` names sources not in the catalog."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.__main__ import main
from ingest.catalog import load_source
from ingest.run import run
from settings import ROOT, get_settings
from tests.conftest import FIXTURES, boston_mini_source
from tests.helpers import query

SCOTLAND = FIXTURES / "scotland-ae-mini"


@pytest.fixture
def settings_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings pointing at a catalog folder and a warehouse of this test's own."""
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    for name, value in (("CATALOG_DIR", catalog), ("DATA_DIR", FIXTURES),
                        ("WAREHOUSE_PATH", tmp_path / "w.duckdb")):  # fmt: skip
        monkeypatch.setenv(f"TRACKER_{name}", str(value))
    get_settings.cache_clear()
    yield catalog
    get_settings.cache_clear()


def test_check_prints_what_would_load_and_publishes_nothing(
    settings_at: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(SCOTLAND / "catalog.toml")]) == 0
    out = capsys.readouterr().out
    assert (
        "monthly_ae_waitingtimes_202402.csv: loaded: read 12 = loaded 7 + rejected 2 + "
        "excluded 3" in out
    )
    assert "rejected 1 row(s): repeated key in this file (e.g. rows 12)" in out
    assert "excluded by filter: major emergency departments only (2 row(s))" in out
    assert "1 code(s) with no name (rows): Z999X (1)" in out
    assert "periods found: 2024-01-01 to 2024-02-01; organisations found: 4" in out
    assert "  ae-within-4-hours 2024-01-01: file none; sum 2350 of 3500" in out
    assert "  2\tA111H\tUniversity Hospital Crosshouse\tNHS Ayrshire and Arran\t2024-01-01" in out
    assert out.rstrip().endswith("would load")
    assert not (settings_at.parent / "w.duckdb").exists()


def test_check_of_one_file_that_would_not_load_exits_1(
    settings_at: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(SCOTLAND / "catalog.toml", settings_at / "scotland.toml")
    bad = tmp_path / "old.csv"
    bad.write_text("Month,Site\n202401,A111H\n")
    assert main(["check", "scotland-ae-mini", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "old.csv: rejected old.csv: header lacks declared column(s)" in out
    assert out.rstrip().endswith("would NOT load")


def test_check_names_a_catalog_mistake(
    settings_at: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = tmp_path / "typo.toml"
    entry.write_text((SCOTLAND / "catalog.toml").read_text().replace("[[filters]]", "[[filter]]"))
    assert main(["check", str(entry)]) == 1
    assert "did you mean 'filters'?" in capsys.readouterr().err


def test_remove_takes_a_source_out_and_status_names_orphans(
    settings_at: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = settings_at.parent / "w.duckdb"
    run([load_source(SCOTLAND / "catalog.toml"), boston_mini_source()], FIXTURES, warehouse)
    shutil.copyfile(ROOT / "catalog" / "boston-311.toml", settings_at / "boston-311.toml")
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert (
        "scotland-ae-mini: not in the catalog, yet its rows are published; "
        "`python -m ingest remove scotland-ae-mini` takes them out" in out
    )
    assert [line.split("\t")[0] for line in out.splitlines()[1:3]] == [
        "boston-311", "scotland-ae-mini: not in the catalog, yet its rows are published; "
        "`python -m ingest remove scotland-ae-mini` takes them out"]  # fmt: skip
    assert main(["remove", "scotland-ae-mini"]) == 0
    assert "removed scotland-ae-mini: 0 cases, 9 observations" in capsys.readouterr().out
    left = "SELECT DISTINCT source_id FROM observations UNION SELECT DISTINCT source_id FROM cases"
    assert query(warehouse, left) == [("boston-311",)]
    history = "SELECT source_id, status, rows_read FROM loads ORDER BY source_id"
    assert query(warehouse, history) == [("boston-311", "loaded", 49),
                                         ("scotland-ae-mini", "removed", 12)]  # fmt: skip
    judged = "SELECT count(*) FROM judgements WHERE source_id = 'scotland-ae-mini'"
    assert query(warehouse, judged) == [(0,)]
    assert main(["remove", "scotland-ae-mini"]) == 1
    assert "holds nothing of 'scotland-ae-mini'" in capsys.readouterr().err
