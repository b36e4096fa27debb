"""Organisations that changed name or code, resolved once, before any measure is built.

Every measure that reads aggregate rows reads `named_observations`: the observations with
each row published under a predecessor's code and name given the name its lineage ends at
(the `lineage` table, from the catalog), so judgements, the league, SPC, trends and
comparisons all see one organisation and one series. `observations` keeps what was
published; `organisation_names` lists every name and code each organisation was published
under, for search, old addresses and the "formerly" line.
"""

from __future__ import annotations

import duckdb

NAMED = """
CREATE OR REPLACE TEMP TABLE named_observations AS
SELECT o.* REPLACE (coalesce(l.current_name, o.organisation) AS organisation),
       o.organisation AS published_organisation, l.since AS lineage_since
FROM observations o JOIN sources s USING (source_id)
LEFT JOIN lineage l ON l.jurisdiction = s.jurisdiction AND o.org_level = 'organisation'
     AND l.predecessor_code = o.org_code AND l.predecessor_name = o.organisation;
"""

# A predecessor still publishing beside its successor (a takeover, not a rename) would give
# one organisation two figures for a period; combining them is a choice the catalog must
# not make silently, so the build stops and names them.
OVERLAPS = """
SELECT s.jurisdiction, n.organisation, n.measure_id, n.period_start,
       string_agg(DISTINCT n.org_code || ' ' || n.published_organisation, '; '
                  ORDER BY n.org_code || ' ' || n.published_organisation)
FROM named_observations n JOIN sources s USING (source_id)
WHERE s.reconciles_with IS NULL
GROUP BY s.jurisdiction, n.source_id, n.organisation, n.org_level, n.measure_id,
         n.row_standard_id, n.period_start
HAVING count(*) > 1 AND bool_or(n.lineage_since IS NOT NULL)
ORDER BY ALL LIMIT 5
"""

NAMES = """
CREATE OR REPLACE TABLE organisation_names AS
SELECT s.jurisdiction, slug(s.jurisdiction || '-' || n.organisation) AS org_slug,
       n.organisation, n.org_code, n.published_organisation AS published_name,
       slug(s.jurisdiction || '-' || n.published_organisation) AS published_slug,
       min(n.period_start) AS first_period, max(n.period_start) AS last_period,
       any_value(n.lineage_since) AS since
FROM named_observations n JOIN sources s USING (source_id)
WHERE n.org_level = 'organisation' AND s.reconciles_with IS NULL
GROUP BY ALL
ORDER BY ALL;
"""


class LineageOverlap(ValueError):
    """A lineage that would give one organisation two figures for the same period."""


def name_observations(con: duckdb.DuckDBPyConnection) -> None:
    """Build `named_observations`, refusing a lineage whose predecessor and successor overlap."""
    con.execute(NAMED)
    clashes = con.execute(OVERLAPS).fetchall()
    if clashes:
        said = "; ".join(f"{a}: {o}, {m} {p:%Y-%m} from {w}" for a, o, m, p, w in clashes)
        raise LineageOverlap(f"a lineage gives one organisation two rows for a period: {said}")


def build_organisation_names(con: duckdb.DuckDBPyConnection) -> None:
    """Replace `organisation_names`: each organisation's published names and codes."""
    con.execute(NAMES)
