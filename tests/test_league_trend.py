"""Change and trend in the league (issue 10 item 5), against figures worked from the bundled
files by hand, and the one wording rule: better or worse only when the SPC verdict agrees."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from pathlib import Path
from typing import Any

import dash
import duckdb
import polars as pl
import pytest
from dash import html

from dashboard.ui.sentences import change_size, change_text, judged
from dashboard.ui.tables import change_cell
from metrics import queries
from metrics.datasets.base import Filters
from metrics.datasets.league import DATASET
from metrics.league import choose_sort, sort_league

DATA = Path(__file__).resolve().parent.parent / "data"
AIREDALE = "nhs-england-airedale-nhs-foundation-trust"
EMAS = "nhs-england-ambulance-services-east-midlands-ambulance-service-nhs-trust"
PWD = "boston-public-works-department"


def row(con: duckdb.DuckDBPyConnection, area: str, month: dt.date, standard: str, slug: str
        ) -> dict[str, Any]:  # fmt: skip
    """One organisation's league row, as the page reads it (NHS England's in the group of
    every provider, which ranks each provider on each standard)."""
    group = "all-providers" if area == "NHS England" else None
    league = queries.league_table(area, month, con, standard, peer_group=group)
    return league.filter(pl.col("org_slug") == slug).row(0, named=True)


def csv_row(con: duckdb.DuckDBPyConnection, area: str, month: dt.date, standard: str | None,
            organisation: str) -> dict[str, Any]:  # fmt: skip
    """One organisation's row of the league download."""
    frame = DATASET.read(Filters(jurisdiction=area, month=month, standard=standard), con)
    assert isinstance(frame, pl.DataFrame)
    return frame.filter(pl.col("organisation") == organisation).row(0, named=True)


