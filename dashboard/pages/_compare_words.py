"""`/compare` in sentences: which organisation did better and by how much, and where each
stands beside its peer group's average, best and worst. Figures are volume-weighted
performance over the months compared (see metrics.standing)."""

from __future__ import annotations

from typing import Any

from dashboard.ui.sentences import change_size, group_noun
from dashboard.ui.text import value_text

Row = dict[str, Any]


def better(a: float, b: float, lower: bool) -> bool:
    """Whether figure a is better than b (lower for a time, higher for a share)."""
    return a < b if lower else a > b


def apart(a: Row, b: Row, unit: str) -> str:
    """'88.5% against 63.8%, 24.6 percentage points apart'."""
    gap = change_size(a["performance"] - b["performance"], unit)
    first, second = value_text(a["performance"], unit), value_text(b["performance"], unit)
    return f"{first} against {second}, {gap} apart"


def extremes(rows: list[Row], lower: bool) -> tuple[Row, Row]:
    """The best and the worst of rows that all have a figure."""
    ordered = sorted(rows, key=lambda r: r["performance"], reverse=not lower)
    return ordered[0], ordered[-1]


def chosen_sentence(rows: list[Row], unit: str, lower: bool) -> str | None:
    """Which of the chosen did better, and by how much: 'A did better than B: 88.5% against
    63.8%, 24.6 percentage points apart.'; of three or more, the best and the worst."""
    judged = [r for r in rows if r["performance"] is not None]
    if len(judged) < 2:
        return None
    top, bottom = extremes(judged, lower)
    if top["performance"] == bottom["performance"]:
        return f"All {len(judged)} did equally well: {value_text(top['performance'], unit)}."
    if len(judged) == 2:
        who = f"{top['organisation']} did better than {bottom['organisation']}"
        return f"{who}: {apart(top, bottom, unit)}."
    return (
        f"Of the {len(judged)} compared, {top['organisation']} did best and "
        f"{bottom['organisation']} worst: {apart(top, bottom, unit)}."
    )


def against_average(row: Row, average: float, unit: str, lower: bool) -> str:
    """'A: 63.8%, 10.3 percentage points worse than the group's average (74.1%)'."""
    figure = value_text(row["performance"], unit)
    if row["performance"] == average:
        return f"{row['organisation']}: {figure}, the same as the group's average"
    word = "better" if better(row["performance"], average, lower) else "worse"
    gap = change_size(row["performance"] - average, unit)
    return (
        f"{row['organisation']}: {figure}, {gap} {word} than the group's average "
        f"({value_text(average, unit)})"
    )


def group_sentence(
    label: str, members: int, average: float | None, best: Row | None, worst: Row | None,
    unit: str, span: str,
) -> str | None:  # fmt: skip
    """'Across the 125 major emergency departments (Type 1), 59.5% from July 2024 to June
    2025, every case pooled; the best was A (91.4%), the worst B (42.2%).'"""
    if average is None:
        return None
    text = f"Across the {members} {group_noun(label)}, {value_text(average, unit)} from {span}"
    text += ", every case pooled" if unit == "share" else ""
    if best and worst and best["org_slug"] != worst["org_slug"]:
        text += (
            f"; the best was {best['organisation']} ({value_text(best['performance'], unit)}), "
            f"the worst {worst['organisation']} ({value_text(worst['performance'], unit)})"
        )
    return text + "."


def finding(rows: list[Row], average: float | None, unit: str, lower: bool) -> str | None:
    """The chart's title: the chosen one against the group's average, or which did better."""
    judged = [r for r in rows if r["performance"] is not None]
    if len(judged) == 1 and average is not None:
        return against_average(judged[0], average, unit, lower)
    sentence = chosen_sentence(judged, unit, lower)
    return sentence.removesuffix(".") if sentence else None
