"""Unknown pages, departments and standards answer HTTP 404, not 200.

Dash Pages serves one index for every path and decides client-side what to show, so the
status must be settled here, before Dash answers: the path is matched against the page
registry, and a page whose path has variables is asked, through its `exists` entry, whether
the warehouse holds what the URL names. The body is still the site's own page, which shows
a helpful message once its scripts run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import flask
from dash import Dash

log = logging.getLogger(__name__)
CATCH_ALL = "<path:path>"
NOT_FOUND_PAGE = "not_found_404"  # the page Dash Pages shows for an unknown path


def _segments(path: str) -> list[str]:
    return [part for part in path.strip("/").split("/") if part]


def match(template: str, path: str) -> dict[str, str] | None:
    """The variables of `path` under `template` ('/department/<slug>'), or None."""
    want, got = _segments(template), _segments(path)
    if len(want) != len(got):
        return None
    found: dict[str, str] = {}
    for pattern, part in zip(want, got, strict=True):
        if pattern.startswith("<") and pattern.endswith(">"):
            found[pattern[1:-1]] = part
        elif pattern != part:
            return None
    return found


def page_exists(path: str, registry: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether some page answers `path`, and the warehouse holds what it names."""
    for module, page in registry.items():
        if module.split(".")[-1] == NOT_FOUND_PAGE:
            continue
        template = page.get("path_template")
        if template is None:
            if _segments(str(page.get("path", ""))) == _segments(path):
                return True
            continue
        variables = match(str(template), path)
        if variables is None:
            continue
        exists: Callable[..., bool] | None = page.get("exists")
        if exists is None or exists(**variables):
            return True
    return False


def register(app: Dash, registry: Mapping[str, Mapping[str, Any]]) -> None:
    """Answer 404, with the site's page, for a path Dash would otherwise serve with 200."""
    catch_all = app.config.routes_pathname_prefix + CATCH_ALL

    def check() -> flask.Response | None:
        if flask.request.endpoint != catch_all:
            return None
        try:
            known = page_exists(app.strip_relative_path(flask.request.path) or "", registry)
        except Exception:  # the page itself shows what went wrong, with its own message
            log.exception("could not tell whether %s exists", flask.request.path)
            return None
        if known:
            return None
        return flask.make_response(app.index(), 404)

    app.server.before_request(check)
