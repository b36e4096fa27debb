"""SQL that reads an aggregate file's figure cells: numbers, missing-value markers,
qualifier columns and the scale a share is written in.

Each figure column i gives three columns: t{i} its text, m{i} the GSS marker its text or
its qualifier stands for (or NULL), and n{i} its number (NULL where a marker stands).
"""

from __future__ import annotations

from ingest.catalog import ObservationSource
from ingest.read import literal, quote


def numeric_columns(source: ObservationSource) -> dict[str, str]:
    """Each measure column and its SQL type: counts are whole numbers, values may not be."""
    types: dict[str, str] = {}
    for m in source.measures:
        for c in m.columns():
            types[c] = "BIGINT"
        for extra in (m.value, m.published_share):
            if extra:
                types[extra] = "DOUBLE"
    return types


def percent_columns(source: ObservationSource) -> set[str]:
    """Published shares written 0 to 100."""
    return {
        m.published_share for m in source.measures if m.published_share and m.scale == "percent"
    }


def marker_sql(source: ObservationSource, column: str) -> str:
    """SQL for the marker a cell stands for: its qualifier's code first, then its own text."""
    arms = []
    qualifier = source.qualifiers.get(column)
    if qualifier is not None:
        arms += [
            f"WHEN trim({quote(qualifier.column)}) = {literal(code)} THEN {literal(marker)}"
            for code, marker in qualifier.codes.items()
        ]
    texts = {**source.markers.get("*", {}), **source.markers.get(column, {})}
    arms += [
        f"WHEN trim({quote(column)}) = {literal(text)} THEN {literal(marker)}"
        for text, marker in texts.items()
    ]
    return f"CASE {' '.join(arms)} END" if arms else "NULL::VARCHAR"


def cells_sql(source: ObservationSource) -> tuple[list[str], str]:
    """The figure columns in order, and SQL selecting t{i}, m{i}, n{i} for each."""
    numeric = numeric_columns(source)
    percent = percent_columns(source)
    parts = []
    separator = source.file.thousands_separator
    for i, column in enumerate(numeric):
        marker = marker_sql(source, column)
        text = f"trim({quote(column)})"
        if separator:
            text = f"replace({text}, {literal(separator)}, '')"
        if column in percent:  # '57.0%' and '57.0' both mean 0.57
            text = f"rtrim({text}, '%')"
        number = f"TRY_CAST({text} AS {numeric[column]})"
        if column in percent:
            number = f"({number} / 100)"
        parts.append(
            f"{quote(column)} AS t{i}, {marker} AS m{i}, "
            f"CASE WHEN {marker} IS NULL THEN {number} END AS n{i}"
        )
    return list(numeric), ", ".join(parts)