def test_nhs_trust_change_on_may_and_on_june_2024(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # Airedale (RCF) in the bundled CSVs, attendances = Type 1 + Type 2 + Booked Type 1
    # (the other columns are 0), within 4 hours = attendances - over 4 hours (Type 1):
    #   June 2025: 6194 + 219 + 479 = 6892, 6892 - 2095 = 4797 -> 69.60%
    #   May 2025:  6214 + 198 + 517 = 6929, 6929 - 2200 = 4729 -> 68.25%
    #   June 2024: 6052 + 225 + 507 = 6784, 6784 - 2440 = 4344 -> 64.03%
    june = row(bundled_con, "NHS England", dt.date(2025, 6, 1), "nhs-ae-4-hours", AIREDALE)
    assert june["change_previous"] == pytest.approx(4797 / 6892 - 4729 / 6929, abs=1e-12)
    assert june["change_year"] == pytest.approx(4797 / 6892 - 4344 / 6784, abs=1e-12)
    # June's 69.6% is above the upper process limit of its 13 months (mean 63.8%, limit 67.9%).
    assert june["spc_verdict"] == "improving"
    # 12+ hours from decision to admit (lower is better): 99 in June 2025, 47 in May, 178 a
    # year earlier.
    waits = row(bundled_con, "NHS England", dt.date(2025, 6, 1),
                "nhs-ae-12-hours-decision-to-admit", AIREDALE)  # fmt: skip
    assert (waits["change_previous"], waits["change_year"]) == (99 - 47, 99 - 178)
    # May 2025 has no May 2024 in the bundle: no change on a year, marked [x] in the file.
    may = csv_row(bundled_con, "NHS England", dt.date(2025, 5, 1), "nhs-ae-4-hours",
                  "AIREDALE NHS FOUNDATION TRUST")  # fmt: skip
    assert may["change_previous"] == pytest.approx(4729 / 6929 - 4483 / 6729, abs=1e-12)
    assert (may["change_year"], may["change_year_status"]) == (None, "[x]")
    assert may["change_previous_status"] is None


def emas_c1_means() -> list[float]:
    """East Midlands Ambulance Service's (RX9) C1 mean (A25), oldest month first."""
    with gzip.open(DATA / "nhs-england-ambsys" / "AmbSYS.csv.gz", "rt", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Org Code"] == "RX9"]
    rows.sort(key=lambda r: (int(r["Year"]), int(r["Month"])))
    return [float(r["A25"]) for r in rows]


def test_a_time_that_rose_within_an_improving_shift(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # A25 for RX9: Jan 2021 463 s, Dec 2020 445 s, Jan 2020 451 s.
    jan = row(bundled_con, "NHS England ambulance services", dt.date(2021, 1, 1), "arp-c1-mean",
              EMAS)  # fmt: skip
    assert (jan["change_previous"], jan["change_year"]) == (463 - 445, 463 - 451)
    means = emas_c1_means()
    mean = sum(means) / len(means)  # 42 months, Aug 2017 to Jan 2021: 468.4 s
    assert len(means) == 42 and means[-1] == 463
    # The last 10 months (Apr 2020 to Jan 2021) are all below the mean: a shift, and for a
    # time lower is better, so the verdict is improving although January rose 18 s.
    assert all(v < mean for v in means[-10:]) and means[-11] > mean
    assert jan["spc_verdict"] == "improving"
    text = change_text(jan["change_previous"], "seconds", "<=", jan["spc_verdict"])
    assert text == "up 18 seconds, although its trend is improving"


def test_boston_department_month_on_month(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # Public Works Department, all 16 bundled files: requests whose TARGET_DT falls in the
    # month, and of them those with CLOSED_DT <= TARGET_DT: July 2015 558 of 916, June 2015
    # 653 of 1,047. The bundle holds 2015 only, so there is no year earlier.
    july = csv_row(bundled_con, "Boston", dt.date(2015, 7, 1), None, "Public Works Department")
    assert (july["performance_numerator"], july["performance_denominator"]) == (558, 916)
    assert july["change_previous"] == pytest.approx(558 / 916 - 653 / 1047, abs=1e-12)
    assert (july["change_year"], july["change_year_status"]) == (None, "[x]")
    assert july["spc_verdict"] == "no significant change"
    # January 2015 is the first month: nothing before it, one figure is not a chart.
    jan = csv_row(bundled_con, "Boston", dt.date(2015, 1, 1), None, "Public Works Department")
    assert (jan["change_previous"], jan["change_previous_status"]) == (None, "[x]")
    assert jan["spc_verdict"] == "not enough data"


def test_pooled_standards_and_single_years_have_no_trend(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    every = csv_row(bundled_con, "NHS England", dt.date(2025, 6, 1), "all",
                    "AIREDALE NHS FOUNDATION TRUST")  # fmt: skip
    assert (every["change_previous"], every["change_previous_status"]) == (None, "[z]")
    assert (every["change_year_status"], every["spc_verdict"]) == ("[z]", None)
    canada = DATASET.read(Filters(jurisdiction="Government of Canada",
                                  month=dt.date(2023, 4, 1)), bundled_con)  # fmt: skip
    assert isinstance(canada, pl.DataFrame) and canada.height > 0
    assert set(canada["spc_verdict"]) == {"not enough data"}  # one fiscal year bundled
    assert set(canada["change_previous_status"]) == {"[x]"}


def test_the_latest_verdict_is_the_standard_pages(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # For every monthly series, the league row of its last month says what the page's chart
    # says (spc_verdicts, stored from the full series).
    pairs = bundled_con.sql(
        """WITH last AS (SELECT org_slug, standard_id, max(period_start) AS month
                         FROM judgements WHERE grain = 'month' GROUP BY ALL)
           SELECT DISTINCT v.variation, l.spc_verdict FROM league l
           JOIN last USING (org_slug, standard_id, month)
           JOIN spc_verdicts v USING (org_slug, standard_id)"""
    ).fetchall()
    words = {"common cause": "no significant change", "improvement": "improving",
             "concern": "deteriorating"}  # fmt: skip
    assert len(pairs) == 3 and all(words[v] == w for v, w in pairs)


@pytest.mark.parametrize(
    ("change", "unit", "comparator", "verdict", "text"),
    [
        (0.014, "share", ">=", "improving", "up 1.4 percentage points (better)"),
        (-0.175, "share", ">=", "deteriorating", "down 17.5 percentage points (worse)"),
        (-0.175, "share", ">=", "no significant change",
         "down 17.5 percentage points, within its usual variation"),
        (0.021, "share", ">=", "deteriorating",
         "up 2.1 percentage points, although its trend is deteriorating"),
        (-20.0, "seconds", "<=", "improving", "down 20 seconds (better)"),
        (65.0, "seconds", "<=", "deteriorating", "up 1 minute 5 seconds (worse)"),
        (65.0, "seconds", "<=", "improving", "up 1 minute 5 seconds, although its trend is "
                                             "improving"),
        (52.0, "count", "<=", "no significant change", "up 52, within its usual variation"),
        (0.05, "share", ">=", "not enough data", "up 5.0 percentage points; too few figures "
                                                 "to say whether that is more than usual "
                                                 "variation"),
        (None, "share", ">=", "improving", "no figure to compare"),
        (0.0, "share", ">=", "improving", "no change"),
    ],
)  # fmt: skip
def test_change_is_called_better_or_worse_only_when_spc_agrees(
    change: float | None, unit: str, comparator: str, verdict: str, text: str
) -> None:
    assert change_text(change, unit, comparator, verdict) == text


def test_short_sizes_and_agreement() -> None:
    assert change_size(-0.021, "share", short=True) == "2.1 pts"
    assert change_size(65, "seconds", short=True) == "1 min 5 s"
    assert change_size(18, "seconds", short=True) == "18 s"
    assert judged(-30, "<=", "improving") == "better"  # a fall in a time
    assert judged(30, "<=", "improving") is None


def texts(node: Any) -> list[str]:
    """Every text in a Dash tree, visible or visually hidden, in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list | tuple):
        return [t for child in node for t in texts(child)]
    return texts(getattr(node, "children", None) or [])


def test_the_change_cell_says_up_and_down_in_words() -> None:
    cell = change_cell(
        {"performance_unit": "share", "grain": "month", "comparator": ">=",
         "change_previous": 0.0135, "change_year": -0.05, "spc_verdict": "improving"},
        dt.date(2025, 6, 1),
    )  # fmt: skip
    assert isinstance(cell, list)
    lines = ["".join(texts(line)) for line in cell]
    assert lines == [
        "▲ up 1.4 pts on May, better",
        "▼ down 5.0 pts on a year",
        "Improving",
    ]
    arrow = cell[0].children[0]
    assert isinstance(arrow, html.Span) and arrow.to_plotly_json()["props"]["aria-hidden"]
    assert cell[0].children[1].className == "visually-hidden"
    january = change_cell(
        {"performance_unit": "share", "grain": "day", "comparator": ">=",
         "change_previous": None, "change_year": None, "spc_verdict": "not enough data"},
        dt.date(2015, 1, 1),
    )  # fmt: skip
    assert ["".join(texts(line)) for line in january] == [
        "no figure on Dec 2014", "no figure on a year", "Not enough data",
    ]  # fmt: skip
    # A fiscal year's period before is the year before: one line, not two.
    year = change_cell(
        {"performance_unit": "share", "grain": "fiscal_year", "comparator": ">=",
         "change_previous": None, "change_year": None, "spc_verdict": "not enough data"},
        dt.date(2023, 4, 1),
    )  # fmt: skip
    assert ["".join(texts(line)) for line in year] == ["no figure on 2022-23", "Not enough data"]
    pooled = {"performance_unit": None, "grain": "month", "spc_verdict": None}
    assert change_cell(pooled, dt.date(2025, 6, 1)) == "–"  # several standards: no figure


def test_sorting_by_change_and_by_verdict() -> None:
    frame = pl.DataFrame(
        {"organisation": ["A", "B", "C", "D"], "change_previous": [0.01, None, -0.2, 0.05],
         "spc_verdict": ["deteriorating", "not enough data", "improving",
                         "no significant change"]}
    )  # fmt: skip
    by = choose_sort(frame, "change_previous", None)
    assert by.descending and list(sort_league(frame, by)["organisation"]) == ["D", "A", "C", "B"]
    by = choose_sort(frame, "spc_verdict", None)
    assert list(sort_league(frame, by)["organisation"]) == ["C", "D", "A", "B"]
    asc = choose_sort(frame, "spc_verdict", "asc")
    assert list(sort_league(frame, asc)["organisation"]) == ["A", "D", "C", "B"]


def test_every_bundled_month_a_year_back_is_paired(bundled_con: duckdb.DuckDBPyConnection) -> None:
    # NHS England's bundle is June 2024 to June 2025, so only June 2025 rows have a change on a
    # year, and each organisation and standard with a figure in both Junes has one.
    months = bundled_con.sql(
        "SELECT DISTINCT month FROM league WHERE jurisdiction = 'NHS England' "
        "AND change_year IS NOT NULL"
    ).fetchall()
    assert months == [(dt.date(2025, 6, 1),)]
    both = bundled_con.sql(
        """SELECT count(*) FROM judgements a JOIN judgements b USING (org_slug, standard_id)
           WHERE a.jurisdiction = 'NHS England' AND a.org_level = 'organisation'
             AND a.period_start = '2025-06-01' AND b.period_start = '2024-06-01'
             AND a.value IS NOT NULL AND b.value IS NOT NULL"""
    ).fetchall()
    paired = bundled_con.sql(  # once per organisation, whichever peer groups rank it
        "SELECT count(DISTINCT (org_slug, standard_id)) FROM league "
        "WHERE jurisdiction = 'NHS England' "
        "AND month = '2025-06-01' AND change_year IS NOT NULL"
    ).fetchall()
    assert paired == both and paired[0][0] > 300


def page_text(name: str, **query: str) -> str:
    """A page's layout, unguarded (a fault raises here), as text."""
    import dashboard.app  # noqa: F401 - registers the pages

    return str(dash.page_registry[f"pages.{name}"]["layout"].__wrapped__(**query))


def test_the_standard_page_and_the_league_say_the_same(bundled_reader: None) -> None:
    # EMAS's C1 mean rose 18 s on December 2020 (445 -> 463) inside an improving shift: the
    # page no longer calls it worse beside its chart's "improvement", and the league row's
    # cell says the same change and verdict.
    text = page_text("standard", slug=EMAS, standard="arp-c1-mean")
    assert "Change on December 2020: up 18 seconds, although its trend is improving." in text
    assert "Change on a year earlier: up 12 seconds, although its trend is improving." in text
    assert "(worse)" not in text
    league = page_text("home", jurisdiction="nhs-england-ambulance-services", month="2021-01",
                       standard="arp-c1-mean")  # fmt: skip
    assert "18 s on Dec 2020" in league and "12 s on a year" in league
    # Airedale's 4-hour share rose 1.4 points on May 2025, above its upper process limit: the
    # verdict agrees, so the page calls it better.
    airedale = page_text("standard", slug=AIREDALE, standard="nhs-ae-4-hours")
    assert "Change on May 2025: up 1.4 percentage points (better)." in airedale
    assert "Change on a year earlier: up 5.6 percentage points (better)." in airedale
