"""`/chart/<page path>.<png|svg>?<the page's parameters>`: each chart as an image file, and
`/embed/<page path>?…`: a chart-only page for an <iframe> (`dashboard/api/chart_views.py`
names the paths).

Images are drawn by kaleido in one headless Chromium per web worker (Debian's, at
`TRACKER_BROWSER_PATH`), started on the first image, one image at a time; the bytes are
cached per published warehouse version, so a chart is drawn once per worker per publish.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from html import escape
from typing import Any

import flask
import kaleido
import plotly.graph_objects as go

from dashboard.api.chart_views import ChartView, NoChart, chart_view
from dashboard.ui.chart_links import IMAGE_FORMATS
from dashboard.ui.figures import as_file
from dashboard.web.http_cache import shared
from metrics import queries
from metrics.cache import ResultCache, current_version
from metrics.reader import WarehouseMissing
from settings import get_settings

WIDTH, HEIGHT, PNG_SCALE = 960, 640, 2
MEDIA = {"png": "image/png", "svg": "image/svg+xml"}
START_SECONDS, DRAW_SECONDS, QUEUE_SECONDS = 60, 60, 30
FILES = ResultCache(max_entries=64)  # a funnel's SVG is ~100 kB, its PNG ~150 kB


class Busy(RuntimeError):
    """Every drawing slot stayed taken while this request waited."""


class Renderer:
    """One kaleido (headless Chromium) for this worker, on its own event-loop thread."""

    def __init__(self) -> None:
        self._slot = threading.BoundedSemaphore(1)  # one image at a time per worker
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None

    def _run(self, coroutine: Any, seconds: float) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(seconds)

    def _start(self) -> None:
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True, name="kaleido").start()
        path = str(get_settings().browser_path)
        browser = kaleido.Kaleido(n=1, timeout=DRAW_SECONDS, path=path, mathjax=False)
        self._run(browser.open(), START_SECONDS)
        self._kaleido = browser
        atexit.register(self.stop)

    def stop(self) -> None:
        """Close the browser (at exit, or after a fault, so the next image starts afresh)."""
        browser, loop, self._kaleido, self._loop = self._kaleido, self._loop, None, None
        if loop is None:
            return
        try:
            if browser is not None:
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
        except Exception:
            pass
        loop.call_soon_threadsafe(loop.stop)

    def draw(self, figure: go.Figure, fmt: str) -> bytes:
        """The figure as PNG or SVG bytes."""
        if not self._slot.acquire(timeout=QUEUE_SECONDS):
            raise Busy
        try:
            if self._kaleido is None:
                self._start()
            scale = PNG_SCALE if fmt == "png" else 1
            opts = {"format": fmt, "width": WIDTH, "height": HEIGHT, "scale": scale}
            return bytes(self._run(self._kaleido.calc_fig(figure, opts=opts), DRAW_SECONDS + 5))
        except (Exception, FutureTimeout):
            self.stop()
            raise
        finally:
            self._slot.release()


RENDERER = Renderer()


def image_bytes(view: ChartView, fmt: str) -> bytes:
    """The chart as a file, drawn once per warehouse version (then from the cache)."""
    version, key = current_version(), view.address.file(fmt)
    found, cached = FILES.get(version, key)
    if found and isinstance(cached, bytes):
        return cached
    figure = as_file(view.chart.figure, view.chart.title, view.source, view.period, HEIGHT)
    drawn = RENDERER.draw(figure, fmt)
    FILES.put(version, key, drawn)
    return drawn


def _plain(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain")


def _view(path: str) -> ChartView | flask.Response:
    try:
        return chart_view(path, flask.request.args)
    except NoChart as err:
        return _plain(f"{err} Charts are at /chart/league.<png|svg>?jurisdiction=…&month=… "
                      "and /chart/department/<slug>/<standard>.<png|svg>.", 404)  # fmt: skip
    except WarehouseMissing:
        return _plain("No figures have been published yet.", 503)


def chart_file(path: str, fmt: str) -> flask.Response:
    """One chart as PNG or SVG, with its title, period and source drawn in."""
    if fmt not in IMAGE_FORMATS:
        return _plain("Charts are drawn as .png or .svg.", 404)
    view = _view(path)
    if isinstance(view, flask.Response):
        return view
    try:
        body = image_bytes(view, fmt)
    except Busy:
        response = _plain("Charts are being drawn for other readers; try again shortly.", 503)
        response.headers["Retry-After"] = "10"
        return response
    response = flask.Response(body, mimetype=MEDIA[fmt])
    name = view.address.path.replace("/", "-")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response.headers["X-Warehouse-Version"] = queries.warehouse_version()
    response.headers["Link"] = f'<{view.address.page()}>; rel="canonical"'
    shared(response)
    return response


EMBED_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{margin:0;font:16px/1.4 system-ui,sans-serif;color:#0b0c0c;background:#fff}}
figure{{margin:0}}img{{display:block;width:100%;height:auto}}
figcaption{{padding:4px 8px;font-size:14px}}a{{color:#1d70b8}}
.hidden{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}}</style>
</head><body><main><h1 class="hidden">{title}</h1>
<figure><img src="{image}" alt="{alt}" width="{width}" height="{height}">
<figcaption><a href="{page}" target="_blank" rel="noopener">See the figures in full
on the Service Standards Tracker</a>. {period}. Source: {source}.</figcaption></figure>
</main></body></html>"""


def embed(path: str) -> flask.Response:
    """A chart alone, as an image with its words, for other sites to put in an <iframe>."""
    view = _view(path)
    if isinstance(view, flask.Response):
        return view
    base = flask.request.host_url.rstrip("/")
    alt = view.chart.title + ". " + " ".join(view.chart.summary)
    page = EMBED_PAGE.format(
        title=escape(view.chart.title), image=escape(view.address.file("svg")), alt=escape(alt),
        width=WIDTH, height=HEIGHT, page=escape(base + view.address.page()),
        period=escape(view.period), source=escape(view.source),
    )  # fmt: skip
    response = flask.Response(page, mimetype="text/html")
    shared(response)
    return response


def register(server: flask.Flask) -> None:
    """Add the chart image and embed routes to the Flask server under Dash."""
    server.add_url_rule("/chart/<path:path>.<fmt>", "chart_file", chart_file)
    server.add_url_rule("/embed/<path:path>", "chart_embed", embed)
