"""The pages whose weight is watched, and what each may transfer: one list for the budget test
(tests/test_budgets.py) and `make bench-web` (benchmarks/bench_web.py).

A budget is the compressed bytes a first visit to the page transfers (headers and bodies as
sent, gzip) once it has drawn everything, charts included. tests/test_budgets.py explains how
the figures were set.
"""

from __future__ import annotations

from dataclasses import dataclass

KB = 1000


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    charts: int  # charts the page draws (each needs plotly.js)
    budget: int  # bytes a first visit transfers, compressed


PAGES = (
    Page("/ (Boston)", "/", 0, 340 * KB),
    Page("NHS England league", "/?jurisdiction=nhs-england", 1, 820 * KB),
    Page(
        "Boston department",
        "/department/boston-public-works-department?month=2015-07",
        2,
        800 * KB,
    ),
    Page(
        "NHS standard",
        "/department/nhs-england-airedale-nhs-foundation-trust/nhs-ae-4-hours",
        1,
        790 * KB,
    ),
    Page("/compare", "/compare", 1, 800 * KB),  # a chart since the compare rebuild: 724 kB
)
