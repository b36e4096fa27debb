"""While no warehouse can be read: a clear 503 "figures are being rebuilt", never a 500.

The reader keeps serving the last good snapshot a worker holds (see metrics.reader); only a
worker that holds none answers here: pages with a short HTML page, the API and downloads
with plain text, /healthz with JSON, each with `Retry-After`. Static files (assets, Dash's
bundles) still serve.
"""

from __future__ import annotations

import html
import json
import logging

import duckdb
import flask

from metrics.reader import WarehouseMissing, reader

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
STATIC = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
HEALTH = "/healthz"  # a load balancer's check: JSON, as dashboard.web.status answers it
PLAIN = ("/api/", "/download/", "/_dash-")
MESSAGE = "The figures are being rebuilt. Please try again in a minute."

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Figures are being rebuilt - Service Standards Tracker</title></head>
<body><main>
<h1>Figures are being rebuilt</h1>
<p role="status">{message}</p>
<p>This page will work again once the new figures are published. <a href="{path}">Try again</a></p>
</main></body>
</html>
"""


def unavailable(path: str) -> flask.Response:
    """The 503 answer for `path`: HTML for a page, plain text for the API and downloads."""
    if path == HEALTH:
        answer = json.dumps({"status": "unavailable", "message": MESSAGE})
        response = flask.Response(answer + "\n", status=503, mimetype="application/json")
    elif path.startswith(PLAIN):
        response = flask.Response(MESSAGE + "\n", status=503, mimetype="text/plain")
    else:
        body = PAGE.format(message=MESSAGE, path=html.escape(path, quote=True))
        response = flask.Response(body, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server: flask.Flask) -> None:
    """Answer 503 before any view runs when the warehouse cannot be read."""

    def check_warehouse() -> flask.Response | None:
        path = flask.request.path
        if path.startswith(STATIC):
            return None
        try:
            reader().connection().close()
        except (WarehouseMissing, duckdb.Error) as err:
            log.warning("no readable warehouse for %s: %s", path, err)
            return unavailable(path)
        return None

    def broken(err: Exception) -> flask.Response:
        log.warning("the warehouse failed a read of %s: %s", flask.request.path, err)
        return unavailable(flask.request.path)

    server.before_request(check_warehouse)
    server.register_error_handler(WarehouseMissing, broken)
    server.register_error_handler(duckdb.Error, broken)
