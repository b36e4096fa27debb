"""Spreadsheet downloads: typed cells, frozen header, About sheet, split sheets, flat memory."""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb
import openpyxl
import pytest

from dashboard.api import xlsx
from dashboard.api.stream import written
from metrics.datasets import DATASETS, SqlQuery
from tests.helpers import fetch

MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def book(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body))


def csv_rows(site: str, path: str) -> list[list[str]]:
    status, _, body = fetch(site + path)
    assert status == 200
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_league_workbook_is_typed_and_says_what_it_is(site: str) -> None:
    view = "/download/league.{}?jurisdiction=boston&month=2015-07"
    status, headers, body = fetch(site + view.format("xlsx"))
    assert status == 200
    assert headers["Content-Type"] == MEDIA
    assert headers["Content-Disposition"] == "attachment; filename=boston-league-2015-07.xlsx"
    wb = book(body)
    assert wb.sheetnames == ["Data", "About"]
    sheet = wb["Data"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    expected = csv_rows(site, view.format("csv"))
    assert list(rows[0]) == expected[0] == DATASETS["league"].names
    assert len(rows) - 1 == int(headers["X-Row-Count"]) == len(expected) - 1
    share = expected[0].index("share_met")
    for got, want in zip(rows[1:], expected[1:], strict=True):
        if want[share]:
            assert isinstance(got[share], int | float)  # Excel has one number type
            assert got[share] == pytest.approx(float(want[share]))
        else:
            assert got[share] is None
        assert isinstance(got[expected[0].index("periods_judged")], int)
    assert sheet.cell(row=2, column=share + 1).number_format == "0.0%"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Parameter: jurisdiction"] == "boston"
    assert about["Rows"] == headers["X-Row-Count"]
    assert "[u]" in about and "low reliability" in about["[u]"]
    assert about["Licence"].startswith("ODC-PDDL") or "Licence" in about
    assert "City of Boston" in about["Source"]


def test_records_workbook_has_dates_as_dates_and_every_row(site: str) -> None:
    view = "/download/records.{}?jurisdiction=boston&from=2015-07&to=2015-07"
    status, headers, body = fetch(site + view.format("xlsx"))
    assert status == 200
    rows = list(book(body)["Data"].iter_rows(values_only=True))
    expected = csv_rows(site, view.format("csv"))
    assert len(rows) == len(expected) == int(headers["X-Row-Count"]) + 1
    start = expected[0].index("period_start")
    assert rows[1][start] == dt.datetime.fromisoformat(expected[1][start])
    met = sum(r[expected[0].index("status")] == "met" for r in rows[1:])
    assert met == sum(r[expected[0].index("status")] == "met" for r in expected[1:])


@pytest.mark.parametrize(
    ("view", "columns", "unit_column", "units"),
    [
        (
            "/download/league.xlsx?jurisdiction=nhs-england-ambulance-services&month=2021-01"
            "&standard=arp-c1-mean",
            ("performance", "change_previous", "change_year"),
            "performance_unit",
            {"seconds"},
        ),
        (
            "/download/records.xlsx?jurisdiction=nhs-england-ambulance-services"
            "&from=2021-01&to=2021-01",
            ("value", "target"),
            "unit",
            {"seconds"},
        ),
        (
            "/download/records.xlsx?jurisdiction=nhs-england&from=2025-06&to=2025-06",
            ("value", "target"),
            "unit",
            {"share", "count"},
        ),
    ],
)
def test_a_time_is_a_number_and_a_share_a_percentage_in_one_column(
    site: str, view: str, columns: tuple[str, ...], unit_column: str, units: set[str]
) -> None:
    """Ambulance response times (463 seconds) must not read as 46300.0%, nor 12-hour waits
    (a count) as a percentage; the 4-hour shares in the same column keep their format."""
    status, _, body = fetch(site + view)
    assert status == 200
    sheet = book(body)["Data"]
    header = [c.value for c in sheet[1]]
    seen = set()
    for row in sheet.iter_rows(min_row=2):
        unit = row[header.index(unit_column)].value
        for name in columns:
            cell = row[header.index(name)]
            if cell.value is None:
                continue
            seen.add(unit)
            assert cell.number_format == ("0.0%" if unit == "share" else "General"), (name, unit)
    assert seen == units


def test_every_unit_column_is_a_field_of_its_dataset() -> None:
    for dataset in DATASETS.values():
        for f in dataset.fields:
            assert f.unit_column is None or f.unit_column in dataset.names, (dataset.name, f)


def test_text_stays_text_and_awkward_characters_survive() -> None:
    spec = DATASETS["rejects"]
    sql = """SELECT 'src' AS source_id, 1 AS load_id, 'f.csv' AS file_name, 2 AS row_number,
                    'col' AS column_name, '=HYPERLINK("http://x","y")' AS value,
                    'Montréal & <Québec> "quoted"' || chr(7) AS reason"""
    about = xlsx.About(spec, (), (), "v", 1, "/download/rejects.xlsx")
    con = duckdb.connect()
    body = b"".join(written(SqlQuery(sql, {}), con, lambda r: xlsx.workbook(r, about)))
    row = list(book(body)["Data"].iter_rows(values_only=True))[1]
    assert row[5] == '=HYPERLINK("http://x","y")'
    assert row[6] == 'Montréal & <Québec> "quoted"'  # the bell character XML cannot carry


def test_a_view_larger_than_a_sheet_goes_on_to_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 10)
    spec = DATASETS["rejects"]
    sql = """SELECT 'src' AS source_id, 1 AS load_id, 'f.csv' AS file_name,
                    range AS row_number, 'c' AS column_name, 'v' AS value, 'r' AS reason
             FROM range(25)"""
    about = xlsx.About(spec, (), (), "v", 25, "/download/rejects.xlsx")
    con = duckdb.connect()
    rows = SqlQuery(sql, {})
    body = b"".join(written(rows, con, lambda r: xlsx.workbook(r, about), batch_rows=7))
    wb = book(body)
    assert wb.sheetnames == ["Data", "Data (2)", "Data (3)", "About"]
    numbers = [
        r[3] for name in wb.sheetnames[:3] for r in list(wb[name].iter_rows(values_only=True))[1:]
    ]
    assert numbers == list(range(25))
    assert [wb[name].max_row for name in wb.sheetnames[:3]] == [11, 11, 6]
