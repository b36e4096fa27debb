"""Incremental loads (issue 16 items 3 and 4): a run with nothing new touches nothing.

Each run is the real CLI (`python -m ingest`) in its own process on a real warehouse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from settings import ROOT
from tests.helpers import query


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
