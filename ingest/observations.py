"""Load one aggregate agency file: one row per organisation and period, declared measures.

Column names come from the validated catalog and are quoted as identifiers; every value
(formats, codes, patterns) is bound as a parameter.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.catalog import MeasureSpec, ObservationSource
from ingest.cells import cells_sql, numeric_columns
from ingest.lookups import data_dir_of, stage_lookups
from ingest.read import KEPT, LoadCounts, finish, problem, problems, quote, read_raw
from ingest.totals import note_unnamed, total_rows


def _alias(columns: list[str], column: str) -> str:
    return f"n{columns.index(column)}"


def _names_sql(source: ObservationSource, params: dict[str, object]) -> str:
    """SQL for each row's name, parent code and parent name: the file's, else a lookup's."""
    org = source.organisation
    file_name = org_name_sql(source, params)
    parent = f"nullif(trim({quote(org.parent_column)}), '')" if org.parent_column else "NULL"
    parent_name = (
        f"nullif(trim({quote(org.parent_name_column)}), '')" if org.parent_name_column else "NULL"
    )
    parent = f"coalesce({parent}, _lk_parent)"
    return (
        f"coalesce(nullif({file_name}, ''), _lk_name, _code) AS name, "
        f"_lk_name IS NULL AS unnamed, {parent} AS parent_code, "
        f"coalesce({parent_name}, _pl_name, {parent}) AS parent, "
        f"{parent} IS NOT NULL AND _pl_name IS NULL AS parent_unnamed"
    )


def _stage(con: duckdb.DuckDBPyConnection, source: ObservationSource) -> list[str]:
    """Temp table `staged`: parsed code, name, period and numbers beside the raw text."""
    org, per = source.organisation, source.period
    cols, cells = cells_sql(source)
    period_text = period_text_sql(source)
    # A total row is named by the catalog's first total code, however the file spells it.
    totals = [c.upper() for c in org.total_codes]
    params: dict[str, object] = {"totals": totals, "total_code": next(iter(org.total_codes), "")}
    parsed = parsed_period_sql(source, period_text, params)
    service_key = "NULL"
    if source.inventory:
        service_key = f"trim({quote(source.inventory.service_id_column)})"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged AS
        SELECT row_number, excluded_by, _code AS code, {_names_sql(source, params)},
               {period_text} AS period_text, {parsed} AS parsed_period, _is_total AS is_total,
               {service_key} AS service_key, {_key_sql(source)} AS key_text,
               {_row_standard_columns(source)} {_key_parts(source)} {cells}
        FROM (SELECT *, CASE WHEN _is_total THEN $total_code
                             ELSE trim({quote(org.code_column)}) END AS _code
              FROM (SELECT *, list_contains($totals, upper(trim({quote(org.code_column)})))
                              AS _is_total FROM raw_file)) r
        LEFT JOIN org_lookup ON _lk_code = r._code
        LEFT JOIN parent_lookup ON _pl_code = coalesce({_parent_column(source)}, _lk_parent)""",  # noqa: S608
        params,
    )
    con.execute("DROP TABLE raw_file")
    file_period = "(SELECT mode(parsed_period) FROM staged)" if per.one_per_file else "NULL"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged AS
        SELECT *, coalesce(parsed_period, CASE WHEN is_total THEN {file_period} END) AS period,
               {file_period} AS file_period
        FROM staged"""  # noqa: S608
    )
    return cols


def _parent_column(source: ObservationSource) -> str:
    column = source.organisation.parent_column
    return f"nullif(trim(r.{quote(column)}), '')" if column else "NULL"


def key_columns(source: ObservationSource) -> list[str]:
    """The columns that identify a row: declared, or code, period and row standard id."""
    if source.row_key:
        return source.row_key
    rs = source.row_standard.id_columns() if source.row_standard else []
    return [source.organisation.code_column, *source.period.columns, *rs]


def _key_sql(source: ObservationSource) -> str:
    """SQL for a row's key as text: each key column's value, joined by ', '."""
    return (
        "concat_ws(', ', "
        + ", ".join(f"coalesce(trim({quote(c)}), '')" for c in key_columns(source))
        + ")"
    )


def _key_parts(source: ObservationSource) -> str:
    """SQL for the key columns that are neither the code nor the period, as k{i}."""
    org, per = source.organisation, source.period
    return "".join(
        f"trim({quote(c)}) AS k{i}, "
        for i, c in enumerate(source.row_key or [])
        if c != org.code_column and c not in per.columns
    )


def _partition(source: ObservationSource) -> str:
    """What a repeated row repeats: the parsed code and period, and any other key column."""
    org, per = source.organisation, source.period
    if not source.row_key:
        return "code, period" + (", rs_id" if source.row_standard else "")
    return ", ".join(
        "code" if c == org.code_column else "period" if c in per.columns else f"k{i}"
        for i, c in enumerate(source.row_key)
    )


