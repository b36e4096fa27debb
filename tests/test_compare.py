"""The /compare view: its figures against hand counts, its words, and its choice of view."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from dashboard.pages._compare_view import choose_view
from metrics import compare

MARCH = dt.date(2015, 3, 1)
PWD, TTD = "boston-public-works-department", "boston-transportation-traffic-division"


def test_daily_figures_are_service_days_counted_by_hand(
    mini_con: duckdb.DuckDBPyConnection,
) -> None:
    # Public Works, March 2015 (tests/fixtures/boston-mini): due on the 2nd (1 of 2 on
    # time), 4th (1 of 1), 5th (0 of 1), 6th (19 of 20 = 95%), 7th (18 of 19); the rows due
    # on the 9th are rejected (no case id, unreadable open time). Met on the 4th and 6th: 2
    # of 5. Traffic: met on the 2nd, missed on the 9th; the 12th is after the data's end.
    frame = compare.comparison((PWD, TTD), None, MARCH, MARCH, con=mini_con)
    assert frame.select("org_slug", "month", "met", "judged", "no_data", "status").rows() == [
        (PWD, MARCH, 2, 5, 0, None),
        (TTD, MARCH, 1, 2, 0, None),
    ]
    records = compare.met_records(frame)
    assert compare.record_sentence(records, "day") == (
        "Public Works Department met the standard on 2 of 5 service-days judged (40%), "
        "Transportation - Traffic Division on 1 of 2 (50%)."
    )
    assert compare.met_records(frame, (TTD, PWD))["org_slug"].to_list() == [TTD, PWD]
    assert compare.spread_sentence(records) == (
        "The highest share met was Transportation - Traffic Division's (50%), the lowest "
        "Public Works Department's (40%): 10 percentage points apart."
    )
    assert compare.together_sentence(frame, 2) is None  # not said of service-days
    assert (
        compare.comparison(
            (PWD,), None, dt.date(2015, 4, 1), dt.date(2015, 5, 1), con=mini_con
        ).height
        == 0
    )


def monthly(statuses: dict[str, list[str]]) -> pl.DataFrame:
    """`comparison` rows of a monthly standard, one verdict per organisation and month."""
    rows = [
        {"org_slug": org, "organisation": org.upper(), "grain": "month",
         "month": dt.date(2024, m + 1, 1), "met": int(s == "met"),
         "judged": int(s in ("met", "not_met")), "no_data": int(s == "no_data")}
        for org, marks in statuses.items() for m, s in enumerate(marks)
    ]  # fmt: skip
    return pl.DataFrame(rows)


def test_monthly_records_and_months_together() -> None:
    frame = monthly(
        {
            "a": ["met", "met", "not_met", "met", "no_data"],
            "b": ["met", "not_met", "not_met", "no_data", "not_met"],
        }
    )
    records = compare.met_records(frame)
    assert records.select("org_slug", "met", "judged", "no_data").rows() == [
        ("a", 3, 4, 1),
        ("b", 1, 4, 1),
    ]
    assert compare.record_sentence(records, "month") == (
        "A met the standard in 3 of 4 months judged (75%), B in 1 of 4 (25%)."
    )
    # Months 1-3 have both judged: both met in January, neither in March.
    assert compare.months_all_and_none(frame, 2) == (3, 1, 1)
    assert compare.together_sentence(frame, 2) == (
        "Of the 3 months in which every organisation was judged, all met the standard in 1 "
        "and none did in 1."
    )
    same = compare.met_records(monthly({"a": ["met", "not_met"], "b": ["not_met", "met"]}))
    assert compare.spread_sentence(same) == "All met it equally often (50%)."
    nothing = compare.met_records(monthly({"a": ["no_data"], "b": ["met"]}))
    assert compare.record_sentence(nothing, "month") == (
        "A had no months judged, B in 1 of 1 (100%)."
    )


AMBULANCE = "nhs-england-ambulance-services-"
EAST = AMBULANCE + "east-midlands-ambulance-service-nhs-trust"


def test_a_good_url_is_shown_as_asked(bundled_reader: None) -> None:
    view = choose_view(
        {"orgs": f"{PWD},{TTD}", "standard": "boston-311-closed-by-target",
         "from": "2015-03", "to": "2015-05"}
    )  # fmt: skip
    assert (view.area, view.orgs, view.standard) == (
        "Boston",
        (PWD, TTD),
        "boston-311-closed-by-target",
    )
    assert (view.first, view.last, view.messages) == (MARCH, dt.date(2015, 5, 1), [])
    repeated = choose_view({"orgs": [PWD, f"{TTD},{PWD}"]})  # a form sends orgs=a&orgs=b
    assert repeated.orgs == (PWD, TTD)
    assert (repeated.first, repeated.last) == (dt.date(2015, 1, 1), dt.date(2015, 12, 1))


def test_bad_values_give_a_default_view_and_say_so(bundled_reader: None) -> None:
    view = choose_view(
        {"orgs": f"nope,{PWD},{EAST}", "standard": "x", "from": "2015-13", "to": "1999-01",
         "colour": "blue"}
    )  # fmt: skip
    assert view.area == "Boston" and view.orgs == (PWD,)
    assert view.standard == "boston-311-closed-by-target"  # the group's one standard
    assert (view.first, view.last) == (dt.date(2015, 1, 1), dt.date(2015, 12, 1))
    assert view.messages == [
        "There is no organisation “nope”; it is left out.",
        "Organisations can be compared only within one area: those outside Boston are left out.",
        "These organisations have no standard “x”; showing the group's standard.",
        "There are no figures for “to” month “1999-01”; showing December 2015 instead.",
        "There are no figures for “from” month “2015-13”; showing January 2015 instead.",
        "Choose at least one more organisation below to compare.",
    ]
    swapped = choose_view(
        {"jurisdiction": "nhs-england-ambulance-services", "from": "2020-06", "to": "2019-06"}
    )
    assert (swapped.first, swapped.last) == (dt.date(2019, 6, 1), dt.date(2020, 6, 1))
    assert swapped.orgs and all(o.startswith(AMBULANCE) for o in swapped.orgs)
    assert swapped.messages == ["The “from” month was after the “to” month; they are swapped."]
    nhs = [f"nhs-england-{s}" for s in ("airedale-nhs-foundation-trust", "badger-ltd")] * 4
    many = choose_view({"orgs": ",".join(nhs + [f"{AMBULANCE}{i}" for i in range(8)])})
    assert len(many.orgs) == 2 and many.area == "NHS England"
    nobody = choose_view({"jurisdiction": "atlantis"})
    assert nobody.area == "Boston" and len(nobody.orgs) == 3
    assert nobody.opened_on == "the best, the middle and the worst"
    assert nobody.messages == ["There is no area “atlantis”; showing Boston instead."]


AIREDALE = "nhs-england-airedale-nhs-foundation-trust"
NORTHUMBRIA = "nhs-england-northumbria-healthcare-nhs-foundation-trust"


def test_two_trusts_at_64_and_88_percent_are_told_apart(bundled_reader: None) -> None:
    # Summed by hand with duckdb over the raw Monthly-AE-*.csv.gz files, July 2024 to June
    # 2025 (the June 2024 file left out), all six attendance columns less the six over-4-hours
    # columns: Airedale (RCF) 78,611 attendances, 28,430 over 4 hours -> 50,181 within
    # (63.8%); Northumbria (RTF) 266,264 and 30,717 -> 235,547 (88.5%). Neither met 95% in
    # any month, which the old page called "All met it equally often (0%)".
    from dashboard.pages import _compare_words as words
    from metrics import standing

    first, last = dt.date(2024, 7, 1), dt.date(2025, 6, 1)
    months = standing.group_months("NHS England", "all-providers", "nhs-ae-4-hours", first, last)
    table = standing.standings(months, 10)
    rows = {r["org_slug"]: r for r in table.iter_rows(named=True)}
    pair = [rows[AIREDALE], rows[NORTHUMBRIA]]
    assert [(r["numerator"], r["denominator"], r["met"], r["judged"]) for r in pair] == [
        (50181, 78611, 0, 12),
        (235547, 266264, 0, 12),
    ]
    assert words.chosen_sentence(pair, "share", lower=False) == (
        "NORTHUMBRIA HEALTHCARE NHS FOUNDATION TRUST did better than AIREDALE NHS FOUNDATION "
        "TRUST: 88.5% against 63.8%, 24.6 percentage points apart."
    )
    asked = {"orgs": f"{AIREDALE},{NORTHUMBRIA}", "peer_group": "all-providers",
             "standard": "nhs-ae-4-hours", "from": "2024-07", "to": "2025-06"}  # fmt: skip
    view = choose_view(asked)

    assert (view.peer_group, view.standard, view.messages) == (
        "all-providers",
        "nhs-ae-4-hours",
        [],
    )


def lead_of(query: dict[str, str]) -> str:
    """The finding under /compare's heading for a query string."""
    from dashboard.pages._compare_chart import finding_lead, group_figures

    view = choose_view(query)
    facts = group_figures(view)
    assert facts is not None
    lead = finding_lead(view, facts, "July 2024 to June 2025")
    assert lead is not None
    return str(lead.children)


