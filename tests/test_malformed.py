"""Malformed agency files: each gives its clear error or its rejects, and nothing is lost.

Every case is a tiny hand-made file in tests/fixtures/malformed/<case>/, in the Boston 311
layout (`boston-*`) or the NHS England A&E monthly CSV layout (`nhs-*`). Each run starts from
a published warehouse that already holds one good file of the same catalog entry
(tests/fixtures/malformed/_baseline/), so a failed run must leave that warehouse exactly as
it was, and a file rejected whole must leave its figures as they were (the rejection, with its
reason, is added to the load history). Every expected row, count and message is computed by
hand.

Decisions pinned here: a 0-byte file and a semicolon-delimited file are rejected as a header
lacking the declared columns; a header-only file loads with 0 rows; "1,000" is not a whole
number (no locale guessing); a due date after data_as_of is loaded but never judged, but an
open or closed time after today (the one clock) is rejected; a file whose only row is the
total row cannot place it in a period, so the row is rejected.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.catalog import Source, load_source
from ingest.read import LoadCounts
from ingest.run import RunSummary, run
from settings import ROOT, get_settings
from tests.conftest import FIXTURES
from tests.helpers import query

MALFORMED = FIXTURES / "malformed"
BOS = "cases.csv"
AE = "Monthly-AE-December-2024.csv"
DEC = dt.date(2024, 12, 1)

Reject = tuple[str, int, str, str | None, str]
"""A rejects row: file_name, row_number (header is row 1), column_name, value, reason."""


@dataclass(frozen=True)
class Case:
    """A malformed file and exactly what ingest must do with it."""

    name: str
    status: str  # the file's outcome: "loaded" (rows and rejects) or "rejected" (whole file)
    message: str = ""
    counts: tuple[int, int, int] | None = None  # its `loads` row: read, loaded, rejected
    rejects: tuple[Reject, ...] = ()

    @property
    def layout(self) -> str:
        return "boston-311" if self.name.startswith("boston-") else "nhs-ae-monthly"


EMPTY = "the file is empty (0 bytes)"
SEMICOLONS = (
    f"{BOS}: the header is one column; the file looks semicolon-delimited (';'), "
    "but the catalog declares comma (',')"
)
EXTRA_FIELD_LINE = (
    "2,9002,03/01/2015 10:00:00 AM,03/02/2015 08:30:00 AM,03/02/2015 09:00:00 AM,,Closed,,,"
    "Public Works Department,,Street Light Outages,,PWDx,,,,,,,,,,,,,,,,,,,,,extra"
)

CASES = [
    # --- Boston 311 layout -----------------------------------------------------------------
    Case("boston-missing-column", "rejected", f"{BOS}: header lacks declared column(s) TYPE"),
    Case("boston-semicolon-delimiter", "rejected", SEMICOLONS),
    Case("boston-empty-file", "rejected", f"{BOS}: {EMPTY}"),
    Case("boston-header-only", "loaded", counts=(0, 0, 0)),
    Case(
        "boston-truncated-last-line",
        "loaded",
        counts=(3, 2, 1),
        rejects=(
            (
                BOS,
                4,
                "(row)",
                "3,9003,03/01/2015 11:00:00 AM,03/02/2015",
                "fewer fields than the header",
            ),
        ),
    ),
    Case(
        "boston-too-many-fields",
        "loaded",
        counts=(3, 2, 1),
        rejects=((BOS, 3, "(row)", EXTRA_FIELD_LINE, "more fields than the header"),),
    ),
    Case(
        "boston-duplicate-case-ids",
        "loaded",
        counts=(4, 2, 2),
        rejects=(
            (BOS, 4, "CASE_ENQUIRY_ID", "9001", "duplicate case id in this file"),
            (BOS, 5, "CASE_ENQUIRY_ID", " 9002 ", "duplicate case id in this file"),
        ),
    ),
    Case("boston-future-due-date", "loaded", counts=(2, 2, 0)),
    Case(  # against the system clock: 2099 is after today, whatever today is
        "boston-future-open-close",
        "loaded",
        counts=(3, 1, 2),
        rejects=(
            (BOS, 3, "OPEN_DT", "01/05/2099 10:00:00 AM", "open time is after today"),
            (BOS, 4, "CLOSED_DT", "07/04/2099 12:00:00 PM", "closed time is after today"),
        ),
    ),
    Case(
        "boston-unreadable-dates",
        "loaded",
        counts=(6, 1, 5),
        rejects=(
            (BOS, 3, "OPEN_DT", "2015-03-01 10:00:00", "missing or unreadable open time"),
            (BOS, 4, "TARGET_DT", "03/32/2015 08:30:00 AM", "unreadable target time"),
            (BOS, 5, "CLOSED_DT", "soon", "unreadable closed time"),
            (BOS, 6, "OPEN_DT", None, "missing or unreadable open time"),
            (BOS, 7, "OPEN_DT", "03/01/2015 11:00 AM", "missing or unreadable open time"),
        ),
    ),
    Case(
        "boston-two-problems-one-row",
        "loaded",
        counts=(2, 1, 1),
        rejects=(
            (BOS, 3, "OPEN_DT", "03/01/2015 25:00:00 AM", "missing or unreadable open time"),
            (BOS, 3, "SUBJECT", None, "missing organisation"),
        ),
    ),
    Case(
        "boston-crlf-line-endings",
        "loaded",
        counts=(3, 2, 1),
        rejects=((BOS, 4, "CLOSED_DT", "yesterday", "unreadable closed time"),),
    ),
    Case(  # row 2's title spans two physical lines: row numbers count records, not lines
        "boston-embedded-newlines",
        "loaded",
        counts=(3, 2, 1),
        rejects=((BOS, 4, "CASE_ENQUIRY_ID", None, "missing case id"),),
    ),
    Case(
        "boston-corrupt-gzip",
        "rejected",
        f"{BOS}.gz: corrupt or truncated gzip file",
    ),
    # --- NHS England A&E monthly layout ------------------------------------------------------
    Case(
        "nhs-missing-column",
        "rejected",
        f"{AE}: header lacks declared column(s) Attendances over 4hrs Type 2",
    ),
    Case("nhs-empty-file", "rejected", f"{AE}: {EMPTY}"),
    Case("nhs-header-only", "loaded", counts=(0, 0, 0)),
    Case(
        "nhs-latin1-org-name",
        "loaded",
        counts=(3, 2, 1),
        rejects=(
            (
                AE,
                3,
                "Org name",
                "MSitAE-DECEMBER-2024,RVR,NHS ENGLAND LONDON,EPSOM AND ST HELIER UNIVERSITY "
                "HOSPITALS (CAF??UTC),0,0,300,0,0,5,0,0,3,0,0,0,0,0,0,0,0,0",  # DuckDB shows ??
                "not valid utf-8 text",
            ),
        ),
    ),
    Case(
        "nhs-thousands-separator",
        "loaded",
        counts=(3, 1, 2),
        rejects=(
            (AE, 2, "A&E attendances Type 1", "1,000", "not a whole number"),
            (AE, 4, "A&E attendances Type 1", "3,000", "not a whole number"),
        ),
    ),
    Case(
        "nhs-negative-count",
        "loaded",
        counts=(3, 2, 1),
        rejects=((AE, 3, "Attendances over 4hrs Other Department", "-20", "negative"),),
    ),
    Case(  # G0Q0L: 305 attendances, 350 of them over 4 hours
        "nhs-over-4hrs-exceeds-attendances",
        "loaded",
        counts=(3, 2, 1),
        rejects=(
            (
                AE,
                3,
                "Attendances over 4hrs Type 1",
                "350",
                "ae-within-4-hours: subtracted columns exceed the denominator",
            ),
        ),
    ),
    Case(
        "nhs-blank-org-code",
        "loaded",
        counts=(3, 2, 1),
        rejects=((AE, 3, "Org Code", None, "missing organisation code"),),
    ),
    Case(
        "nhs-unparseable-period",
        "loaded",
        counts=(4, 3, 1),
        rejects=((AE, 2, "Period", "MSitAE-DECEMBRE-2024", "unreadable period"),),
    ),
    Case(
        "nhs-period-differs",
        "loaded",
        counts=(4, 3, 1),
        rejects=(
            (AE, 3, "Period", "MSitAE-NOVEMBER-2024", "period differs from the rest of the file"),
        ),
    ),
    Case(
        "nhs-repeated-organisation",
        "loaded",
        counts=(4, 3, 1),
        rejects=(
            (AE, 4, "Org Code, Period", "RBT, MSitAE-DECEMBER-2024", "repeated key in this file"),
        ),
    ),
    Case("nhs-total-trailing-spaces", "loaded", counts=(3, 3, 0)),
    Case("nhs-bom", "loaded", counts=(2, 2, 0)),
    Case(
        "nhs-only-total-row",
        "loaded",
        counts=(1, 0, 1),
        rejects=((AE, 2, "Period", "TOTAL", "unreadable period"),),
    ),
]
BY_NAME = {c.name: c for c in CASES}
BASELINE_COUNTS = {"boston-311": (1, 1, 0), "nhs-ae-monthly": (2, 2, 0)}


def as_param(case: Case) -> object:
    return pytest.param(case, id=case.name)


def case_source(case: Case) -> Source:
    """The real catalog entry for the case's layout, pointed at the case's folder."""
    source = load_source(ROOT / "catalog" / f"{case.layout}.toml")
    layout = source.file.model_copy(update={"pattern": f"malformed/{case.name}/*"})
    return source.model_copy(update={"file": layout})


def publish_baseline(case: Case, source: Source, tmp_path: Path) -> Path:
    """Publish a warehouse holding the layout's good file, under the very same catalog entry."""
    folder = tmp_path / "baseline" / "malformed" / case.name
    folder.mkdir(parents=True)
    shutil.copyfile(MALFORMED / "_baseline" / f"{case.layout}.csv", folder / "baseline.csv")
    warehouse = tmp_path / "tracker.duckdb"
    assert run([source], tmp_path / "baseline", warehouse).published
    return warehouse


