"""How the real server sends its pages and scripts: compressed, cached, titled."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

import dash
import plotly
import pytest
from dash.fingerprint import build_fingerprint
from plotly.offline import get_plotlyjs_version

from dashboard.web import plotly_bundle
from settings import ROOT

YEAR = 365 * 24 * 3600
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def get(
    url: str, encoding: str = "gzip, deflate, br, zstd", etag: str | None = None
) -> tuple[dict[str, str], bytes]:
    headers = {"Accept-Encoding": encoding, **({"If-None-Match": etag} if etag else {})}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:  # the test server
        return dict(response.headers), response.read()


def max_age(headers: dict[str, str]) -> int:
    found = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
    return int(found[1]) if found else 0


def test_plotly_bundle_is_gzipped_and_cached_for_a_year(site: str) -> None:
    path = build_fingerprint(
        "package_data/plotly.min.js", plotly.__version__, int(os.stat(PLOTLY_JS).st_mtime)
    )
    url = f"{site}/_dash-component-suites/plotly/{path}"
    for _ in range(3):  # both workers, and a cached copy: each the same bytes
        headers, body = get(url)
        assert headers["Content-Encoding"] == "gzip"
        assert max_age(headers) >= YEAR
        assert int(headers["Content-Length"]) == len(body) < PLOTLY_JS.stat().st_size / 2
        assert gzip.decompress(body) == PLOTLY_JS.read_bytes()
    headers, body = get(url, encoding="identity")  # a client that cannot gunzip
    assert "Content-Encoding" not in headers and body == PLOTLY_JS.read_bytes()


def test_charts_load_plotlys_basic_bundle_gzipped(site: str) -> None:
    """dash-renderer loads plotly.js from one URL without a fingerprint; the site answers it
    with plotly.js's basic bundle (dashboard/web/plotly_bundle.py) at the version the Python
    plotly package ships: 0.40 MB gzipped where the full bundle is 1.47 MB. Like Dash's own
    answer there, it carries an ETag, and a browser holding it gets a 304 and no body."""
    renderer = Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.min.js"
    assert plotly_bundle.PLOTLY_URL.lstrip("/") in renderer.read_text()  # where it loads from
    basic = plotly_bundle.BUNDLE.read_bytes()
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}\n" in basic[:100].decode()
    for _ in range(3):  # both workers, and a cached copy
        headers, body = get(site + plotly_bundle.PLOTLY_URL)
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == basic
        assert int(headers["Content-Length"]) == len(body) < 450_000
    assert len(gzip.compress(PLOTLY_JS.read_bytes(), 6)) > 3 * len(body)
    with pytest.raises(urllib.error.HTTPError) as revalidated:
        get(site + plotly_bundle.PLOTLY_URL, etag=headers["ETag"])
    assert revalidated.value.code == 304 and revalidated.value.read() == b""


def test_every_script_of_a_page_is_fingerprinted_and_cached_for_a_year(site: str) -> None:
    _, html = get(f"{site}/", encoding="identity")
    # Dash's scripts are listed for the loader that fetches them on the reader's first action
    # (dashboard/web/deferred.py), not as <script src> tags.
    listed = re.search(r'<script type="application/json" id="_dash-renderer-scripts"[^>]*>'
                       r"([^<]*)</script>", html.decode())  # fmt: skip
    assert listed is not None
    scripts = json.loads(listed[1])
    assert len(scripts) >= 5
    assert not re.findall(r'<script src="([^"]+)"', html.decode())
    for src in scripts:
        assert re.search(r"\.v[\w]+m\d+\.", src), src
        headers, _ = get(site + src)
        assert max_age(headers) >= YEAR, src
        assert headers["Content-Encoding"] == "gzip", src


def test_pages_are_gzipped_but_downloads_still_stream(site: str) -> None:
    headers, body = get(f"{site}/")
    assert headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    assert "Accept-Encoding" in headers["Vary"]
    headers, _ = get(f"{site}/download/records.csv?jurisdiction=boston")
    assert "Content-Encoding" not in headers


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/", ["Did public services meet their published standards?"]),
        ("/?jurisdiction=nhs-england&month=2025-06", ["NHS England", "June 2025"]),
        ("/methodology", ["How we judge"]),
        (
            "/department/boston-public-works-department?month=2015-07",
            ["Public Works Department", "July 2015"],
        ),
        ("/compare?orgs=boston-property-management", ["Compare organisations", "Boston"]),
    ],
)
def test_the_served_title_names_the_view_before_scripts_run(
    site: str, path: str, words: list[str]
) -> None:
    _, html = get(site + path, encoding="identity")
    titles = re.findall(r"<title>([^<]*)</title>", html.decode())
    assert len(titles) == 1 and titles[0].endswith(" – Service Standards Tracker")
    for word in words:
        assert word in titles[0]


SHARED = "public, max-age=300, stale-while-revalidate=60"  # settings.py's two defaults


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/department/boston-public-works-department?month=2015-07",
        "/_dash-layout",
        "/_dash-dependencies",
        "/download/league.csv?jurisdiction=boston&month=2015-07",
        "/feed/boston.atom",
    ],
)
def test_pages_and_downloads_are_shared_and_validated_by_warehouse_version(
    site: str, path: str
) -> None:
    """Any cache may keep them (deploy/nginx.conf; tests/test_proxy.py runs it); the ETag
    begins with the published version, and a reader holding it gets a 304 and no body."""
    headers, _ = get(site + path)
    version = headers["X-Warehouse-Version"]
    assert headers["Cache-Control"] == SHARED
    assert "Accept-Encoding" in headers["Vary"]
    assert headers["ETag"].startswith(f'W/"{version}-')
    with pytest.raises(urllib.error.HTTPError) as revalidated:
        get(site + path, etag=headers["ETag"])
    assert revalidated.value.code == 304 and revalidated.value.read() == b""
    assert revalidated.value.headers["ETag"] == headers["ETag"]
    assert "Accept-Encoding" in revalidated.value.headers["Vary"]
    other, _ = get(site + path, etag=f'W/"{version}-0000000000000000"')  # another view
    assert other["ETag"] == headers["ETag"]


def test_each_view_has_its_own_validator(site: str) -> None:
    march, _ = get(f"{site}/?jurisdiction=boston&month=2015-03")
    july, _ = get(f"{site}/?month=2015-07&jurisdiction=boston")
    same, _ = get(f"{site}/?jurisdiction=boston&month=2015-07")  # arguments in any order
    assert march["ETag"] != july["ETag"] == same["ETag"]


@pytest.mark.parametrize("path", ["/status", "/healthz"])
def test_operators_pages_are_never_stored(site: str, path: str) -> None:
    headers, _ = get(site + path)
    assert headers["Cache-Control"] == "no-store" and "ETag" not in headers
    with urllib.request.urlopen(  # a validator never turns them into a 304
        urllib.request.Request(site + path, headers={"If-None-Match": "*"}), timeout=30
    ) as response:
        assert response.status == 200


def test_dash_callbacks_are_not_marked_for_a_shared_cache(site: str) -> None:
    """POSTs are never stored by a shared cache; nothing here tells one otherwise. The body
    is the one Chromium sends to draw the league page (built as bench_site.py builds it)."""
    script = ROOT / "benchmarks" / "bench_site.py"
    spec = importlib.util.spec_from_file_location("bench_site", script)
    assert spec is not None and spec.loader is not None
    bench = sys.modules.setdefault("bench_site", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(bench)  # registered first: its dataclasses look themselves up
    body = bench.callback_body(int(site.rsplit(":", 1)[1]), "/", "")
    request = urllib.request.Request(
        f"{site}/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and b"_pages_content" in response.read()
        assert "public" not in response.headers.get("Cache-Control", "")
        assert "ETag" not in response.headers
