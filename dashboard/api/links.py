"""Links every page uses: a view's data as a download, with exactly the view's parameters.

The URL contract (shared by pages, `/download/...` and `/api/...`): datasets are named
`league`, `records`, `days-met`, `daily`, `cases`, `standards`, `sources`, `rejects`; formats are
those of `dashboard.api.formats`; parameters are `jurisdiction` (area slug), `organisation`
(department slug, or several joined by commas), `service` (service slug), `standard` (standard id),
`peer_group` (a peer group id of the area), `month`, `from`, `to` (each `YYYY-MM`),
`day` (`YYYY-MM-DD`) and `source` (catalog id).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from dash import html

from dashboard.api.formats import FORMATS


def _data(**attributes: str) -> dict[str, Any]:
    """data-* attributes for a Dash component, which takes them only as keyword arguments."""
    return {f"data-{name}": value for name, value in attributes.items()}


def download_url(dataset: str, params: Mapping[str, str | None], fmt: str = "csv") -> str:
    """`/download/league.csv?jurisdiction=boston&month=2015-07`; empty parameters left out."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/download/{dataset}.{fmt}" + (f"?{query}" if query else "")


def download_links(
    dataset: str, params: Mapping[str, str | None], what: str = "this data"
) -> html.P:
    """'Download this data: CSV, JSON, Parquet', each link naming its format for screen readers."""
    links: list[str | html.A] = []
    for fmt in FORMATS:
        if links:
            links.append(", ")
        links.append(
            html.A(
                FORMATS[fmt].label,
                href=download_url(dataset, params, fmt),
                title=f"Download {what} as {fmt.upper()}",
                className="download-link",
                **_data(dataset=dataset, format=fmt),
            )
        )
    return html.P([f"Download {what}: ", *links], className="download")
