"""A streamed file as an HTTP response: attachment name, row count, version and validators."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from urllib.parse import quote

import flask


def stream_response(
    chunks: Iterator[bytes],
    content_type: str,
    filename: str | None,
    row_count: int,
    version: str,
    *,
    max_age: int = 300,
) -> flask.Response:
    """Stream `chunks` (an attachment when `filename` is given), cached by warehouse version."""
    etag = _etag(version)
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
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    return response


def _etag(version: str) -> str:
    """A tag for this warehouse version, path and set of request arguments (in any order)."""
    args = sorted(flask.request.args.items(multi=True))
    key = repr((version, flask.request.path, args)).encode()
    return hashlib.sha256(key).hexdigest()[:32]


def _filename_options(filename: str) -> dict[str, str]:
    """`filename=` for ASCII names; otherwise an ASCII fallback plus RFC 6266 `filename*=`."""
    if filename.isascii():
        return {"filename": filename}
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return {"filename": fallback, "filename*": "UTF-8''" + quote(filename, safe="!#$&+^`|~")}
