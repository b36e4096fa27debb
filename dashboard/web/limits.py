"""Request limits: a callback body has a size bound and a shape, a component path must exist.

Dash reads a callback body whole and trusts its shape; a 150 MB body cost a worker 1.9 GB,
and `{}`, `null` or an unknown output raised inside Dash (500). Here they are answered with
413 and 400 before Dash sees them; an unregistered component-suite path is 404, not 500.
"""

from __future__ import annotations

from typing import Any

import flask
from dash import Dash
from dash.exceptions import DependencyException

CALLBACK = "/_dash-update-component"
MAX_CALLBACK_BYTES = 512 * 1024
"""Far above any real callback of the site (the largest, a league page's, is a few kB)."""


def plain(text: str, status: int) -> flask.Response:
    return flask.Response(text + "\n", status=status, mimetype="text/plain")


def malformed(body: Any, callbacks: dict[str, Any]) -> str | None:
    """Why a callback body is not one Dash can run, or None if its shape is sound."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        return "the body names no known callback output"
    if not isinstance(body.get("inputs"), list):
        return "the body's inputs must be a list"
    if not isinstance(body.get("outputs"), dict | list):
        return "the body's outputs must be an object or a list"
    if not isinstance(body.get("state", []), list):
        return "the body's state must be a list"
    return None


def register(app: Dash) -> None:
    """Check callback requests before Dash (and the callback cache) reads them."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_CALLBACK_BYTES  # bounds chunked bodies too

    def check_callback() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or request.path != CALLBACK:
            return None
        length = request.content_length
        if length is not None and length > MAX_CALLBACK_BYTES:
            return plain(f"A callback body is limited to {MAX_CALLBACK_BYTES} bytes.", 413)
        body = request.get_json(silent=True)
        why = malformed(body, app.callback_map)
        return plain(f"Malformed callback: {why}.", 400) if why else None

    def too_large(_err: Exception) -> flask.Response:
        return plain(f"A request body is limited to {MAX_CALLBACK_BYTES} bytes.", 413)

    def unknown_dependency(_err: Exception) -> flask.Response:
        return plain("No such file.", 404)

    server.before_request(check_callback)
    server.register_error_handler(413, too_large)
    server.register_error_handler(DependencyException, unknown_dependency)