def test_the_finding_under_the_heading(bundled_reader: None) -> None:
    # Summed by hand with duckdb over the raw Monthly-AE-*.csv.gz files, July 2024 to June
    # 2025 (the June 2024 file left out), Type 1 attendances with Type 1 booked appointments:
    # Airedale (RCF) 75,808, 28,430 over 4 hours -> 62.5%; the 122 providers with any,
    # 16,782,757 and 6,794,747 -> 59.5%; 62.50 - 59.51 = 3.0 points.
    group = "Across the 122 major emergency departments (Type 1), 59.5% from July 2024 to June"
    alone = lead_of({"orgs": AIREDALE})
    assert alone.startswith(
        "AIREDALE NHS FOUNDATION TRUST: 62.5%, 3.0 percentage points better than the group's "
        f"average (59.5%). {group}"
    )
    # Opened on the group's best, middle and worst: its best and worst are said once, by the
    # group's sentence, not again as 'the best and worst of those compared'.
    opened = lead_of({"jurisdiction": "nhs-england"})
    assert opened.startswith(group) and "compared" not in opened
    assert opened.count("SHEFFIELD CHILDREN'S NHS FOUNDATION TRUST") == 1
    # Three chosen whose best and worst are not the group's: which did best and worst.
    three = lead_of(
        {"orgs": f"{AIREDALE},{NORTHUMBRIA},nhs-england-leeds-teaching-hospitals-nhs-trust"}
    )
    # Northumbria (RTF) 117,401, 30,632 over -> 73.9%; Leeds (RR8) 209,048, 86,016 over ->
    # 58.9%: 73.908 - 58.853 = 15.1 points.
    assert three.startswith(
        "Of the 3 compared, NORTHUMBRIA HEALTHCARE NHS FOUNDATION TRUST did best and LEEDS "
        "TEACHING HOSPITALS NHS TRUST worst: 73.9% against 58.9%, 15.1 percentage points apart. "
        f"{group}"
    )


