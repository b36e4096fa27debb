"""The downloadable datasets, each declared once in its own module: SQL, fields, parameters.

`DATASETS` is the registry the download routes, the data package, the OpenAPI document and
the `/data` page are all generated from. A dataset's rows come back either as a polars frame
(small ones, built by the same `metrics.queries` function the page calls) or as bound SQL to
stream in batches (`records`, `observations`, `daily`, `cases`, `rejects`, which can run to
millions of rows).

A `*_status` column carries the GSS marker for a value that is missing or qualified: [x] not
available, [z] not applicable, [p] provisional, [r] revised, [u] low reliability.
"""

from __future__ import annotations

from metrics.datasets import (
    cases,
    daily,
    days_met,
    league,
    measures,
    observations,
    records,
    rejects,
    sources,
    standards,
)
from metrics.datasets.base import Dataset, Field, Filters, Rows, SqlQuery

DATASETS: dict[str, Dataset] = {
    module.DATASET.name: module.DATASET
    for module in (
        league,
        records,
        observations,
        days_met,
        daily,
        cases,
        measures,
        standards,
        sources,
        rejects,
    )
}

__all__ = ["DATASETS", "Dataset", "Field", "Filters", "Rows", "SqlQuery"]
