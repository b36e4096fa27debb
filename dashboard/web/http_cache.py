"""Headers for shared caches (a CDN, nginx's proxy_cache; deploy/nginx.conf) and browsers.

Every page and download is the same for every reader: its bytes depend only on the published
warehouse, the site's code, today's date (the overdue flags) and the URL (the Host is in the
canonical link, so a shared cache keys on it too). So each GET answer that says nothing of its
own is marked `public, max-age, stale-while-revalidate` (TRACKER_CACHE_MAX_AGE and
TRACKER_CACHE_STALE_SECONDS) and carries a weak ETag that begins with the published warehouse
version: a cache that revalidates after max-age gets a 304 (no page drawn, no query run) until
a new warehouse is published, then the new page. Marked no-store: `/status` and `/healthz`
(the job record changes between publishes), the 503 while figures are rebuilt, and a page
that could not be drawn (its fault may pass). Left as they are: Dash's fingerprinted bundles
and the assets (their own headers), and every POST, Dash's callbacks among them (no shared
cache stores a POST).
"""

from __future__ import annotations

import hashlib

import dash
import flask
import plotly

from dashboard.web.unavailable import STATIC
from metrics import queries
from settings import ROOT, get_settings, today

NO_STORE = ("/status", "/healthz")
READS = ("GET", "HEAD")


def code_version() -> str:
    """A digest of what the site draws with besides the warehouse: its Python, scripts and
    styles, and Dash's and plotly's versions. Replicas running the same release agree on it;
    a new release changes every ETag, so no cache revalidates an old page against new code."""
    digest = hashlib.sha256(f"{dash.__version__}|{plotly.__version__}".encode())
    files = [
        *(ROOT / "dashboard").rglob("*.py"),
        *(ROOT / "metrics").rglob("*.py"),
        *(ROOT / "dashboard" / "web").glob("*.js"),
        *(p for p in (ROOT / "assets").rglob("*") if p.is_file()),
        ROOT / "settings.py",
    ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE = code_version()


def policy() -> str:
    """The Cache-Control of every page and download."""
    s = get_settings()
    return f"public, max-age={s.cache_max_age}, stale-while-revalidate={s.cache_stale_seconds}"


def shared(response: flask.Response) -> flask.Response:
    """Mark a response as one any cache may keep and share, for the configured time."""
    response.headers["Cache-Control"] = policy()
    return response


def tag(version: str) -> str:
    """The current request's validator: the warehouse `version` it was drawn from, then a
    digest of the site's code, today's date, the path and the arguments (in any order)."""
    args = sorted(flask.request.args.items(multi=True))
    key = repr((CODE, today().isoformat(), flask.request.path, args)).encode()
    return f"{version}-{hashlib.sha256(key).hexdigest()[:16]}"


def _ours(request: flask.Request) -> bool:
    """A read of a page, a download, a feed or one of Dash's GETs (its layout and
    dependencies): everything but the static files and the operators' routes."""
    return (
        request.method in READS
        and not request.path.startswith(STATIC)
        and request.path not in NO_STORE
    )


def _not_modified() -> flask.Response | None:
    """304 before any view runs when the reader's ETag is the current one."""
    request = flask.request
    if not request.if_none_match or request.if_none_match.star_tag or not _ours(request):
        return None  # `*` is left to each view, which knows whether its page exists
    version = queries.warehouse_version()
    etag = tag(version)
    if not request.if_none_match.contains_weak(etag):
        return None
    response = shared(flask.Response(status=304))
    response.set_etag(etag, weak=True)
    response.headers["X-Warehouse-Version"] = version
    response.vary.add("Accept-Encoding")
    return response


def do_not_store() -> None:
    """Keep the current answer out of every cache (a page that could not be drawn: its
    fault may pass, and a validator would keep it until the next publication)."""
    flask.g.do_not_store = True


def _mark(response: flask.Response) -> flask.Response:
    """The shared policy and the version's ETag on a 200 that says nothing of its own."""
    if flask.g.pop("do_not_store", False):
        response.headers["Cache-Control"] = "no-store"
        return response
    if response.status_code != 200 or not _ours(flask.request):
        return response
    if "Cache-Control" not in response.headers:
        shared(response)
    if response.cache_control.public and response.get_etag()[0] is None:
        version = queries.warehouse_version()
        response.set_etag(tag(version), weak=True)
        response.headers.setdefault("X-Warehouse-Version", version)
    response.vary.add("Accept-Encoding")  # gzipped or not, by what the reader accepts
    return response


def register(server: flask.Flask) -> None:
    """Answer matching validators with 304 first; mark every other read on its way out."""
    server.before_request(_not_modified)
    server.after_request(_mark)
