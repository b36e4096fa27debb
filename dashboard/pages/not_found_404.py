"""Any address that is no page of the site (the server answers it with HTTP 404)."""

from __future__ import annotations

import dash
from dash import html

from dashboard.pages._not_found import not_found

dash.register_page(__name__, title="Page not found – Service Standards Tracker")


def layout(**_unknown: str) -> html.Div:
    """The message, a search box and the way to the overview."""
    return not_found(
        "Page not found",
        "There is no page at this address. It may have been mistyped, or the page moved.",
    )
