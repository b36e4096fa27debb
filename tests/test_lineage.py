"""Organisations that change name or code (issue 10 item 7): a lineage declared in the catalog
makes one series of a renamed NHS trust, found by every name and code, its old address kept.

The figures are worked by hand from NHS England's bundled CSVs with the csv module, reading
rows by code (not through the ingest), so both names of a trust are summed as published.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, expect

from ingest.catalog import CatalogError, load_catalog, load_source
from ingest.run import run
from metrics import queries
from metrics.lineage import LineageOverlap
from tests.helpers import query, revised
from tests.test_league_trend import page_text
from tests.test_site_pages import close, new_page

ROOT = Path(__file__).resolve().parents[1]
NHS = ROOT / "data" / "nhs-england-ae-monthly"
ALL_TYPES = [
    "A&E attendances Type 1", "A&E attendances Type 2", "A&E attendances Other A&E Department",
    "A&E attendances Booked Appointments Type 1", "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
]  # fmt: skip
OVER_4 = [
    "Attendances over 4hrs Type 1", "Attendances over 4hrs Type 2",
    "Attendances over 4hrs Other Department", "Attendances over 4hrs Booked Appointments Type 1",
    "Attendances over 4hrs Booked Appointments Type 2",
    "Attendances over 4hrs Booked Appointments Other Department",
]  # fmt: skip
PORTSMOUTH = "nhs-england-portsmouth-hospitals-university-nhs-trust"
PORTSMOUTH_OLD = "nhs-england-portsmouth-hospitals-university-national-health-service-trust"
OLD_NAME = "PORTSMOUTH HOSPITALS UNIVERSITY NATIONAL HEALTH SERVICE TRUST"


def rows_by_hand(code: str) -> dict[dt.date, tuple[str, int, int]]:
    """Each month's (name, attendances, within 4 hours) of one code, from the CSVs."""
    found: dict[dt.date, tuple[str, int, int]] = {}
    for path in sorted(NHS.glob("Monthly-AE-*.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Org Code"] == code:
                    month = dt.datetime.strptime(row["Period"], "MSitAE-%B-%Y").date()
                    seen = sum(int(row[c] or 0) for c in ALL_TYPES)
                    over = sum(int(row[c] or 0) for c in OVER_4)
                    found[month] = (row["Org name"], seen, seen - over)
    return found


def test_portsmouth_is_one_series_across_its_change_of_name(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    # RHU was published under its old name for June 2024 - March 2025 and its new one from
    # April 2025. The 12 months to June 2025 (July 2024 - June 2025) sum both names' rows.
    by_hand = rows_by_hand("RHU")
    names = {name for name, _, _ in by_hand.values()}
    assert names == {OLD_NAME, "PORTSMOUTH HOSPITALS UNIVERSITY NHS TRUST"}
    window = [m for m in by_hand if dt.date(2024, 7, 1) <= m <= dt.date(2025, 6, 1)]
    seen = sum(by_hand[m][1] for m in window)
    within = sum(by_hand[m][2] for m in window)
    assert len(window) == 12 and seen == 194346  # the figure this check printed, once
    rows = bundled_con.execute(
        "SELECT org_slug, periods_judged, performance_numerator, performance_denominator "
        "FROM league WHERE month = '2025-06-01' AND standard_id = 'nhs-ae-4-hours' "
        "AND peer_group = 'all-providers' AND organisation LIKE 'PORTSMOUTH HOSPITALS%'"
    ).fetchall()
    assert rows == [(PORTSMOUTH, 12, within, seen)]  # one row, ranked with its 12 months
    ranked = bundled_con.execute(
        "SELECT rank FROM league WHERE month = '2025-06-01' AND org_slug = ? "
        "AND standard_id = 'nhs-ae-4-hours' AND peer_group = 'all-providers'",
        [PORTSMOUTH],
    ).fetchall()
    assert ranked[0][0] is not None
    # No row, judgement or measure is left under the old name.
    for table in ("league", "judgements", "measures", "spc_points"):
        stray = bundled_con.execute(
            f"SELECT count(*) FROM {table} WHERE org_slug = ?",
            [PORTSMOUTH_OLD],
        ).fetchall()
        assert stray == [(0,)], table
    # Every month of the 13 is one series under the new slug, figures as published.
    months = bundled_con.execute(
        "SELECT period_start, denominator, numerator FROM judgements "
        "WHERE org_slug = ? AND standard_id = 'nhs-ae-4-hours' ORDER BY 1",
        [PORTSMOUTH],
    ).fetchall()
    assert months == [(m, by_hand[m][1], by_hand[m][2]) for m in sorted(by_hand)]


def test_the_published_rows_keep_their_own_names(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # Provenance: the observations hold each name as the file published it.
    kept = bundled_con.execute(
        "SELECT organisation, min(period_start), max(period_start) FROM observations "
        "WHERE source_id = 'nhs-ae-monthly' AND org_code = 'RHU' GROUP BY 1 ORDER BY 2"
    ).fetchall()
    assert kept == [
        (OLD_NAME, dt.date(2024, 6, 1), dt.date(2025, 3, 1)),
        ("PORTSMOUTH HOSPITALS UNIVERSITY NHS TRUST", dt.date(2025, 4, 1), dt.date(2025, 6, 1)),
    ]


def test_each_renamed_trust_has_one_league_row(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # Four codes change name in the files (RW1, RAX, RWD, RHU): each is one organisation.
    for code in ("RW1", "RAX", "RWD", "RHU"):
        names = {name for name, _, _ in rows_by_hand(code).values()}
        assert len(names) == 2, code
        slugs = bundled_con.execute(
            "SELECT DISTINCT j.org_slug FROM judgements j JOIN organisation_names n "
            "USING (org_slug) WHERE n.org_code = ? AND j.standard_id = 'nhs-ae-4-hours'",
            [code],
        ).fetchall()
        assert len(slugs) == 1, code
    total = bundled_con.execute(
        "SELECT count(*) FROM league WHERE month = '2025-06-01' "
        "AND standard_id = 'nhs-ae-4-hours' AND peer_group = 'all-providers'"
    ).fetchall()
    # 207 names in the files' 12 months to June 2025, less the 4 former names.
    assert total == [(203,)]


def test_found_by_any_name_or_code(bundled_con: duckdb.DuckDBPyConnection) -> None:
    def found(text: str) -> list[tuple[str, str | None]]:
        hits = queries.search(text, con=bundled_con).filter(kind="organisation")
        return [(r["org_slug"], r["known_as"]) for r in hits.iter_rows(named=True)]

    assert found("rhu") == [(PORTSMOUTH, "code RHU")]
    assert found("national health service trust") == [(PORTSMOUTH, f"formerly {OLD_NAME}")]
    assert (PORTSMOUTH, None) in found("portsmouth hospitals")  # its name now: no note
    assert found("southern health") == [
        ("nhs-england-hampshire-and-isle-of-wight-healthcare-nhs-foundation-trust",
         "formerly SOUTHERN HEALTH NHS FOUNDATION TRUST"),
    ]  # fmt: skip
    assert queries.current_slug(PORTSMOUTH_OLD, con=bundled_con) == PORTSMOUTH
    assert queries.current_slug(PORTSMOUTH, con=bundled_con) is None


def test_the_department_page_says_formerly(bundled_reader: None) -> None:
    text = page_text("department", slug=PORTSMOUTH)
    assert (
        f"Formerly {OLD_NAME} (code RHU), until March 2025; under this name from April 2025."
        in text
    )
    assert "Formerly" not in page_text("department", slug="nhs-england-barts-health-nhs-trust")
    assert "Formerly SOUTHERN HEALTH" in page_text(
        "standard",
        slug="nhs-england-hampshire-and-isle-of-wight-healthcare-nhs-foundation-trust",
        standard="nhs-ae-4-hours",
    )
    search = page_text("home", q="RHU")
    assert "(code RHU)" in search and PORTSMOUTH in search


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_the_old_address_redirects_to_the_new(site: str) -> None:
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(f"{site}/department/{PORTSMOUTH_OLD}/nhs-ae-4-hours?x=1", timeout=60)
    assert err.value.code == 301
    assert err.value.headers["Location"].endswith(f"/department/{PORTSMOUTH}/nhs-ae-4-hours?x=1")
    with urllib.request.urlopen(f"{site}/department/{PORTSMOUTH_OLD}", timeout=60) as response:
        assert response.status == 200 and response.url.endswith(f"/department/{PORTSMOUTH}")
    with pytest.raises(urllib.error.HTTPError) as unknown:
        opener.open(f"{site}/department/nhs-england-no-such-trust", timeout=60)
    assert unknown.value.code == 404


def test_the_old_address_in_a_browser(browser: Browser, site: str) -> None:
    page = new_page(browser, 1280)
    page.goto(f"{site}/department/{PORTSMOUTH_OLD}")
    expect(page).to_have_url(re.compile(f"/department/{PORTSMOUTH}$"))
    expect(page.locator("h1")).to_have_text("PORTSMOUTH HOSPITALS UNIVERSITY NHS TRUST, June 2025")
    expect(page.locator("p.formerly")).to_contain_text(f"Formerly {OLD_NAME}")
    close(page)


RAP = 'code = "RAP", name = "NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST"'
RAL = 'code = "RAL", name = "ROYAL FREE LONDON NHS FOUNDATION TRUST"'


def link(old: str, new: str, since: str) -> str:
    """A [[lineage]] table in TOML."""
    return (
        f"\n[[lineage]]\npredecessor = {{ {old} }}\nsuccessor = {{ {new} }}\nsince = {since}\n"
        'evidence = "RAP stops after December 2024."\n'
    )


LINK = link(RAP, RAL, "2025-01-01")
BACK = link(RAL, RAP, "2025-02-01")  # back again: a circle


def _catalog(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    text = (ROOT / "catalog" / "nhs-ae-monthly.toml").read_text(encoding="utf-8")
    (folder / "nhs-ae-monthly.toml").write_text(text + extra, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (LINK.replace("predecessor =", "predecesor ="),
         "lineage.4.predecesor: unknown key 'predecesor'; did you mean 'predecessor'? "
         "(allowed here: evidence, predecessor, since, successor)"),
        (LINK.replace('name = "NORTH', 'nmae = "NORTH'),
         "lineage.4.predecessor.nmae: unknown key 'nmae'; did you mean 'name'? "
         "(allowed here: code, name)"),
        (LINK.replace('evidence = "RAP stops after December 2024."', ""),
         "lineage.4.evidence: Field required"),
        (LINK.replace('code = "RAL", name = "ROYAL FREE LONDON NHS FOUNDATION TRUST"',
                      'code = "RAP", name = "NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST"'),
         "lineage.4: Value error, the predecessor and successor are the same code and name"),
        (LINK.replace("2025-01-01", '"January 2025"'),
         "lineage.4.since: Input should be a valid date"),
        (LINK.replace("RAP", "RHU").replace(
            "NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST", OLD_NAME),
         f"lineage.4.predecessor: RHU '{OLD_NAME}' is declared twice in NHS England"),
        (LINK + BACK,
         "lineage.4.predecessor: RAP 'NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST' becomes "
         "itself again (NHS England)"),
    ],
)  # fmt: skip
def test_a_bad_lineage_is_refused_naming_the_file_and_problem(
    tmp_path: Path, extra: str, message: str
) -> None:
    folder = _catalog(tmp_path, extra)
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    assert str(folder / "nhs-ae-monthly.toml") in str(err.value)
    assert message in str(err.value)
    assert len(load_source(ROOT / "catalog" / "nhs-ae-monthly.toml").lineage) == 4  # real loads


def test_a_takeover_with_overlapping_months_is_refused(tmp_path: Path) -> None:
    # RAP's December 2024 row would sit beside RAL's own December row under one name: the
    # build stops and names both, rather than silently count two figures for one month.
    data = tmp_path / "data" / "nhs"
    data.mkdir(parents=True)
    for name in ("Monthly-AE-December-2024.csv.gz", "Monthly-AE-January-2025.csv.gz"):
        shutil.copy(NHS / name, data / name)
    source = load_source(ROOT / "catalog" / "nhs-ae-monthly.toml")
    layout = {**source.file.model_dump(), "pattern": "nhs/Monthly-AE-*.csv.gz"}
    link = {
        "predecessor": {"code": "RAP", "name": "NORTH MIDDLESEX UNIVERSITY HOSPITAL NHS TRUST"},
        "successor": {"code": "RAL", "name": "ROYAL FREE LONDON NHS FOUNDATION TRUST"},
        "since": "2025-01-01",
        "evidence": "RAP stops after December 2024.",
    }
    takeover = revised(source, file=layout, lineage=[link])
    both = r"2024-12 from RAL ROYAL FREE LONDON NHS FOUNDATION TRUST; RAP NORTH MIDDLESEX"
    with pytest.raises(LineageOverlap, match=r"ROYAL FREE LONDON NHS FOUNDATION TRUST, .*" + both):
        run([takeover], tmp_path / "data", tmp_path / "tracker.duckdb")
    # The real entry's renames build from the same files.
    built = tmp_path / "renamed.duckdb"
    run([revised(source, file=layout)], tmp_path / "data", built)
    assert query(built, "SELECT count(*) FROM lineage") == [(4,)]
