"""Real headless Chromium (Debian's), driven by Playwright; it never downloads a browser.

Every page arrives drawn twice for a moment: the server's copy (dashboard/web/prerender.py)
and Dash's, which replaces it. The tests of how pages behave drive Dash's drawing, as a reader
does a second later, so the pages they open drop the server's copy as it is parsed;
tests/test_prerender.py tests the server's copy and the hand-over themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling out on a closed network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Removed the moment the parser inserts it, so no query of a test ever finds it (at
# DOMContentLoaded would be too late: the copy's heading could satisfy a wait while Dash's
# scripts load, and the test then read Dash's page before its content arrived). Dash's
# scripts load on a reader's first action (dashboard/web/loader.js); these pages ask for
# them at once.
DASH_ONLY = """window.trackerStartDashNow = true;
new MutationObserver(function (records, observer) {
  var copy = document.getElementById("server-rendered");
  if (copy) { copy.remove(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });"""


class DashDrawn:
    """A Browser whose new pages show only Dash's drawing of each page."""

    def __init__(self, browser: Browser) -> None:
        self._browser = browser

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> BrowserContext:
        context = self._browser.new_context(**options)
        context.add_init_script(DASH_ONLY)
        return context

    def new_page(self, **options: Any) -> Page:
        page = self._browser.new_page(**options)
        page.add_init_script(DASH_ONLY)
        return page


@contextmanager
def chromium(server_copy: bool = False) -> Iterator[Browser]:
    """Chromium; `server_copy` keeps the server's drawing of each page (see above)."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser if server_copy else cast(Browser, DashDrawn(browser))
        finally:
            browser.close()
