"""A verdict judged against a standard this tracker set says so where it is shown: headlines,
calendars, tables, charts and every CSV row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from dash import html
from dash.development.base_component import Component

from tests.helpers import fetch

PWD = "boston-public-works-department"
PM = "boston-property-management"
NOTE = "set by this tracker"
WHY = "/methodology#set-by-tracker"


def page_layout(name: str) -> Any:
    """A page's own layout function, unguarded, so that a fault raises here."""
    import dashboard.app  # noqa: F401 - registers the pages

    return dash.page_registry[f"pages.{name}"]["layout"].__wrapped__


def walk(node: Any) -> Iterator[Component]:
    """Every component in a layout, depth first."""
    if isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)
    elif isinstance(node, Component):
        yield node
        yield from walk(getattr(node, "children", None))


def text(node: Any) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text(c) for c in node)
    return text(getattr(node, "children", None)) if isinstance(node, Component) else ""


def verdicts(layout: Any) -> list[str]:
    """The text of every element that states a verdict: headlines, leads naming a record, and
    every table's or chart's caption and title. The other measures (volume, backlog past the
    agency's own target time, time to close) judge nothing against the tracker's share."""
    measures = {id(c) for t in walk(layout) if "measures-table" in str(getattr(t, "className", ""))
                for c in walk(t)}  # fmt: skip
    out = []
    for c in walk(layout):
        classes = str(getattr(c, "className", "") or "")
        said = text(c)
        if id(c) in measures:
            continue
        if isinstance(c, html.Caption) or (
            {"headline", "lead", "chart-title"} & set(classes.split()) and " met " in f" {said} "
        ):
            out.append(said)
    return out


BOSTON_PAGES = [
    ("home", {"jurisdiction": "boston", "month": "2015-07"}),
    ("department", {"slug": PWD, "month": "2015-07"}),
    ("standard", {"slug": PWD, "standard": "street-light-outages"}),
    ("compare", {"orgs": f"{PWD},{PM}", "from": "2015-01", "to": "2015-06"}),
]


@pytest.mark.parametrize(("name", "query"), BOSTON_PAGES)
def test_every_boston_verdict_says_the_tracker_set_its_standard(
    bundled_reader: None, name: str, query: dict[str, str]
) -> None:
    layout = page_layout(name)(**query)
    shown = verdicts(layout)
    assert len(shown) >= 2, shown  # a headline and at least one table
    assert [v for v in shown if NOTE not in v] == []
    links = [getattr(c, "href", None) for c in walk(layout) if isinstance(c, html.A)]
    assert WHY in links


def test_the_disclosure_gives_the_target_and_the_reason(bundled_reader: None) -> None:
    layout = page_layout("home")(jurisdiction="boston", month="2015-07")
    notes = [text(c) for c in walk(layout) if "whose-standard" in str(getattr(c, "className", ""))]
    assert len(notes) == 1
    assert notes[0].startswith("Judged against 95%, a share set by this tracker")
    assert "Boston sets a target time for each request but publishes no share" in notes[0]


def test_an_agency_standard_carries_no_tracker_note(bundled_reader: None) -> None:
    layout = page_layout("home")(jurisdiction="nhs-england")
    assert verdicts(layout)
    assert NOTE not in text(layout)


def rows(site: str, path: str) -> list[dict[str, str]]:
    status, _, body = fetch(site + path)
    assert status == 200
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("path", "set_by"),
    [
        ("/download/records.csv?jurisdiction=boston&from=2015-07&to=2015-07", "tracker"),
        ("/download/records.csv?jurisdiction=nhs-england&from=2025-01&to=2025-01", "agency"),
        ("/download/league.csv?jurisdiction=boston&month=2015-07", "tracker"),
        ("/download/league.csv?jurisdiction=nhs-england&month=2025-06", "agency"),
        ("/download/league.csv?jurisdiction=government-of-canada&month=2023-04", "agency"),
    ],
)
def test_every_csv_row_says_who_set_its_standard(site: str, path: str, set_by: str) -> None:
    found = rows(site, path)
    assert found
    assert {r["standard_set_by"] for r in found} == {set_by}
