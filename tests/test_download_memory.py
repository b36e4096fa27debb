"""A streamed download does not leave the table it read in the worker's memory: it reads
through the Reader's second DuckDB instance, whose buffer pool is small, while the pages'
instance would keep every block it scanned (make bench-export: 55 MB of the 5,000,000-row
records table, kept after the download ended)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.api.stream import written
from dashboard.api.writers import csv_batches
from metrics.datasets import DATASETS, Filters
from metrics.reader import Reader

ROOT = Path(__file__).resolve().parents[1]
MIB = 1 << 20


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's own synthetic warehouse at 2,000,000 records and as many requests
    (the records table alone is 22 MB, past the small pool)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_export  # a script beside the tests, not a package

    db = tmp_path_factory.mktemp("synthetic") / "records.duckdb"
    bench_export.build(db, 2_000_000)
    return db


def table_blocks(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.sql(
        "SELECT memory_usage_bytes FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"
    ).fetchall()
    return int(rows[0][0]) if rows else 0


def stream_records(con: duckdb.DuckDBPyConnection) -> int:
    rows = DATASETS["records"].read(Filters(), con)
    return sum(chunk.count(b"\r\n") for chunk in written(rows, con, csv_batches)) - 1


@pytest.mark.parametrize("name", ["records", "cases"])
def test_a_download_keeps_no_more_than_its_small_pool(synthetic: Path, name: str) -> None:
    reader = Reader(synthetic, "512MB", 1, "16MB")
    con = reader.download_connection()
    rows = DATASETS[name].read(Filters(), con)
    lines = sum(chunk.count(b"\r\n") for chunk in written(rows, con, csv_batches))
    assert lines - 1 == 2_000_000
    assert 0 < table_blocks(con) <= 16 * MIB
    # The pages' instance has read nothing of the table.
    assert table_blocks(reader.connection()) < MIB  # its catalog block only


def test_the_pages_instance_would_keep_the_table(synthetic: Path) -> None:
    """Why downloads have their own instance: the same stream on the pages' one leaves the
    blocks it read behind, well past the small pool's 16 MiB."""
    reader = Reader(synthetic, "512MB", 1, "16MB")
    con = reader.connection()
    assert stream_records(con) == 2_000_000
    assert table_blocks(con) > 16 * MIB
