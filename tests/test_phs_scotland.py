"""Public Health Scotland's monthly A&E file, bundled as published, loaded by its entry alone.

The file has no national total row; the Scotland figure the site shows is the sum of the
emergency departments, which this test checks against sums taken straight from the file:
May 2023, 79,296 of 118,056 attendances within 4 hours (67.2%). We could not compare it
with PHS's published headline here (no internet); the figure is the file's own sum.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalog import ObservationSource, load_source
from ingest.run import run
from settings import ROOT
from tests.helpers import query, revised

ENTRY = ROOT / "catalog" / "phs-scotland-ae-monthly.toml"
SCOTLAND = """SELECT strftime(period_start, '%Y-%m'), numerator, denominator FROM observations
              WHERE org_level = 'total' AND period_start IN ('2019-01-01', '2023-03-01',
              '2023-05-01') ORDER BY period_start"""


def entry() -> ObservationSource:
    source = load_source(ENTRY)
    assert isinstance(source, ObservationSource)
    return source


@pytest.fixture(scope="module")
def phs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("phs") / "w.duckdb"
    run([entry()], ROOT / "data", warehouse)
    return warehouse


def test_rows_read_are_loaded_rejected_or_excluded(phs: Path) -> None:
    # 16,520 rows: 10,576 minor injury unit rows left out; G405H has two ED rows for May 2015.
    loads = "SELECT rows_read, rows_loaded, rows_rejected, rows_excluded FROM loads"
    assert query(phs, loads) == [(16520, 5943, 1, 10576)]
    rejects = "SELECT row_number, column_name, value, reason FROM rejects"
    assert query(phs, rejects) == [
        (8858, "TreatmentLocation, Month, DepartmentType", "G405H, 201505, Emergency Department",
         "repeated key in this file"),
    ]  # fmt: skip


def test_scotland_is_the_sum_of_its_emergency_departments(phs: Path) -> None:
    assert query(phs, SCOTLAND) == [
        ("2019-01", 101252, 116007),
        ("2023-03", 71272, 110579),
        ("2023-05", 79296, 118056),
    ]
    parents = "SELECT DISTINCT parent_code FROM observations WHERE org_code = 'G107H'"
    assert query(phs, parents) == [("S08000031",)]  # Greater Glasgow and Clyde


def test_an_older_release_with_renamed_columns_loads_into_the_same_series(
    tmp_path: Path,
) -> None:
    # The March 2023 release named the columns "...Aggregate"; the aliases map them. Its
    # January 2019 agrees with the May release; its March 2023 is the unrevised figure.
    layout = {**entry().file.model_dump(),
              "pattern": "phs-scotland-ae-monthly/older/monthly_ae_*.csv.gz"}  # fmt: skip
    run([revised(entry(), file=layout)], ROOT / "data", tmp_path / "w.duckdb")
    assert query(tmp_path / "w.duckdb", SCOTLAND) == [
        ("2019-01", 101252, 116007),
        ("2023-03", 71188, 110446),
    ]