def test_the_page_says_what_the_figures_are_and_whose_standard(bundled_reader: None) -> None:
    # The catalog's wording of NHS England's Type 1 standard (catalog/nhs-ae-monthly-*.toml)
    # and its publisher, linked to where NHS England publishes it.
    from dashboard.pages._compare_chart import standard_line

    line = standard_line(choose_view({"orgs": AIREDALE}))
    assert line is not None
    said = "".join(c if isinstance(c, str) else str(c.children) for c in line.children)
    assert said == (
        "The standard: 95% of Type 1 (major emergency department) attendances admitted, "
        "transferred or discharged within 4 hours of arrival (against NHS England's standard: "
        "≥ 95%)."
    )
    [link] = [c for c in line.children if not isinstance(c, str)]
    assert link.href.startswith("https://")


def test_a_long_name_wraps_in_the_chart_key_and_stays_whole_in_its_hover() -> None:
    from dashboard.ui.figures import LEGEND_WIDTH, compare_figure

    name = "Best in group: SHEFFIELD CHILDREN'S NHS FOUNDATION TRUST"
    frame = pl.DataFrame({"month": [dt.date(2025, 6, 1)], "value": [0.914]})
    [trace, *_] = compare_figure([(name, "best", frame)], "share", 0.95).data
    lines = trace.name.split("<br>")
    assert len(lines) == 2 and all(len(line) <= LEGEND_WIDTH for line in lines)
    assert " ".join(lines) == name.replace("'", "'")
    assert list(trace.hovertext) == [name]
