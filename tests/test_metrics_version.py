"""METRICS_VERSION is derived from the measure definitions, so it can never be left stale."""

from __future__ import annotations

import shutil
from pathlib import Path

from metrics.build import METRICS_VERSION, definitions_hash

METRICS = Path(__file__).resolve().parents[1] / "metrics"


def copy_of_metrics(tmp_path: Path) -> Path:
    folder = tmp_path / "metrics"
    folder.mkdir()
    for module in METRICS.glob("*.py"):
        shutil.copy(module, folder / module.name)
    return folder


def test_version_is_the_hash_of_the_definitions_as_they_are() -> None:
    assert definitions_hash(METRICS) == METRICS_VERSION


def test_a_changed_measure_definition_changes_the_version(tmp_path: Path) -> None:
    folder = copy_of_metrics(tmp_path)
    before = definitions_hash(folder)
    build = folder / "case_facts.py"
    build.write_text(build.read_text().replace("closed_at <= due_at", "closed_at < due_at"))
    assert definitions_hash(folder) != before


def test_a_changed_read_function_leaves_the_version_alone(tmp_path: Path) -> None:
    folder = copy_of_metrics(tmp_path)
    before = definitions_hash(folder)
    queries = folder / "queries.py"
    queries.write_text(queries.read_text() + "\n# a comment in a read-only module\n")
    assert definitions_hash(folder) == before
