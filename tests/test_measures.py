"""The measures table on hand-made and real files, every answer computed by hand."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingest.catalog import load_source
from ingest.run import run
from settings import ROOT
from tests.conftest import BOSTON_ENTRY, FIXTURES, canada_mini_source

JAN, FEB = dt.date(2015, 1, 1), dt.date(2015, 2, 1)
LIGHTS = ("Public Works Department", "Street Light Outages")
SIGNS = ("Transportation - Traffic Division", "Sign Repair")


@pytest.fixture(scope="module")
def backlog_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """The real Boston entry over eight hand-made requests open across the end of January."""
    source = load_source(BOSTON_ENTRY)
    layout = source.file.model_copy(update={"pattern": "boston-backlog/*.csv"})
    path = tmp_path_factory.mktemp("backlog") / "backlog.duckdb"
    run([source.model_copy(update={"file": layout})], FIXTURES, path)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def figures(
    con: duckdb.DuckDBPyConnection, service: tuple[str, str], month: dt.date
) -> dict[str, tuple[object, ...]]:
    """measure_id: (value, denominator, target, marker) for one service and month."""
    rows = con.sql(
        """SELECT measure_id, value, denominator, target, marker FROM measures
           WHERE organisation = $o AND service = $s AND period_start = $m""",
        params={"o": service[0], "s": service[1], "m": month},
    ).fetchall()
    return {str(r[0]): tuple(r[1:]) for r in rows}


def test_backlog_counts_requests_open_past_target_at_the_month_end(
    backlog_con: duckdb.DuckDBPyConnection,
) -> None:
    jan = figures(backlog_con, LIGHTS, JAN)
    # At 1 Feb 00:00: 9102 (due 20 Jan, closed 4 Feb) is 12 days overdue, 9103 (due 30 Jan,
    # never closed) 2 days. 9104 is not yet due (3 Feb); 9105 closed at 1 Feb 00:00 exactly.
    assert jan["backlog-past-target"] == (2.0, None, None, None)
    assert jan["backlog-median-days-overdue"] == (7.0, 2, None, None)  # (12 + 2) / 2
    # February ends after the data (as of 20 Feb 12:00, the latest close), so its backlog is
    # counted then and marked provisional: only 9103, 21.5 days past 30 Jan 00:00; 9107
    # closed at that very moment and is not open.
    feb = figures(backlog_con, LIGHTS, FEB)
    assert feb["backlog-past-target"] == (1.0, None, None, "[p]")
    assert feb["backlog-median-days-overdue"] == (21.5, 1, None, "[p]")


def test_time_to_close_median_and_90th_centile_against_target(
    backlog_con: duckdb.DuckDBPyConnection,
) -> None:
    # January: only 9101 closed, after 1 day of a 2-day target.
    jan = figures(backlog_con, LIGHTS, JAN)
    assert jan["resolve-median-days"] == (1.0, 1, 2.0, None)
    assert jan["resolve-p90-days"] == (1.0, 1, 2.0, None)
    # February closes 9105 (2 hours), 9106 (1 day, no target), 9104 (13), 9107 (15.5), 9102
    # (25): median 13; 90th centile at rank 0.9 × 4 = 3.6, 15.5 + 0.6 × (25 − 15.5) = 21.2.
    # Targets of those with one: 1 hour, 3, 6 and 10 days, median (3 + 6) / 2 = 4.5.
    value, closed, target, marker = figures(backlog_con, LIGHTS, FEB)["resolve-p90-days"]
    assert (closed, target, marker) == (5, 4.5, "[p]")
    assert value == pytest.approx(21.2)
    assert figures(backlog_con, LIGHTS, FEB)["resolve-median-days"] == (13.0, 5, 4.5, "[p]")


def test_volume_and_months_with_nothing_to_measure(
    backlog_con: duckdb.DuckDBPyConnection,
) -> None:
    assert figures(backlog_con, LIGHTS, JAN)["requests-received"] == (5.0, None, None, None)
    assert figures(backlog_con, LIGHTS, FEB)["requests-received"] == (2.0, None, None, "[p]")
    # Sign Repair: one request in January, closed within its target; nothing in February.
    jan, feb = figures(backlog_con, SIGNS, JAN), figures(backlog_con, SIGNS, FEB)
    assert jan["requests-received"] == (1.0, None, None, None)
    assert jan["backlog-past-target"] == (0.0, None, None, None)  # a real zero
    assert jan["backlog-median-days-overdue"] == (None, 0, None, "[z]")  # no backlog to age
    assert jan["resolve-median-days"] == (1.0, 1, 2.0, None)
    assert feb["requests-received"] == (0.0, None, None, "[p]")
    assert feb["resolve-median-days"] == (None, 0, None, "[z]")


def test_each_measure_says_its_unit_and_direction(backlog_con: duckdb.DuckDBPyConnection) -> None:
    rows = backlog_con.sql(
        "SELECT DISTINCT measure_id, unit, direction FROM measures ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("backlog-median-days-overdue", "days", "lower"),
        ("backlog-past-target", "count", "lower"),
        ("requests-received", "count", "neither"),
        ("resolve-median-days", "days", "lower"),
        ("resolve-p90-days", "days", "lower"),
    ]
    # 2 services × 2 months × 5 measures, and no month with nothing but a year earlier.
    assert backlog_con.sql("SELECT count(*), count(year_earlier) FROM measures").fetchall() == [
        (20, 0)
    ]


@pytest.fixture(scope="module")
def nhs_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """NHS England's real monthly CSVs and workbook, as bundled."""
    entries = [ROOT / "catalog" / f"{n}.toml" for n in ("nhs-ae-monthly", "nhs-ae-monthly-xlsx")]
    path = tmp_path_factory.mktemp("nhs") / "nhs.duckdb"
    run([load_source(p) for p in entries], ROOT / "data", path)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_twelve_hour_waits_are_judged_against_none(nhs_con: duckdb.DuckDBPyConnection) -> None:
    # Monthly-AE-March-2025.csv, TOTAL row, 'Patients who have waited 12+ hrs from DTA to
    # admission': 46766. The standard allows none, so England did not meet it.
    england = nhs_con.sql(
        """SELECT value, target, comparator, unit, status FROM judgements
           WHERE org_level = 'total' AND standard_id = 'nhs-ae-12-hours-decision-to-admit'
             AND period_start = DATE '2025-03-01'"""
    ).fetchall()
    assert england == [(46766.0, 0.0, "<=", "count", "not_met")]
    # Royal National Orthopaedic Hospital (RAN) had no A&E attendances in March 2025: not
    # applicable, never a perfect month. A trust with attendances and no 12-hour wait is met.
    rows = nhs_con.sql(
        """SELECT o.org_code, j.value, j.status FROM judgements j
           JOIN observations o ON o.organisation = j.organisation
                AND o.period_start = j.period_start AND o.measure_id = 'ae-attendances'
           WHERE j.standard_id = 'nhs-ae-12-hours-decision-to-admit'
             AND j.period_start = DATE '2025-03-01' AND o.org_code IN ('RAN', 'RD8')"""
    ).fetchall()
    # RD8, Milton Keynes University Hospital: 14739 attendances, no 12-hour wait.
    assert sorted(rows) == [("RAN", None, "not_applicable"), ("RD8", 0.0, "met")]


