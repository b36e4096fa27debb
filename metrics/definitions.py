"""Plain-English definitions of every measure and standard field, shown on the methodology
page; a test checks that each measure the metrics layer computes is defined here."""

from __future__ import annotations

MEASURES: dict[str, str] = {
    "Due": "A request is due on the local day its target time falls on. Requests with no "
    "target are counted as 'no target' and never judged.",
    "On time": "A due request closed at or before its target time. One still open, or closed "
    "after its target, is late.",
    "Met / not met": "A day is met when on_time × 100 ≥ target percent × due, compared exactly "
    "in whole numbers, never rounded. A monthly figure is met when it reaches the published "
    "target (a share at or above it, or a time at or below it).",
    "Not applicable": "Nothing was due (or the agency reported zero activity, marked [z]). "
    "Never counted as met or missed.",
    "No data": "A figure should have been reported and no valid one arrived (marked [x]). "
    "Never counted as met or missed, never filled in.",
    "Days-met record": "For a month: days met, days not met, days not applicable. 'Met its "
    "standard on 1 of 23 days in July 2015' counts only the judged days.",
    "Months-met record": "For a monthly standard: months met of months judged from the first "
    "month of the series, with coverage = judged / (judged + no data).",
    "Pooled performance": "All requests on time / all requests due over the month. Shown "
    "beside the days-met record, with a note when the two point opposite ways.",
    "Last met, runs of misses": "The latest day the standard was met, and how many judged "
    "days in a row it was missed; days with nothing due are passed over, days with no data "
    "end a run.",
    "League table": "Organisations of one area by share of judged periods met: a month of "
    "days for daily standards, or the 12 months to the chosen month for monthly standards.",
    "Peer group": "Organisations compared like with like, declared in the catalog: a "
    "league's ranks, bands, funnel and headline use only the group's members (peer_group= in "
    "the address; the area's first group by default). A group is compared on one standard, "
    "or on each of its area's; its members in a league window are those judged on a named "
    "standard in the window, or whose names match a pattern, leaving out the members of "
    "groups declared before it (NHS England: major emergency departments on their Type 1 "
    "attendances; the rest, urgent treatment centres, minor injury units and walk-in "
    "centres, on all attendances; and every provider together).",
    "Type 1 within 4 hours": "NHS England's figure for major emergency departments alone: "
    "Type 1 attendances (booked appointments included) less those over 4 hours, of all "
    "Type 1 attendances; judged against the same 95% standard as all types.",
    "Wilson interval": "The 95% Wilson score interval around each share met: the range the "
    "share would plausibly take by chance alone.",
    "Funnel-plot band": "Each organisation is compared with the pooled share allowing for "
    "its number of judged periods (arcsine transform, 99.8% limits, adjusted for "
    "overdispersion as Spiegelhalter 2005): above expected, within expected range, or "
    "below expected. Rank order alone is mostly noise.",
    "Low reliability [u]": "An organisation with fewer judged periods than the minimum is "
    "shown, marked [u], and left out of bands and ranks.",
    "Change on previous period": "The month's figure less the previous period's, and less "
    "the same period a year earlier; left blank where either figure is missing, never "
    "estimated.",
    "Volume": "How many came in: requests received (opened) in the month; A&E or emergency "
    "care attendances (every attendance the 4-hour share counts); ambulance calls answered "
    "and incidents, in all and by category (AmbSYS A1, A7, A8 and A10 to A12); or "
    "applications in the fiscal year: the scale behind a percentage. Where a file has no "
    "total row, the area's volume is the sum of its organisations'. Neither more nor fewer "
    "is better. Shown with the change on the same period a year earlier where the warehouse "
    "holds it. Each measure a standard judges names its volume in the catalog (the 4-hour "
    "share its attendances, a category's response time that category's incidents, a "
    "Canadian service standard its department's applications; a case-level standard the "
    "requests received): the league and the compare page show it summed over their periods "
    "and the organisation's services with a figure, with the change on the same periods a "
    "year earlier only where every one of them has its figure.",
    "Backlog past target": "For a case-level source: requests open at the end of the month "
    "(the first moment of the next) whose target time had passed. A request closed exactly "
    "at the month's end is not counted. Median days overdue is the median, over that "
    "backlog, of the days from each request's target to the month's end.",
    "Time to close": "For the requests closed in the month: the median and 90th centile of "
    "days from open to close (linear interpolation between ranks, as Excel's "
    "PERCENTILE.INC), read against the median target time (target minus open) of those "
    "closed with a target.",
    "Provisional [p]": "A month the data ends inside: its backlog is counted at the data's "
    "as-of time and its volumes and times cover only part of it.",
    "Digital take-up": "Where a service inventory publishes applications by channel: a "
    "service's online applications / all its applications, and a department's across its "
    "services weighted by volume (the services with both figures). A service with no "
    "online channel (online applications 'not applicable') has none online; one whose online "
    "figure is missing is left out, never counted as none. A department's figure is ranked "
    "among its peer group's members with one that year, highest first, ties sharing a rank "
    "(in the measures download as online-share-rank: the rank, of how many ranked).",
    "Stages online": "Of a service's stages (account registration, authentication, "
    "application, decision, issuance, feedback), those offered online out of those that "
    "apply to it; a stage marked not applicable is left out.",
    "12-hour waits from decision to admit": "NHS England's count of patients who waited "
    "over 12 hours in A&E from a decision to admit to admission. The standard allows none "
    "(≤ 0); a provider with no A&E attendances that month is not applicable. Its source is "
    "not confirmed: we found no published statement of this expectation (in the NHS "
    "Constitution's handbook or the NHS Standard Contract), so its citation is NHS England's "
    "A&E statistics page, which publishes the count each month.",
    "Rank": "Organisations placed by share of judged periods met, ties sharing a rank. Shown "
    "for completeness; the funnel-plot band is the fairer comparison.",
    "Statistical process control": "As NHS England's Making Data Count: limits at the mean "
    "± 2.66 × the average moving range (ranges of 3.267 × the average or more left out); "
    "special cause when a point is outside the limits, 7 points in a row on one side of the "
    "mean, 7 rising or falling in a row, or 2 of 3 beyond two thirds of the way to a limit. "
    "A gap in the series ends every run and is never filled.",
    "Variation": "Read from the latest point: special cause improvement or concern when a "
    "rule flags it and it lies on the better or worse side, neutral where neither direction "
    "is better, otherwise common cause (no significant change).",
    "Change and trend in the league": "Each league row's latest period (the league month, "
    "or the fiscal year) against the period before and the same period a year earlier: "
    "percentage points for a share, seconds for a time; for a monthly standard the month "
    "itself, not the 12-month window. The verdict is the variation of the organisation's "
    "series up to that period: improving, deteriorating (in the standard's direction: a "
    "falling time improves), no significant change, or not enough data (fewer than two "
    "figures, or none for the period). A change is called better or worse only when the "
    "verdict agrees; otherwise it is within the usual variation, or against the trend.",
    "Assurance": "Whether the process will consistently pass, consistently fail, or sometimes "
    "pass and sometimes fail its target, judged from where the target lies against the "
    "limits.",
}

