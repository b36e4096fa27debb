"""Load a source's service inventory: each service's name and declared volumes, by period.

Column names come from the validated catalog and are quoted as identifiers; every value
(formats, markers, ids) is bound as a parameter.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.catalog import InventorySpec, ObservationSource
from ingest.observations import org_name_sql, parsed_period_sql, period_text_sql
from ingest.read import KEPT, LoadCounts, finish, literal, problem, problems, quote, read_raw


def literal_list(texts: list[str]) -> str:
    """Catalog strings as a SQL list literal."""
    return "[" + ", ".join(literal(t) for t in texts) + "]::VARCHAR[]"


def _stage(con: duckdb.DuckDBPyConnection, source: ObservationSource, inv: InventorySpec) -> None:
    """Temp table `staged`: period, organisation, service and each volume's text and number."""
    params: dict[str, object] = {}
    text = period_text_sql(source)
    volumes = "".join(
        f", {quote(col)} AS t{i}, TRY_CAST(trim({quote(col)}) AS BIGINT) AS n{i}"
        for i, col in enumerate(inv.volumes.values())
    )
    volumes += "".join(
        f", nullif(trim({quote(col)}), '') AS s{i}" for i, col in enumerate(inv.stages.values())
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged AS
        SELECT row_number, {text} AS period_text,
               {parsed_period_sql(source, text, params)} AS period,
               nullif(trim({quote(source.organisation.code_column)}), '') AS org_code,
               {org_name_sql(source, params)} AS organisation,
               nullif(trim({quote(inv.service_id_column)}), '') AS service_id,
               nullif(trim({quote(inv.service_name_column)}), '') AS service,
               excluded_by {volumes}
        FROM raw_file""",  # noqa: S608
        params,
    )
    con.execute("DROP TABLE raw_file")


def _checks(source: ObservationSource, inv: InventorySpec) -> str:
    """SQL for each row's problems: file column, offending text, reason."""
    arms = [
        ("service_id IS NULL", problem(inv.service_id_column, "service_id", "missing service id")),
        ("service IS NULL", problem(inv.service_name_column, "service", "missing service name")),
        ("period IS NULL", problem(source.period.columns[0], "period_text", "unreadable period")),
        ("dup_rank > 1", problem(inv.service_id_column, "service_id", "repeated service")),
    ]
    for i, col in enumerate(inv.volumes.values()):
        marked = f"list_contains({literal_list(list(inv.markers))}, trim(t{i}))"
        why = "not a whole number or a declared marker"
        arms.append(
            (f"t{i} IS NOT NULL AND n{i} IS NULL AND NOT {marked}", problem(col, f"t{i}", why))
        )
        arms.append((f"n{i} < 0", problem(col, f"t{i}", "negative")))
    for i, col in enumerate(inv.stages.values()):
        marked = f"list_contains({literal_list(list(inv.markers))}, s{i})"
        bad = f"s{i} IS NOT NULL AND s{i} NOT IN ('Y', 'N') AND NOT {marked}"
        arms.append((bad, problem(col, f"s{i}", "not Y, N or a declared marker")))
    return problems(arms)


def _insert(con: duckdb.DuckDBPyConnection, source: ObservationSource, inv: InventorySpec,
            load_id: int) -> None:  # fmt: skip
    """The good rows: one `services` row each, and one `service_volumes` row per volume."""
    params = {"source": source.id, "load": load_id}
    con.execute(
        f"""INSERT INTO services SELECT $source, $load, row_number, period, org_code,
               organisation, service_id, service
           FROM judged WHERE {KEPT}""",  # noqa: S608
        params,
    )
    for i, volume_id in enumerate(inv.volumes):
        # A blank is not available ([x]); a declared marker's text stands for its status.
        marker = f"coalesce($codes[list_position($texts, trim(t{i}))], '[x]')"
        con.execute(
            f"""INSERT INTO service_volumes SELECT $source, $load, row_number, period, service_id,
                   $volume, n{i}, CASE WHEN n{i} IS NULL THEN {marker} END
               FROM judged WHERE {KEPT}""",  # noqa: S608
            {**params, "volume": volume_id, "texts": list(inv.markers),
             "codes": list(inv.markers.values())},
        )  # fmt: skip
    for i, stage_id in enumerate(inv.stages):
        # Y online, N not; a declared marker's text stands for its status, a blank for [x].
        con.execute(
            f"""INSERT INTO service_stages SELECT $source, $load, row_number, period, service_id,
                   $stage, CASE s{i} WHEN 'Y' THEN true WHEN 'N' THEN false END,
                   CASE WHEN s{i} IS NULL THEN '[x]' WHEN s{i} NOT IN ('Y', 'N') THEN
                        $codes[list_position($texts, s{i})] END
               FROM judged WHERE {KEPT}""",  # noqa: S608
            {**params, "stage": stage_id, "texts": list(inv.markers),
             "codes": list(inv.markers.values())},
        )  # fmt: skip


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, source: ObservationSource, load_id: int
) -> LoadCounts:
    """Insert the inventory's good rows into `services` and `service_volumes`; bad ones reject."""
    inv = source.inventory
    if inv is None:
        raise ValueError(f"{source.id} declares no inventory")
    layout = source.file.model_copy(update={"pattern": inv.pattern})
    read_raw(con, path, layout, source.inventory_columns())
    _stage(con, source, inv)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE judged AS
        SELECT *, {_checks(source, inv)} AS problems
        FROM (SELECT *, row_number() OVER (PARTITION BY period, service_id ORDER BY row_number)
              AS dup_rank FROM staged)""",  # noqa: S608
    )
    _insert(con, source, inv, load_id)
    return finish(con, source.id, load_id, path)
