"""The Dash shell: header, main landmark, footer and the pages; `server` is for gunicorn."""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, Input, Output, clientside_callback, html

from dashboard.api import chart_files, downloads, feeds
from dashboard.ui.citation import cite_pages
from dashboard.ui.footer import footer
from dashboard.ui.text import aria
from dashboard.web import (
    callback_cache,
    deferred,
    http_cache,
    limits,
    not_found,
    plotly_bundle,
    prerender,
    renamed,
    security,
    sitemap,
    status,
    unavailable,
)
from dashboard.web.compression import compressing_server
from dashboard.web.guard import guard_pages
from dashboard.web.titles import name_the_view

HERE = Path(__file__).resolve().parent
SITE_NAME = "Service Standards Tracker"


def shell() -> html.Div:
    """The frame around every page; built per request, so the footer is never stale."""
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="skip-link"),
            html.Header(
                html.Div(
                    [
                        html.A(SITE_NAME, href="/", className="header-name"),
                        html.P(
                            "Did public services meet their published standards?",
                            className="header-strap",
                        ),
                        html.Nav(
                            html.Ul(
                                [
                                    html.Li(html.A("All areas", href="/")),
                                    html.Li(html.A("Compare", href="/compare")),
                                    html.Li(html.A("How we judge", href="/methodology")),
                                    html.Li(html.A("Data", href="/data")),
                                ],
                                className="header-links",
                            ),
                            **aria(label="Site"),
                        ),
                    ],
                    className="width-container",
                ),
                className="header",
            ),
            html.Main(
                dash.page_container,
                id="main-content",
                className="width-container main",
                tabIndex=-1,
            ),
            footer(),
            html.Div(id="title-sync", hidden=True),
        ]
    )


# Dash Pages sets the tab's title to the page's registered one ('League table – …') once it
# draws a page; the served HTML named the view from its heading (dashboard/web/prerender.py).
# This names it again the same way once the page is drawn, so the title a screen reader
# announces and a bookmark keeps stays 'Which organisations met their standards? NHS England…'.
clientside_callback(
    """function(data) {
        const name = () => {
            const h1 = document.querySelector("#_pages_content h1");
            if (h1) { document.title = h1.textContent.trim() + " – SITE"; }
        };
        window.requestAnimationFrame(() => window.setTimeout(name, 0));
        return window.dash_clientside.no_update;
    }""".replace("SITE", SITE_NAME),
    Output("title-sync", "children"),
    Input("_pages_store", "data"),
)


# Dash's default page, with the language declared and without its `<footer>` around the
# scripts, which would be a second contentinfo landmark beside the site footer.
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""

app = Dash(
    __name__,
    server=compressing_server(__name__),  # type: ignore[arg-type]  # documented; mistyped
    compress=True,
    use_pages=True,
    pages_folder=str(HERE / "pages"),
    assets_folder=str(HERE.parent / "assets"),
    title=SITE_NAME,
    update_title="",
    serve_locally=True,
    index_string=INDEX,
)
app.layout = shell
cite_pages(dash.page_registry, skip=not_found.NOT_FOUND_PAGE)
guard_pages(dash.page_registry)
dash.hooks.index()(prerender.hook(shell))
dash.hooks.index()(deferred.on_first_use)
dash.hooks.index()(name_the_view)
server = app.server
limits.register(app)
unavailable.register(server)
downloads.register(server)
feeds.register(server)
chart_files.register(server)
sitemap.register(server)
status.register(server, shell)
plotly_bundle.register(server)
callback_cache.register(server)
http_cache.register(server)
security.register(app)
renamed.register(app)
not_found.register(app, dash.page_registry)
