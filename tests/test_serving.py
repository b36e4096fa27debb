"""How the real server sends its pages and scripts: compressed, cached, titled."""

from __future__ import annotations

import gzip
import os
import re
import urllib.request
from pathlib import Path

import plotly
import pytest
from dash.fingerprint import build_fingerprint

YEAR = 365 * 24 * 3600
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def get(url: str, encoding: str = "gzip, deflate, br, zstd") -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
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


def test_every_script_of_a_page_is_fingerprinted_and_cached_for_a_year(site: str) -> None:
    _, html = get(f"{site}/", encoding="identity")
    scripts = re.findall(r'<script src="([^"]+)"', html.decode())
    assert len(scripts) >= 5
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
