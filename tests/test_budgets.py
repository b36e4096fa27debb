"""A performance budget: what a first visit to each watched page transfers, compressed.

Each page of dashboard/web/budgets.py is opened in real headless Chromium (an empty cache, a
375 px phone-width window) from real gunicorn, touched once (Dash's scripts load on a reader's
first action, dashboard/web/deferred.py) and left to draw everything: Dash's drawing has taken
over from the server's copy and every chart is drawn (so plotly.js has arrived).
The page's transfer is the sum over every response of its headers and its body as sent
(gzip), as Chromium's network layer counts them.

How the budgets were set: measured this way on 5 December 2026, after the charts moved to
plotly.js's basic bundle: `/` 309 kB, the NHS England league 743 kB, the Boston department
722 kB, the NHS standard page 714 kB, `/compare` 311 kB (before that move the three charted
pages were 1,790-1,819 kB, 1,473 kB of it plotly.js). Each budget is its figure plus about
10% (30-80 kB), rounded up to 10 kB: room for small changes to the page, none for another
script on every page or plotly's full bundle.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Request, expect
from plotly.offline import get_plotlyjs_version

from dashboard.web.budgets import PAGES, Page
from dashboard.web.plotly_bundle import BUNDLE, PACKAGE, PLOTLY_URL
from settings import ROOT
from tests.browser import chromium
from tests.helpers import fetch

INSTALLED = ROOT / "dashboard" / "web" / "js" / "node_modules" / "plotly.js-basic-dist-min"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reader_browser() -> Iterator[Browser]:
    """Chromium showing pages as a reader gets them, the server's copy first."""
    with chromium(server_copy=True) as b:
        yield b


def transfer(browser: Browser, url: str, page_spec: Page) -> tuple[int, list[str]]:
    """Bytes a first visit transferred (headers and bodies as sent) and the URLs fetched."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    finished: list[Request] = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        page.goto(url, wait_until="networkidle")
        # the server's copy alone until the reader acts: no Dash script has been fetched
        assert not any("/_dash-component-suites/" in r.url for r in finished)
        page.keyboard.press("Shift")
        expect(page.locator("#server-rendered")).to_have_count(0, timeout=60_000)  # Dash took over
        charts = page.locator("#react-entry-point .chart-image")
        expect(charts).to_have_count(page_spec.charts)
        drawn = page.locator("#react-entry-point .chart-image:has(.main-svg)")
        expect(drawn).to_have_count(page_spec.charts, timeout=60_000)
        page.wait_for_load_state("networkidle")
        sizes = [r.sizes() for r in finished]
        total = sum(s["responseHeadersSize"] + s["responseBodySize"] for s in sizes)
        return total, [r.url for r in finished]
    finally:
        context.close()


@pytest.mark.parametrize("watched", PAGES, ids=[p.name for p in PAGES])
def test_each_page_transfers_within_its_budget(
    reader_browser: Browser, site: str, watched: Page
) -> None:
    total, urls = transfer(reader_browser, site + watched.path, watched)
    # plotly.js is fetched where, and only where, a chart is drawn
    assert any(u.endswith(PLOTLY_URL) for u in urls) == (watched.charts > 0), urls
    assert total <= watched.budget, (
        f"{watched.name} ({watched.path}) transferred {total:,} bytes compressed; "
        f"its budget is {watched.budget:,} (dashboard/web/budgets.py)"
    )
    # and the figure is a real page load: at least the page, its scripts and its CSS
    assert total > 250_000 and len(urls) >= 10, (total, urls)


def test_a_deploy_without_npm_serves_the_basic_bundle(site: str) -> None:
    """The Procfile's deploy runs pip, not npm: the basic bundle the site serves is a file of
    the repository (a checkout has it), not of node_modules, and it is what the site serves
    at plotly's URL; the budgets above hold only with it (the full bundle is 1.47 MB)."""
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(BUNDLE.relative_to(ROOT))],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert tracked.returncode == 0, tracked.stderr
    assert "node_modules" not in BUNDLE.parts
    status, headers, body = fetch(site + PLOTLY_URL)
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert body == BUNDLE.read_bytes()
    assert len(gzip.compress(body)) < 450_000
    # the version plotly's figures are written for, and the file its provenance names
    assert json.loads((PACKAGE / "package.json").read_text())["version"] == get_plotlyjs_version()
    readme = (PACKAGE / "README.md").read_text()
    recorded = re.search(r"sha256\s+`([0-9a-f]{64})`", readme)
    assert recorded is not None and hashlib.sha256(body).hexdigest() == recorded[1]
    assert "MIT" in (PACKAGE / "LICENSE").read_text()


def test_the_served_copy_is_the_pinned_npm_package_unchanged() -> None:
    """The copy in the repository is byte for byte the package `make site-js` installs as
    dashboard/web/js/package-lock.json pins it (npm checks the tarball's sha512)."""
    if not INSTALLED.exists():
        pytest.skip("the pinned package is not installed (`make site-js`)")
    for name in ("plotly-basic.min.js", "LICENSE", "package.json"):
        assert (PACKAGE / name).read_bytes() == (INSTALLED / name).read_bytes(), name
