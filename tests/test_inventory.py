"""A source's service inventory: service names and volumes, joined to its standards.

tests/fixtures/canada-mini holds real records of the Government of Canada files (UTF-8 with
BOM, CRLF): two standards of ss_2024.csv (ids 3261 and 5048) and three services of
si_2024.csv (2224, 2223, 3595), plus one made-up inventory row with '1,204' visits.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.run import run
from tests.conftest import FIXTURES, canada_mini_source
from tests.helpers import query


def test_inventory_names_services_and_counts_volumes(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    summary = run([canada_mini_source()], FIXTURES, warehouse)
    assert [(f.file_name, f.status) for f in summary.files] == [
        ("si_2024.csv", "loaded"),
        ("ss_2024.csv", "loaded"),
    ]
    assert query(
        warehouse, "SELECT file_name, rows_read, rows_loaded, rows_rejected FROM loads"
    ) == [("si_2024.csv", 4, 3, 1), ("ss_2024.csv", 2, 2, 0)]
    rejects = "SELECT file_name, row_number, column_name, value, reason FROM rejects"
    assert query(warehouse, rejects) == [
        ("si_2024.csv", 5, "num_website_visits", "1,204", "not a whole number or a declared marker")
    ]
    # Organisation names keep the English half of 'English | Français'.
    assert query(
        warehouse, "SELECT service_id, service, org_code, organisation FROM services ORDER BY 1"
    ) == [
        ("2223", "Food Waste Reduction Challenge", "aafc-aac", "Agriculture and Agri-Food Canada"),
        ("2224", "AAFC Contact Centre", "aafc-aac", "Agriculture and Agri-Food Canada"),
        ("3595", "ATSSC Law Library Services", "atssc-scdata",
         "Administrative Tribunals Support Service of Canada"),
    ]  # fmt: skip
    # 3595: 2 by phone + 1 online + 10 in person + 1 by mail + 300 by email = 314 applications;
    # 'ND' phone enquiries and website visits are no data [x]; 2223's 'NA' visits are [z].
    assert query(
        warehouse,
        "SELECT service_id, volume_id, volume, marker FROM service_volumes "
        "WHERE volume_id NOT LIKE 'applications-%' ORDER BY 1, 2",  # channels: test_measures
    ) == [
        ("2223", "applications", 12, None),
        ("2223", "phone-enquiries", 0, None),
        ("2223", "website-visits", None, "[z]"),
        ("2224", "applications", 0, None),
        ("2224", "phone-enquiries", 31689, None),
        ("2224", "website-visits", None, "[z]"),
        ("3595", "applications", 314, None),
        ("3595", "phone-enquiries", None, "[x]"),
        ("3595", "website-visits", None, "[x]"),
    ]
    # Standard 5048 is filed under 'Agriculture Climate Solutions' in ss_2024.csv, but its
    # service id 2223 is 'Food Waste Reduction Challenge' in the inventory, which names it.
    assert query(
        warehouse,
        "SELECT row_standard_id, service_id, service, value FROM observations ORDER BY 1",
    ) == [
        ("3261", "2224", "AAFC Contact Centre", 0.9872),
        ("5048", "2223", "Food Waste Reduction Challenge", 1.0),
    ]


def test_revised_inventory_renames_the_standards_it_lists(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "canada-mini", tmp_path / "canada-mini")
    warehouse = tmp_path / "w.duckdb"
    run([canada_mini_source()], tmp_path, warehouse)
    inventory = tmp_path / "canada-mini" / "si_2024.csv"
    text = inventory.read_text(encoding="utf-8-sig")
    inventory.write_text(
        text.replace("Food Waste Reduction Challenge", "Food Waste Challenge"), encoding="utf-8-sig"
    )
    summary = run([canada_mini_source()], tmp_path, warehouse)
    # The standards file is unchanged, but is reloaded so that its rows take the new name.
    assert [(f.file_name, f.status) for f in summary.files] == [
        ("si_2024.csv", "revised"),
        ("ss_2024.csv", "revised"),
    ]
    assert query(warehouse, "SELECT service FROM observations WHERE row_standard_id = '5048'") == [
        ("Food Waste Challenge",)
    ]
    assert query(warehouse, "SELECT file_name, status FROM loads ORDER BY load_id") == [
        ("si_2024.csv", "superseded"),
        ("ss_2024.csv", "superseded"),
        ("si_2024.csv", "loaded"),
        ("ss_2024.csv", "loaded"),
    ]
    assert query(warehouse, "SELECT count(*) FROM services") == [(3,)]
    again = run([canada_mini_source()], tmp_path, warehouse)
    assert {f.status for f in again.files} == {"unchanged"} and not again.published


def test_inventory_lacking_a_column_is_rejected_and_standards_keep_their_names(
    tmp_path: Path,
) -> None:
    shutil.copytree(FIXTURES / "canada-mini", tmp_path / "canada-mini")
    inventory = tmp_path / "canada-mini" / "si_2024.csv"
    text = inventory.read_text(encoding="utf-8-sig")
    inventory.write_text(
        text.replace("num_website_visits", "website_visits", 1), encoding="utf-8-sig"
    )
    warehouse = tmp_path / "w.duckdb"
    summary = run([canada_mini_source()], tmp_path, warehouse)
    lacks = "si_2024.csv: header lacks declared column(s) num_website_visits"
    assert [(f.file_name, f.status, f.message) for f in summary.files] == [
        ("si_2024.csv", "rejected", lacks),
        ("ss_2024.csv", "loaded", ""),
    ]
    assert query(warehouse, "SELECT count(*) FROM services") == [(0,)]
    assert query(warehouse, "SELECT service FROM observations ORDER BY row_standard_id") == [
        ("AAFC Contact Centre",),
        ("Agriculture Climate Solutions",),
    ]
