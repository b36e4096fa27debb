"""What a load reports beside its rows, and the area total it may compute.

Codes no lookup named are noted; the area total is the sum of organisation rows where the
file has no total row, and where it has one the two are reconciled (any difference noted).
"""

from __future__ import annotations

import duckdb

from ingest.catalog import ObservationSource
from ingest.read import KEPT


def note_unnamed(
    con: duckdb.DuckDBPyConnection, source: ObservationSource, load_id: int, file_name: str
) -> None:
    """Note each code of a loaded row that the lookups did not name (it shows as its code)."""
    kinds = {spec.applies_to for spec in source.lookups}
    con.execute(
        f"""INSERT INTO load_notes SELECT $source, $load, $file, 'no name', code, count(*)
        FROM (SELECT code FROM judged WHERE $orgs AND unnamed AND NOT is_total AND {KEPT}
              UNION ALL
              SELECT parent_code FROM judged WHERE $parents AND parent_unnamed AND {KEPT})
        GROUP BY code ORDER BY code""",  # noqa: S608
        {"source": source.id, "load": load_id, "file": file_name,
         "orgs": "organisation" in kinds or source.organisation.name_column is None,
         "parents": "parent" in kinds},
    )  # fmt: skip


SUMS = """
SELECT measure_id, service, grain, period_start, period_end, unit,
       sum(numerator)::BIGINT AS num, sum(denominator)::BIGINT AS den
FROM observations WHERE load_id = $load AND org_level = 'organisation'
     AND denominator IS NOT NULL
GROUP BY ALL
"""


def total_rows(
    con: duckdb.DuckDBPyConnection, source: ObservationSource, load_id: int, file_name: str
) -> None:
    """Where asked: add the summed total where the file has none, else note any difference.

    A share's total sums its counts; a count's (attendances) sums the organisations' counts,
    and is not available [x] in a period where any organisation's count is missing."""
    org = source.organisation
    if not org.computed_total:
        return
    params = {"source": source.id, "load": load_id, "file": file_name}
    total = {"source": source.id, "load": load_id, "code": next(iter(org.total_codes), "TOTAL"),
             "name": org.total_name or source.jurisdiction}  # fmt: skip
    con.execute(
        f"""INSERT INTO load_notes
        SELECT $source, $load, $file, 'total differs',
               s.measure_id || ' ' || strftime(s.period_start, '%Y-%m-%d') || ': file '
               || coalesce(t.numerator::VARCHAR, '?') || ' of '
               || coalesce(t.denominator::VARCHAR, '?')
               || ', sum of organisations ' || s.num || ' of ' || s.den, 1
        FROM ({SUMS}) s JOIN observations t ON t.load_id = $load AND t.org_level = 'total'
             AND t.measure_id = s.measure_id AND t.period_start = s.period_start
        WHERE t.numerator IS DISTINCT FROM s.num OR t.denominator IS DISTINCT FROM s.den
        ORDER BY s.measure_id, s.period_start""",  # noqa: S608
        params,
    )
    con.execute(
        f"""INSERT INTO observations
        SELECT $source, $load, 0, $code, $name, 'total', s.measure_id, s.service, s.grain,
               s.period_start, s.period_end, s.num, s.den,
               CASE WHEN s.den > 0 THEN s.num / s.den END, s.unit,
               CASE WHEN s.den = 0 THEN '[z]' END, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL
        FROM ({SUMS}) s
        WHERE NOT EXISTS (SELECT 1 FROM observations t WHERE t.load_id = $load
                          AND t.org_level = 'total' AND t.measure_id = s.measure_id
                          AND t.period_start = s.period_start)""",  # noqa: S608
        total,
    )  # fmt: skip
    con.execute(
        """INSERT INTO observations
        SELECT $source, $load, 0, $code, $name, 'total', o.measure_id, o.service, o.grain,
               o.period_start, o.period_end, NULL, NULL,
               CASE WHEN count(o.value) = count(*) THEN sum(o.value) END, 'count',
               CASE WHEN count(o.value) < count(*) THEN '[x]' END, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL
        FROM observations o
        WHERE o.load_id = $load AND o.org_level = 'organisation' AND o.unit = 'count'
          AND NOT EXISTS (SELECT 1 FROM observations t WHERE t.load_id = $load
                          AND t.org_level = 'total' AND t.measure_id = o.measure_id
                          AND t.period_start = o.period_start)
        GROUP BY o.measure_id, o.service, o.grain, o.period_start, o.period_end""",
        total,
    )  # fmt: skip
