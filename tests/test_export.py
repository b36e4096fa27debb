"""The streamed CSV export against real DuckDB: encoding, batching, safety, types and the route."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import duckdb
import flask
import pyarrow as pa
import pytest

from dashboard.api.responses import stream_response
from dashboard.api.stream import BATCH_ROWS, written
from dashboard.api.stream import row_count as rows_counted
from dashboard.api.writers import BOM, FORMULA_START, csv_batches, csv_cells
from metrics.datasets import SqlQuery

HYPERLINK = '=HYPERLINK("http://x","y")'
RECORDS = """
CREATE TABLE records AS SELECT * FROM (VALUES
    (1, 'Québec', 'Passports', -3, 97.5::DOUBLE, NULL, DATE '2024-07-01',
     TIMESTAMP '2024-07-01 09:30:00', TIMESTAMPTZ '2024-07-01 09:30:00+01'),
    (2, 'Montréal', 'Permits', 12, NULL, '[x]', DATE '2024-07-02',
     TIMESTAMP '2024-07-02 10:00:00.25', NULL),
    (3, '=HYPERLINK("http://x","y")', 'Licences', 0, 50.0, NULL, NULL, NULL, NULL),
    (4, NULL, '+44 phone line', NULL, 1234567.0, NULL, DATE '2024-07-04', NULL, NULL)
) AS t(id, organisation, service, change, value, value_status, period_start, closed_at,
       closed_at_tz)
"""


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    connection.sql(RECORDS)
    yield connection
    connection.close()


def csv_stream(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, object],
    batch_rows: int = BATCH_ROWS,
) -> Iterator[bytes]:
    """The CSV bytes of a query, by the one path every download takes."""
    return written(SqlQuery(sql, params), con, csv_batches, batch_rows=batch_rows)


def row_count(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> int:
    return rows_counted(SqlQuery(sql, params), con)


def parse(chunks: Iterable[bytes]) -> list[list[str]]:
    """The CSV rows as Excel or csv.reader would read them (utf-8-sig drops the BOM)."""
    text = b"".join(chunks).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def records(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Each record's cells by organisation's id, keyed by column name in the header."""
    rows = parse(csv_stream(con, "SELECT * FROM records ORDER BY id", {}))
    header = rows[0]
    return {column: [row[i] for row in rows[1:]] for i, column in enumerate(header)}


def test_bom_comes_first(con: duckdb.DuckDBPyConnection) -> None:
    first = next(iter(csv_stream(con, "SELECT * FROM records", {})))
    assert first.startswith(BOM)
    assert first[len(BOM) :].startswith(b'"id","organisation"')


def test_header_once_across_batches_and_rows_equal_the_query() -> None:
    con = duckdb.connect()
    con.sql("CREATE TABLE t AS SELECT range AS n, 'row ' || range AS label FROM range(10)")
    sql = "SELECT n, label FROM t WHERE n >= $low ORDER BY n"
    chunks = list(csv_stream(con, sql, {"low": 0}, batch_rows=3))
    assert len(chunks) == 5  # BOM + header, then batches of 3, 3, 3 and 1
    rows = parse(chunks)
    assert rows[0] == ["n", "label"]
    assert sum(row == ["n", "label"] for row in rows) == 1
    expected = con.sql(sql, params={"low": 0}).fetchall()
    assert rows[1:] == [[str(n), label] for n, label in expected]


def test_lines_end_with_crlf(con: duckdb.DuckDBPyConnection) -> None:
    raw = b"".join(csv_stream(con, "SELECT id, value FROM records", {}))
    assert raw.count(b"\r\n") == 5
    assert raw.count(b"\n") == 5


def test_non_ascii_names_round_trip(con: duckdb.DuckDBPyConnection) -> None:
    assert records(con)["organisation"][:2] == ["Québec", "Montréal"]


def test_formula_text_gets_an_apostrophe(con: duckdb.DuckDBPyConnection) -> None:
    cells = records(con)
    assert cells["organisation"][2] == "'" + HYPERLINK
    assert cells["service"][3] == "'+44 phone line"
    assert cells["service"][0] == "Passports"


def test_every_formula_start_is_neutralised_and_only_at_the_start() -> None:
    formulas = [start + "1" for start in FORMULA_START]
    texts: list[str | None] = [*formulas, "a=b", "1-2", "", None]
    out = csv_cells(pa.record_batch({"t": texts})).column(0).to_pylist()
    assert out == ["'" + text for text in formulas] + ["a=b", "1-2", "", None]


@pytest.mark.parametrize("text_type", [pa.string(), pa.large_string(), pa.string_view()])
def test_every_string_layout_is_neutralised(text_type: pa.DataType) -> None:
    batch = pa.record_batch({"t": pa.array([HYPERLINK, "ok"], type=text_type)})
    assert csv_cells(batch).column(0).to_pylist() == ["'" + HYPERLINK, "ok"]


def test_dictionary_text_is_neutralised() -> None:
    batch = pa.record_batch({"t": pa.array(["-x", "ok", "-x"]).dictionary_encode()})
    assert csv_cells(batch).column(0).to_pylist() == ["'-x", "ok", "'-x"]


