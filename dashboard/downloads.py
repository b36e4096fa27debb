"""`/download/...`: every view's data as a file, from the same metrics functions as the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import flask

from dashboard import export
from dashboard.params import month_param, month_text
from metrics import queries
from metrics.reader import reader

LEAGUE_COLUMNS = (
    "rank",
    "organisation",
    "grain",
    "periods_met",
    "periods_judged",
    "periods_no_data",
    "share_met",
    "share_lower",
    "share_upper",
    "band",
    "reliability",
)


def safe_cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula; numbers pass untouched."""
    if isinstance(value, str) and value.startswith(export.FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """RFC 4180 CSV with a UTF-8 byte-order mark, so Excel reads accents correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


def bad_request(message: str) -> flask.Response:
    return flask.Response(message + "\n", status=400, mimetype="text/plain")


def league_csv() -> flask.Response:
    """The league table for `?jurisdiction=SLUG&month=YYYY-MM` (defaults: first, latest)."""
    unknown = sorted(set(flask.request.args) - {"jurisdiction", "month"})
    if unknown:
        return bad_request(
            f"Unknown parameter(s): {', '.join(unknown)}. Allowed: jurisdiction, month."
        )
    areas = queries.jurisdictions()
    slugs = list(areas["slug"])
    slug = flask.request.args.get("jurisdiction", slugs[0] if slugs else "")
    if slug not in slugs:
        return bad_request(f"jurisdiction must be one of: {', '.join(slugs)}.")
    jurisdiction = str(areas["jurisdiction"][slugs.index(slug)])
    months = queries.months(jurisdiction)
    allowed = ", ".join(month_text(m) for m in months)
    text = flask.request.args.get("month")
    month = month_param(text) if text is not None else (months[-1] if months else None)
    if month not in months or month is None:
        return bad_request(f"month must be one of: {allowed}.")
    frame = queries.league_table(jurisdiction, month).select(LEAGUE_COLUMNS)
    body = csv_text(LEAGUE_COLUMNS, frame.iter_rows())
    response = flask.Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{slug}-league-{month_text(month)}.csv"'
    )
    response.headers["X-Row-Count"] = str(frame.height)
    return response


def records_csv() -> flask.Response:
    """Every judged standard-period, streamed: `?jurisdiction=SLUG` (default: all)."""
    unknown = sorted(set(flask.request.args) - {"jurisdiction"})
    if unknown:
        return bad_request(f"Unknown parameter(s): {', '.join(unknown)}. Allowed: jurisdiction.")
    areas = queries.jurisdictions()
    slugs = list(areas["slug"])
    slug = flask.request.args.get("jurisdiction")
    if slug is not None and slug not in slugs:
        return bad_request(f"jurisdiction must be one of: {', '.join(slugs)}.")
    name = str(areas["jurisdiction"][slugs.index(slug)]) if slug else None
    sql, params = queries.records_query(name)
    con = reader().connection()
    count = export.row_count(con, sql, params)
    chunks = export.csv_stream(con, sql, params, status_columns={"value": "value_status"})
    filename = f"{slug or 'all'}-records.csv"
    return export.csv_response(chunks, filename, count, queries.warehouse_version(con))


def register(server: flask.Flask) -> None:
    """Add the download routes to the Flask server under Dash."""
    server.add_url_rule("/download/league.csv", "league_csv", league_csv)
    server.add_url_rule("/download/records.csv", "records_csv", records_csv)
