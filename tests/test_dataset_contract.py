"""Every dataset over real HTTP from real gunicorn: pinned columns and types, in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import urllib.error
import urllib.request
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.helpers import fetch

# The contract: each dataset's columns, in order, with their Frictionless types.
CONTRACT = {
    "league": """rank:integer rank_status:string jurisdiction:string organisation:string
        peer_group:string month:date period:string grain:string
        standard_id:string performance:number performance_numerator:integer
        performance_denominator:integer performance_unit:string periods_met:integer
        periods_judged:integer periods_no_data:integer share_met:number
        share_met_status:string share_lower:number share_lower_status:string
        share_upper:number share_upper_status:string band:string reliability:string
        change_previous:number change_previous_status:string change_year:number
        change_year_status:string spc_verdict:string standard_set_by:string
        volume_measure:string volume:integer volume_year_earlier:integer
        volume_change_year:integer""",
    "records": """jurisdiction:string organisation:string service:string standard_id:string
        standard:string period_start:date period_end:date grain:string numerator:integer
        numerator_status:string denominator:integer denominator_status:string value:number
        value_status:string target:number target_status:string comparator:string
        status:string standard_set_by:string unit:string""",
    "observations": """jurisdiction:string organisation:string org_code:string
        service:string standard_id:string measure_id:string grain:string period_start:date
        period_end:date status:string figure:string numerator:integer denominator:integer
        value:number value_status:string source_id:string file_name:string row_number:integer
        sha256:string received_at:datetime file_url:string file_url_status:string
        replaced_by:string replaced_by_status:string""",
    "days-met": """jurisdiction:string organisation:string service:string standard_id:string
        month:date days_met:integer days_not_met:integer days_no_data:integer
        days_not_applicable:integer days_judged:integer due:integer on_time:integer
        no_target:integer headline:string""",
    "daily": """jurisdiction:string organisation:string service:string standard_id:string
        day:date due:integer on_time:integer no_target:integer share_on_time:number
        share_on_time_status:string target_percent:number status:string""",
    "cases": """jurisdiction:string organisation:string service:string case_id:string
        opened_at:datetime target_at:datetime closed_at:datetime due_day:date outcome:string
        late_by_seconds:integer late_by_seconds_status:string source_id:string
        file_name:string row_number:integer""",
    "measures": """jurisdiction:string organisation:string org_level:string service:string
        measure_id:string measure:string period_start:date period_end:date grain:string
        value:number value_status:string numerator:integer denominator:integer unit:string
        direction:string target:number year_earlier:number change_on_year:number
        source_id:string""",
    "standards": """standard_id:string version:integer source_id:string wording:string
        measure:string comparator:string target_percent:number target_percent_status:string
        target_value:number target_value_status:string target_from_row:boolean unit:string
        grain:string set_by:string reason:string citation_url:string valid_from:date
        valid_to:date valid_to_status:string""",
    "sources": """source_id:string title:string jurisdiction:string publisher:string
        licence:string licence_url:string source_url:string load_id:integer file_name:string
        sha256:string loaded_at:datetime rows_read:integer rows_loaded:integer
        rows_rejected:integer status:string superseded_by:integer
        superseded_by_status:string rows_excluded:integer reason:string
        reason_status:string""",
    "rejects": """source_id:string load_id:integer file_name:string row_number:integer
        column_name:string value:string reason:string""",
}
VIEWS = {
    "league": "jurisdiction=boston&month=2015-07",
    "records": "jurisdiction=boston&from=2015-07&to=2015-07",
    "observations": "organisation=nhs-england-airedale-nhs-foundation-trust&from=2025-01"
    "&to=2025-03",
    "days-met": "organisation=boston-public-works-department&month=2015-07",
    "daily": "organisation=boston-public-works-department&month=2015-07",
    "cases": "organisation=boston-public-works-department&service=street-light-outages"
    "&day=2015-07-14",
    "measures": "organisation=boston-public-works-department&from=2015-07&to=2015-07",
    "standards": "",
    "sources": "",
    "rejects": "",
}
ARROW_TYPES = {
    "integer": pa.types.is_integer,
    "number": pa.types.is_floating,
    "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "date": pa.types.is_date32,
    "datetime": pa.types.is_timestamp,
    "boolean": pa.types.is_boolean,
}


def columns(dataset: str) -> list[tuple[str, str]]:
    return [tuple(pair.split(":")) for pair in CONTRACT[dataset].split()]  # type: ignore[misc]


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("dataset", CONTRACT)
def test_every_format_has_the_pinned_columns_and_types(site: str, dataset: str) -> None:
    query = VIEWS[dataset]
    status, headers, body = fetch(f"{site}/download/{dataset}.parquet?{query}")
    assert status == 200, body[:200]
    table = pq.read_table(io.BytesIO(body))
    assert [(f.name) for f in table.schema] == [name for name, _ in columns(dataset)]
    for (name, kind), field in zip(columns(dataset), table.schema, strict=True):
        assert ARROW_TYPES[kind](field.type), f"{dataset}.{name} is {field.type}, not {kind}"
    assert table.num_rows == int(headers["X-Row-Count"]) > 0
    status, headers, body = fetch(f"{site}/download/{dataset}.csv?{query}")
    rows = csv_rows(body)
    assert rows[0] == [name for name, _ in columns(dataset)]
    assert len(rows) - 1 == int(headers["X-Row-Count"]) == table.num_rows
    assert normalised(rows[1:]) == normalised(table.to_pylist())


def cell(value: Any) -> str:
    """A CSV, JSON or Parquet value as comparable text: numbers by value, dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    try:
        return repr(float(value))
    except ValueError:
        return str(value)


