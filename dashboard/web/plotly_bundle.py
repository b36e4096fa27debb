"""plotly.js with only the trace types our charts draw, in place of plotly's full bundle.

Dash loads plotly.js on pages with a chart, from the one URL dash-renderer asks for when it
serves its scripts itself (PLOTLY_URL, which Dash answers with the Python plotly package's
full bundle: 4.8 MB, 1.47 MB gzipped). Every chart here is a scatter trace (lines, markers,
text; dashboard/ui/figures.py), so that URL is answered instead with plotly.js's basic bundle
(scatter, bar and pie traces: 1.19 MB, 0.40 MB gzipped), from the npm package
plotly.js-basic-dist-min pinned in dashboard/web/js, whose files are kept in the repository
(dashboard/web/js/plotly-basic, with its licence and provenance) so that a deploy running no
npm serves it too. It must be the plotly.js version the Python package ships, as figures are
written for that version; if it is another version (or missing), the full bundle is served as
before and the log says so.
Like Dash's answer at that URL, the response carries an ETag (the URL has no fingerprint).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import flask
from plotly.offline import get_plotlyjs_version

log = logging.getLogger(__name__)

PLOTLY_URL = "/_dash-component-suites/plotly/package_data/plotly.min.js"
PACKAGE = Path(__file__).resolve().parent / "js" / "plotly-basic"  # copied by make plotly-basic
BUNDLE = PACKAGE / "plotly-basic.min.js"
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})  # what the basic bundle draws


def basic_bundle() -> bytes | None:
    """The basic bundle's script, or None if it is not installed at plotly's version."""
    manifest = PACKAGE / "package.json"
    if not manifest.exists() or not BUNDLE.exists():
        log.warning("plotly.js basic bundle missing (%s): serving the full one", PACKAGE)
        return None
    version, wanted = json.loads(manifest.read_text())["version"], get_plotlyjs_version()
    if version != wanted:
        log.warning("plotly.js basic bundle is %s, plotly needs %s: serving the full one",
                    version, wanted)  # fmt: skip
        return None
    return BUNDLE.read_bytes()


def register(server: flask.Flask) -> None:
    """Answer PLOTLY_URL with the basic bundle, when it is installed at the right version."""
    script = basic_bundle()
    if script is None:
        return

    def plotly_basic() -> flask.Response:
        response = flask.Response(script, mimetype="text/javascript")
        response.add_etag()
        response.make_conditional(flask.request)  # a 304 without the body if it matches
        return response

    server.add_url_rule(PLOTLY_URL, "plotly_basic", plotly_basic)
