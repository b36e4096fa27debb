"""Every page's content in the first response: readable without scripts and by search engines.

Dash serves one empty index ("Loading...") and draws the page in the browser. This index hook
draws the same layout on the server, from the same page function (one source of truth), and
places it beside Dash's entry point. `takeover.js`, inline beside it, removes it once Dash
has drawn the page; until then Dash's own drawing is laid out but hidden (assets/tracker.css),
so a reader sees no jump. The page's title, description and canonical URL come from what
it shows.
"""

from __future__ import annotations

import base64
import hashlib
import html as escape
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import dash
import flask
from dash.development.base_component import Component

from dashboard.web.guard import is_failure, page_content
from dashboard.web.http_cache import do_not_store
from dashboard.web.not_found import NOT_FOUND_PAGE, match
from dashboard.web.render_html import to_html
from metrics.cache import ResultCache, current_version

log = logging.getLogger(__name__)
SITE_NAME = "Service Standards Tracker"
ENTRY = '<div id="react-entry-point">'
PAGES_CONTENT = "_pages_content"
MAX_DESCRIPTION = 300
PAGES = ResultCache(max_entries=64)
TAKEOVER = (Path(__file__).with_name("takeover.js")).read_text(encoding="utf-8")
# The Content-Security-Policy allows this one inline script by its hash.
TAKEOVER_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(TAKEOVER.encode()).digest()).decode()}'"


def find_page(
    path: str, registry: Mapping[str, Mapping[str, Any]]
) -> tuple[str, Mapping[str, Any], dict[str, str]]:
    """The page module that answers `path`, with the path's variables (the 404 page if none).
    Pages with fixed paths first, as Dash Pages matches them."""
    fallback: tuple[str, Mapping[str, Any], dict[str, str]] | None = None
    for module, page in registry.items():
        if module.split(".")[-1] == NOT_FOUND_PAGE:
            fallback = (module, page, {})
            continue
        template = page.get("path_template")
        found = match(str(template), path) if template else None
        if template is None and str(page.get("path", "")).strip("/") == path.strip("/"):
            found = {}
        if found is not None:
            return module, page, found
    if fallback is None:
        raise LookupError(f"no page answers {path}")
    return fallback


def query_of(text: str) -> dict[str, str | list[str]]:
    """The query string as Dash Pages passes it to a layout: one value, or a list of them."""
    parsed = parse_qs(text, keep_blank_values=True)
    return {name: values[0] if len(values) == 1 else values for name, values in parsed.items()}


def text_of(node: Any) -> str:
    """The words of a component tree, spaces folded."""
    if isinstance(node, str | int | float) and not isinstance(node, bool):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text_of(child) for child in node)
    if isinstance(node, Component):
        return text_of(getattr(node, "children", None))
    return ""


def first(page: Any, wanted: Callable[[Component], bool]) -> str:
    """The text of the first component in the page that `wanted` accepts, or ''."""
    if not isinstance(page, Component):
        return ""
    for component in (page, *page._traverse()):
        if isinstance(component, Component) and wanted(component):
            return " ".join(text_of(component).split())
    return ""


def is_heading(component: Component) -> bool:
    return component._type == "H1"


def is_finding(component: Component) -> bool:
    classes = str(getattr(component, "className", None) or "").split()
    return component._type == "P" and bool({"lead", "overview-headline"} & set(classes))


def shortened(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def drawn(shell: Component, page: Any) -> str:
    """The whole frame (header, page, footer) as HTML, with the page inside Dash's container."""

    def place_page(component: Component) -> str | None:
        if getattr(component, "id", None) != PAGES_CONTENT:
            return None
        return f'<div id="{PAGES_CONTENT}">{to_html(page)}</div>'

    return to_html(shell, place_page)


@dataclass(frozen=True)
class Drawn:
    """A page drawn on the server: its HTML and the head it calls for."""

    body: str
    title: str
    description: str


def prerendered(shell: Callable[[], Component]) -> Drawn:
    """The current request's page drawn, cached per published warehouse so a busy page is
    drawn once per worker."""
    path, query = flask.request.path, flask.request.query_string.decode("utf-8", "replace")
    key = (path, query)
    version = current_version()
    found, cached = PAGES.get(version, key)
    if found and isinstance(cached, Drawn):
        return cached
    module, page_info, variables = find_page(path, dash.page_registry)
    page = page_content(module, page_info["layout"], {**variables, **query_of(query)})
    heading = first(page, is_heading)
    title = f"{heading} – {SITE_NAME}" if heading else SITE_NAME
    description = shortened(first(page, is_finding) or heading)
    result = Drawn(drawn(shell(), page), title, description)
    if is_failure(page):  # perhaps a passing fault: drawn again next time, kept by no cache
        do_not_store()
    else:
        PAGES.put(version, key, result)
    return result


def set_meta(index: str, name: str, attribute: str, content: str) -> str:
    """The index with one <meta> tag's content replaced (or added)."""
    value = escape.escape(content, quote=True)
    pattern = re.compile(rf'<meta {attribute}="{re.escape(name)}" content="[^"]*"\s*/?>')
    tag = f'<meta {attribute}="{name}" content="{value}">'
    if pattern.search(index):
        return pattern.sub(lambda _: tag, index, count=1)
    return index.replace("</head>", f"{tag}\n</head>", 1)


def with_page(index: str, page: Drawn) -> str:
    """Dash's index with the drawn page before its entry point and the page's own head."""
    title, description = page.title, page.description
    named = f"<title>{escape.escape(title)}</title>"
    index = re.sub(r"<title>[^<]*</title>", lambda _: named, index, count=1)
    for name in ("og:title", "twitter:title"):
        index = set_meta(index, name, "property", title)
    index = set_meta(index, "description", "name", description)
    for name in ("og:description", "twitter:description"):
        index = set_meta(index, name, "property", description)
    canonical = escape.escape(flask.request.url, quote=True)
    index = index.replace("</head>", f'<link rel="canonical" href="{canonical}">\n</head>', 1)
    server = f'<div id="server-rendered" data-server-rendered="true">{page.body}</div>\n'
    return index.replace(ENTRY, f"{server}<script>{TAKEOVER}</script>\n{ENTRY}", 1)


def hook(shell: Callable[[], Component]) -> Callable[[str], str]:
    """Dash's index hook: the index with the page drawn into it (unchanged if that fails,
    so the page still draws in the browser)."""

    def prerender(index: str) -> str:
        if not flask.has_request_context() or flask.request.method != "GET":
            return index
        try:
            return with_page(index, prerendered(shell))
        except Exception:  # the browser still draws the page; the fault is logged
            log.exception("could not draw %s on the server", flask.request.path)
            return index

    return prerender