def ingest_case(case: Case, tmp_path: Path) -> tuple[RunSummary, Path, bytes]:
    """Run ingest on the case's file over a published baseline; the baseline's bytes too."""
    source = case_source(case)
    warehouse = publish_baseline(case, source, tmp_path)
    before = warehouse.read_bytes()
    return run([source], FIXTURES, warehouse), warehouse, before


def figures(warehouse: Path) -> list[tuple[object, ...]]:
    """Every loaded case and observation: what the site serves."""
    return query(
        warehouse,
        "SELECT 'case', case_id, opened_at::VARCHAR, NULL FROM cases UNION ALL "
        "SELECT 'observation', org_code, period_start::VARCHAR, numerator FROM observations "
        "ORDER BY ALL",
    )


def figures_of(warehouse_bytes: bytes, tmp_path: Path) -> list[tuple[object, ...]]:
    """The figures of a warehouse kept as bytes (the one published before the run)."""
    copy = tmp_path / "before.duckdb"
    copy.write_bytes(warehouse_bytes)
    return figures(copy)


def unreconciled(warehouse: Path) -> list[tuple[object, ...]]:
    """Loads whose counts disagree with each other or with the rows and rejects they left."""
    return query(
        warehouse,
        """WITH kept AS (
               SELECT load_id, row_number FROM cases
               UNION SELECT load_id, row_number FROM observations
           ), loaded AS (SELECT load_id, count(*) AS n FROM kept GROUP BY 1),
           rejected AS (
               SELECT load_id, count(DISTINCT row_number) AS n FROM rejects GROUP BY 1
           )
           SELECT l.file_name, l.rows_read, l.rows_loaded, l.rows_rejected,
                  coalesce(loaded.n, 0), coalesce(rejected.n, 0)
           FROM loads l LEFT JOIN loaded USING (load_id) LEFT JOIN rejected USING (load_id)
           WHERE l.status <> 'superseded' AND (
                 l.rows_read <> l.rows_loaded + l.rows_rejected
              OR l.rows_loaded <> coalesce(loaded.n, 0)
              OR l.rows_rejected <> coalesce(rejected.n, 0))""",
    )


