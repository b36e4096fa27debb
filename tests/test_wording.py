"""Plain words: counts agree with their nouns, and comparators read as signs."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.ui.sentences import months_met_sentence
from metrics.wording import comparator_sign, days_met_headline, plural, target_text, was


def test_plural_agrees_with_the_count() -> None:
    assert plural(1, "request") == "1 request"
    assert plural(0, "request") == "0 requests"
    assert plural(2, "month") == "2 months"
    assert plural(1, "match") == "1 match"
    assert plural(3, "match") == "3 matches"
    assert plural(1, "fiscal year") == "1 fiscal year"
    assert plural(1204, "day") == "1,204 days"
    assert (was(1), was(2), was(0, "is", "are")) == ("was", "were", "are")


def test_sentences_use_the_singular_for_one() -> None:
    july = dt.date(2015, 7, 1)
    assert days_met_headline(0, 1, july) == "Met its standard on 0 of 1 day in July 2015"
    assert days_met_headline(3, 22, july) == "Met its standard on 3 of 22 days in July 2015"
    assert target_text(60, "seconds") == "1 minute"
    assert target_text(900, "seconds") == "15 minutes"
    one_missing = pl.DataFrame({"status": ["met", "no_data", "not_met"]})
    assert months_met_sentence(one_missing) == (
        "Met its standard in 1 of 2 months judged; 1 month had no figures"
    )


def test_comparators_read_as_signs_not_ascii() -> None:
    assert (comparator_sign(">="), comparator_sign("<=")) == ("≥", "≤")
