"""What every 'not found' page shows: what is missing, a search box and the way to the overview."""

from __future__ import annotations

from dash import html

from dashboard.pages._search import search_form


def not_found(heading: str, message: str, *more: html.A) -> html.Div:
    """A heading, a plain sentence, any nearer way back, a search box and the overview link."""
    ways = [html.Li(link) for link in more]
    ways.append(html.Li(html.A("Go to the home page", href="/")))
    return html.Div(
        [
            html.H1(heading),
            html.P(message),
            html.Ul(ways),
            search_form("", {}),
        ]
    )
