"""Beside each chart: links to it as PNG and SVG, and the code to embed it elsewhere.

A chart's address is its page's path and the page's parameters (`dashboard/api/chart_views.py`
names the scheme); the league page (`/`) is named `league`.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import flask
from dash import html

LEAGUE = "league"
DEPARTMENT = "department/"
IMAGE_FORMATS = {"png": "PNG", "svg": "SVG"}
EMBED_SIZE = (960, 640)  # the embed page's chart fills this; the image is drawn 960 wide


@dataclass(frozen=True)
class ChartAddress:
    """A chart's permalink: its page's path (`league`, `department/<slug>/<standard>`) and
    the page's parameters that choose it."""

    path: str
    params: tuple[tuple[str, str], ...] = ()

    def _query(self) -> str:
        return ("?" + urlencode(self.params)) if self.params else ""

    def file(self, fmt: str) -> str:
        """`/chart/league.svg?jurisdiction=boston&month=2015-07`."""
        return f"/chart/{self.path}.{fmt}{self._query()}"

    def embed(self) -> str:
        """The chart-only page an <iframe> shows: `/embed/league?…`."""
        return f"/embed/{self.path}{self._query()}"

    def page(self) -> str:
        """The page the chart is on."""
        return ("/" if self.path == LEAGUE else f"/{self.path}") + self._query()


def league_address(params: Mapping[str, str | None]) -> ChartAddress:
    """The funnel's address for a league view's parameters (empty ones left out)."""
    return ChartAddress(LEAGUE, tuple((k, v) for k, v in params.items() if v))


def series_address(slug: str, key: str) -> ChartAddress:
    """The SPC chart's address of one series of an organisation."""
    return ChartAddress(f"{DEPARTMENT}{slug}/{key}")


def site_root() -> str:
    """This site's address as the reader reached it ('' outside a request)."""
    return flask.request.host_url.rstrip("/") if flask.has_request_context() else ""


def embed_code(address: ChartAddress, title: str) -> str:
    """The <iframe> a reader pastes into their own page."""
    width, height = EMBED_SIZE
    return (
        f'<iframe src="{_attr(site_root() + address.embed())}" title="{_attr(title)}" '
        f'width="{width}" height="{height}" style="border:0;max-width:100%" loading="lazy">'
        "</iframe>"
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def chart_links(address: ChartAddress, title: str) -> html.Div:
    """'Download this chart: PNG, SVG', and the embed code in a read-only box to copy."""
    links: list[str | html.A] = ["Download this chart: "]
    for fmt, label in IMAGE_FORMATS.items():
        if len(links) > 1:
            links.append(", ")
        links.append(
            html.A(label, href=address.file(fmt), download="", className="chart-file-link",
                   title=f"Download this chart as {label}")
        )  # fmt: skip
    box = f"embed-{zlib.crc32(address.embed().encode()):08x}"  # the same in every worker
    return html.Div(
        [
            html.P(links, className="download chart-download"),
            html.Details(
                [
                    html.Summary("Embed this chart"),
                    html.Label("Code to paste into your page", htmlFor=box),
                    html.Textarea(
                        embed_code(address, title),
                        id=box,
                        readOnly="readOnly",
                        rows=3,
                        className="embed-code",
                        spellCheck="false",
                    ),
                ],
                className="chart-embed",
            ),
        ],
        className="chart-files",
    )
