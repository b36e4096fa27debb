"""Query-string parsing: bad values never raise, and the message says what happened."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash

from dashboard.web.params import choose_jurisdiction, choose_month, month_param, one

MONTHS = [dt.date(2015, 6, 1), dt.date(2015, 7, 1)]


def test_month_param() -> None:
    assert month_param("2015-07") == dt.date(2015, 7, 1)
    for bad in ("2015-13", "2015-7", "july", "", None, "2015-00", "2015-07-01"):
        assert month_param(bad) is None


def test_choose_month_falls_back_to_latest_with_message() -> None:
    assert choose_month(None, MONTHS).month == dt.date(2015, 7, 1)
    assert choose_month("2015-06", MONTHS).month == dt.date(2015, 6, 1)
    choice = choose_month("1999-01", MONTHS)
    assert choice.month == dt.date(2015, 7, 1)
    assert choice.message == "There are no figures for month “1999-01”; showing July 2015 instead."


def test_a_repeated_parameter_counts_as_its_first_value() -> None:
    assert one(["2015-06", "2015-07"]) == "2015-06"
    assert one([]) is None and one(None) is None and one(7) is None
    assert choose_month(["2015-06", "nonsense"], MONTHS).month == dt.date(2015, 6, 1)
    area = choose_jurisdiction(["nyc", "boston"], [("boston", "Boston"), ("nyc", "New York")])
    assert (area.name, area.message) == ("New York", None)


def page_layout(name: str) -> Any:
    """A page's own layout function, unguarded, so that a fault raises here."""
    import dashboard.app  # noqa: F401 - registers the pages

    return dash.page_registry[f"pages.{name}"]["layout"].__wrapped__


def test_pages_take_repeated_parameters_without_a_traceback(bundled_reader: None) -> None:
    league = page_layout("home")(
        jurisdiction=["boston", "x"], month=["2015-07", "2015-08"], q=["a", "b"]
    )
    assert "Boston, July 2015" in str(league)
    department = page_layout("department")(
        slug="boston-public-works-department", month=["2015-07", "bad"]
    )
    assert "Public Works Department, July 2015" in str(department)
