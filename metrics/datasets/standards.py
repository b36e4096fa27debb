"""The `standards` dataset: every version of every standard, with who set it and why."""

from __future__ import annotations

import duckdb
import polars as pl

from metrics import queries
from metrics.datasets.base import (
    INT,
    STD,
    B,
    D,
    Dataset,
    Filters,
    N,
    Rows,
    S,
    fields,
)

SOURCES_OF = "SELECT source_id FROM sources WHERE $j IS NULL OR jurisdiction = $j"


def read(f: Filters, con: duckdb.DuckDBPyConnection) -> Rows:
    """The catalogue of standards (`queries.standards`), for a jurisdiction or all."""
    ids = con.sql(SOURCES_OF, params={"j": f.jurisdiction}).pl()["source_id"]
    frame = queries.standards(con).filter(pl.col("source_id").is_in(ids.implode()))
    return frame.with_columns(
        *(
            pl.when(pl.col(n).is_null()).then(pl.lit("[z]")).otherwise(None).alias(n + "_status")
            for n in ("target_percent", "target_value", "valid_to")
        )
    ).select(DATASET.names)


DATASET = Dataset(
    name="standards",
    title="Standards catalogue",
    description="Every version of every standard, with who set it and why.",
    params=("jurisdiction",),
    fields=fields(
        STD, ("version", INT, "Version; a changed standard gets a new one"),
        ("source_id", S, "Catalog entry the standard belongs to"),
        ("wording", S, "The standard in words"), ("measure", S, "What is measured"),
        ("comparator", S, ">= or <="),
        ("target_percent", N, "Share that must meet the standard", "percent"),
        ("target_percent_status", S),
        ("target_value", N, "Value that must be met", "seconds"),
        ("target_value_status", S),
        ("target_from_row", B, "Each row of the source publishes its own target"),
        ("unit", S, "Unit of the figure judged"), ("grain", S, "day, month or fiscal_year"),
        ("set_by", S, "agency (published by the agency) or tracker (set by this site)"),
        ("reason", S, "Why the tracker set it, where it did"),
        ("citation_url", S, "Where the agency publishes it"),
        ("valid_from", D, "First day it applies"), ("valid_to", D, "Last day it applies"),
        ("valid_to_status", S),
    ),
    read=read,
    streamed=False,
)  # fmt: skip
