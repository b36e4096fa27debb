"""`/compare?orgs=a,b&standard=…&from=YYYY-MM&to=YYYY-MM`: organisations side by side on the
same standards, months and scale, with the differences in words."""

from __future__ import annotations

from typing import Any

import dash
import polars as pl
from dash import html

from dashboard.api.links import download_links
from dashboard.pages._compare_table import compare_form, compare_table
from dashboard.pages._compare_view import CompareView, choose_view
from dashboard.ui import forms, terms, whose
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
    return html.Div(
        [
            html.P(html.A("← League table", href=f"/?jurisdiction={view.area_slug}")),
            html.H1(f"Compare organisations: {view.area}, {span}"),
            *[forms.notice(m) for m in view.messages],
            forms.area_nav(view.areas, view.area_slug, base="/compare"),
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


def standard_section(view: CompareView, part: pl.DataFrame) -> html.Section:
    """One standard: each organisation's record in words, then the months side by side."""
    grain = str(part["grain"][0])
    records = compare.met_records(part, view.orgs)
    note = whose.caption_note(str(part["standard_id"][0]))
    record = compare.record_sentence(records, grain)
    sentences = [
        record.removesuffix(".") + note + "." if note and record else record,
        compare.spread_sentence(records),
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
            compare_table(view, part, records),
        ],
        className="service",
    )