STANDARD_FIELDS: dict[str, str] = {
    "standard_id": "A stable identifier; a changed standard is a new version of the same id.",
    "version": "Which version of the standard, in force from its own date.",
    "wording": "The standard in plain English, as published.",
    "measure": "What is measured: share on time, share within a time, mean, 90th centile.",
    "comparator": "'>=' when higher is better, '<=' when lower is better.",
    "target": "The target share or value; for some sources each row carries its own.",
    "grain": "How often it is judged: each day, each month or each fiscal year.",
    "set_by": "Published by the agency (with a citation) or set by this tracker (with why).",
    "unit": "What the figure is in: a share (shown as a percentage) or seconds (shown in "
    "minutes where whole).",
    "reason": "Why this tracker set the standard, where the agency published none.",
    "citation_url": "Where the agency publishes the standard, when it set it.",
    "valid_from / valid_to": "The dates between which this version is in force.",
}

TABLES: dict[str, str] = {
    "source_facts": "Per source: the data-as-of time, the first and last day with requests "
    "opened, and when a file was last received.",
    "service_days": "One row per service and local day: requests due, on time, with no target, "
    "and the day's verdict.",
    "days_met": "One row per service and month: days met, not met and not applicable.",
    "judgements": "Every judged standard-period, daily, monthly or yearly, in one shape: the "
    "records download.",
    "measures": "Every measure in one shape: one row per organisation, service, measure and "
    "period, with value, numerator, denominator, unit, which way is better, any target, a "
    "status marker, and the figure a year earlier: the measures download.",
    "reconciliation": "A source that republishes another's figures, checked figure by figure "
    "against it.",
    "league": "Organisations of an area per league window and peer group, with intervals, "
    "bands and ranks among the group's members, and each one's volume over the window.",
    "standard_volumes": "Which count gives each standard's volume: the one its measure names "
    "in the catalog (requests received for a case-level source; for 'all', the count every "
    "standard of the area shares, where they share one).",
    "group_trends": "Each peer group's pooled figure for each period of each standard (all "
    "within the standard / all judged, or the mean of its members' figures for a time), its "
    "change on the period before and its SPC verdict: the trend a league's headline states.",
    "peer_group_members": "Who is in each peer group in each league window, by the group's "
    "membership rule.",
    "met_records": "One row per standard and month: the met record with coverage, last met, "
    "runs of misses, pooled performance, the disagreement flag and the changes on the "
    "previous period and a year earlier. For a monthly standard the record runs from the "
    "first month of the series.",
    "spc_points": "Each point of each organisation's monthly series with its limits and the "
    "special-cause rules it breaks.",
    "organisation_names": "Every name and code each organisation was published under, with its "
    "first and last month; a former name (declared in the catalog's lineage, with the first "
    "month under the next name) is part of the same organisation's one series.",
    "case_due_days": "Per service and local day of their target: requests due and on time. "
    "With the case_ tables below, the facts every requests measure is built from; a day's "
    "file recomputes them from the month of its earliest request on and keeps the rest.",
    "case_no_target_days": "Per service and day opened: requests with no target time.",
    "case_received": "Per service and month opened: requests received.",
    "case_resolved": "Per service and month closed: requests closed, the median and 90th "
    "centile days to close, and the median target in days.",
    "case_backlog": "Per service and month: requests open past their target at the month's "
    "end (or at the data-as-of time) and their median days overdue.",
    "case_open": "Requests still open with a target, counted per service, month opened and "
    "target time: each month's backlog from its target on counts them.",
    "case_span": "Per source and month opened: the first and last open time and the last "
    "close time (for the data-as-of time).",
    "spc_verdicts": "Each monthly series' limits, variation and assurance verdicts and their "
    "sentences.",
}
"""The measure tables ingest builds; pages and downloads read only these."""
