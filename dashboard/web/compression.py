"""gzip for every text response; Dash's fixed JavaScript bundles are compressed only once.

Dash (compress=True) hands compression to flask-compress. Its cache is used for the
component bundles alone (plotly.min.js is 4.8 MB: about 0.2 s of CPU to gzip), keyed by the
bundle's path without its fingerprint, so no URL a client makes up can grow the cache.
"""

from __future__ import annotations

import threading

import flask
from dash.fingerprint import check_fingerprint

BUNDLES = "/_dash-component-suites/"
MAX_BUNDLES = 64


def bundle_key(request: flask.Request) -> str:
    """The cache key of a response: a bundle's package path and the view that answers it
    (plotly's path has two: Dash's, with a fingerprint, gives plotly's full bundle, and
    dashboard/web/plotly_bundle.py's, without, the basic one), or '' for anything else."""
    if not request.path.startswith(BUNDLES):
        return ""
    return f"{check_fingerprint(request.path)[0]}#{request.endpoint}"


class BundleCache:
    """flask-compress's cache backend, storing compressed component bundles only."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        return self._store.get(key)

    def set(self, key: str, value: bytes) -> None:
        algorithm, _, path = key.partition(";")
        if path.startswith(BUNDLES) and algorithm:
            with self._lock:
                if key in self._store or len(self._store) < MAX_BUNDLES:
                    self._store[key] = value


def compressing_server(name: str) -> flask.Flask:
    """A Flask server configured for Dash(compress=True): gzip (what every browser accepts,
    on plain http too); streamed downloads are left as they are, so they keep streaming."""
    server = flask.Flask(name)
    server.config.update(
        COMPRESS_ALGORITHM=["gzip"],
        COMPRESS_STREAMS=False,
        COMPRESS_CACHE_BACKEND=BundleCache,
        COMPRESS_CACHE_KEY=bundle_key,
    )
    return server
