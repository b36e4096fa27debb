"""`/download/<dataset>.<csv|json|parquet>`: every view's data, from the page's own query.

Plain Flask routes on the Dash server, so large files stream in batches (`dcc.Download` would
hold a whole file in memory). A bad query string gets a 400 in plain text naming what is
allowed; every file carries its row count, warehouse version and publish time, and is cached
by the version.
"""

from __future__ import annotations

from urllib.parse import urlencode

import duckdb
import flask

from dashboard.api import datapackage, openapi, stream, writers
from dashboard.api.args import BadArgs, View, parse
from dashboard.api.formats import FORMATS
from dashboard.api.responses import stream_response
from dashboard.api.xlsx import About
from metrics import queries
from metrics.datasets import DATASETS, Dataset, Rows, choices
from metrics.reader import WarehouseMissing, reader

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Row-Count, X-Warehouse-Version, ETag, Link",
}


def plain(message: str, status: int) -> flask.Response:
    """A plain-text answer (a 400 says what is allowed; a 503 that there is no data yet)."""
    return flask.Response(message + "\n", status=status, mimetype="text/plain")


def _stamp(
    response: flask.Response,
    con: duckdb.DuckDBPyConnection,
    sources: list[dict[str, object]] | None = None,
) -> flask.Response:
    """Last-Modified and CORS; for a file, Link headers to its description and licences."""
    response.last_modified = choices.published_at(con)
    response.headers.update(CORS)
    if sources is not None:
        links = ['</download/datapackage.json>; rel="describedby"; type="application/json"']
        licences = dict.fromkeys(str(s["licence_url"]) for s in sources if s["licence_url"])
        links += [f'<{url}>; rel="license"' for url in licences]
        earlier = response.headers.get("Link")
        response.headers["Link"] = ", ".join([*([earlier] if earlier else []), *links])
    return response


def _sources_of(view: View, con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """The sources a view's rows come from: its area's, or every source for a view of all."""
    sources = queries.sources(con)
    if view.filters.jurisdiction is not None:
        sources = sources.filter(sources["jurisdiction"] == view.filters.jurisdiction)
    return list(sources.iter_rows(named=True))


def download(dataset: str, fmt: str) -> flask.Response:
    """One dataset in one format, for the view in the query string."""
    spec = DATASETS.get(dataset)
    if spec is None or fmt not in FORMATS:
        return plain(
            f"No such download. Datasets: {', '.join(DATASETS)}; formats: {', '.join(FORMATS)}"
            " (as /download/<dataset>.<format>).",
            404,
        )
    try:
        # A streamed file whose query needs no sort reads through the small-pool instance
        # (metrics.reader.Reader), so the blocks it scans are not kept; everything its request
        # reads goes through it.
        small = spec.streamed and not spec.sorted
        con = reader().download_connection() if small else reader().connection()
    except WarehouseMissing:
        return plain("No figures have been published yet.", 503)
    try:
        view = parse(spec, flask.request.args, fmt, con)
    except BadArgs as err:
        return _stamp(plain(str(err), 400), con)
    rows = spec.read(view.filters, con)
    count = stream.row_count(rows, con)
    sources = _sources_of(view, con)
    version = queries.warehouse_version(con)
    form = FORMATS[fmt]
    if form.write is None:
        return _stamp(json_page(spec, view, rows, count, con, version), con, sources)
    about = About(
        spec,
        tuple(flask.request.args.items(multi=True)),
        tuple(sources),
        version,
        count,
        flask.request.url,
    )
    write = form.write
    chunks = stream.written(rows, con, lambda reader: write(reader, about))
    filename = "-".join(view.name_parts) + "." + fmt
    response = stream_response(chunks, form.media_type, filename, count, version)
    return _stamp(response, con, sources)


def _page_url(number: int) -> str:
    args = [(k, v) for k, v in flask.request.args.items(multi=True) if k != "page"]
    return flask.request.path + "?" + urlencode([*args, ("page", str(number))])


def json_page(
    spec: Dataset,
    view: View,
    rows: Rows,
    count: int,
    con: duckdb.DuckDBPyConnection,
    version: str,
) -> flask.Response:
    """One page of the view's rows as JSON (at most MAX_PER_PAGE), with next and previous."""
    pages = max(1, -(-count // view.per_page))
    if view.page > pages:
        return plain(f"page must be from 1 to {pages} ({count} rows, {view.per_page} a page).", 400)
    offset = (view.page - 1) * view.per_page
    following = _page_url(view.page + 1) if view.page < pages else None
    document = {
        "dataset": spec.name,
        "fields": [f.name for f in spec.fields],
        "row_count": count,
        "page": view.page,
        "per_page": view.per_page,
        "pages": pages,
        "next": following,
        "previous": _page_url(view.page - 1) if view.page > 1 else None,
        "rows": stream.page_rows(rows, con, offset, view.per_page),
    }  # fmt: skip
    body = iter([writers.json_bytes(document)])
    response = stream_response(body, FORMATS["json"].media_type, None, count, version)
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


def register(server: flask.Flask) -> None:
    """Add the download and API routes to the Flask server under Dash."""
    server.add_url_rule("/download/datapackage.json", "datapackage", datapackage.route)
    server.add_url_rule("/api/openapi.json", "openapi", openapi.route)
    server.add_url_rule("/download/<dataset>.<fmt>", "download", download)
