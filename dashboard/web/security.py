"""Security headers on every response, including a Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Sequence

import flask
from dash import Dash

from dashboard.web.deferred import LOADER_HASH
from dashboard.web.prerender import TAKEOVER_HASH

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


# Chart-only pages made for other sites' <iframe>s; every other page refuses to be framed.
EMBEDDABLE = "/embed/"


def content_security_policy(script_hashes: Sequence[str], framed_by: str = "'none'") -> str:
    """Scripts only from this origin or Dash's own inline scripts, matched by hash; framed
    only by `framed_by` (no one, except on the embed pages)."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        # Dash's component bundles inject their CSS as <style> elements when they load, and
        # that CSS changes with every Dash release, so it cannot be pinned by hash.
        "style-src": ["'self'", "'unsafe-inline'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [framed_by],
    }
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def register(app: Dash) -> None:
    """Attach the headers to every response the app's server sends."""

    def add_headers(response: flask.Response) -> flask.Response:
        # Hashed per response, not at import: Dash Pages adds its inline title script on the
        # first request, and hashing two short strings costs microseconds.
        embeddable = flask.request.path.startswith(EMBEDDABLE)
        hashes = [*app.csp_hashes(), TAKEOVER_HASH, LOADER_HASH]
        policy = content_security_policy(hashes, "*" if embeddable else "'none'")
        response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in HEADERS.items():
            if not (embeddable and name == "X-Frame-Options"):
                response.headers.setdefault(name, value)
        return response

    app.server.after_request(add_headers)