def period_text_sql(source: ObservationSource) -> str:
    """SQL for a row's period text: the period columns, trimmed, joined by a space."""
    return "concat_ws(' ', " + ", ".join(f"trim({quote(c)})" for c in source.period.columns) + ")"


def org_name_sql(source: ObservationSource, params: dict[str, object]) -> str:
    """SQL for a row's organisation name (the English part of a bilingual 'English | Français')."""
    org = source.organisation
    if org.name_column is None:
        return "NULL::VARCHAR"
    name = f"trim({quote(org.name_column)})"
    if org.name_separator:
        params["separator"] = org.name_separator
        return f"trim(split_part({name}, $separator, 1))"
    return name


def parsed_period_sql(source: ObservationSource, text: str, params: dict[str, object]) -> str:
    """SQL for the period a row's text names; binds the format or fiscal month in `params`."""
    per = source.period
    if per.grain == "fiscal_year":  # '2023-2024' starts in $fy_month of its first year
        params["fy_month"] = per.fiscal_year_starts
        return (
            f"CASE WHEN regexp_full_match({text}, '\\d{{4}}-\\d{{4}}') THEN "
            f"make_date(left({text}, 4)::INTEGER, $fy_month, 1) END"
        )
    params["fmt"] = per.format
    return f"try_strptime({text}, $fmt)::DATE"


def _row_standard_columns(source: ObservationSource) -> str:
    """Columns of a row that is itself a published standard (or nothing)."""
    rs = source.row_standard
    if rs is None:
        return ""
    optional = {"rs_citation": rs.citation_column, "rs_verdict": rs.agency_verdict_column}
    extra = "".join(
        f"trim({quote(col)}) AS {alias}, " if col else f"NULL AS {alias}, "
        for alias, col in optional.items()
    )
    ids = [f"nullif(trim({quote(c)}), '')" for c in rs.id_columns()]
    rs_id = f"CASE WHEN {' OR '.join(f'{i} IS NULL' for i in ids)} THEN NULL " + (
        f"ELSE concat_ws(':', {', '.join(ids)}) END"
    )
    target = f"TRY_CAST(trim({quote(rs.target_column)}) AS DECIMAL(12, 6))"
    if rs.target_scale == "percent":
        target = f"{target} / 100"
    return (
        f"{rs_id} AS rs_id, trim({quote(rs.wording_column)}) AS rs_wording, "
        f"trim({quote(rs.service_column)}) AS rs_service, {quote(rs.target_column)} AS rs_text, "
        f"({target})::DECIMAL(9, 4) AS rs_target, {extra}"
    )


def _sum(columns: list[str], names: list[str]) -> str:
    return "(" + " + ".join(_alias(columns, c) for c in names) + ")"


def _fraction(m: MeasureSpec, cols: list[str]) -> tuple[str, str]:
    """SQL for a share measure's numerator and denominator."""
    den = _sum(cols, m.denominator)
    if m.numerator:
        return _sum(cols, m.numerator), den
    return f"({den} - {_sum(cols, m.numerator_is_denominator_minus)})", den


def _checks(source: ObservationSource, cols: list[str]) -> str:
    """SQL for each row's problems: file column, offending text, reason."""
    org, per = source.organisation, source.period
    key = ", ".join(key_columns(source))
    arms = [
        ("code IS NULL", problem(org.code_column, "code", "missing organisation code")),
        ("period IS NULL", problem(per.columns[0], "period_text", "unreadable period")),
        ("dup_rank > 1", problem(key, "key_text", "repeated key in this file")),
    ]
    if per.one_per_file:
        reason = "period differs from the rest of the file"
        arms.append(("period <> file_period", problem(per.columns[0], "period_text", reason)))
    numeric = numeric_columns(source)
    for i, c in enumerate(cols):
        kind = "a whole number" if numeric[c] == "BIGINT" else "a number"
        if source.markers or source.qualifiers:
            kind += " or a declared marker"
        bad = f"t{i} IS NOT NULL AND n{i} IS NULL AND m{i} IS NULL"
        arms.append((bad, problem(c, f"t{i}", f"not {kind}")))
        arms.append((f"n{i} < 0", problem(c, f"t{i}", "negative")))
    rs = source.row_standard
    if rs is not None:
        top = "100" if rs.target_scale == "percent" else "1"
        arms += [
            ("rs_id IS NULL", problem(", ".join(rs.id_columns()), "rs_id", "missing standard id")),
            ("rs_text IS NOT NULL AND rs_target IS NULL",
             problem(rs.target_column, "rs_text", "not a number")),
            ("rs_target < 0 OR rs_target > 1",
             problem(rs.target_column, "rs_text", f"target share outside 0 to {top}")),
        ]  # fmt: skip
    for m in source.measures:
        if m.kind == "share":
            num, den = _fraction(m, cols)
            first = (m.numerator or m.denominator)[0]
            why = f"{m.id}: numerator greater than denominator"
            arms.append((f"{num} > {den}", problem(first, f"{num}", why)))
            if m.numerator_is_denominator_minus:
                minus = _sum(cols, m.numerator_is_denominator_minus)
                why = f"{m.id}: subtracted columns exceed the denominator"
                first = m.numerator_is_denominator_minus[0]
                arms.append((f"{minus} > {den}", problem(first, minus, why)))
    return problems(arms)


