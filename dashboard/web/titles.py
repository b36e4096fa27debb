"""The served HTML's <title> names the view before any script runs.

Dash Pages computes each page's title (for its og:title tag) when it serves the HTML, but
writes the app's fixed title into <title>; this index hook copies the page's title across.
"""

from __future__ import annotations

import re

OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)"')
TITLE = re.compile(r"<title>[^<]*</title>")


def name_the_view(index: str) -> str:
    """The index HTML with <title> set to the page's own (already escaped) title."""
    found = OG_TITLE.search(index)
    if not found:
        return index
    return TITLE.sub(lambda _: f"<title>{found[1]}</title>", index, count=1)
