"""A page whose layout fails shows a message for that page alone, and the fault is logged.

Dash Pages calls every page's layout once to build its validation layout, on a worker's first
request: unguarded, one failing page would break every page. That validation layout is also
serialised into every HTML response; outside a callback a page therefore answers with its
skeleton (each component that has an id, bare), which is all callback validation needs, and
which carries no figures that a later publish would make stale.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, MutableMapping
from typing import Any

import dash
from dash import html
from dash.development.base_component import Component
from dash.exceptions import MissingCallbackContextException

from metrics.cache import ResultCache, current_version

log = logging.getLogger(__name__)
SITE_NAME = "Service Standards Tracker"


def failure(module: str) -> html.Div:
    """What a visitor sees instead of a page that could not be built."""
    marker: dict[str, Any] = {"data-failed-page": module}
    return html.Div(
        [
            html.H1("This page could not be shown"),
            html.P(
                "Something went wrong while putting this page together. The fault has been "
                "logged. Other pages are not affected.",
                role="alert",
            ),
            html.P(html.A("Go to the league table", href="/")),
        ],
        **marker,
    )


def guarded_layout(module: str, layout: Callable[..., Any]) -> Callable[..., Any]:
    """The layout function, answering with `failure` instead of raising."""

    @functools.wraps(layout)
    def safe(**query: Any) -> Any:
        page = page_content(module, layout, query)
        return page if in_callback() or is_failure(page) else skeleton(page)

    safe.unguarded = layout  # type: ignore[attr-defined]  # the server draws the whole page
    return safe


def page_content(module: str, layout: Callable[..., Any], query: dict[str, Any]) -> Any:
    """The whole page for the query, in a callback or not (the server draws it into the first
    response too); `failure` if its layout raises. `layout` may be the guarded one."""
    try:
        return rendered(module, getattr(layout, "unguarded", layout), query)
    except Exception:  # any fault of one page stays on that page
        log.exception("the layout of %s failed for %r", module, query)
        return failure(module)


def is_failure(page: Any) -> bool:
    return isinstance(page, Component) and "data-failed-page" in page.to_plotly_json()["props"]


def guarded_title(module: str, title: Callable[..., str]) -> Callable[..., str]:
    """A title function that falls back to the site's name instead of raising."""

    @functools.wraps(title)
    def safe(**path: Any) -> str:
        try:
            return title(**path)
        except Exception:  # the page itself says what went wrong
            log.exception("the title of %s failed for %r", module, path)
            return SITE_NAME

    return safe


def guard_pages(registry: MutableMapping[str, dict[str, Any]]) -> None:
    """Wrap every registered page's layout and title functions."""
    for module, page in registry.items():
        if callable(page.get("layout")):
            page["layout"] = guarded_layout(module, page["layout"])
        if callable(page.get("title")):
            page["title"] = guarded_title(module, page["title"])


LAYOUTS = ResultCache(max_entries=32)  # a department page is ~1,000 components


def rendered(module: str, layout: Callable[..., Any], query: dict[str, Any]) -> Any:
    """The page for the query, built once per published warehouse (and day)."""
    version = current_version()
    key = (module, tuple(sorted((name, repr(value)) for name, value in query.items())))
    found, page = LAYOUTS.get(version, key)
    if not found:
        page = layout(**query)
        LAYOUTS.put(version, key, page)
    return page


def in_callback() -> bool:
    """Whether Dash is rendering a page (a callback), not building its validation layout."""
    try:
        dash.ctx.triggered_id  # noqa: B018  (raises outside a callback)
    except MissingCallbackContextException:
        return False
    return True


def skeleton(layout: Any) -> html.Div:
    """The components of a layout that have an id, without their contents."""
    if not isinstance(layout, Component):
        return html.Div()
    found = [c for c in (layout, *layout._traverse()) if getattr(c, "id", None) is not None]
    return html.Div([bare(c) for c in found])


def bare(component: Component) -> Component:
    """The same kind of component with only its id (as is, if it needs more to be built)."""
    try:
        return type(component)(id=getattr(component, "id"))  # noqa: B009
    except TypeError:
        return component
