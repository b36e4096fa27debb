"""'Formerly …': the names an organisation was published under before, beside its name."""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import html

from metrics import queries
from metrics.wording import month_name


def formerly_sentence(former: pl.DataFrame) -> str:
    """'Formerly SOUTHERN HEALTH NHS FOUNDATION TRUST (code RW1), until September 2024; under
    this name from October 2024. …' for rows of `queries.former_names`, oldest first."""
    if former.height == 0:
        return ""
    last = former["since"].max()
    parts = [_one(row, row["since"] == last) for row in former.iter_rows(named=True)]
    return "Formerly " + "; and ".join(parts) + ". Its months under each name are one series here."


def _one(row: dict[str, Any], latest: bool) -> str:
    after = "this name" if latest else "its next name"
    return (
        f"{row['published_name']} (code {row['org_code']}), until "
        f"{month_name(row['last_period'])}; under {after} from {month_name(row['since'])}"
    )


def formerly(slug: str) -> list[html.P]:
    """The 'Formerly …' line under an organisation's heading; nothing if it kept its name."""
    text = formerly_sentence(queries.former_names(slug))
    return [html.P(text, className="hint formerly")] if text else []
