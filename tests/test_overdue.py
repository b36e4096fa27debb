"""A source is overdue once the next period's figures are later than its declared lag."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from metrics import queries


@pytest.mark.parametrize(("today", "overdue"), [((2025, 8, 15), False), ((2025, 8, 16), True)])
def test_nhs_ae_is_overdue_after_july_figures_are_late(
    bundled_con: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    today: tuple[int, int, int],
    overdue: bool,
) -> None:
    # Figures to June 2025; July 2025 ends on the 31st, and NHS England publishes within
    # 15 days (the catalog's publication_lag_days), so July's are due by 15 August 2025.
    monkeypatch.setattr(queries, "today", lambda: dt.date(*today))
    row = queries.sources(bundled_con).filter(source_id="nhs-ae-monthly").row(0, named=True)
    assert row["next_due"] == dt.date(2025, 8, 15)
    assert row["overdue"] is overdue
