"""Downloads of a real warehouse built by the real ingest from a hostile Boston-format file.

The fixture has an organisation named `=HYPERLINK("http://x","y")` and one named
`Ville de Québec` with services `Permis de Montréal` and `+44 hotline`; each has the same
six requests, so each service in March 2015 has, by hand: 3/1 nothing due, 3/2 one of two
on time (not met), 3/3 nothing due (the request opened has no target), 3/4 met, 3/5 not met
(never closed), 3/6 met: 2 days met of 4 judged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.run import run
from tests.conftest import FIXTURES, boston_mini_source, serve
from tests.helpers import fetch

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    source = boston_mini_source()
    layout = source.file.model_copy(update={"pattern": "boston-injection/*.csv"})
    path = tmp_path_factory.mktemp("hostile") / "tracker.duckdb"
    run([source.model_copy(update={"file": layout})], FIXTURES, path)
    with serve(Path(path)) as url:
        yield url


def table(body: bytes) -> list[dict[str, str]]:
    """The CSV as Excel's import would read it: BOM dropped, UTF-8, quoted fields."""
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_league_csv_by_hand_and_formula_safe(hostile_site: str) -> None:
    status, headers, body = fetch(f"{hostile_site}/download/league.csv?month=2015-03")
    assert status == 200
    assert headers["Content-Disposition"] == "attachment; filename=boston-league-2015-03.csv"
    rows = {r["organisation"]: r for r in table(body)}
    assert set(rows) == {"'" + HYPERLINK, "Ville de Québec"}
    hyperlink, quebec = rows["'" + HYPERLINK], rows["Ville de Québec"]
    assert (hyperlink["periods_met"], hyperlink["periods_judged"]) == ("2", "4")
    assert (quebec["periods_met"], quebec["periods_judged"]) == ("4", "8")
    # Numbers stay plain numbers; too few periods judged, so unranked and marked [u].
    assert hyperlink["share_met"] == quebec["share_met"] == "0.5"
    assert hyperlink["rank"] == "" and hyperlink["rank_status"] == "[u]"
    assert hyperlink["share_met_status"] == "[u]" and hyperlink["reliability"] == "[u]"


def test_records_neutralise_text_only(hostile_site: str) -> None:
    _, _, body = fetch(f"{hostile_site}/download/records.csv")
    rows = table(body)
    assert len(rows) == 18  # 3 services x 6 days
    services = {r["service"] for r in rows}
    assert services == {"Street Light Outages", "Permis de Montréal", "'+44 hotline"}
    assert {r["organisation"] for r in rows} == {"'" + HYPERLINK, "Ville de Québec"}
    march_2 = [r for r in rows if r["period_start"] == "2015-03-02"]
    assert {(r["numerator"], r["denominator"], r["value"], r["status"]) for r in march_2} == {
        ("1", "2", "0.5", "not_met")
    }
    nothing_due = [r for r in rows if r["period_start"] == "2015-03-01"]
    assert {(r["value"], r["value_status"], r["status"]) for r in nothing_due} == {
        ("", "[z]", "not_applicable")
    }


def test_excel_reads_accents_with_the_bom(hostile_site: str) -> None:
    url = f"{hostile_site}/download/days-met.csv?organisation=boston-ville-de-qu-bec"
    status, headers, body = fetch(url)
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    assert "Ville de Québec".encode() in body and "Permis de Montréal".encode() in body
    rows = table(body)
    assert [(r["service"], r["days_met"], r["days_judged"]) for r in rows] == [
        ("'+44 hotline", "2", "4"),
        ("Permis de Montréal", "2", "4"),
    ]
    assert rows[1]["headline"] == "Met its standard on 2 of 4 days in March 2015"
    assert rows[1]["days_no_data"] == "25"  # 31 days; the data end on 6 March


def test_json_keeps_the_names_as_published(hostile_site: str) -> None:
    _, headers, body = fetch(f"{hostile_site}/download/league.json?month=2015-03")
    assert headers["Access-Control-Allow-Origin"] == "*"
    names = {row["organisation"] for row in json.loads(body)["rows"]}
    assert names == {HYPERLINK, "Ville de Québec"}
