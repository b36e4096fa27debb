"""Northern Ireland's emergency care waiting times, bundled as kept, loaded by its entry alone.

Numbers are written with thousands separators and the published share with a per cent sign;
there is no Northern Ireland total row, so the total is the sum of the departments. March
2021: 33,197 of 54,240 attendances within 4 hours (61.2%), checked against sums taken
straight from the file, not against the Department's published headline (no internet here).
"""

from __future__ import annotations

from pathlib import Path

from ingest.catalog import load_source
from ingest.run import run
from settings import ROOT
from tests.helpers import query


def test_departments_sum_to_the_northern_ireland_total(tmp_path: Path) -> None:
    source = load_source(ROOT / "catalog" / "ni-emergency-care-waiting-times.toml")
    warehouse = tmp_path / "w.duckdb"
    run([source], ROOT / "data", warehouse)
    loads = "SELECT rows_read, rows_loaded, rows_rejected, rows_excluded FROM loads"
    assert query(warehouse, loads) == [(2934, 2934, 0, 0)]
    total = """SELECT organisation, numerator, denominator FROM observations
               WHERE org_level = 'total' AND period_start = '2021-03-01'"""
    assert query(warehouse, total) == [("Northern Ireland", 33197, 54240)]
    # The Mater's row: '773', '1,355' and '57.0%'; its trust is the parent.
    mater = """SELECT numerator, denominator, value, parent FROM observations
               WHERE org_code = 'Mater' AND period_start = '2021-03-01'"""
    assert query(warehouse, mater) == [(773, 1355, 0.57, "Belfast")]
