"""Security headers on every response."""

from __future__ import annotations

import flask

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _add_headers(response: flask.Response) -> flask.Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(server: flask.Flask) -> None:
    """Attach the headers to every response the server sends."""
    server.after_request(_add_headers)
