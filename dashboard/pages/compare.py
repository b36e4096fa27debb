"""`/compare?orgs=a,b&standard=…&from=YYYY-MM&to=YYYY-MM`: organisations side by side on the
same standards, months and scale, with the differences in words."""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import ALL, Input, Output, State, clientside_callback, html

from dashboard.api.links import download_links
from dashboard.pages._compare_chart import (
    finding_lead,
    group_figures,
    group_panel,
    standard_line,
)
from dashboard.pages._compare_table import compare_form, compare_table
from dashboard.pages._compare_view import CompareView, choose_view
from dashboard.ui import forms, terms, whose
from dashboard.ui.sentences import group_noun
from dashboard.web.params import month_text
from metrics import compare
from metrics.wording import month_name

dash.register_page(
    __name__,
    path="/compare",
    title="Compare organisations – Service Standards Tracker",
    name="Compare",
)


def layout(**query: Any) -> html.Div:
    """The comparison the URL asks for; bad values show a default view, and say so."""
    view = choose_view(query)
    if not view.area or view.first is None or view.last is None:
        return html.Div(
            [html.H1("Compare organisations"), html.P("No figures have been loaded yet.")]
        )
    frame = compare.comparison(view.orgs, view.standard, view.first, view.last)
    parts = frame.partition_by("standard_id", maintain_order=True) if frame.height else []
    shared = [
        p for p in parts if view.standard or p["org_slug"].n_unique() >= min(2, len(view.orgs))
    ]
    span = f"{month_name(view.first)} to {month_name(view.last)}"
    facts = group_figures(view)
    return html.Div(
        [
            html.P(html.A("← League table", href=f"/?jurisdiction={view.area_slug}")),
            html.H1(f"Compare organisations: {view.area}, {span}"),
            finding_lead(view, facts, span) if facts else None,
            standard_line(view) if facts else None,
            html.P(opening(view)) if view.opened_on else None,
            *[forms.notice(m) for m in view.messages],
            forms.area_nav(view.areas, view.area_slug, base="/compare"),
            *(group_panel(view, facts, span) if facts else []),
            compare_form(view),
            *(standard_section(view, p) for p in shared),
            html.P(NO_SHARED, className="lead") if not shared else None,
            download_links(
                "records",
                {
                    "organisation": ",".join(view.orgs),
                    "standard": view.standard,
                    "from": month_text(view.first),
                    "to": month_text(view.last),
                },
                "these organisations' judged periods",
            ),
            terms.explained(COMPARE_TERMS, "compare"),
        ]
    )


def opening(view: CompareView) -> str:
    """Why these organisations, when the URL named none."""
    return (
        f"Showing {view.opened_on} of the {group_noun(view.group_label)} over these months; "
        "choose others below."
    )


# Ticks follow each box's clicks (odd: changed from the opening choice), so quick presses never
# read a stale state; the filter hides non-matching boxes, never a ticked one, and counts
# only the matches.
clientside_callback(
    """function(text, clicks, opened, ids, names) {
        const needle = (text || "").trim().toLowerCase();
        const odd = (i) => (clicks[i] || 0) % 2 === 1;
        const ticked = ids.map((id, i) => opened.includes(id.index) !== odd(i));
        const matches = names.map(n => String(n).toLowerCase().includes(needle));
        const shown = matches.map((m, i) => m || ticked[i]);
        const count = matches.filter(Boolean).length;
        const said = needle ? `${count} of ${ids.length} organisations match “${text.trim()}”`
                            : `${ids.length} organisations`;
        return [ticked.map(String), shown.map(s => !s),
                ids.filter((_, i) => ticked[i]).map(id => id.index).join(","), said];
    }""",
    Output({"type": "org-pick", "index": ALL}, "aria-checked"),
    Output({"type": "org-item", "index": ALL}, "hidden"),
    Output("orgs", "value"),
    Output("org-count", "children"),
    Input("org-filter", "value"),
    Input({"type": "org-pick", "index": ALL}, "n_clicks"),
    State("orgs-opened", "data"),
    State({"type": "org-pick", "index": ALL}, "id"),
    State({"type": "org-pick", "index": ALL}, "children"),
    prevent_initial_call=True,
)


COMPARE_TERMS = [
    "peer-group",
    "performance",
    "service-day",
    "standard-month",
    "usual-variation",
    "markers",
]
"""The terms the compare page uses."""


NO_SHARED = (
    "These organisations have no standard in common over these months. Choose one standard "
    "above to see each organisation's figures for it."
)


def volumes(view: CompareView, standard_id: str) -> pl.DataFrame | None:
    """The organisations' volumes behind the standard over the months compared."""
    if view.first is None or view.last is None:
        return None
    return compare.volumes(view.orgs, standard_id, view.first, view.last)


def standard_section(view: CompareView, part: pl.DataFrame) -> html.Section:
    """One standard: each organisation's record in words, then the months side by side."""
    grain = str(part["grain"][0])
    records = compare.met_records(part, view.orgs)
    note = whose.caption_note(str(part["standard_id"][0]))
    record = compare.record_sentence(records, grain)
    sentences = [
        record.removesuffix(".") + note + "." if note and record else record,
        None if view.standard else compare.spread_sentence(records),
        compare.together_sentence(part, len(view.orgs)),
    ]
    return html.Section(
        [
            html.H2(str(part["standard"][0])),
            *whose.note(str(part["standard_id"][0])),
            *[
                html.P(s, className="lead" if i == 0 else None)
                for i, s in enumerate(sentences)
                if s
            ],
            compare_table(view, part, records, volumes(view, str(part["standard_id"][0]))),
        ],
        className="service",
    )
