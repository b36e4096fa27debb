"""Peer groups at ingest time: who is in each group in each league window, and the league
split by group, so that ranks, bands and headlines compare like with like.

The groups and their rules are the catalog's (the `peer_groups` table); nothing here knows
an agency. A group's rule is applied to the pooled league before it is banded:

- `judged_on`: an organisation with at least one period judged (met or not met) on that
  standard in the window;
- `name_matches`: its name matches the regular expression, in any case;
- `not_in`: not a member, in the same window, of the groups named (declared before it).

A group with a `standard` holds only that standard's league; one without holds every standard
of its area (the league's standard choice picks among them).
"""

from __future__ import annotations

import duckdb

MEMBERS = """
INSERT INTO peer_group_members
SELECT DISTINCT l.jurisdiction, $group, l.month, l.org_slug, l.organisation
FROM league l
WHERE l.jurisdiction = $area
  AND ($judged_on IS NULL OR (l.standard_id = $judged_on AND l.periods_judged > 0))
  AND ($pattern IS NULL OR regexp_matches(l.organisation, $pattern, 'i'))
  AND NOT EXISTS (
      SELECT 1 FROM peer_group_members m
      WHERE m.jurisdiction = l.jurisdiction AND m.month = l.month AND m.org_slug = l.org_slug
        AND list_contains($not_in::VARCHAR[], m.peer_group))
"""

SPLIT = """
CREATE OR REPLACE TABLE league AS
SELECT l.*, g.peer_group
FROM league l
JOIN peer_groups g ON g.jurisdiction = l.jurisdiction
     AND (g.standard_id IS NULL OR g.standard_id = l.standard_id)
JOIN peer_group_members m ON m.jurisdiction = l.jurisdiction AND m.peer_group = g.peer_group
     AND m.month = l.month AND m.org_slug = l.org_slug
"""


def build_peer_groups(con: duckdb.DuckDBPyConnection) -> None:
    """Fill `peer_group_members` (jurisdiction, peer_group, month, org_slug, organisation)
    group by group in declared order, then give each league row its group: a row appears once
    for every group whose standard it is judged on and that holds it in its window."""
    con.execute(
        "CREATE OR REPLACE TABLE peer_group_members (jurisdiction VARCHAR, peer_group VARCHAR, "
        "month DATE, org_slug VARCHAR, organisation VARCHAR)"
    )
    groups = con.execute(
        "SELECT jurisdiction, peer_group, judged_on, name_matches, not_in FROM peer_groups "
        "ORDER BY jurisdiction, position"
    ).fetchall()
    for area, group, judged_on, pattern, not_in in groups:
        con.execute(
            MEMBERS,
            {"area": area, "group": group, "judged_on": judged_on, "pattern": pattern,
             "not_in": list(not_in)},
        )  # fmt: skip
    con.execute(SPLIT)
