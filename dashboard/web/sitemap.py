"""`/robots.txt` and `/sitemap.xml`: search engines find every area, organisation and standard.

The site map lists each area's league, each organisation's page and each of its standards'
pages, with the date of the latest figures each shows; downloads and Dash's own routes are
left out of crawling (every figure in them is on a page).
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import flask

from metrics import queries

PAGES = ("/", "/compare", "/methodology", "/data")
NOT_CRAWLED = ("/download/", "/_dash-", "/api/")


def robots() -> flask.Response:
    """Crawl the pages; not the downloads or Dash's callbacks."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in NOT_CRAWLED)]
    lines.append(f"Sitemap: {flask.request.host_url}sitemap.xml")
    return flask.Response("\n".join(lines) + "\n", mimetype="text/plain")


def entry(base: str, path: str, modified: dt.date | None = None) -> str:
    changed = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
    return f"<url><loc>{escape(base + path)}</loc>{changed}</url>"


def urls(base: str) -> list[str]:
    """Every page worth finding: fixed pages, each area, organisation and standard."""
    found = [entry(base, path) for path in PAGES]
    for area in queries.jurisdictions().iter_rows(named=True):
        found.append(entry(base, f"/?jurisdiction={area['slug']}", area["last_month"]))
    series = queries.page_index()
    for slug, rows in series.group_by("org_slug", maintain_order=True):
        latest = rows["last_period"].max()
        found.append(entry(base, f"/department/{slug[0]}", latest))  # type: ignore[arg-type]
        found.extend(
            entry(base, f"/department/{slug[0]}/{row['series']}", row["last_period"])
            for row in rows.iter_rows(named=True)
        )
    return found


def sitemap() -> flask.Response:
    """The sitemaps.org XML of every page."""
    base = flask.request.host_url.rstrip("/")
    body = "".join(urls(base))
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
    )
    return flask.Response(xml, mimetype="application/xml")


def register(server: flask.Flask) -> None:
    server.add_url_rule("/robots.txt", "robots", robots)
    server.add_url_rule("/sitemap.xml", "sitemap", sitemap)
