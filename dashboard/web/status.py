"""For operators: `/status`, each source's scheduled runs in words, and `/healthz`, JSON for a
load balancer.

Plain server routes, not Dash pages: Dash's drawn pages are cached per published warehouse,
and the job record (ingest.jobs) changes between publishes. `/status` is drawn in the site's
frame (its header, footer and stylesheet) and never stored. With no readable warehouse both
answer 503 through dashboard.web.unavailable (`/healthz` as JSON).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import flask
from dash import html
from dash.development.base_component import Component

from dashboard.ui.tables import captioned_table
from dashboard.web.prerender import drawn
from metrics import queries
from metrics.datasets.choices import published_at
from metrics.jobs import job_status
from metrics.reader import reader
from settings import ROOT

STATUS_PATH, HEALTH_PATH = "/status", "/healthz"
TITLE = "Status of the scheduled fetches"
SITE_NAME = "Service Standards Tracker"
OUTCOMES = {"succeeded": "succeeded", "failed": "failed", "busy": "did not run"}


def when(stamp: dt.datetime) -> str:
    return f"{stamp:%-d %B %Y}, {stamp:%H:%M} UTC"


def last_run(row: dict[str, Any]) -> str:
    if row["last_started"] is None:
        return "Never run by the scheduler"
    attempt = f" (attempt {row['last_attempt']})" if row["last_attempt"] > 1 else ""
    outcome = OUTCOMES.get(row["last_outcome"], row["last_outcome"])
    return f"{when(row['last_started'])}: {outcome}{attempt}: {row['last_message']}"


def last_success(row: dict[str, Any]) -> str:
    if row["last_success"] is None:
        return "None yet"
    files, rows = row["success_files"], row["success_rows"]
    loaded = f"{files:,} file{'s' * (files != 1)}, {rows:,} rows loaded" if files else "nothing new"
    return f"{when(row['last_success'])}: {loaded}"


def next_due(row: dict[str, Any]) -> str:
    if row["next_due"] is None:
        return "Unknown: no figures of it yet"
    due = f"{row['next_due']:%-d %B %Y}"
    return f"{due}: overdue, not yet published" if row["overdue"] else due


def failures(row: dict[str, Any]) -> str:
    count = row["failures"]
    since = "since the last success" if row["last_success"] is not None else "and no success yet"
    if not count:
        return f"None {since}" if row["last_success"] is not None else "None"
    times = "1 failed attempt" if count == 1 else f"{count} failed attempts"
    return f"{times} {since}; the latest: {row['last_failure']}"


def status_content() -> html.Div:
    """The page: one row a source, in words."""
    head = html.Tr(
        [html.Th(t, scope="col") for t in
         ("Source", "Last run", "Last success", "Next figures due", "Failures")]
    )  # fmt: skip
    rows = [
        html.Tr(
            [
                html.Th(row["title"], scope="row"),
                html.Td(last_run(row)),
                html.Td(last_success(row)),
                html.Td(next_due(row)),
                html.Td(failures(row)),
            ]
        )
        for row in job_status().iter_rows(named=True)
    ]
    return html.Div(
        [
            html.H1(TITLE),
            html.P(
                [
                    "Each source is fetched and loaded by ",
                    html.Code("python -m ingest schedule"),
                    " once its next figures are due: the end of the period after its latest "
                    "figures, plus the time its publisher takes to publish them. Times are UTC.",
                ]
            ),
            captioned_table("Scheduled fetches by source", head, rows, "status-table"),
        ]
    )


PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {site}</title>
{styles}
</head>
<body>
{body}
</body>
</html>
"""


def styles() -> str:
    return "\n".join(
        f'<link rel="stylesheet" href="/assets/{css.name}">'
        for css in sorted((ROOT / "assets").glob("*.css"))
    )


def health() -> flask.Response:
    """200 and the published warehouse's version, age and overdue sources."""
    con = reader().connection()
    try:
        published = published_at(con)
        overdue = queries.sources(con).filter(overdue=True)["source_id"].to_list()
        version = queries.warehouse_version(con)
    finally:
        con.close()
    age = (dt.datetime.now(dt.UTC) - published).total_seconds() if published else None
    body = {
        "status": "ok",
        "warehouse_version": version,
        "published_at": published.isoformat() if published else None,
        "age_seconds": round(age) if age is not None else None,
        "sources_overdue": overdue,
    }
    response = flask.jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server: flask.Flask, shell: Callable[[], Component]) -> None:
    """Add the two routes; `shell` is the site's frame (dashboard.app.shell)."""

    def status() -> flask.Response:
        body = drawn(shell(), status_content())
        page = PAGE.format(title=TITLE, site=SITE_NAME, styles=styles(), body=body)
        response = flask.Response(page, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response

    server.add_url_rule(STATUS_PATH, "status", status)
    server.add_url_rule(HEALTH_PATH, "healthz", health)
