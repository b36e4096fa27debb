"""Measures over one standard's series of judged periods, oldest first.

Statuses are 'met', 'not_met', 'no_data' and 'not_applicable'. No data and not applicable
are never counted as met or missed. In runs, a not-applicable period (nothing due) is
passed over, while a period with no data ends the run: we cannot say it was missed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MetRecord:
    """Days-met or months-met record: counts of each verdict, and coverage."""

    met: int
    not_met: int
    no_data: int
    not_applicable: int

    @property
    def judged(self) -> int:
        return self.met + self.not_met

    @property
    def coverage(self) -> float | None:
        """judged / (judged + no data); None when nothing should have reported."""
        expected = self.judged + self.no_data
        return self.judged / expected if expected else None


def met_record(statuses: Sequence[str]) -> MetRecord:
    """Count each verdict."""
    return MetRecord(*(sum(1 for s in statuses if s == k) for k in STATUSES))


STATUSES = ("met", "not_met", "no_data", "not_applicable")


def last_met(periods: Sequence[dt.date], statuses: Sequence[str]) -> dt.date | None:
    """The latest period whose standard was met ('Standard last met on …')."""
    met = [p for p, s in zip(periods, statuses, strict=True) if s == "met"]
    return max(met) if met else None


def _miss_runs(statuses: Sequence[str]) -> list[int]:
    runs, current = [], 0
    for status in statuses:
        if status == "not_met":
            current += 1
        elif status in ("met", "no_data"):
            runs.append(current)
            current = 0
    return [*runs, current]


def current_miss_run(statuses: Sequence[str]) -> int:
    """Judged periods missed in a row up to the latest, not-applicable ones passed over."""
    return _miss_runs(statuses)[-1]


def longest_miss_run(statuses: Sequence[str]) -> int:
    """The longest run of judged periods missed in a row."""
    return max(_miss_runs(statuses))


def volume_weighted(numerators: Sequence[int], denominators: Sequence[int]) -> float | None:
    """Performance pooled over the period: all on time / all due."""
    total = sum(denominators)
    return sum(numerators) / total if total else None


def record_disagrees(record: MetRecord, weighted: float | None, target: float) -> bool:
    """True when pooled performance and the met record point opposite ways.

    A month can meet the target on average while failing most days, or the reverse.
    """
    if weighted is None or record.judged == 0:
        return False
    return (weighted >= target) != (record.met * 2 > record.judged)


def shift_year(period: dt.date) -> dt.date:
    """The same period a year earlier (29 February becomes 28 February)."""
    try:
        return period.replace(year=period.year - 1)
    except ValueError:
        return period.replace(year=period.year - 1, day=28)


def changes(
    values: Mapping[dt.date, float | None], period: dt.date, previous: dt.date
) -> tuple[float | None, float | None]:
    """Change on the previous period and on the same period a year earlier (None where the
    data does not allow it)."""
    now = values.get(period)

    def diff(other: dt.date) -> float | None:
        then = values.get(other)
        return None if now is None or then is None else now - then

    return diff(previous), diff(shift_year(period))