def test_workbook_twelve_hour_waits_reconcile_with_the_csv(
    nhs_con: duckdb.DuckDBPyConnection,
) -> None:
    # June 2025: the workbook's England row and the CSV's TOTAL row both say 38683.
    rows = nhs_con.sql(
        """SELECT count(*), count(*) FILTER (WHERE differs) FROM reconciliation
           WHERE measure_id = 'ae-12-hours-decision-to-admit'"""
    ).fetchall()
    assert rows[0][0] > 100 and rows[0][1] == 0


def test_attendances_with_change_on_a_year_earlier(nhs_con: duckdb.DuckDBPyConnection) -> None:
    # The six attendance columns of the TOTAL rows: June 2025 1395330 + 50843 + 820895 +
    # 33233 + 775 + 49402 = 2,350,478 (the workbook's own 'Total attendances' for England);
    # June 2024 1374917 + 48707 + 792016 + 30741 + 675 + 47009 = 2,294,065.
    rows = nhs_con.sql(
        """SELECT value, year_earlier, change_on_year, unit, direction FROM measures
           WHERE org_level = 'total' AND measure_id = 'ae-attendances'
             AND period_start = DATE '2025-06-01'"""
    ).fetchall()
    assert rows == [(2350478.0, 2294065.0, 56413.0, "count", "neither")]


