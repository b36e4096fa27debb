"""Whose standard a verdict is judged against, said beside the verdict where this tracker set it."""

from __future__ import annotations

from dash import html

from dashboard.ui.sentences import change_size
from dashboard.ui.text import value_text
from metrics import queries
from metrics.wording import comparator_sign

WHY = "/methodology#set-by-tracker"


def tracker_standard(standard_id: str) -> dict[str, object] | None:
    """The latest version of a standard this tracker set (a row of `queries.standards_set_by`), or
    None where the agency published it; 'gc:1008' is looked up as its catalog standard 'gc'."""
    frame = queries.standards_set_by()
    rows = [r for r in frame.iter_rows(named=True) if r["standard_id"] == standard_id.split(":")[0]]
    return rows[-1] if rows and rows[-1]["set_by"] == "tracker" else None


def target_words(row: dict[str, object]) -> str:
    """'95%, a share' or '≤ 420 seconds, a time'."""
    if row["target_percent"] is not None:
        return f"{row['target_percent']:g}%, a share"
    return f"{comparator_sign(str(row['comparator']))} {row['target_value']:g} seconds, a time"


def caption_note(standard_id: str) -> str:
    """' (against 95%, a share set by this tracker)' for a table's or chart's caption; ''."""
    row = tracker_standard(standard_id)
    return f" (against {target_words(row)} set by this tracker)" if row else ""


def agency_standard(standard_id: str, area: str | None = None) -> dict[str, object] | None:
    """The latest version of a standard an agency published, with its publisher (its
    source's), or None where this tracker set it; for 'all' (an area's several standards
    pooled), the area's first, where an agency published every one of them."""
    sources = queries.sources()
    frame = queries.standards()
    if standard_id == "all":
        ids = sources.filter(jurisdiction=area)["source_id"]
        frame = frame.filter(frame["source_id"].is_in(ids.implode()))
    else:
        frame = frame.filter(standard_id=standard_id.split(":")[0])
    if not frame.height or (frame["set_by"] != "agency").any():
        return None
    row = frame.row(0 if standard_id == "all" else -1, named=True)
    publisher = sources.filter(source_id=row["source_id"])["publisher"]
    return {**row, "publisher": str(publisher[0]) if publisher.len() else "the agency"}


def agency_target(row: dict[str, object]) -> str:
    """'≥ 95%', '≤ 7 minutes' (as a sentence says a time), '≤ 0' or 'each service's own
    target'."""
    sign = comparator_sign(str(row["comparator"]))
    if row["target_from_row"]:
        return "each service's own published target"
    if row["target_percent"] is not None:
        return f"{sign} {row['target_percent']:g}%"
    value, unit = float(str(row["target_value"])), str(row["unit"])
    return f"{sign} {change_size(value, unit) if unit == 'seconds' else value_text(value, unit)}"


def linked_note(standard_id: str, area: str | None = None) -> list[str | html.A]:
    """After a verdict's headline, whose standard it is: ' (against 95%, a share set by this
    tracker)', linked to the methodology's reason; ' (against NHS England's standard: ≥ 95%)',
    linked to where the agency publishes it. For an area's several standards ('all'), where
    an agency published them all: ' (against NHS England's standards)'."""
    row = tracker_standard(standard_id)
    if row is not None:
        return [" (", html.A(f"against {target_words(row)} set by this tracker", href=WHY), ")"]
    agency = agency_standard(standard_id, area)
    if agency is None:
        return []
    whose = f"{agency['publisher']}'s standard"
    if agency["target_from_row"]:  # each department's own, gathered by the publisher
        return [" (against ", html.A("each department's own published standard",
                                     href=str(agency["citation_url"])), ")"]  # fmt: skip
    if standard_id == "all":
        return [" (against ", html.A(f"{whose}s", href=str(agency["citation_url"])), ")"]
    link = html.A(whose, href=str(agency["citation_url"]))
    return [" (against ", link, f": {agency_target(agency)})"]


def note(standard_id: str) -> list[html.Details]:
    """Beside a headline, one line that opens: 'Judged against 95%, a share set by this
    tracker, not by the agency', then <why>, with a link to the methodology's reason; nothing
    where the agency set the standard."""
    row = tracker_standard(standard_id)
    if row is None:
        return []
    return [
        html.Details(
            [
                html.Summary(
                    f"Judged against {target_words(row)} set by this tracker, not by the agency"
                ),
                html.P(
                    [
                        f"{row['reason']} ",
                        html.A("Why this tracker sets a standard", href=WHY),
                        ".",
                    ]
                ),
            ],
            className="whose-standard",
        )
    ]


def whose_words(standard_id: str) -> list[str | html.A]:
    """After a glance's headline figure, whose standard it is judged against: the tracker's
    (linked to why) or the agency's own, named and linked to where it publishes it."""
    return linked_note(standard_id)