@pytest.mark.parametrize("case", [as_param(c) for c in CASES])
def test_malformed_file_gives_its_error_or_its_rejects(case: Case, tmp_path: Path) -> None:
    summary, warehouse, before = ingest_case(case, tmp_path)
    [outcome] = summary.files
    assert (outcome.status, outcome.message) == (case.status, case.message)
    if case.status == "rejected":
        # Nothing of the file is loaded, and no figure changed: nothing is published, so
        # the warehouse is byte for byte the one before (same version, same load history).
        assert outcome.counts is None
        assert not summary.published and warehouse.read_bytes() == before
        own: list[tuple[object, ...]] = []
    else:
        assert case.counts is not None
        assert outcome.counts == LoadCounts(*case.counts)
        own = [(outcome.file_name, *case.counts, "loaded", None)]
    loads = query(
        warehouse,
        "SELECT file_name, rows_read, rows_loaded, rows_rejected, status, reason FROM loads "
        "ORDER BY load_id",
    )
    assert loads == [("baseline.csv", *BASELINE_COUNTS[case.layout], "loaded", None), *own]
    rejects = query(
        warehouse,
        "SELECT file_name, row_number, column_name, value, reason FROM rejects "
        "ORDER BY row_number, column_name",
    )
    assert rejects == list(case.rejects)
    assert unreconciled(warehouse) == []


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_the_published_warehouse_survives_every_case(name: str, tmp_path: Path) -> None:
    """Whatever ingest does with a bad file, it never half-publishes and never loses a row."""
    case = BY_NAME[name]
    source = case_source(case)
    warehouse = publish_baseline(case, source, tmp_path)
    before = warehouse.read_bytes()
    try:
        summary = run([source], FIXTURES, warehouse)
    except Exception:  # a crash is named by the case's own test; here the old file must stand
        assert warehouse.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir() if ".draft" in p.name] == []
        return
    if all(f.status == "rejected" for f in summary.files):
        assert figures(warehouse) == figures_of(before, tmp_path)
    assert unreconciled(warehouse) == []
    published = warehouse.read_bytes()
    again = run([source], FIXTURES, warehouse)
    assert [f.status for f in again.files] in (["unchanged"], ["rejected"])
    assert not again.published and warehouse.read_bytes() == published