def normalised(rows: list[Any]) -> list[tuple[str, ...]]:
    """Rows from CSV (lists of text) or JSON/Parquet (dicts) as comparable text tuples."""
    return [tuple(cell(v) for v in (r.values() if isinstance(r, dict) else r)) for r in rows]


def test_records_csv_is_complete(site: str, bundled_con: duckdb.DuckDBPyConnection) -> None:
    """All records: the header's count, the rows sent and the warehouse agree."""
    status, headers, body = fetch(f"{site}/download/records.csv")
    assert status == 200
    expected = bundled_con.sql(
        "SELECT count(*) FROM judgements WHERE org_level = 'organisation'"
    ).fetchall()[0][0]
    assert int(headers["X-Row-Count"]) == len(csv_rows(body)) - 1 == expected > 10_000
    assert body.endswith(b"\r\n")


@pytest.mark.parametrize(
    ("dataset", "key"),
    [("records", ("jurisdiction", "organisation", "service", "standard_id", "period_start")),
     ("daily", ("jurisdiction", "organisation", "service", "standard_id", "day"))],
)  # fmt: skip
def test_streamed_rows_come_sorted(site: str, dataset: str, key: tuple[str, ...]) -> None:
    """Streamed without a sort: the warehouse stores them in this order, and a scan keeps it."""
    _, _, body = fetch(f"{site}/download/{dataset}.csv")
    rows = csv_rows(body)
    at = [rows[0].index(name) for name in key]
    keys = [tuple(row[i].lstrip("'") for i in at) for row in rows[1:]]
    assert len(keys) > 9_000 and keys == sorted(keys)