def test_a_count_names_its_columns(tmp_path: Path) -> None:
    entry = (ROOT / "catalog" / "nhs-ae-monthly.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(entry.replace('kind = "count"\nunit = "count"\n', 'kind = "count"\n', 1))
    with pytest.raises(ValueError, match="a count names its 'counted' columns"):
        load_source(bad)


def test_boston_measures_match_the_raw_file(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # Worked from 'Street Light Outages.csv.gz' with Python's csv module (Public Works
    # Department, July 2015): 568 opened; at 1 Aug 00:00, 449 open past their target, median
    # 72.646 days overdue; 500 closed in July, median 3.9415 days, 90th centile 69.463 days
    # (statistics.quantiles, method 'inclusive'); median target 14.153 days.
    rows = bundled_con.sql(
        """SELECT measure_id, value, denominator, target FROM measures
           WHERE org_slug = 'boston-public-works-department'
             AND service = 'Street Light Outages' AND period_start = DATE '2015-07-01'"""
    ).fetchall()
    got = {r[0]: (round(r[1], 3), r[2], None if r[3] is None else round(r[3], 3)) for r in rows}
    assert got == {
        "requests-received": (568.0, None, None),
        "backlog-past-target": (449.0, None, None),
        "backlog-median-days-overdue": (72.646, 449, None),
        "resolve-median-days": (3.942, 500, 14.153),
        "resolve-p90-days": (69.463, 500, 14.153),
    }


def page_text(name: str, **query: str) -> str:
    """A page's layout, unguarded, as text."""
    import dash

    import dashboard.app  # noqa: F401 - registers the pages

    return str(dash.page_registry[f"pages.{name}"]["layout"].__wrapped__(**query))


def test_department_page_shows_other_measures(bundled_reader: None) -> None:
    text = page_text("department", slug="boston-public-works-department", month="2015-07")
    assert "Other measures" in text
    assert "Street Light Outages: other measures, July 2015" in text
    assert "'568'" in text and "'449'" in text  # received; open past target at month end
    assert "72.6 days" in text and "3.9 days" in text and "69.5 days" in text
    assert "median target 14.2 days; of 500 requests" in text
    assert "/download/measures.csv?organisation=boston-public-works-department" in text


def test_nyc_department_page_shows_other_measures(bundled_reader: None) -> None:
    text = page_text("department", slug="new-york-city-department-of-sanitation")
    assert "Graffiti: other measures, December 2013" in text
    assert "none to measure" in text  # no Graffiti request closed by 31 December


def test_nhs_trust_shows_the_twelve_hour_standard_and_attendances(bundled_reader: None) -> None:
    slug = "nhs-england-milton-keynes-university-hospital-nhs-foundation-trust"
    text = page_text("department", slug=slug)
    assert "No patient waits more than 12 hours in A&E from a decision to admit" in text
    assert "A&E attendances: other measures, June 2025" in text
    # RD8's six attendance columns: June 2025 8358 + 4975 + 729 + 153 = 14,215; June 2024
    # 8360 + 5357 + 670 + 136 = 14,523.
    assert "'14,215'" in text and "14,523 (down 308)" in text


@pytest.fixture(scope="module")
def take_up_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """The real Canada entry over canada-mini's files plus two services (canada-takeup)."""
    source = canada_mini_source()
    assert source.inventory is not None
    layout = source.file.model_copy(update={"pattern": "canada-takeup/ss_*.csv"})
    inventory = source.inventory.model_copy(update={"pattern": "canada-takeup/si_*.csv"})
    path = tmp_path_factory.mktemp("takeup") / "takeup.duckdb"
    run([source.model_copy(update={"file": layout, "inventory": inventory})], FIXTURES, path)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_digital_take_up_per_service_and_department(
    take_up_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = take_up_con.sql(
        """SELECT service, numerator, denominator, value, marker FROM measures
           WHERE organisation = 'Agriculture and Agri-Food Canada'
             AND measure_id = 'online-share' ORDER BY service"""
    ).fetchall()
    assert rows == [
        ("AAFC Contact Centre", 0, 0, None, "[z]"),  # 0 applications: nothing to take up
        # AAFC: 12 online of 12 and 0 of 40 (no online channel): 12 / 52, volume-weighted;
        # Grant applications (online ND, no data) is left out, not counted as 0.
        ("All services", 12, 52, 12 / 52, None),
        ("Farm permits by mail", 0, 40, 0.0, None),  # online NA: no online channel
        ("Food Waste Reduction Challenge", 12, 12, 1.0, None),
        ("Grant applications", None, 50, None, "[x]"),
    ]


def test_stages_offered_online(take_up_con: duckdb.DuckDBPyConnection) -> None:
    rows = take_up_con.sql(
        """SELECT service, numerator, denominator, marker FROM measures
           WHERE measure_id = 'online-stages' ORDER BY service"""
    ).fetchall()
    assert rows == [
        ("AAFC Contact Centre", 0, 0, "[z]"),  # every stage NA
        ("ATSSC Law Library Services", 1, 6, None),  # account registration only
        ("Farm permits by mail", 1, 4, None),  # N, N, N, Y; two stages NA
        ("Food Waste Reduction Challenge", 1, 6, None),  # application only
        ("Grant applications", 3, 5, None),  # Y, Y, Y, N, N; feedback NA
    ]
    # Six inventory rows read: five loaded, one rejected (row 5's website visits '1,204').
    loads = take_up_con.sql(
        "SELECT rows_read, rows_loaded, rows_rejected FROM loads WHERE file_name = 'si_2024.csv'"
    ).fetchall()
    assert loads == [(6, 5, 1)]


def test_a_stage_that_is_not_y_or_n_is_rejected_by_row_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "canada-takeup"
    folder.mkdir()
    shutil.copy(FIXTURES / "canada-takeup" / "ss_2024.csv", folder)
    with (FIXTURES / "canada-takeup" / "si_2024.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("os_decision")
    rows[5][column] = "Maybe"  # file row 6: service 5001, Farm permits by mail
    with (folder / "si_2024.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    source = canada_mini_source()
    assert source.inventory is not None
    layout = source.file.model_copy(update={"pattern": "canada-takeup/ss_*.csv"})
    inventory = source.inventory.model_copy(update={"pattern": "canada-takeup/si_*.csv"})
    run([source.model_copy(update={"file": layout, "inventory": inventory})], tmp_path,
        tmp_path / "w.duckdb")  # fmt: skip
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        rejects = con.sql(
            "SELECT file_name, row_number, column_name, value, reason FROM rejects "
            "WHERE column_name = 'os_decision'"
        ).fetchall()
    finally:
        con.close()
    assert rejects == [("si_2024.csv", 6, "os_decision", "Maybe", "not Y, N or a declared marker")]


def test_canada_department_shows_digital_take_up(bundled_reader: None) -> None:
    # si_2024.csv, owner_org aafc-aac, 2023-2024, worked with Python's csv module: over the
    # 35 services with a whole-number total and online applications a number or NA (none
    # online), 75,211 of 113,691 applications were made online (66.2%).
    text = page_text("department", slug="government-of-canada-agriculture-and-agri-food-canada")
    assert "Digital take-up, fiscal year 2023-24" in text
    assert "weighted by volume: 66.2% (75,211 of 113,691 applications)" in text
    assert "Digital take-up of each service, fiscal year 2023-24" in text


def test_nyc_layout_backlog_and_time_to_close(tmp_path: Path) -> None:
    """The real NYC entry over four hand-made requests (nyc-backlog), open across 31 December."""
    source = load_source(ROOT / "catalog" / "nyc-311.toml")
    layout = source.file.model_copy(update={"pattern": "nyc-backlog/*.csv"})
    run([source.model_copy(update={"file": layout})], FIXTURES, tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        heating = figures(
            con, ("Department of Housing Preservation and Development", "HEATING"),
            dt.date(2013, 12, 1),
        )  # fmt: skip
    finally:
        con.close()
    assert heating["requests-received"] == (4.0, None, None, None)
    # At 1 Jan 2014 00:00: 1001 (due 25 Dec 08:00, closed 5 Jan) is 6 days 16 hours overdue,
    # 1002 (due 30 Dec 12:00, never closed) 1.5 days: median (6.667 + 1.5) / 2 = 4.083.
    count, (overdue, backlog, _, marker) = (
        heating["backlog-past-target"],
        heating["backlog-median-days-overdue"],
    )
    assert count == (2.0, None, None, None) and (backlog, marker) == (2, None)
    assert overdue == pytest.approx((6 + 16 / 24 + 1.5) / 2)
    # Closed in December: 1003 after 12 hours (1-day target), 1004 after 3 days (no target):
    # median 1.75, 90th centile 0.5 + 0.9 × 2.5 = 2.75, median target 1 day.
    assert heating["resolve-median-days"] == (1.75, 2, 1.0, None)
    assert heating["resolve-p90-days"] == (2.75, 2, 1.0, None)


@pytest.fixture(scope="module")
def volumes_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """Scotland's, Northern Ireland's and the ambulance services' real files, as bundled."""
    names = (
        "phs-scotland-ae-monthly", "phs-scotland-ae-monthly-miu",
        "ni-emergency-care-waiting-times", "nhs-ambsys",
    )  # fmt: skip
    path = tmp_path_factory.mktemp("volumes") / "volumes.duckdb"
    run([load_source(ROOT / "catalog" / f"{n}.toml") for n in names], ROOT / "data", path)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def volume(
    con: duckdb.DuckDBPyConnection, measure_id: str, month: str, org_code: str | None = None
) -> list[tuple[object, ...]]:
    """(value, year_earlier, change_on_year, unit, marker) of one volume: the total's, or
    the organisation's with `org_code`."""
    return con.sql(
        """SELECT m.value, m.year_earlier, m.change_on_year, m.unit, m.marker FROM measures m
           WHERE m.measure_id = $m AND m.period_start = $p::DATE
             AND CASE WHEN $code IS NULL THEN m.org_level = 'total' ELSE m.organisation IN (
                 SELECT organisation FROM observations WHERE org_code = $code) END""",
        params={"m": measure_id, "p": month, "code": org_code},
    ).fetchall()


def test_scotland_attendances_sum_the_sites_of_each_entry(
    volumes_con: duckdb.DuckDBPyConnection,
) -> None:
    # monthly_ae_activity_202305.csv.gz, summed with Python's csv module: May 2023, the 30
    # emergency department rows' NumberOfAttendancesAll 118,056 (May 2022 119,491); the 33
    # minor injury unit rows' 20,411 (19,484); together PHS's all-sites 138,467.
    assert volume(volumes_con, "ae-attendances", "2023-05-01") == [
        (118056.0, 119491.0, -1435.0, "count", None)
    ]
    assert volume(volumes_con, "miu-attendances", "2023-05-01") == [
        (20411.0, 19484.0, 927.0, "count", None)
    ]
    # Queen Elizabeth University Hospital (G107H): 7,103 in May 2023, 7,494 a year earlier.
    assert volume(volumes_con, "ae-attendances", "2023-05-01", "G107H") == [
        (7103.0, 7494.0, -391.0, "count", None)
    ]


def test_northern_ireland_attendances_equal_the_bulletin(
    volumes_con: duckdb.DuckDBPyConnection,
) -> None:
    # The 'Total' column summed over March 2021's departments: 54,240, and over March 2020's
    # 49,195: the Department of Health's bulletin's "54,240 attendances ... 5,045 more than
    # in March 2020". The Mater: '1,355' ('2,525' a year earlier).
    assert volume(volumes_con, "ed-attendances", "2021-03-01") == [
        (54240.0, 49195.0, 5045.0, "count", None)
    ]
    assert volume(volumes_con, "ed-attendances", "2021-03-01", "Mater") == [
        (1355.0, 2525.0, -1170.0, "count", None)
    ]


def test_ambulance_calls_and_incidents_by_category(
    volumes_con: duckdb.DuckDBPyConnection,
) -> None:
    # AmbSYS.csv.gz, January 2020 (January 2019), read with Python's csv module. England
    # (its own row, Eng): A1 calls answered 724,594 (763,932); A7 incidents 750,238
    # (750,181); A8 category 1 incidents 60,771 (60,108). North West (RX7): A10 category 2
    # incidents 52,929 (53,757); A12 category 4 5,244 (3,992).
    assert volume(volumes_con, "calls-answered", "2020-01-01") == [
        (724594.0, 763932.0, -39338.0, "count", None)
    ]
    assert volume(volumes_con, "incidents", "2020-01-01") == [
        (750238.0, 750181.0, 57.0, "count", None)
    ]
    assert volume(volumes_con, "c1-incidents", "2020-01-01") == [
        (60771.0, 60108.0, 663.0, "count", None)
    ]
    assert volume(volumes_con, "c2-incidents", "2020-01-01", "RX7") == [
        (52929.0, 53757.0, -828.0, "count", None)
    ]
    assert volume(volumes_con, "c4-incidents", "2020-01-01", "RX7") == [
        (5244.0, 3992.0, 1252.0, "count", None)
    ]


def test_league_volume_is_the_standards_count_over_the_window(
    volumes_con: duckdb.DuckDBPyConnection,
) -> None:
    # Summed with Python's csv module over the 12 months to each league month:
    # NI, the Mater's 'Total', April 2020 to March 2021: 13,134 (April 2019 to March 2020:
    # 48,800); AmbSYS, North West (RX7) A8 (category 1 incidents), February 2020 to January
    # 2021: 99,045 (February 2019 to January 2020: 118,052); its A12 (category 4) 39,941
    # (49,114).
    rows = volumes_con.sql(
        """SELECT standard_id, volume_measure, volume, volume_year_earlier, volume_change_year
           FROM league WHERE (organisation = 'Mater' AND month = DATE '2021-03-01')
              OR (organisation LIKE 'NORTH WEST AMBULANCE%' AND month = DATE '2021-01-01'
                  AND standard_id IN ('arp-c1-mean', 'arp-c4-90th', 'all'))
           ORDER BY standard_id"""
    ).fetchall()
    assert rows == [
        ("all", None, None, None, None),  # six standards, four different counts: none
        ("arp-c1-mean", "Category 1 incidents", 99045, 118052, -19007),
        ("arp-c4-90th", "Category 4 incidents", 39941, 49114, -9173),
        ("ni-ed-4-hours", "Emergency care attendances", 13134, 48800, -35666),
    ]


def test_a_measure_names_a_count_as_its_volume(tmp_path: Path) -> None:
    entry = (ROOT / "catalog" / "nhs-ambsys.toml").read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(entry.replace('volume = "c1-incidents"', 'volume = "c1-mean"', 1))
    with pytest.raises(ValueError, match=r"measures \['c1-mean'\] must name as volume a count"):
        load_source(bad)


def test_league_shows_volume_with_its_change_on_a_year(bundled_reader: None) -> None:
    text = page_text("home", jurisdiction="nhs-england-ambulance-services", month="2021-01")
    # RX7 above: 99,045, down 19,007 / 118,052 = 16.1% on a year.
    assert "'99,045'" in text and "'16.1% on a year'" in text
    assert "Volume: Category 1 incidents in the 12 months to January 2021" in text
    # Boston, July 2015: requests received by department (OPEN_DT in July, counted with
    # Python's csv module over the bundled files): Inspectional Services 1,419.
    text = page_text("home", jurisdiction="boston", month="2015-07")
    assert "'1,419'" in text and "Volume: Requests received in July 2015" in text


def test_compare_shows_each_organisations_volume(bundled_reader: None) -> None:
    london, north_west = (
        f"nhs-england-ambulance-services-{n}-ambulance-service-nhs-trust"
        for n in ("london", "north-west")
    )
    text = page_text(
        "compare", jurisdiction="nhs-england-ambulance-services", orgs=f"{london},{north_west}",
        standard="arp-c1-mean", **{"from": "2020-02", "to": "2021-01"},
    )  # fmt: skip
    # AmbSYS A8 summed with Python's csv module, February 2020 to January 2021 (a year
    # earlier): London (RRU) 93,605 (131,763: down 29.0%); North West (RX7) 99,045 (118,052).
    assert "Volume: Category 1 incidents, months compared" in text
    assert "'93,605'" in text and "'29.0% on a year'" in text
    assert "'99,045'" in text and "'16.1% on a year'" in text


def canada_weighted_shares() -> dict[str, tuple[int, int]]:
    """Each department's (online, applications) in fiscal 2023-24, read from si_2024.csv with
    Python's csv module: services with a total, online 'NA' (no online channel) as none,
    online 'ND' or blank left out, as the definition says."""
    path = ROOT / "data" / "canada-gc-service-standards-2023-24" / "si_2024.csv.gz"
    sums: dict[str, tuple[int, int]] = {}
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            total, online = row["num_applications_total"], row["num_applications_online"]
            if row["fiscal_yr"] != "2023-2024" or total in ("", "NA", "ND"):
                continue
            if online in ("", "ND"):
                continue
            name = row["owner_org_title"].split(" | ")[0]
            got = sums.get(name, (0, 0))
            add = 0 if online == "NA" else int(float(online))
            sums[name] = (got[0] + add, got[1] + int(float(total)))
    return sums


def test_digital_take_up_is_ranked_within_the_peer_group(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    sums = canada_weighted_shares()
    # Agriculture and Agri-Food Canada: 75,211 online of 113,691 applications (66.2%).
    assert sums["Agriculture and Agri-Food Canada"] == (75211, 113691)
    members = {
        str(m)
        for (m,) in bundled_con.sql(
            "SELECT DISTINCT organisation FROM peer_group_members WHERE peer_group = 'departments'"
        ).fetchall()
    }
    shares = {k: on / tot for k, (on, tot) in sums.items() if k in members and tot > 0}
    mine = shares["Agriculture and Agri-Food Canada"]
    higher = sum(1 for s in shares.values() if s > mine)
    assert (len(shares), higher + 1) == (60, 25)  # 60 of the 62 members have a figure
    rows = bundled_con.sql(
        """SELECT measure_id, value, denominator, unit, direction FROM measures
           WHERE organisation = 'Agriculture and Agri-Food Canada' AND unit = 'rank'"""
    ).fetchall()
    assert rows == [("online-share-rank:departments", 25.0, 60, "rank", "lower")]


def test_canada_department_says_its_take_up_rank(bundled_reader: None) -> None:
    text = page_text("department", slug="government-of-canada-agriculture-and-agri-food-canada")
    assert (
        "Ranked 25th of 60 federal departments and agencies for applications made online in "
        "fiscal year 2023-24." in text
    )
    assert "66.2% (75,211 of 113,691 applications)" in text


def test_twelve_hour_standard_cites_the_statistics_it_is_read_from(
    bundled_con: duckdb.DuckDBPyConnection, bundled_reader: None
) -> None:
    # No published statement of the zero-tolerance expectation was confirmed, so the standard
    # cites NHS England's A&E statistics page (the source's own page), and /methodology says.
    rows = bundled_con.sql(
        """SELECT st.citation_url = s.source_url FROM standards st JOIN sources s USING (source_id)
           WHERE st.standard_id = 'nhs-ae-12-hours-decision-to-admit'"""
    ).fetchall()
    assert rows == [(True,)]
    text = page_text("methodology")
    assert "its citation is NHS England's A&E statistics page" in text
