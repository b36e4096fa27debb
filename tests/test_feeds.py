"""Atom feeds per area and per organisation, parsed by a real feed parser."""

from __future__ import annotations

import duckdb
import feedparser

from tests.helpers import fetch


def parsed(site: str, path: str) -> feedparser.FeedParserDict:
    status, headers, body = fetch(site + path)
    assert status == 200
    assert headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_area_feed_has_an_entry_a_month_naming_best_and_worst(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    feed = parsed(site, "/feed/boston.atom")
    months = bundled_con.sql(
        "SELECT count(DISTINCT month) FROM league WHERE jurisdiction = 'Boston'"
    ).fetchall()[0][0]
    assert len(feed.entries) == min(24, months)
    newest = feed.entries[0]
    assert newest.title == "Boston: figures for December 2015"
    best = bundled_con.sql(
        """SELECT organisation, periods_met, periods_judged FROM league
           WHERE jurisdiction = 'Boston' AND month = DATE '2015-12-01' AND rank = 1
           ORDER BY organisation LIMIT 1"""
    ).fetchall()[0]
    assert newest.summary.startswith(
        f"Best: {best[0]} met its standard in {best[1]} of {best[2]:,} days in December 2015."
    )
    assert newest.link.endswith("/?jurisdiction=boston&month=2015-12")
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_organisation_feed_says_each_month_in_words(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    slug = "boston-public-works-department"
    met, judged = bundled_con.sql(
        """SELECT periods_met, periods_judged FROM league
           WHERE org_slug = $slug AND month = DATE '2015-07-01'""",
        params={"slug": slug},
    ).fetchall()[0]
    feed = parsed(site, f"/feed/department/{slug}.atom")
    july = [e for e in feed.entries if e.link.endswith("month=2015-07")]
    assert [e.title for e in july] == [
        f"Public Works Department met its standard in {met} of {judged:,} days in July 2015"
    ]


def test_unknown_feeds_are_404(site: str) -> None:
    assert fetch(site + "/feed/atlantis.atom")[0] == 404
    assert fetch(site + "/feed/department/nobody.atom")[0] == 404
