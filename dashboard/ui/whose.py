"""Whose standard a verdict is judged against, said beside the verdict where this tracker set it."""

from __future__ import annotations

import polars as pl
from dash import html

from dashboard.ui.sentences import change_size
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


def linked_note(standard_id: str) -> list[str | html.A]:
    """After a headline: ' (against 95%, a share set by this tracker)', the words linked to
    the methodology's reason; nothing where the agency set the standard."""
    row = tracker_standard(standard_id)
    if row is None:
        return []
    return [" (", html.A(f"against {target_words(row)} set by this tracker", href=WHY), ")"]


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


def agency_target(standard_id: str) -> str:
    """', against NHS England's standard of 95%' (or '≤ 7 min 0 s'); ', against the target
    each service published for itself' where the target comes with each figure."""
    rows = queries.standards().filter(pl.col("standard_id") == standard_id.split(":")[0])
    if not rows.height:
        return ""
    row = rows.row(-1, named=True)
    sources = queries.sources().filter(pl.col("source_id") == row["source_id"])
    publisher = str(sources["publisher"][0]) if sources.height else "the agency"
    if row["target_percent"] is not None:
        return f", against {publisher}'s standard of {row['target_percent']:g}%"
    if row["target_value"] is None:
        return ", against the target each service published for itself"
    sign = comparator_sign(str(row["comparator"]))
    value = float(row["target_value"])
    figure = change_size(value, "seconds") if row["unit"] == "seconds" else f"{value:g}"
    return f", against {publisher}'s standard of {sign} {figure}"


def whose_words(standard_id: str) -> list[str | html.A]:
    """After a glance's headline figure, whose standard it is judged against: the tracker's
    (linked to why, as `linked_note`) or the agency's own, named."""
    return linked_note(standard_id) or [agency_target(standard_id)]
