"""Public Health Scotland's monthly A&E file, bundled as published, loaded by its entries alone.

One file feeds two entries: the emergency departments (phs-scotland-ae-monthly) and the minor
injury units and other sites (phs-scotland-ae-monthly-miu). The file has no national total
row; each entry's Scotland figure is the sum of its sites (EDs, May 2023: 79,296 of 118,056,
67.2%). PHS's monthly headline is all A&E sites, the two entries together, and equals what PHS
published on 4 July 2023 (as The Courier reported that release the same day, "Monthly A&E
performance on four-hour target at highest point in almost a year"): May 2023 70.8%, April
2023 69.3%, June 2022 71.3% of attendances seen within 4 hours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalog import ObservationSource, load_source
from ingest.run import run
from settings import ROOT
from tests.helpers import query, revised

ENTRY = ROOT / "catalog" / "phs-scotland-ae-monthly.toml"
MINOR_UNITS = ROOT / "catalog" / "phs-scotland-ae-monthly-miu.toml"
SCOTLAND = """SELECT strftime(period_start, '%Y-%m'), numerator, denominator FROM observations
              WHERE org_level = 'total' AND denominator IS NOT NULL
              AND period_start IN ('2019-01-01', '2023-03-01',
              '2023-05-01') ORDER BY period_start"""


def entry(path: Path = ENTRY) -> ObservationSource:
    source = load_source(path)
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


def test_sites_are_named_from_phs_hospital_codes_list(phs: Path) -> None:
    # The bundled list (PHS "Hospital Codes", 277 sites) names all 35 emergency departments of
    # the file, counted with Python's csv module over both files; W107H is in the Western
    # Isles board (HBT S08000028) in both files.
    named = """SELECT count(DISTINCT org_code), count(DISTINCT org_code) FILTER (
                   WHERE organisation <> org_code) FROM observations
               WHERE org_level = 'organisation'"""
    assert query(phs, named) == [(35, 35)]
    sites = """SELECT DISTINCT org_code, organisation, parent_code FROM observations
               WHERE org_code IN ('W107H', 'S314H') ORDER BY org_code"""
    assert query(phs, sites) == [
        ("S314H", "Royal Infirmary of Edinburgh at Little France", "S08000024"),
        ("W107H", "Western Isles Hospital", "S08000028"),
    ]
    assert query(phs, "SELECT count(*) FROM load_notes WHERE kind = 'no name'") == [(0,)]


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


def test_both_entries_together_equal_phs_published_all_sites_headline(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    run([entry(), entry(MINOR_UNITS)], ROOT / "data", warehouse)
    loads = """SELECT source_id, rows_read, rows_loaded, rows_rejected, rows_excluded
               FROM loads ORDER BY source_id"""
    assert query(warehouse, loads) == [
        ("phs-scotland-ae-monthly", 16520, 5943, 1, 10576),
        ("phs-scotland-ae-monthly-miu", 16520, 10576, 0, 5944),
    ]
    all_sites = """SELECT strftime(period_start, '%Y-%m'),
                          sum(numerator)::INT, sum(denominator)::INT,
                          round(100 * sum(numerator) / sum(denominator), 1)
                   FROM observations WHERE org_level = 'total'
                     AND period_start IN ('2022-06-01', '2023-04-01', '2023-05-01')
                   GROUP BY period_start ORDER BY period_start"""
    # By hand from the file: May 2023 EDs 79,296/118,056 + minor units 18,772/20,411.
    assert query(warehouse, all_sites) == [
        ("2022-06", 96862, 135843, 71.3),
        ("2023-04", 86584, 124936, 69.3),
        ("2023-05", 98068, 138467, 70.8),
    ]
