"""The benchmark scripts still run against today's schema and routes (at a tiny size; no
timing is asserted here: speed is judged by `make bench-*` at full size)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from settings import ROOT

TINY = ["--rows", "20000"]


@pytest.mark.parametrize(
    ("script", "args", "prints"),
    [
        ("bench_metrics.py", [*TINY, "--repeat", "1", "--tmp", "TMP"], "full recompute / single"),
        ("bench_ingest.py", [*TINY, "--repeat", "1", "--profile", "never", "--tmp", "TMP"],
         "ours / bare"),
        ("bench_export.py", [*TINY, "--skip-datasette"], "site: /download/records.xlsx"),
        ("bench_scale.py", ["--sizes", "20000", "--seconds", "0.2", "--tmp", "TMP"],
         "no-op"),
    ],
)  # fmt: skip
def test_benchmark_runs_end_to_end(
    script: str, args: list[str], prints: str, tmp_path: Path
) -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / script)]
    command += [str(tmp_path) if a == "TMP" else a for a in args]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert prints in done.stdout
