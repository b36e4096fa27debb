"""Load one aggregate agency file: one row per organisation and period, declared measures.

Column names come from the validated catalog and are quoted as identifiers; every value
(formats, codes, patterns) is bound as a parameter.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.catalog import MeasureSpec, ObservationSource
from ingest.read import LoadCounts, finish, problem, problems, quote, read_raw


def _numeric_columns(source: ObservationSource) -> dict[str, str]:
    """Each measure column and its SQL type: counts are whole numbers, values may not be."""
    types: dict[str, str] = {}
    for m in source.measures:
        for c in m.columns():
            types[c] = "BIGINT"
        for extra in (m.value, m.published_share):
            if extra:
                types[extra] = "DOUBLE"
    return types


def _alias(columns: list[str], column: str) -> str:
    return f"n{columns.index(column)}"


def _stage(con: duckdb.DuckDBPyConnection, source: ObservationSource) -> list[str]:
    """Temp table `staged`: parsed code, name, period and numbers beside the raw text."""
    org, per = source.organisation, source.period
    numeric = _numeric_columns(source)
    cols = list(numeric)
    casts = ", ".join(
        f"{quote(c)} AS t{i}, TRY_CAST(trim({quote(c)}) AS {numeric[c]}) AS n{i}"
        for i, c in enumerate(cols)
    )
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
        SELECT row_number,
               CASE WHEN is_total THEN $total_code ELSE trim({quote(org.code_column)}) END
                   AS code,
               {org_name_sql(source, params)} AS name, {period_text} AS period_text,
               {parsed} AS parsed_period, is_total, {service_key} AS service_key,
               {_row_standard_columns(source)} {casts}
        FROM (SELECT *, list_contains($totals, upper(trim({quote(org.code_column)}))) AS is_total
              FROM raw_file)""",  # noqa: S608
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


def period_text_sql(source: ObservationSource) -> str:
    """SQL for a row's period text: the period columns, trimmed, joined by a space."""
    return "concat_ws(' ', " + ", ".join(f"trim({quote(c)})" for c in source.period.columns) + ")"


def org_name_sql(source: ObservationSource, params: dict[str, object]) -> str:
    """SQL for a row's organisation name (the English part of a bilingual 'English | Français')."""
    org = source.organisation
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
    return (
        f"trim({quote(rs.id_column)}) AS rs_id, trim({quote(rs.wording_column)}) AS rs_wording, "
        f"trim({quote(rs.service_column)}) AS rs_service, {quote(rs.target_column)} AS rs_text, "
        f"TRY_CAST(trim({quote(rs.target_column)}) AS DECIMAL(9, 4)) AS rs_target, {extra}"
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
    arms = [
        ("code IS NULL", problem(org.code_column, "code", "missing organisation code")),
        ("period IS NULL", problem(per.columns[0], "period_text", "unreadable period")),
        ("dup_rank > 1", problem(org.code_column, "code", "repeated key in this file")),
    ]
    if per.one_per_file:
        reason = "period differs from the rest of the file"
        arms.append(("period <> file_period", problem(per.columns[0], "period_text", reason)))
    numeric = _numeric_columns(source)
    for i, c in enumerate(cols):
        kind = "a whole number" if numeric[c] == "BIGINT" else "a number"
        arms.append((f"t{i} IS NOT NULL AND n{i} IS NULL", problem(c, f"t{i}", f"not {kind}")))
        arms.append((f"n{i} < 0", problem(c, f"t{i}", "negative")))
    rs = source.row_standard
    if rs is not None:
        arms += [
            ("rs_id IS NULL", problem(rs.id_column, "rs_id", "missing standard id")),
            ("rs_text IS NOT NULL AND rs_target IS NULL",
             problem(rs.target_column, "rs_text", "not a number")),
            ("rs_target < 0 OR rs_target > 1",
             problem(rs.target_column, "rs_text", "target share outside 0 to 1")),
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


def _insert(con: duckdb.DuckDBPyConnection, source: ObservationSource, m: MeasureSpec,
            cols: list[str], load_id: int) -> None:  # fmt: skip
    """Insert one measure's observations from the rows with no problem."""
    org = source.organisation
    if m.kind == "share":
        num, den = _fraction(m, cols)
        value = f"CASE WHEN {den} > 0 THEN {num} / {den} END"
        marker = f"CASE WHEN {den} IS NULL THEN '[x]' WHEN {den} = 0 THEN '[z]' END"
        if m.published_share:  # the agency's own figure is the one it judged itself on
            published = _alias(cols, m.published_share)
            value = f"coalesce({published}, {value})"
            marker = f"CASE WHEN {published} IS NOT NULL THEN NULL ELSE {marker} END"
    else:
        num = den = "NULL"
        value = _alias(cols, m.value or "")
        marker = f"CASE WHEN {value} IS NULL THEN '[x]' END"
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
               $unit, {marker}, {row_std}, service_key
        FROM judged WHERE len(problems) = 0""",  # noqa: S608
        {"source": source.id, "load": load_id, "region": org.region_code_pattern or "^$",
         "total_name": org.total_name, "measure": m.id, "service": m.service,
         "grain": source.period.grain, "unit": m.unit},
    )  # fmt: skip


def load_file(
    con: duckdb.DuckDBPyConnection, path: Path, source: ObservationSource, load_id: int
) -> LoadCounts:
    """Insert the file's good rows into `observations` and its bad rows into `rejects`."""
    read_raw(con, path, source.file, source.required_columns())
    cols = _stage(con, source)
    key = "code, period" + (", rs_id" if source.row_standard else "")
    # A service the inventory lists for the period takes the inventory's name for it.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE judged AS
        SELECT s.*, i.inventory_service, {_checks(source, cols)} AS problems
        FROM (SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY row_number)
              AS dup_rank FROM staged) s
        LEFT JOIN (SELECT period_start, service_id, any_value(service) AS inventory_service
                   FROM services WHERE source_id = $source GROUP BY ALL) i
               ON i.period_start = s.period AND i.service_id = s.service_key""",  # noqa: S608
        {"source": source.id},
    )
    for m in source.measures:
        _insert(con, source, m, cols, load_id)
    return finish(con, source.id, load_id, path)
