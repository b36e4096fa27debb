"""Words and marks shared by every page: verdict labels, figures as text, ARIA."""

from __future__ import annotations

from typing import Any

STATUS_LABEL = {"met": "Met", "not_met": "Not met", "not_applicable": "Nothing due"}
STATUS_MARK = {"met": "✓", "not_met": "✗", "not_applicable": "–"}


def aria(**attributes: str) -> dict[str, Any]:
    """ARIA attributes for a Dash component: aria(label="Key") -> {"aria-label": "Key"}."""
    return {f"aria-{name}": value for name, value in attributes.items()}


MONTH_STATUS = {**STATUS_LABEL, "not_applicable": "Not applicable", "no_data": "No data"}


def value_text(value: float | None, unit: str) -> str:
    """A measured value as a reader sees it: '71.1%' for a share, '9:14' for seconds,
    '46,766' for a count, '6.5 days' for days."""
    if value is None:
        return "–"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "days":
        return f"{value:,.1f} days"
    if unit == "seconds":
        minutes, seconds = divmod(round(value), 60)
        return f"{minutes}:{seconds:02d}"
    return f"{value * 100:.1f}%"


MONTH_MARK = {**STATUS_MARK, "no_data": "?"}
