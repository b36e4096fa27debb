"""Old addresses of renamed organisations: `/department/<former-slug>[/…]` answers a permanent
redirect to the organisation's current address, with the same query.

The slug of a name an organisation was published under before its lineage's change
(`metrics.queries.current_slug`) is its old address; links and bookmarks made then still
reach its one series.
"""

from __future__ import annotations

import logging

import flask
from dash import Dash
from werkzeug.wrappers import Response

from metrics import queries

log = logging.getLogger(__name__)
PREFIX = "/department/"


def new_address(path: str, query: str) -> str | None:
    """The current address for a path under a former slug, or None."""
    if not path.startswith(PREFIX):
        return None
    slug, _, rest = path[len(PREFIX) :].partition("/")
    current = queries.current_slug(slug) if slug else None
    if current is None:
        return None
    return PREFIX + current + ("/" + rest if rest else "") + ("?" + query if query else "")


def register(app: Dash) -> None:
    """Redirect a former slug's pages before Dash (or the 404 check) answers them."""

    def redirect() -> Response | None:
        request = flask.request
        try:
            target = new_address(request.path, request.query_string.decode("utf-8", "replace"))
        except Exception:  # the page itself answers, with its own message
            log.exception("could not look up a former address for %s", request.path)
            return None
        return flask.redirect(target, code=301) if target else None

    app.server.before_request(redirect)
