"""Dash's scripts loaded when the reader first does something with the page, not as it loads.

A page arrives complete: the server draws it (dashboard/web/prerender.py), its links and GET
forms work without scripts. Dash's own start-up (its polyfill, React, the renderer and the
component bundles: about 300 kB compressed) then held a phone's main thread for seconds
before the reader could do anything, to draw the same page again. This index hook takes
Dash's <script src> tags and its renderer's start out of the index, lists the scripts in a
JSON block, and adds `loader.js` (inline, allowed by its hash), which loads them in order and
starts the renderer on the reader's first touch, click, key, scroll or mouse movement;
`takeover.js` then hands the page to Dash's drawing. Pages the server could not draw keep
Dash's scripts as they were, so they still draw in the browser.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

LOADER = Path(__file__).with_name("loader.js").read_text(encoding="utf-8")
# The Content-Security-Policy allows this one inline script by its hash.
LOADER_HASH = f"'sha256-{base64.b64encode(hashlib.sha256(LOADER.encode()).digest()).decode()}'"
SERVER_COPY = '<div id="server-rendered"'
SCRIPT = re.compile(r'<script src="(/_dash-component-suites/[^"]+)"></script>\s*')
RENDERER = re.compile(r'<script id="_dash-renderer"[^>]*>[^<]*</script>')


def on_first_use(index: str) -> str:
    """The index with Dash's scripts loaded by `loader.js` (unchanged without a server copy,
    or if Dash's index no longer has the shape this expects)."""
    renderer = RENDERER.search(index)
    urls = SCRIPT.findall(index)
    if SERVER_COPY not in index or renderer is None or not urls:
        return index
    listed = json.dumps(urls).replace("</", "<\\/")
    # Dash checks each index it serves for its renderer's script (a src naming dash-renderer,
    # an element whose id begins `_dash-renderer`, the words `new DashRenderer`): the list
    # names the renderer's script in an attribute, and loader.js starts it.
    named = next((url for url in urls if "dash-renderer" in url), "")
    loader = (
        f'<script type="application/json" id="_dash-renderer-scripts" '
        f'data-renderer-src="{html.escape(named, quote=True)}">{listed}</script>\n'
        f"<script>{LOADER}</script>"
    )
    index = RENDERER.sub(lambda _: loader, index, count=1)
    return SCRIPT.sub("", index)
