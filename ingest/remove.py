"""`python -m ingest remove SOURCE_ID`: take a source's rows out of the published warehouse.

The change is made on a private copy that is swapped in whole, so readers see the warehouse
either with the source or without it. Its loads stay in `loads`, marked 'removed'.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ingest import case_store
from ingest.publish import next_warehouse, swap_in
from ingest.read import now
from metrics.build import build_measures
from settings import get_settings

ROW_TABLES = ("observations", "services", "service_volumes", "service_stages", "rejects")


def remove(source_id: str, warehouse: Path) -> dict[str, int]:
    """Delete the source's rows and catalog rows, rebuild the measures, publish; rows removed.

    Raises LookupError when the warehouse has nothing of the source.
    """
    settings = get_settings()
    with next_warehouse(warehouse, settings.ingest_memory_limit) as (con, draft):
        known = con.execute(
            "SELECT count(*) FROM loads WHERE source_id = ? AND status <> 'removed'", [source_id]
        ).fetchall()[0][0]
        if not known:
            raise LookupError(f"the warehouse at {warehouse} holds nothing of {source_id!r}")
        removed: dict[str, int] = {"cases": case_store.drop_source(con, source_id)}
        for table in (*ROW_TABLES, "sources", "standards"):
            rows = con.execute(f"DELETE FROM {table} WHERE source_id = ?", [source_id])  # noqa: S608
            removed[table] = int(rows.fetchall()[0][0])
        con.execute("DELETE FROM replaced_observations WHERE source_id = ?", [source_id])
        con.execute("DELETE FROM case_replacements WHERE source_id = ?", [source_id])
        con.execute(
            "UPDATE loads SET status = 'removed' WHERE source_id = ? AND status <> 'removed'",
            [source_id],
        )
        case_store.commit(con, case_store.store_dir(warehouse))
        build_measures(con, settings.min_judged_periods)
        old = con.execute("SELECT value FROM meta WHERE key = 'warehouse_version'").fetchall()
        text = f"{old[0][0] if old else ''}|removed {source_id} {now().isoformat()}"
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('warehouse_version', ?), ('published_at', ?)",
            [hashlib.sha256(text.encode()).hexdigest()[:16], now().isoformat(timespec="seconds")],
        )
        swap_in(con, draft, warehouse)
    return removed
