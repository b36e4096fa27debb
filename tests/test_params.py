"""Query-string parsing: bad values never raise, and the message says what happened."""

from __future__ import annotations

import datetime as dt

from dashboard.params import choose_month, month_param

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
