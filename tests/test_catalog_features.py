"""Catalog features that let a new agency's file load by its entry alone.

tests/fixtures/scotland-ae-mini is in Public Health Scotland's layout (monthly A&E file of
site codes; hospital and health board lookups): made-up figures, real codes and names.
Every expected figure below is worked out by hand from those files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.catalog import CatalogError, ObservationSource, load_source
from ingest.read import LoadCounts
from ingest.run import run
from settings import ROOT
from tests.conftest import FIXTURES, boston_mini_source, canada_mini_source
from tests.helpers import query, revised

SCOTLAND = FIXTURES / "scotland-ae-mini"
MALFORMED = FIXTURES / "malformed"


def scotland() -> ObservationSource:
    source = load_source(SCOTLAND / "catalog.toml")
    assert isinstance(source, ObservationSource)
    return source


@pytest.fixture(scope="module")
def scotland_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("scotland") / "w.duckdb"
    run([scotland()], FIXTURES, warehouse)
    return warehouse


def test_filters_exclude_rows_counted_by_rule(scotland_warehouse: Path) -> None:
    # 12 rows: 2 minor injury unit rows and 1 planned row left out; 2 rejected; 7 loaded.
    loads = "SELECT rows_read, rows_loaded, rows_rejected, rows_excluded FROM loads"
    assert query(scotland_warehouse, loads) == [(12, 7, 2, 3)]
    notes = "SELECT detail, rows FROM load_notes WHERE kind = 'excluded' ORDER BY detail"
    assert query(scotland_warehouse, notes) == [
        ("AttendanceCategory one of ['Unplanned', 'Unplanned Attendance']", 1),
        ("major emergency departments only", 2),
    ]


def test_composite_key_rejects_name_the_whole_key(scotland_warehouse: Path) -> None:
    rejects = "SELECT row_number, column_name, value, reason FROM rejects ORDER BY row_number"
    assert query(scotland_warehouse, rejects) == [
        (11, "NumberMeetingTargetAggregate", "abc", "not a whole number or a declared marker"),
        (12, "TreatmentLocation, Month, DepartmentType, AttendanceCategory",
         "G107H, 202402, Emergency Department, Unplanned", "repeated key in this file"),
    ]  # fmt: skip


def test_lookups_name_sites_and_parents_and_report_missing_codes(
    scotland_warehouse: Path,
) -> None:
    sites = """SELECT DISTINCT org_code, organisation, parent_code, parent FROM observations
               WHERE org_level = 'organisation' ORDER BY org_code"""
    assert query(scotland_warehouse, sites) == [
        ("A111H", "University Hospital Crosshouse", "S08000015", "NHS Ayrshire and Arran"),
        ("G107H", "Glasgow Royal Infirmary", "S08000031", "NHS Greater Glasgow and Clyde"),
        ("Y146H", "Dumfries & Galloway Royal Infirmary", "S08000017",
         "NHS Dumfries and Galloway"),
        ("Z999X", "Z999X", None, None),  # not in the lookup: shown by its code
    ]  # fmt: skip
    notes = "SELECT detail, rows FROM load_notes WHERE kind = 'no name'"
    assert query(scotland_warehouse, notes) == [("Z999X", 1)]


def test_total_is_the_sum_of_sites_when_the_file_has_none(scotland_warehouse: Path) -> None:
    # January: 600 + 1300 + 450 of 1000 + 2000 + 500; February: 700 + 1500 of 1100 + 2100
    # (Z999X's February row is rejected; Y146H has no figures either month).
    totals = """SELECT org_code, organisation, period_start::VARCHAR, numerator, denominator
                FROM observations WHERE org_level = 'total' ORDER BY period_start"""
    assert query(scotland_warehouse, totals) == [
        ("S92000003", "Scotland", "2024-01-01", 2350, 3500),
        ("S92000003", "Scotland", "2024-02-01", 2200, 3200),
    ]


def test_qualifier_and_sentinel_cells_become_markers(scotland_warehouse: Path) -> None:
    # January's blank count with QF 'z' is not applicable; February's ND is not available.
    marked = """SELECT period_start::VARCHAR, value, marker FROM observations
                WHERE org_code = 'Y146H' ORDER BY period_start"""
    assert query(scotland_warehouse, marked) == [
        ("2024-01-01", None, "[z]"),
        ("2024-02-01", None, "[x]"),
    ]


def nhs_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "data" / "nhs"
    folder.mkdir(parents=True)
    (folder / "Monthly-AE-January-2024.csv").write_text(text)
    return tmp_path / "data"


def nhs_entry(**changes: object) -> ObservationSource:
    source = load_source(ROOT / "catalog" / "nhs-ae-monthly.toml")
    layout = {**source.file.model_dump(), "pattern": "nhs/Monthly-AE-*.csv"}
    return revised(source, **{"file": layout, **changes})


def test_file_total_is_reconciled_with_the_sum_of_organisations(tmp_path: Path) -> None:
    # The baseline's one trust has 150 attendances, 15 over 4 hours; its TOTAL row is made
    # to say 250 attendances (200 of them on time), so the two differ. The 100 changed are
    # Type 1 attendances, so the Type 1 figure differs too: the file's 200 Type 1, 10 over
    # 4 hours (190 within), against the trust's 100, 10 over (90 within).
    text = (MALFORMED / "_baseline" / "nhs-ae-monthly.csv").read_text()
    lines = text.splitlines()
    lines[2] = lines[2].replace("TOTAL,100,0,50", "TOTAL,200,0,50", 1)
    data = nhs_folder(tmp_path, "\n".join(lines) + "\n")
    org = {**nhs_entry().organisation.model_dump(), "computed_total": True}
    run([nhs_entry(organisation=org)], data, tmp_path / "w.duckdb")
    notes = "SELECT kind, detail FROM load_notes"
    assert sorted(query(tmp_path / "w.duckdb", notes)) == [
        ("total differs",
         "ae-type-1-within-4-hours 2024-01-01: file 190 of 200, sum of organisations 90 of 100"),
        ("total differs",
         "ae-within-4-hours 2024-01-01: file 235 of 250, sum of organisations 135 of 150"),
    ]  # fmt: skip
    totals = (
        "SELECT numerator, denominator FROM observations WHERE org_level = 'total' "
        "AND measure_id = 'ae-within-4-hours'"
    )
    assert query(tmp_path / "w.duckdb", totals) == [(235, 250)]  # the file's own total kept


def test_aliases_load_an_older_file_with_renamed_columns(tmp_path: Path) -> None:
    text = (MALFORMED / "_baseline" / "nhs-ae-monthly.csv").read_text()
    old = text.replace("Org name", "Organisation Name", 1).replace("Period,", "Month,", 1)
    data = nhs_folder(tmp_path, old)
    refused = run([nhs_entry()], data, tmp_path / "a.duckdb")
    assert refused.files[0].message == (
        "Monthly-AE-January-2024.csv: header lacks declared column(s) Org name, Period"
    )
    layout = {**nhs_entry().file.model_dump(), "pattern": "nhs/Monthly-AE-*.csv",
              "aliases": {"Org name": ["Organisation Name"], "Period": ["Month"]}}  # fmt: skip
    summary = run([nhs_entry(file=layout)], data, tmp_path / "b.duckdb")
    assert summary.files[0].counts is not None and summary.files[0].counts.rows_loaded == 2
    names = (
        "SELECT organisation, numerator, denominator FROM observations "
        "WHERE measure_id = 'ae-within-4-hours' ORDER BY org_level"
    )
    assert query(tmp_path / "b.duckdb", names) == [
        ("BASELINE HOSPITAL TRUST", 135, 150),
        ("England", 135, 150),
    ]


def canada_copy(tmp_path: Path, edit: dict[bytes, bytes]) -> Path:
    """The Canada fixture folder with byte-for-byte edits to its standards file."""
    folder = tmp_path / "canada-mini"
    shutil.copytree(FIXTURES / "canada-mini", folder)
    standards = folder / "ss_2024.csv"
    data = standards.read_bytes()
    for old, new in edit.items():
        assert old in data
        data = data.replace(old, new, 1)
    standards.write_bytes(data)
    return tmp_path


def test_percent_scale_reads_targets_and_shares_written_0_to_100(tmp_path: Path) -> None:
    # Standard 3261: target 0.9 and performance 0.9872, written as 90 and 98.72.
    data = canada_copy(tmp_path, {b",0.9,31283,31689,0.9872,": b",90,31283,31689,98.72,",
                                  b",0.8,7,7,1.0,": b",80,7,7,100,"})  # fmt: skip
    source = canada_mini_source()
    row_standard = {**(source.row_standard.model_dump() if source.row_standard else {}),
                    "target_scale": "percent"}  # fmt: skip
    measures = [{**source.measures[0].model_dump(), "scale": "percent"}]
    run([revised(source, row_standard=row_standard, measures=measures)], data,
        tmp_path / "w.duckdb")  # fmt: skip
    figures = "SELECT row_standard_id, row_target::VARCHAR, value FROM observations ORDER BY 1"
    assert query(tmp_path / "w.duckdb", figures) == [("3261", "0.9000", 0.9872),
                                                     ("5048", "0.8000", 1.0)]  # fmt: skip


def test_row_standard_key_of_several_columns(tmp_path: Path) -> None:
    # Service 2223's standard 5048 renumbered 3261, as service 2224's is: one id, two services.
    data = canada_copy(tmp_path, {b",5048,": b",3261,"})
    source = canada_mini_source()
    run([source], data, tmp_path / "one.duckdb")
    rejects = (
        "SELECT row_number, column_name, value, reason FROM rejects WHERE file_name LIKE 'ss%'"
    )
    assert query(tmp_path / "one.duckdb", rejects) == [
        (3, "owner_org, fiscal_yr, service_standard_id", "aafc-aac, 2023-2024, 3261",
         "repeated key in this file"),
    ]  # fmt: skip
    row_standard = {**(source.row_standard.model_dump() if source.row_standard else {}),
                    "id_column": ["service_id", "service_standard_id"]}  # fmt: skip
    run([revised(source, row_standard=row_standard)], data, tmp_path / "two.duckdb")
    ids = "SELECT row_standard_id FROM observations ORDER BY 1"
    assert query(tmp_path / "two.duckdb", ids) == [("2223:3261",), ("2224:3261",)]


def test_contains_filter_reads_multi_valued_codes(tmp_path: Path) -> None:
    data = canada_copy(
        tmp_path, {b",TML,TEL,": b',TML,"ONL, TEL",', b",TML,EML,": b',TML,"EML,ONL",'}
    )
    filters = [{"column": "channel", "contains": "TEL"}]
    summary = run([revised(canada_mini_source(), filters=filters)], data, tmp_path / "w.duckdb")
    counts = summary.files[-1].counts
    assert counts is not None and (counts.rows_read, counts.rows_loaded, counts.rows_excluded) == (
        2,
        1,
        1,
    )
    assert query(tmp_path / "w.duckdb", "SELECT row_standard_id FROM observations") == [("3261",)]


def test_unknown_key_lists_what_is_allowed_and_the_nearest(tmp_path: Path) -> None:
    text = (SCOTLAND / "catalog.toml").read_text().replace("[[lookups]]", "[[lookup]]", 1)
    entry = tmp_path / "entry.toml"
    entry.write_text(text.replace('code_column = "TreatmentLocation"', 'code_colum = "X"'))
    with pytest.raises(CatalogError) as err:
        load_source(entry)
    message = str(err.value)
    assert "observations.lookup: unknown key 'lookup'; did you mean 'lookups'?" in message
    assert (
        "observations.organisation.code_colum: unknown key 'code_colum'; did you mean "
        "'code_column'? (allowed here: code_column, computed_total, name_column," in message
    )


def test_filters_on_a_case_file_leave_rows_out_before_they_are_judged(tmp_path: Path) -> None:
    # boston-mini: 46 Public Works rows (43 closed, 3 open, among them the two bad rows 49
    # and 50) and 3 Transportation rows. Kept: Public Works and closed, so the bad rows are
    # excluded, not rejected. CASE_STATUS is not a mapped column; a filter reads it anyway.
    filters = [{"column": "SUBJECT", "equals": "Public Works Department"},
               {"column": "CASE_STATUS", "equals": "Closed", "name": "closed cases"}]  # fmt: skip
    source = boston_mini_source()
    entry = type(source).model_validate({**source.model_dump(), "filters": filters})
    summary = run([entry], FIXTURES, tmp_path / "w.duckdb")
    assert summary.files[0].counts == LoadCounts(49, 43, 0, 6)
    notes = "SELECT detail, rows FROM load_notes ORDER BY detail"
    assert query(tmp_path / "w.duckdb", notes) == [
        ("SUBJECT = 'Public Works Department'", 3),
        ("closed cases", 3),
    ]
    assert query(tmp_path / "w.duckdb", "SELECT count(*) FROM rejects") == [(0,)]