def _marker(m: MeasureSpec, cols: list[str], value: str, otherwise: str) -> str:
    """SQL for an observation's marker: none where it has a value; else its cells' markers."""
    cells = [f"m{cols.index(c)}" for c in m.columns()]
    return f"CASE WHEN {value} IS NULL THEN coalesce({', '.join(cells)}, {otherwise}) END"


def _insert(con: duckdb.DuckDBPyConnection, source: ObservationSource, m: MeasureSpec,
            cols: list[str], load_id: int) -> None:  # fmt: skip
    """Insert one measure's observations from the rows with no problem."""
    org = source.organisation
    if m.kind == "share":
        num, den = _fraction(m, cols)
        value = f"CASE WHEN {den} > 0 THEN {num} / {den} END"
        if m.published_share:  # the agency's own figure is the one it judged itself on
            value = f"coalesce({_alias(cols, m.published_share)}, {value})"
        otherwise = f"CASE WHEN {den} IS NULL THEN '[x]' WHEN {den} = 0 THEN '[z]' END"
    elif m.kind == "count":
        num = den = "NULL"
        value, otherwise = _sum(cols, m.counted), "'[x]'"
        if m.applies_to:  # nobody it could count: not applicable, not a perfect zero
            among = _sum(cols, m.applies_to)
            value = f"CASE WHEN {among} > 0 THEN {value} END"
            otherwise = f"CASE WHEN {among} = 0 THEN '[z]' ELSE '[x]' END"
    else:
        num = den = "NULL"
        value, otherwise = _alias(cols, m.value or ""), "'[x]'"
    level = (
        "CASE WHEN is_total THEN 'total' WHEN regexp_matches(code, $region) THEN 'region' "
        "ELSE 'organisation' END"
    )
    end = "last_day(period)"
    if source.period.grain == "fiscal_year":
        end = "(period + INTERVAL 1 YEAR - INTERVAL 1 DAY)::DATE"
    row_std = "NULL, NULL, NULL, NULL, NULL"
    service = "coalesce(inventory_service, $service)"
    if source.row_standard is not None:
        row_std = "rs_id, rs_wording, rs_target, rs_citation, rs_verdict"
        service = "coalesce(inventory_service, rs_service, $service)"
    con.execute(
        f"""INSERT INTO observations
        SELECT $source, $load, row_number, code,
               CASE WHEN is_total THEN coalesce($total_name, name) ELSE name END, {level},
               $measure, {service}, $grain, period, {end}, {num}, {den}, {value},
               $unit, {_marker(m, cols, value, otherwise)}, {row_std}, service_key,
               parent_code, parent
        FROM judged WHERE {KEPT}""",  # noqa: S608
        {"source": source.id, "load": load_id, "region": org.region_code_pattern or "^$",
         "total_name": org.total_name, "measure": m.id, "service": m.service,
         "grain": source.period.grain, "unit": m.unit},
    )  # fmt: skip


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, source: ObservationSource, load_id: int
) -> LoadCounts:
    """Insert the file's good rows into `observations` and its bad rows into `rejects`."""
    stage_lookups(con, source, data_dir_of(path, source))
    read_raw(con, path, source.file, source.required_columns(), source.filters)
    cols = _stage(con, source)
    # A service the inventory lists for the period takes the inventory's name for it.
    # Rows a filter left out are not judged, so they cannot repeat a kept row's key.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE judged AS
        SELECT s.*, i.inventory_service,
               CASE WHEN excluded_by IS NULL THEN {_checks(source, cols)} ELSE [] END
                   AS problems
        FROM (SELECT *, row_number() OVER (PARTITION BY excluded_by IS NULL,
                                           {_partition(source)} ORDER BY row_number)
              AS dup_rank FROM staged) s
        LEFT JOIN (SELECT period_start, service_id, any_value(service) AS inventory_service
                   FROM services WHERE source_id = $source GROUP BY ALL) i
               ON i.period_start = s.period AND i.service_id = s.service_key""",  # noqa: S608
        {"source": source.id},
    )
    for m in source.measures:
        _insert(con, source, m, cols, load_id)
    note_unnamed(con, source, load_id, path.name)
    counts = finish(con, source.id, load_id, path)
    total_rows(con, source, load_id, path.name)
    return counts
