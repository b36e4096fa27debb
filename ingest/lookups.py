"""Lookup files that name a source's codes: read in their own layout, joined by code.

Temp tables `org_lookup (code, name, parent_code)` and `parent_lookup (code, name)` hold
every declared lookup's codes; the first lookup that names a code wins.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.catalog import FileLayout, ObservationSource
from ingest.catalog_rows import LookupSpec
from ingest.read import FileRejected, quote, read_raw
from settings import get_settings


def data_dir_of(path: Path, source: ObservationSource) -> Path:
    """The data folder a source file sits in, found by its catalog pattern's depth."""
    depth = len(Path(source.file.pattern).parts)
    if "**" in source.file.pattern or len(path.parents) < depth:
        return get_settings().data_dir
    return path.parents[depth - 1]


def lookup_file(spec: LookupSpec, data_dir: Path) -> Path:
    """The lookup's file: the last by name of those its pattern matches."""
    found = sorted(p for p in data_dir.glob(spec.pattern) if p.is_file())
    if not found:  # a file checked from elsewhere takes its lookups from the data folder
        found = sorted(p for p in get_settings().data_dir.glob(spec.pattern) if p.is_file())
    if not found:
        raise FileRejected(f"lookup {spec.pattern!r}: no file matches under {data_dir}")
    return found[-1]


def _layout(spec: LookupSpec) -> FileLayout:
    return FileLayout(
        format=spec.format, pattern=spec.pattern, sheet=spec.sheet,
        header_rows=spec.header_rows, first_data_row=spec.first_data_row,
        delimiter=spec.delimiter,
    )  # fmt: skip


def stage_lookups(
    con: duckdb.DuckDBPyConnection, source: ObservationSource, data_dir: Path
) -> None:
    """Create `org_lookup` and `parent_lookup` from the source's lookups (empty if none)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE lookup_rows (applies_to VARCHAR, priority INTEGER, "
        "code VARCHAR, name VARCHAR, parent_code VARCHAR)"
    )
    for priority, spec in enumerate(source.lookups):
        path = lookup_file(spec, data_dir)
        read_raw(con, path, _layout(spec), spec.columns())
        parent = f"nullif(trim({quote(spec.parent_column)}), '')" if spec.parent_column else "NULL"
        con.execute(
            f"""INSERT INTO lookup_rows SELECT $applies, $priority,
                   trim({quote(spec.code_column)}), nullif(trim({quote(spec.name_column)}), ''),
                   {parent}
               FROM raw_file WHERE nullif(trim({quote(spec.code_column)}), '') IS NOT NULL""",  # noqa: S608
            {"applies": spec.applies_to, "priority": priority},
        )
        con.execute("DROP TABLE raw_file")
    # Prefixed names: the joined file's own columns may be called 'code' or 'name'.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE org_lookup AS
           SELECT code AS _lk_code,
                  arg_min(name, priority) FILTER (WHERE name IS NOT NULL) AS _lk_name,
                  arg_min(parent_code, priority) FILTER (WHERE parent_code IS NOT NULL)
                      AS _lk_parent
           FROM lookup_rows WHERE applies_to = 'organisation' GROUP BY code;
           CREATE OR REPLACE TEMP TABLE parent_lookup AS
           SELECT code AS _pl_code,
                  arg_min(name, priority) FILTER (WHERE name IS NOT NULL) AS _pl_name
           FROM lookup_rows WHERE applies_to = 'parent' GROUP BY code"""
    )
    con.execute("DROP TABLE lookup_rows")
