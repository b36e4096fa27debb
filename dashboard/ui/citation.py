"""Who published the figures a view shows, and under which licence: for a chart's source line
and the 'Cite or share this view' block."""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import quote, urlencode

from dash import html
from dash.development.base_component import Component

from dashboard.ui.chart_links import site_root
from dashboard.web.params import settling
from metrics import queries
from metrics.datasets import choices
from metrics.reader import reader
from settings import today

SITE_NAME = "Service Standards Tracker"


def sources_of(
    jurisdiction: str | None = None, standard_id: str | None = None
) -> list[dict[str, Any]]:
    """The sources behind a view: the standard's own where it names one, else its area's,
    else every source."""
    sources = queries.sources()
    if standard_id:
        standards = queries.standards()
        ids = set(standards.filter(standards["standard_id"] == standard_id)["source_id"])
        if ids:
            return list(sources.filter(sources["source_id"].is_in(ids)).iter_rows(named=True))
    if jurisdiction:
        sources = sources.filter(sources["jurisdiction"] == jurisdiction)
    return list(sources.iter_rows(named=True))


def source_line(sources: list[dict[str, Any]]) -> str:
    """'NHS England, NHS England A&E attendances …; Service Standards Tracker' (no repeats)."""
    named = dict.fromkeys(f"{s['publisher']}, {s['title']}" for s in sources)
    return "; ".join([*named, SITE_NAME])


def _text(children: Any) -> str:
    """The words of a component's children (strings, components, lists of them)."""
    if children is None:
        return ""
    if isinstance(children, str | int | float):
        return str(children)
    if isinstance(children, list | tuple):
        return "".join(_text(c) for c in children)
    return _text(getattr(children, "children", None))


def page_title(layout: Any, fallback: str) -> str:
    """The page's own heading (its first <h1>), else the registered title."""
    if isinstance(layout, Component):
        for part in (layout, *layout._traverse()):
            if isinstance(part, html.H1):
                return _text(part.children).strip() or fallback
    return fallback


def permalink(template: str, query: Mapping[str, Any]) -> str:
    """The page's address from its path template and the values Dash Pages passed its layout:
    path variables fill the template, the rest is the query string (in the order given)."""
    names = set(re.findall(r"<(\w+)>", template))
    path = re.sub(r"<(\w+)>", lambda m: quote(str(query.get(m[1], "")), safe=""), template)
    pairs = [
        (k, str(v))
        for k, values in query.items()
        if k not in names
        for v in (values if isinstance(values, list | tuple) else [values])
        if v not in (None, "")
    ]
    return path + ("?" + urlencode(pairs, safe=",:") if pairs else "")


def area_of(query: Mapping[str, Any]) -> str | None:
    """The area a view shows: its `jurisdiction`, or its organisation's (first, on /compare)."""
    asked = query.get("jurisdiction")
    if isinstance(asked, str) and asked:
        areas = queries.jurisdictions()
        found = areas.filter(areas["slug"] == asked)["jurisdiction"]
        return str(found[0]) if found.len() else None
    orgs = query.get("slug") or query.get("orgs")
    first = str(orgs[0] if isinstance(orgs, list | tuple) else orgs or "").split(",")[0]
    org = queries.organisation(first) if first else None
    return org["jurisdiction"] if org else None


def citation(title: str, url: str, sources: list[dict[str, Any]]) -> str:
    """The view as a reference to paste: title, site, address, data version and date, and
    each source's publisher and licence."""
    version = queries.warehouse_version()
    published = choices.published_at(reader().connection())
    when = f", published {published:%-d %B %Y}" if published else ""
    credits = "; ".join(
        dict.fromkeys(f"{s['publisher']}, {s['title']} ({s['licence']})" for s in sources)
    )
    end = "" if title.endswith(("?", "!", ".")) else "."
    return (
        f"{title}{end} {SITE_NAME}. {url} (data version {version}{when}). "
        f"Source: {credits}. Accessed {today():%-d %B %Y}."
    )


def cite_block(title: str, url: str, sources: list[dict[str, Any]]) -> html.Details:
    """'Cite or share this view': the permalink, and the reference as plain text to copy."""
    box = f"cite-{zlib.crc32(url.encode()):08x}"
    return html.Details(
        [
            html.Summary("Cite or share this view"),
            html.P(["Permalink: ", html.A(url, href=url, className="permalink")]),
            html.Label("Reference to copy", htmlFor=box),
            html.Textarea(
                citation(title, url, sources),
                id=box,
                readOnly="readOnly",
                rows=4,
                className="cite-text",
                spellCheck="false",
            ),
            html.P(
                [
                    "Licences: ",
                    *_licence_links(sources),
                    ". Follow new figures: ",
                    html.A("the data and feeds", href="/data"),
                    ".",
                ],
                className="hint",
            ),
        ],
        className="cite-view",
    )


def _licence_links(sources: list[dict[str, Any]]) -> list[str | html.A]:
    links: list[str | html.A] = []
    for name, url in dict.fromkeys((s["licence"], s["licence_url"]) for s in sources):
        links += [", "] if links else []
        links.append(html.A(str(name), href=str(url)))
    return links


def cited(page: Mapping[str, Any], layout: Callable[..., Any]) -> Callable[..., Any]:
    """A page's layout followed by its 'Cite or share this view' block, whose permalink names
    the months shown where the address left them implicit (the latest)."""

    @functools.wraps(layout)
    def with_citation(**query: Any) -> Any:
        with settling() as settled:
            content = layout(**query)
        template = str(page.get("path_template") or page.get("path") or "/")
        # The months the page settled on, written in: the link keeps showing these figures.
        url = site_root() + permalink(template, {**query, **settled})
        title = page_title(content, str(page.get("name", SITE_NAME)))
        return html.Div([content, cite_block(title, url, sources_of(area_of(query)))])

    return with_citation


def cite_pages(registry: MutableMapping[str, dict[str, Any]], skip: str) -> None:
    """Give every registered page but `skip` (the not-found page) the block."""
    for module, page in registry.items():
        if callable(page.get("layout")) and not module.endswith(skip):
            page["layout"] = cited(page, page["layout"])
