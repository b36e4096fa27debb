"""Every bundled source loads, and our figures reconcile with the agencies' own."""

from __future__ import annotations

import duckdb
import pytest


def test_every_row_read_is_loaded_rejected_or_excluded(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = bundled_con.sql(
        "SELECT source_id, count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected), "
        "sum(rows_excluded) FROM loads WHERE status = 'loaded' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # Hand-counted from the files: 13 A&E CSVs of 198-202 provider rows plus a total row
    # each; AmbSYS 42 months x 19 organisations; NYC one day of 2,386 requests, one of which
    # the file has closed before it was opened (rejected by that row check).
    assert rows == [
        ("boston-311", 16, 46505, 46505, 0, 0),
        # Canada: ss_2024's 2,343 standards, of them 9 rows with more meeting the standard
        # than in total (performance > 1) and 6 repeating a standard id already seen, kept in
        # rejects with the reason; and si_2024's 1,752 services, all loaded.
        ("canada-gc-service-standards", 2, 2343 + 1752, 2328 + 1752, 15, 0),
        ("nhs-ae-monthly", 13, 2590, 2590, 0, 0),
        ("nhs-ae-monthly-xlsx", 1, 202, 202, 0, 0),
        ("nhs-ambsys", 1, 798, 798, 0, 0),
        ("ni-emergency-care-waiting-times", 1, 2934, 2934, 0, 0),
        ("nyc-311", 1, 2386, 2385, 1, 0),
        # PHS: 16,520 site-month rows, the 10,576 of minor injury units left out by the
        # entry's filter, one repeated emergency department row (G405H, May 2015) rejected.
        ("phs-scotland-ae-monthly", 1, 16520, 5943, 1, 10576),
        # The same file's minor injury units and other sites; its EDs left out.
        ("phs-scotland-ae-monthly-miu", 1, 16520, 10576, 0, 5944),
    ]


def test_nhs_ae_december_2024_equals_published_headline(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # NHS England published 71.1% of all A&E attendances within 4 hours in December 2024.
    # Computed from the provider rows alone (the national total row left out):
    num, den = bundled_con.sql(
        "SELECT sum(numerator), sum(denominator) FROM observations "
        "WHERE source_id = 'nhs-ae-monthly' AND org_level = 'organisation' "
        "AND period_start = DATE '2024-12-01' AND measure_id = 'ae-within-4-hours'"
    ).fetchall()[0]
    assert (num, den) == (1668461, 2345934)
    assert round(num / den * 100, 1) == 71.1
    total = bundled_con.sql(
        "SELECT numerator, denominator FROM observations WHERE source_id = 'nhs-ae-monthly' "
        "AND org_level = 'total' AND period_start = DATE '2024-12-01' "
        "AND measure_id = 'ae-within-4-hours'"
    ).fetchall()
    assert total == [(num, den)]


@pytest.mark.parametrize(
    ("code", "standard", "status"),
    [
        # August 2017, England: C1 mean 554 s > 420 s; C1 90th 912 s > 900 s; C3 90th
        # 7,085 s <= 7,200 s; C4 90th 9,169 s <= 10,800 s (A25, A26, A35, A38).
        ("Eng", "arp-c1-mean", "not_met"),
        ("Eng", "arp-c1-90th", "not_met"),
        ("Eng", "arp-c3-90th", "met"),
        ("Eng", "arp-c4-90th", "met"),
    ],
)
def test_ambsys_judged_against_arp_standards(
    bundled_con: duckdb.DuckDBPyConnection, code: str, standard: str, status: str
) -> None:
    got = bundled_con.sql(
        "SELECT j.status FROM judgements j JOIN observations o "
        "ON o.source_id = j.source_id AND o.period_start = j.period_start "
        "AND o.organisation = j.organisation AND o.service = j.service "
        "WHERE o.org_code = $code AND j.standard_id = $standard "
        "AND j.period_start = DATE '2017-08-01'",
        params={"code": code, "standard": standard},
    ).fetchall()
    assert got == [(status,)]


def test_ambsys_regions_are_not_ranked_with_trusts(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    ranked = bundled_con.sql(
        "SELECT DISTINCT organisation FROM league "
        "WHERE jurisdiction = 'NHS England ambulance services'"
    ).fetchall()
    assert len(ranked) == 11  # the 11 trusts; no region, no England row
    missing = bundled_con.sql(
        "SELECT count(*) FROM judgements WHERE source_id = 'nhs-ambsys' AND status = 'no_data'"
    ).fetchall()
    assert missing[0][0] > 0  # '.' cells are no data, never met or missed


def test_canada_target_met_agrees_with_our_judgement(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    pairs = bundled_con.sql(
        "SELECT o.agency_verdict, j.status, count(*) FROM judgements j JOIN observations o "
        "ON o.source_id = j.source_id AND j.standard_id = 'gc:' || o.row_standard_id "
        "AND o.organisation = j.organisation AND o.service = j.service "
        "AND o.period_start = j.period_start "
        "WHERE j.source_id = 'canada-gc-service-standards' AND o.agency_verdict IN ('Y', 'N') "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    # Every Y is met and every N is not met (1,313 Y and 470 N in the file, less the rows
    # rejected for performance above 1 or a repeated standard id).
    assert pairs == [("N", "not_met", 468), ("Y", "met", 1306)]


def test_canada_performance_above_one_is_flagged_not_clamped(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    rows = bundled_con.sql(
        "SELECT row_number, column_name, value, reason FROM rejects "
        "WHERE source_id = 'canada-gc-service-standards' AND row_number = 218"
    ).fetchall()
    assert rows == [
        (
            218,
            "volume_meeting_target",
            "3177",
            "share-meeting-standard: numerator greater than denominator",
        )
    ]


def test_workbook_and_csv_of_june_2025_give_identical_figures(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # Every provider row and the England total of the June 2025 workbook's "Provider Level
    # Data" sheet equal the June 2025 CSV's: attendances, within 4 hours and the share.
    rows = bundled_con.sql(
        "SELECT differs, count(*) FROM reconciliation "
        "WHERE source_id = 'nhs-ae-monthly-xlsx' AND measure_id = 'ae-within-4-hours' GROUP BY 1"
    ).fetchall()
    assert rows == [(False, 202)]
    england = bundled_con.sql(
        "SELECT numerator, denominator FROM observations WHERE source_id = "
        "'nhs-ae-monthly-xlsx' AND org_level = 'total' AND measure_id = 'ae-within-4-hours'"
    ).fetchall()
    assert england == [(1775669, 2350478)]  # 75.5% within 4 hours


def test_workbook_is_not_counted_twice(bundled_con: duckdb.DuckDBPyConnection) -> None:
    counted = bundled_con.sql(
        "SELECT count(*) FROM judgements WHERE source_id = 'nhs-ae-monthly-xlsx'"
    ).fetchall()
    assert counted == [(0,)]


def test_total_rows_take_the_catalog_code_however_the_file_spells_it(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # July 2024 spells it 'Total', September 2024 'Total ' (trailing space), the rest 'TOTAL'.
    rows = bundled_con.sql(
        "SELECT org_code, organisation, count(DISTINCT period_start) FROM observations "
        "WHERE source_id = 'nhs-ae-monthly' AND org_level = 'total' GROUP BY ALL"
    ).fetchall()
    assert rows == [("TOTAL", "England", 13)]


def test_canada_inventory_names_every_standard_and_counts_volumes(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # Every loaded standard's service id is in the inventory for 2023-24, and takes its name.
    named = bundled_con.sql(
        "SELECT count(*), count(s.service_id), count(*) FILTER (WHERE o.service = s.service) "
        "FROM observations o LEFT JOIN services s ON s.source_id = o.source_id "
        "AND s.period_start = o.period_start AND s.service_id = o.service_id "
        "WHERE o.source_id = 'canada-gc-service-standards'"
    ).fetchall()
    assert named == [(2328, 2328, 2328)]
    # Service 3595 (row 2 of si_2024.csv): 2 + 1 + 10 + 1 + 300 = 314 applications by
    # phone, online, in person, by mail and by email; 'ND' ([x]) phone enquiries and visits.
    rows = bundled_con.sql(
        "SELECT s.organisation, s.service, v.volume_id, v.volume, v.marker "
        "FROM services s JOIN service_volumes v USING (source_id, load_id, row_number) "
        "WHERE s.service_id = '3595' ORDER BY v.volume_id"
    ).fetchall()
    org, service = (
        "Administrative Tribunals Support Service of Canada",
        "ATSSC Law Library Services",
    )
    # By channel as published: 300 by email, 'NA' (not applicable, [z]) by fax and other.
    assert rows == [
        (org, service, "applications", 314, None),
        (org, service, "applications-by-email", 300, None),
        (org, service, "applications-by-fax", None, "[z]"),
        (org, service, "applications-by-mail", 1, None),
        (org, service, "applications-by-other", None, "[z]"),
        (org, service, "applications-by-phone", 2, None),
        (org, service, "applications-in-person", 10, None),
        (org, service, "applications-online", 1, None),
        (org, service, "phone-enquiries", None, "[x]"),
        (org, service, "website-visits", None, "[x]"),
    ]
