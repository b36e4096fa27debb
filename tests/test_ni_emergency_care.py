"""Northern Ireland's emergency care waiting times, bundled as kept, loaded by its entry alone.

Numbers are written with thousands separators and the published share with a per cent sign;
there is no Northern Ireland total row, so the total is the sum of the departments. March
2021: 33,197 of 54,240 attendances within 4 hours (61.2%). The Department of Health's
bulletin for January to March 2021 (its key points as the Newry Northern Constitution printed
them on 1 May 2021) says: "During March 2021, there were 54,240 attendances at EDs in
Northern Ireland, 5,045 (10.3%) more than in March 2020"; of them 46,391 at Type 1, 3,561 at
Type 2 and 4,288 at Type 3 EDs; 55.8% of Type 1 attendances within 4 hours (61.6% in March
2020), 85.1% at Type 2. Our loaded departments, grouped by the type the file gives each,
equal every one of those figures.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

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
               WHERE org_level = 'total' AND period_start = '2021-03-01'
                 AND measure_id = 'ed-within-4-hours'"""
    assert query(warehouse, total) == [("Northern Ireland", 33197, 54240)]
    # The Mater's row: '773', '1,355' and '57.0%'; its trust is the parent.
    mater = """SELECT numerator, denominator, value, parent FROM observations
               WHERE org_code = 'Mater' AND period_start = '2021-03-01'
                 AND measure_id = 'ed-within-4-hours'"""
    assert query(warehouse, mater) == [(773, 1355, 0.57, "Belfast")]


def test_departments_by_type_equal_the_departments_published_headline(tmp_path: Path) -> None:
    source = load_source(ROOT / "catalog" / "ni-emergency-care-waiting-times.toml")
    warehouse = tmp_path / "w.duckdb"
    run([source], ROOT / "data", warehouse)
    folder = ROOT / "data" / "ni-emergency-care-waiting-times"
    published = folder / "Emergency Care Waiting Times.csv.gz"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """WITH types AS (SELECT DISTINCT Dept, Type FROM read_csv(?, all_varchar = true))
               SELECT strftime(o.period_start, '%Y-%m'), t.Type, sum(o.numerator)::INT,
                      sum(o.denominator)::INT,
                      round(100 * sum(o.numerator) / sum(o.denominator), 1)
               FROM observations o JOIN types t ON t.Dept = o.org_code
               WHERE o.org_level <> 'total' AND o.period_start IN ('2020-03-01', '2021-03-01')
               GROUP BY ALL ORDER BY 1, 2""",
            [str(published)],
        ).fetchall()
    assert rows == [
        ("2020-03", "Type 1", 25214, 40918, 61.6),
        ("2020-03", "Type 2", 3139, 3711, 84.6),
        ("2020-03", "Type 3", 4550, 4566, 99.6),
        ("2021-03", "Type 1", 25887, 46391, 55.8),
        ("2021-03", "Type 2", 3029, 3561, 85.1),
        ("2021-03", "Type 3", 4281, 4288, 99.8),
    ]
    # 54,240 in March 2021 is 5,045 more than March 2020: 49,195.
    assert sum(r[3] for r in rows if r[0] == "2021-03") == 54240
    assert sum(r[3] for r in rows if r[0] == "2020-03") == 54240 - 5045
