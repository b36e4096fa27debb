"""Canada's standards are judged once a fiscal year: its league and department pages."""

from __future__ import annotations

import re
from typing import Any

import dash

from tests.test_whose_standard import text as words

AAFC = "government-of-canada-agriculture-and-agri-food-canada"


def page_layout(name: str) -> Any:
    """A page's own layout function, unguarded, so that a fault raises here."""
    import dashboard.app  # noqa: F401 - registers the pages

    return dash.page_registry[f"pages.{name}"]["layout"].__wrapped__


def test_canada_league_counts_standard_years(bundled_reader: None) -> None:
    layout = page_layout("home")(jurisdiction="government-of-canada")
    text = str(layout)
    assert "Government of Canada, fiscal year 2023-24" in text
    # The headline's 'standard-years' links to what a judged period means.
    assert "standard-years (74%) in fiscal year 2023-24" in words(layout)
    assert "href='/methodology#standard-month'" in text
    assert "judged once a fiscal year" in text
    assert re.search(r"Option\(children='2023-24'[^)]*value='2023-04'", text)
    assert "Fiscal year" in text


def test_canada_department_lists_every_standard_with_its_verdict(bundled_reader: None) -> None:
    # ss_2024.csv, owner_org aafc-aac: 100 standards, target_met Y on 83 and N on 17, none
    # rejected (no performance above 1, no repeated standard id).
    page = page_layout("department")(slug=AAFC, rows="all")  # all 100 rows, not the first 25
    text = str(page)
    assert "Met 83 of 100 standards judged in fiscal year 2023-24" in text
    assert text.count("'Met'") == 83 and text.count("'Not met'") == 17
    # each standard links to its own page: ss_2024 row 1, service 2224, standard 3261
    assert f"/department/{AAFC}/gc-3261" in text
    assert "/download/records.csv?organisation=" + AAFC in text
