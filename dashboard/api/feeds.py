"""Atom feeds: `/feed/<area>.atom` and `/feed/department/<slug>.atom`, an entry a period."""

from __future__ import annotations

from xml.sax.saxutils import escape

import flask

from dashboard.web.http_cache import shared
from metrics import feeds, queries
from metrics.reader import WarehouseMissing, reader

ATOM = "application/atom+xml; charset=utf-8"
TAG = "tag:service-standards-tracker,2026:"


def _entry(entry: feeds.Entry, base: str) -> str:
    link = escape(base + entry.path, {'"': "&quot;"})
    return (
        f"<entry><id>{TAG}{escape(entry.key)}</id><title>{escape(entry.title)}</title>"
        f'<link rel="alternate" type="text/html" href="{link}"/>'
        f"<updated>{entry.updated.isoformat()}</updated>"
        f'<summary type="text">{escape(entry.summary)}</summary></entry>'
    )


def atom(key: str, title: str, path: str, entries: list[feeds.Entry]) -> flask.Response:
    """A valid Atom 1.0 document of the entries, newest first."""
    base = flask.request.host_url.rstrip("/")
    updated = max((e.updated for e in entries), default=None)
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{TAG}{escape(key)}</id><title>{escape(title)}</title>"
        f'<link rel="self" href="{escape(base + flask.request.path)}"/>'
        f'<link rel="alternate" type="text/html" href="{escape(base + path)}"/>'
        f"<updated>{(updated.isoformat() if updated else '1970-01-01T00:00:00+00:00')}</updated>"
        "<author><name>Service Standards Tracker</name></author>"
        + "".join(_entry(e, base) for e in entries)
        + "</feed>"
    )
    response = flask.Response(body, mimetype="application/atom+xml")
    response.headers["Content-Type"] = ATOM
    shared(response)
    return response


def _missing(what: str) -> flask.Response:
    return flask.Response(f"No such feed: {what}.\n", status=404, mimetype="text/plain")


def area_feed(area: str) -> flask.Response:
    """New figures for every organisation of an area."""
    try:
        con = reader().connection()
    except WarehouseMissing:
        return flask.Response("No figures have been published yet.\n", 503, mimetype="text/plain")
    areas = queries.jurisdictions(con)
    if area not in list(areas["slug"]):
        return _missing(f"no area {area!r}; areas are {', '.join(areas['slug'])}")
    name = str(areas.filter(areas["slug"] == area)["jurisdiction"][0])
    entries = feeds.area_entries(area, con)
    return atom(area, f"{name}: did services meet their standards?", f"/?jurisdiction={area}",
                entries)  # fmt: skip


def organisation_feed(slug: str) -> flask.Response:
    """New figures for one organisation."""
    try:
        con = reader().connection()
    except WarehouseMissing:
        return flask.Response("No figures have been published yet.\n", 503, mimetype="text/plain")
    found = queries.organisation(slug, con)
    if found is None:
        return _missing(f"no organisation {slug!r}")
    entries = feeds.organisation_entries(slug, con)
    return atom(f"department/{slug}", f"{found['organisation']}: did it meet its standards?",
                f"/department/{slug}", entries)  # fmt: skip


def register(server: flask.Flask) -> None:
    """Add the feed routes to the Flask server under Dash."""
    server.add_url_rule("/feed/department/<slug>.atom", "organisation_feed", organisation_feed)
    server.add_url_rule("/feed/<area>.atom", "area_feed", area_feed)
