"""`/methodology`: how every measure is defined and judged, and where each standard comes from."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard.api.links import download_links
from dashboard.ui.tables import captioned_table
from dashboard.ui.terms import TERMS
from metrics import queries
from metrics.definitions import MEASURES, STANDARD_FIELDS, TABLES
from metrics.wording import comparator_sign
from settings import Settings

dash.register_page(
    __name__,
    path="/methodology",
    title="How we judge – Service Standards Tracker",
    name="Methodology",
)


def _definitions(items: dict[str, str]) -> html.Dl:
    pairs = [(html.Dt(term), html.Dd(text)) for term, text in items.items()]
    return html.Dl([part for pair in pairs for part in pair], className="definitions")


def target_text(row: dict[str, Any]) -> str:
    """'≥ 95%', '≤ 420 seconds', or each service's own target."""
    sign = comparator_sign(str(row["comparator"]))
    if row["target_from_row"]:
        return f"{sign} each service's own published target"
    if row["target_percent"] is not None:
        return f"{sign} {row['target_percent']:g}%"
    return f"{sign} {row['target_value']:g} {row['unit']}"


def _standards() -> html.Div:
    frame = queries.standards()
    rows = [
        html.Tr(
            [
                html.Td(r["wording"]),
                html.Td(target_text(r)),
                html.Td(
                    html.A("Published by the agency", href=r["citation_url"])
                    if r["set_by"] == "agency"
                    else f"Set by this tracker: {r['reason']}"
                ),
                html.Td(
                    f"{r['valid_from']:%d %b %Y}"
                    + (f" to {r['valid_to']:%d %b %Y}" if r["valid_to"] else "")
                ),
            ]
        )
        for r in frame.iter_rows(named=True)
    ]
    head = html.Tr(
        [html.Th(t, scope="col") for t in ("Standard", "Target", "Who set it", "In force")]
    )
    return captioned_table("Standards and who set them", head, rows)


def _peer_groups() -> html.Div:
    """Every area's peer groups, in order (the first is its league's default)."""
    wording = dict(queries.standards().select("standard_id", "wording").iter_rows())
    rows = [
        html.Tr(
            [
                html.Td(area),
                html.Th([g["label"], " (", html.Code(g["peer_group"]), ")"], scope="row"),
                html.Td(g["description"]),
                html.Td(wording.get(g["standard_id"], "Each of the area's standards")),
            ]
        )
        for area in queries.jurisdictions()["jurisdiction"]
        for g in queries.peer_groups(area).iter_rows(named=True)
    ]
    titles = ("Area", "Peer group (peer_group=)", "Who is in it", "Compared on")
    head = html.Tr([html.Th(t, scope="col") for t in titles])
    return captioned_table("Peer groups: who is compared with whom, each area's default first",
                           head, rows)  # fmt: skip


PLAIN = [
    part for t in TERMS.values() for part in (html.Dt(t.term, id=t.anchor), html.Dd(t.meaning))
]
"""The terms every page uses, each in one sentence, before the formulas (anchors per term)."""


def layout(**_unknown: str) -> html.Div:
    """The methodology, built from the same definitions the measures use."""
    settings = {
        f"TRACKER_{name.upper()}": field.description or ""
        for name, field in Settings.model_fields.items()
    }
    return html.Div(
        [
            html.H1("How we judge whether a standard was met"),
            html.P(
                "Every figure on this site comes from the agencies' own published files, "
                "judged against the standard in force for each period. Nothing is imputed: "
                "periods with no data, or with nothing to judge, are never counted as met or "
                "missed.",
                className="lead",
            ),
            html.H2("In plain words", id="plain-words"),
            html.Dl(PLAIN, className="plain-words"),
            html.H2("Measures"),
            _definitions(MEASURES),
            html.H2("Standards"),
            _standards(),
            html.H3("Standards set by this tracker", id="set-by-tracker"),
            html.P(
                "Some agencies publish a target time for each request but no share of "
                "requests that must meet it. A verdict needs both, so for those this tracker "
                "sets the share itself (95%, the UK Border Force convention of '95% within "
                "standard'), and says so beside every verdict judged against it. Such a "
                "verdict is this tracker's reading of the agency's figures, not the agency's "
                "own judgement of itself. The table above gives each reason."
            ),
            download_links("standards", {}, "every version of every standard"),
            html.H2("Peer groups", id="peer-groups"),
            _peer_groups(),
            html.H2("Fields of a standard"),
            _definitions(STANDARD_FIELDS),
            html.H2("Tables of measures"),
            _definitions(TABLES),
            html.H2("Settings"),
            _definitions(settings),
        ]
    )
