"""Page callbacks answered from memory: the same request on the same published warehouse
gets the same bytes, so a page of ~1,000 components is serialised once, not on every visit.

Only Dash's callback route is cached, keyed by the request body's sha256 and by the version
the cached reads use (the warehouse file's identity and the date): a publish makes every old
entry unused. The body is cached before compression, which still applies to every answer.
"""

from __future__ import annotations

import hashlib

import flask

from metrics.cache import ResultCache, current_version

CALLBACK = "/_dash-update-component"
MAX_BYTES = 2_000_000  # a department page's answer is ~110 kB
RESPONSES = ResultCache(max_entries=64)


def _answer_from_cache() -> flask.Response | None:
    if flask.request.method != "POST" or flask.request.path != CALLBACK:
        return None
    version = current_version()
    key = hashlib.sha256(flask.request.get_data()).hexdigest()
    found, body = RESPONSES.get(version, key)
    if found and isinstance(body, bytes):
        return flask.Response(body, mimetype="application/json")
    flask.g.callback_cache = (version, key)
    return None


def _remember(response: flask.Response) -> flask.Response:
    version_key = flask.g.pop("callback_cache", None)
    if version_key is None or response.status_code != 200 or response.direct_passthrough:
        return response
    body = response.get_data()
    if response.mimetype == "application/json" and len(body) <= MAX_BYTES:
        version, key = version_key
        RESPONSES.put(version, key, body)
    return response


def register(server: flask.Flask) -> None:
    """Cache callback answers on the server (registered after compression, so that its
    after-request hook runs first and keeps the uncompressed body)."""
    server.before_request(_answer_from_cache)
    server.after_request(_remember)