def test_every_fixture_folder_is_a_case() -> None:
    folders = {p.name for p in MALFORMED.iterdir() if p.is_dir() and p.name != "_baseline"}
    assert folders == set(BY_NAME)
    assert len(CASES) >= 20


def test_due_date_after_data_as_of_is_loaded_but_never_judged(tmp_path: Path) -> None:
    # Request 9002 opened 2 Mar 2015 10:00 (the latest time in the source: data_as_of) is
    # due 31 Dec 2099. It is loaded, but no day after data_as_of is in the series, so it is
    # never counted as due, met or missed; 2 March judges 9001 alone (1 of 1 on time).
    _, warehouse, _ = ingest_case(BY_NAME["boston-future-due-date"], tmp_path)
    assert query(warehouse, "SELECT case_id, due_at FROM cases WHERE case_id = '9002'") == [
        ("9002", dt.datetime(2099, 12, 31, 8, 30))
    ]
    assert query(warehouse, "SELECT data_as_of FROM source_facts") == [
        (dt.datetime(2015, 3, 2, 10, 0),)
    ]
    days = query(
        warehouse,
        "SELECT max(day), sum(due)::BIGINT, sum(on_time)::BIGINT, "
        "list(day ORDER BY day) FILTER (WHERE status <> 'not_applicable') "
        "FROM service_days WHERE service = 'Street Light Outages'",
    )
    assert days == [(dt.date(2015, 3, 2), 1, 1, [dt.date(2015, 3, 2)])]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The one clock set to 1 March 2015 (TRACKER_TODAY), for this test only."""
    monkeypatch.setenv("TRACKER_TODAY", "2015-03-01")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("TRACKER_TODAY")
    get_settings.cache_clear()


def test_times_after_the_one_clock_are_rejected_not_made_data_as_of(
    tmp_path: Path, clock: None
) -> None:
    # Today is 1 March 2015: request 9001 closed on 2 March, a day in the future, so it is
    # rejected too; 9002 opened in 2099 and 9003 closed in 2099. Nothing of the file loads,
    # and data_as_of stays the baseline's latest time (request 8001 closed 3 Feb 2015 08:00).
    case = BY_NAME["boston-future-open-close"]
    summary, warehouse, _ = ingest_case(case, tmp_path)
    assert summary.files[0].counts == LoadCounts(3, 0, 3)
    assert query(
        warehouse, "SELECT row_number, column_name, value, reason FROM rejects ORDER BY ALL"
    ) == [
        (2, "CLOSED_DT", "03/02/2015 08:00:00 AM", "closed time is after today"),
        (3, "OPEN_DT", "01/05/2099 10:00:00 AM", "open time is after today"),
        (4, "CLOSED_DT", "07/04/2099 12:00:00 PM", "closed time is after today"),
    ]
    assert query(warehouse, "SELECT data_as_of FROM source_facts") == [
        (dt.datetime(2015, 2, 3, 8, 0),)
    ]


def observations(warehouse: Path) -> list[tuple[object, ...]]:
    return query(
        warehouse,
        "SELECT org_code, organisation, org_level, period_start, numerator, denominator "
        "FROM observations WHERE period_start = DATE '2024-12-01' "
        "AND measure_id = 'ae-within-4-hours' ORDER BY row_number",
    )


def test_total_row_with_trailing_spaces_is_the_england_total(tmp_path: Path) -> None:
    # Within 4 hours = attendances − over 4 hours: RBT 1,210 − 310; RM3 2,500 − 920;
    # "Total ," 3,710 − 1,230. The code is the catalog's total code, not the file's spelling.
    _, warehouse, _ = ingest_case(BY_NAME["nhs-total-trailing-spaces"], tmp_path)
    assert observations(warehouse) == [
        ("RBT", "MID CHESHIRE HOSPITALS NHS FOUNDATION TRUST", "organisation", DEC, 900, 1210),
        ("RM3", "NORTHERN CARE ALLIANCE NHS FOUNDATION TRUST", "organisation", DEC, 1580, 2500),
        ("TOTAL", "England", "total", DEC, 2480, 3710),
    ]


def test_byte_order_mark_does_not_hide_the_period_column(tmp_path: Path) -> None:
    _, warehouse, _ = ingest_case(BY_NAME["nhs-bom"], tmp_path)
    assert observations(warehouse) == [
        ("RBT", "MID CHESHIRE HOSPITALS NHS FOUNDATION TRUST", "organisation", DEC, 900, 1210),
        ("TOTAL", "England", "total", DEC, 900, 1210),
    ]


def test_file_with_no_loadable_rows_is_not_superseded_by_next_month(tmp_path: Path) -> None:
    case = BY_NAME["nhs-only-total-row"]
    folder = tmp_path / "data" / "malformed" / case.name
    folder.mkdir(parents=True)
    shutil.copyfile(MALFORMED / case.name / AE, folder / AE)
    january = (MALFORMED / "_baseline" / "nhs-ae-monthly.csv").read_bytes()
    january = january.replace(b"MSitAE-JANUARY-2024", b"MSitAE-JANUARY-2025")
    (folder / "Monthly-AE-January-2025.csv").write_bytes(january)
    warehouse = tmp_path / "tracker.duckdb"
    first = run([case_source(case)], tmp_path / "data", warehouse)
    assert [f.status for f in first.files] == ["loaded", "loaded"]
    assert query(warehouse, "SELECT file_name, status FROM loads ORDER BY load_id") == [
        (AE, "loaded"),
        ("Monthly-AE-January-2025.csv", "loaded"),
    ]
    again = run([case_source(case)], tmp_path / "data", warehouse)
    assert [f.status for f in again.files] == ["unchanged", "unchanged"]
    assert not again.published