def test_large_strings_from_duckdb_are_neutralised(con: duckdb.DuckDBPyConnection) -> None:
    con.sql("SET arrow_large_buffer_size = true")
    assert con.sql("SELECT organisation FROM records").to_arrow_table().schema.types == [
        pa.large_string()
    ]
    assert records(con)["organisation"][2] == "'" + HYPERLINK


def test_string_views_from_duckdb_are_neutralised(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB exports string_view only with both settings (either alone still gives string).
    con.sql("SET arrow_output_version = '1.4'")
    con.sql("SET produce_arrow_string_view = true")
    assert con.sql("SELECT organisation FROM records").to_arrow_table().schema.types == [
        pa.string_view()
    ]
    assert records(con)["organisation"][:3] == ["Québec", "Montréal", "'" + HYPERLINK]


def test_negative_numbers_stay_numbers(con: duckdb.DuckDBPyConnection) -> None:
    raw = b"".join(csv_stream(con, "SELECT id, change FROM records ORDER BY id", {}))
    assert b"\r\n1,-3\r\n" in raw
    assert records(con)["change"][0] == "-3"


def test_numbers_are_plain(con: duckdb.DuckDBPyConnection) -> None:
    cells = records(con)
    assert cells["value"] == ["97.5", "", "50", "1234567"]
    decimals = parse(csv_stream(con, "SELECT 1234567.50::DECIMAL(12, 2) AS d", {}))
    assert decimals[1] == ["1234567.50"]


def test_nulls_are_empty_fields(con: duckdb.DuckDBPyConnection) -> None:
    cells = records(con)
    assert cells["organisation"][3] == ""
    assert cells["change"][3] == ""
    raw = b"".join(csv_stream(con, "SELECT id, organisation, change FROM records WHERE id = 4", {}))
    assert raw.endswith(b"\r\n4,,\r\n")


def test_dates_and_times_are_iso_8601(con: duckdb.DuckDBPyConnection) -> None:
    cells = records(con)
    assert cells["period_start"] == ["2024-07-01", "2024-07-02", "", "2024-07-04"]
    assert cells["closed_at"][:2] == ["2024-07-01T09:30:00", "2024-07-02T10:00:00.250000"]
    assert cells["closed_at_tz"][0] == "2024-07-01T08:30:00Z"


def test_status_column_kept_beside_a_numeric_value(con: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT id, value, value_status FROM records ORDER BY id"
    rows = parse(csv_stream(con, sql, {}))
    assert rows[0] == ["id", "value", "value_status"]
    assert rows[2] == ["2", "", "[x]"]


def test_empty_result_still_has_its_header(con: duckdb.DuckDBPyConnection) -> None:
    rows = parse(csv_stream(con, "SELECT id, value FROM records WHERE id > $id", {"id": 99}))
    assert rows == [["id", "value"]]


def test_row_count_binds_the_same_params(con: duckdb.DuckDBPyConnection) -> None:
    assert row_count(con, "SELECT * FROM records WHERE id <= $id;", {"id": 3}) == 3


def test_connection_is_free_while_a_download_streams(con: duckdb.DuckDBPyConnection) -> None:
    chunks = csv_stream(con, "SELECT * FROM range(10)", {}, batch_rows=2)
    next(iter(chunks))
    assert con.sql("SELECT count(*) FROM records").fetchall() == [(4,)]


LARGE = "SELECT range AS n, 'Montréal ' || range AS organisation FROM range($rows) ORDER BY n"


def large_app(con: duckdb.DuckDBPyConnection) -> flask.Flask:
    app = flask.Flask(__name__)

    @app.get("/download/records.csv")
    def download() -> flask.Response:
        params: dict[str, object] = {"rows": int(flask.request.args["rows"])}
        chunks = csv_stream(con, LARGE, params)
        count = row_count(con, LARGE, params)
        return stream_response(chunks, "text/csv; charset=utf-8", "relevés.csv", count, "v42")

    return app


def test_flask_streams_and_row_count_header_matches() -> None:
    con = duckdb.connect()
    client = large_app(con).test_client()
    response = client.get("/download/records.csv?rows=250000", buffered=False)
    assert response.is_streamed
    chunks = list(response.iter_encoded())
    assert len(chunks) > 2
    rows = parse(chunks)
    assert int(response.headers["X-Row-Count"]) == len(rows) - 1 == 250_000
    assert rows[1] == ["0", "Montréal 0"]
    assert rows[-1] == ["249999", "Montréal 249999"]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["X-Warehouse-Version"] == "v42"
    assert "public" in response.headers["Cache-Control"]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename=releves.csv;" in disposition
    assert "filename*=UTF-8''relev%C3%A9s.csv" in disposition


def test_etag_follows_version_and_args_and_answers_304() -> None:
    client = large_app(duckdb.connect()).test_client()
    etag = client.get("/download/records.csv?rows=5").headers["ETag"]
    assert client.get("/download/records.csv?rows=6").headers["ETag"] != etag
    again = client.get("/download/records.csv?rows=5", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