def test_json_pages_walk_to_the_csv_rows(site: str) -> None:
    query = "jurisdiction=boston&month=2015-07"
    _, headers, body = fetch(f"{site}/download/daily.csv?{query}")
    expected = normalised(csv_rows(body)[1:])
    url, got, pages = f"/download/daily.json?{query}&per_page=100", [], 0
    while url:
        with urllib.request.urlopen(site + url, timeout=30) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            page = json.loads(response.read())
        got.extend(page["rows"])
        url, pages = page["next"], pages + 1
    assert pages == -(-len(expected) // 100) > 2
    assert page["row_count"] == len(got) == int(headers["X-Row-Count"])
    assert normalised(got) == expected


def test_cached_by_warehouse_version(site: str) -> None:
    url = f"{site}/download/league.csv?jurisdiction=boston&month=2015-07"
    status, headers, _ = fetch(url)
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=300, stale-while-revalidate=60"
    assert headers["X-Warehouse-Version"] and headers["Last-Modified"].endswith("GMT")
    request = urllib.request.Request(url, headers={"If-None-Match": headers["ETag"]})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("expected 304")
    except urllib.error.HTTPError as err:
        assert err.code == 304 and err.read() == b""


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("league.csv?month=2015-7", "month must be a month written YYYY-MM"),
        ("league.json?month=1999-01", "month must be one of: 2015-01, "),
        ("records.parquet?from=2015-08&to=2015-07", "from must not be after to."),
        ("daily.csv?organisation=atlantis", "organisation (one or several, comma-separated)"),
        ("daily.csv?month=2015-07&month=2015-08", "Give month at most once."),
        ("rejects.csv?source=nope", "source must be one of: boston-311, "),
        ("sources.csv?jurisdiction=boston", "Unknown parameter(s): jurisdiction. Allowed: source."),
        ("records.csv?page=2", "Unknown parameter(s): page."),
        ("records.json?per_page=0", "per_page must be a whole number from 1 to 10000."),
        ("records.json?page=99999", "page must be from 1 to "),
        ("standards.csv?jurisdiction=x", "jurisdiction must be one of: boston, "),
        ("records.csv?standard=x", "standard must be one of: "),
        ("daily.csv?service=x", "service must be one of: "),
        ("cases.csv?day=2015-07", "day must be a date written YYYY-MM-DD"),
        ("league.csv?service=street-light-outages", "Unknown parameter(s): service."),
    ],
)
def test_bad_views_get_400_in_plain_text(site: str, path: str, message: str) -> None:
    status, headers, body = fetch(f"{site}/download/{path}")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith(message), body.decode()


def test_data_package_describes_every_dataset(site: str) -> None:
    _, _, body = fetch(f"{site}/download/datapackage.json")
    package = json.loads(body)
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == list(CONTRACT)
    for name, resource in resources.items():
        fields = [(f["name"], f["type"]) for f in resource["schema"]["fields"]]
        assert fields == columns(name)
        assert all(f["description"] for f in resource["schema"]["fields"])
    shares = [f for f in resources["records"]["schema"]["fields"] if f["name"] == "value"]
    assert shares[0]["unit"] == "share (0-1), seconds or count"
    titles = {licence["title"] for licence in package["licenses"]}
    assert "Open Government Licence v3.0" in titles
    assert any(s["title"] == "Boston 311 service requests" for s in package["sources"])


def test_league_rows_say_their_area_period_and_standard(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    # By hand: the league table's own rows for each view, and the window in words.
    for query, area, month, period in (
        ("jurisdiction=boston&month=2015-07", "Boston", "2015-07-01", "July 2015"),
        ("jurisdiction=government-of-canada&month=2023-04", "Government of Canada",
         "2023-04-01", "fiscal year 2023-24"),
        ("jurisdiction=nhs-england&month=2025-06&peer_group=type-1", "NHS England",
         "2025-06-01", "12 months to June 2025"),
    ):  # fmt: skip
        status, _, body = fetch(f"{site}/download/league.csv?{query}")
        assert status == 200
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert {(r["jurisdiction"], r["month"], r["period"]) for r in rows} == {
            (area, month, period)
        }, query
        [standard] = {r["standard_id"] for r in rows}  # the view's one standard
        group = "AND peer_group = 'type-1'" if "peer_group" in query else ""
        [(count,)] = bundled_con.sql(
            f"""SELECT count(*) FROM league WHERE jurisdiction = $j AND month = $m::DATE
                AND standard_id = $s {group}""",
            params={"j": area, "m": month, "s": standard},
        ).fetchall()
        assert len(rows) == count > 0, query
