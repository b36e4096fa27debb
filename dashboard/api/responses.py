"""A streamed file as an HTTP response: attachment name, row count, version and validators."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from urllib.parse import quote

import flask

from dashboard.web.http_cache import shared, tag


def stream_response(
    chunks: Iterator[bytes],
    content_type: str,
    filename: str | None,
    row_count: int,
    version: str,
) -> flask.Response:
    """Stream `chunks` (an attachment when `filename` is given), cached by warehouse version
    as every page is (dashboard.web.http_cache)."""
    etag = tag(version)
    if flask.request.if_none_match.contains_weak(etag):
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
        response = flask.Response(status=304)
    else:
        response = flask.Response(chunks, direct_passthrough=True)
        response.headers["Content-Type"] = content_type
        if filename is not None:
            options = _filename_options(filename)
            response.headers.set("Content-Disposition", "attachment", **options)
    # Weak: the same version and arguments give the same rows, not necessarily the same bytes.
    response.set_etag(etag, weak=True)
    response.headers["X-Row-Count"] = str(row_count)
    response.headers["X-Warehouse-Version"] = version
    return shared(response)


def _filename_options(filename: str) -> dict[str, str]:
    """`filename=` for ASCII names; otherwise an ASCII fallback plus RFC 6266 `filename*=`."""
    if filename.isascii():
        return {"filename": filename}
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return {"filename": fallback, "filename*": "UTF-8''" + quote(filename, safe="!#$&+^`|~")}
