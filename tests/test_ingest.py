"""Ingest behaviour: idempotent, atomic, every problem named, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.catalog import CatalogError, load_source
from ingest.run import run
from tests.conftest import BOSTON_ENTRY, FIXTURES, boston_mini_source


def figures(path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    rows = con.sql("SELECT * FROM service_days ORDER BY ALL").fetchall()
    con.close()
    return rows


def test_running_twice_loads_nothing_new(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    first = run([boston_mini_source()], FIXTURES, path)
    before, inode = figures(path), path.stat().st_ino
    second = run([boston_mini_source()], FIXTURES, path)
    assert first.published and not second.published
    assert [f.status for f in second.files] == ["unchanged"]
    assert second.warehouse_version == first.warehouse_version
    assert path.stat().st_ino == inode and figures(path) == before


def test_revised_file_replaces_its_rows_and_keeps_history(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "boston-mini", data / "boston-mini")
    path = tmp_path / "w.duckdb"
    run([boston_mini_source()], data, path)
    csv = data / "boston-mini" / "cases.csv"
    lines = csv.read_text().splitlines(keepends=True)
    csv.write_text("".join(lines[:-2]))  # the agency drops the two unreadable rows
    summary = run([boston_mini_source()], data, path)
    assert [f.status for f in summary.files] == ["revised"]
    con = duckdb.connect(str(path), read_only=True)
    assert con.sql("SELECT status, rows_read FROM loads ORDER BY load_id").fetchall() == [
        ("superseded", 49),
        ("loaded", 47),
    ]
    assert con.sql("SELECT count(*) FROM cases").fetchall() == [(47,)]
    con.close()


def test_missing_column_rejects_the_file_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "boston-mini"
    folder.mkdir()
    text = (FIXTURES / "boston-mini" / "cases.csv").read_text()
    (folder / "cases.csv").write_text(text.replace("TARGET_DT", "TARGET_DATE", 1))
    summary = run([boston_mini_source()], tmp_path, tmp_path / "w.duckdb")
    outcome = summary.files[0]
    assert outcome.status == "rejected"
    assert outcome.message == "cases.csv: header lacks declared column(s) TARGET_DT"
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.sql("SELECT count(*) FROM cases").fetchall() == [(0,)]
    assert con.sql("SELECT file_name, rows_read, status, reason FROM loads").fetchall() == [
        ("cases.csv", 0, "rejected", "cases.csv: header lacks declared column(s) TARGET_DT")
    ]
    con.close()


def test_failed_run_leaves_published_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "w.duckdb"
    run([boston_mini_source()], FIXTURES, path)
    before = path.read_bytes()

    def broken(_con: object, _min_judged: int, _since: object = None) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ingest.run.build_measures", broken)
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "boston-mini", data / "boston-mini")
    with (data / "boston-mini" / "cases.csv").open("a") as fh:
        fh.write(
            "50,9999,03/02/2015 10:00:00 AM,,,,,,,Public Works Department,,Street Light Outages"
            + "," * 22
            + "\n"
        )
    with pytest.raises(RuntimeError, match="disk full"):
        run([boston_mini_source()], data, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".draft")] == []


def test_bad_catalog_entry_names_file_and_problem(tmp_path: Path) -> None:
    entry = tmp_path / "bad.toml"
    text = BOSTON_ENTRY.read_text().replace("target_percent = 95", "target_percent = 195")
    entry.write_text(text.replace('organisation = "SUBJECT"\n', ""))
    with pytest.raises(CatalogError) as err:
        load_source(entry)
    message = str(err.value)
    assert message.startswith(f"{entry}: ")
    assert "cases.standards.0.target_percent: Input should be less than or equal to 100" in message
    assert "missing ['organisation']" in message


def test_progress_is_told_each_file_and_the_bar_counts_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ingest.__main__ import Progress

    names: list[str] = []
    run([boston_mini_source()], FIXTURES, tmp_path / "w.duckdb", progress=names.append)
    assert names == ["boston-311: cases.csv"]
    with Progress(disable=False) as bar:
        bar.step("boston-311: cases.csv")
    err = capsys.readouterr().err
    assert "loading: " in err and "1file" in err and "boston-311: cases.csv" in err


def test_status_counts_rows_and_names_rejected_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ingest.__main__ import main
    from settings import get_settings

    folder = tmp_path / "boston-mini"
    folder.mkdir()
    text = (FIXTURES / "boston-mini" / "cases.csv").read_text()
    (folder / "cases.csv").write_text(text)
    (folder / "more-cases.csv").write_text(text.replace("TARGET_DT", "TARGET_DATE", 1))
    warehouse = tmp_path / "w.duckdb"
    run([boston_mini_source()], tmp_path, warehouse)
    monkeypatch.setenv("TRACKER_WAREHOUSE_PATH", str(warehouse))
    get_settings.cache_clear()
    try:
        assert main(["status"]) == 0
    finally:
        monkeypatch.delenv("TRACKER_WAREHOUSE_PATH")
        get_settings.cache_clear()
    lines = capsys.readouterr().out.splitlines()
    # cases.csv: 49 records, 47 loaded and 2 rejected (test_days_met counts them by hand).
    assert lines[0].split("\t")[:7] == ["source", "files", "read", "loaded", "rejected",
                                        "excluded", "files rejected"]  # fmt: skip
    assert lines[1].split("\t")[:7] == ["boston-311", "1", "49", "47", "2", "0", "1"]
    assert lines[3] == "files rejected whole (nothing of them loaded):"
    assert lines[4].startswith("boston-311: ")
    assert lines[4].endswith(": more-cases.csv: header lacks declared column(s) TARGET_DT")
