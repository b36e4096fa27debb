"""One ingest run: catalog to tables, new or revised files loaded, measures rebuilt, published."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest import case_store, cases, catalog_lineage, observations
from ingest import inventory as service_inventory
from ingest.catalog import ObservationSource, Source
from ingest.catalog_groups import DEFAULT_GROUP, PeerGroupSpec
from ingest.lock import set_aside_if_damaged, writer_lock
from ingest.publish import fault_point, next_warehouse, swap_in
from ingest.read import FileRejected, LoadCounts, now
from ingest.schema import compatible, create_schema
from metrics.build import METRICS_VERSION, build_measures
from metrics.case_facts import NO_REQUESTS
from settings import get_settings


@dataclass
class FileOutcome:
    source_id: str
    file_name: str
    status: str  # loaded | revised | unchanged | rejected
    counts: LoadCounts | None = None
    message: str = ""
    recorded: bool = True  # False for a rejection already in the load history
    replaced: int = 0  # cases of earlier files this file's versions replaced (or lost to)

    @property
    def changed(self) -> bool:
        """Whether the warehouse's figures changed, so it must be republished.

        A refused file changes no figure: it is reported (and exit status says so), and the
        published warehouse, with its version, stays as it was.
        """
        return self.status in ("loaded", "revised")


@dataclass
class RunSummary:
    published: bool = False
    warehouse_version: str = ""
    files: list[FileOutcome] = field(default_factory=list)
    untouched: bool = False  # every file was loaded before: decided before any copy or write

    def as_json(self) -> str:
        return json.dumps(
            {
                "published": self.published,
                "untouched": self.untouched,
                "warehouse_version": self.warehouse_version,
                "files": [
                    {
                        "source": f.source_id,
                        "file": f.file_name,
                        "status": f.status,
                        "message": f.message,
                        "cases_replaced": f.replaced,
                        **(f.counts.__dict__ if f.counts else {}),
                    }
                    for f in self.files
                ],
            },
            indent=2,
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def catalog_fingerprint(sources: list[Source]) -> str:
    text = json.dumps([s.model_dump(mode="json") for s in sources], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def write_catalog(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Replace the catalog tables with the entries as they are now."""
    con.execute(
        "DELETE FROM sources; DELETE FROM standards; DELETE FROM measure_catalog; "
        "DELETE FROM peer_groups; DELETE FROM lineage; DELETE FROM source_files"
    )
    write_peer_groups(con, sources)
    write_lineage(con, sources)
    for s in sources:
        con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [s.id, s.title, s.jurisdiction, s.publisher, s.licence, s.licence_url,
             s.source_url, s.attribution, s.kind, s.cadence, s.publication_lag_days,
             s.data_as_of, s.reconciles_with],
        )  # fmt: skip
        for name, url in s.file_urls().items():
            con.execute("INSERT INTO source_files VALUES (?, ?, ?)", [s.id, name, url])
        for m in s.measures if isinstance(s, ObservationSource) else []:
            con.execute(
                "INSERT INTO measure_catalog VALUES (?, ?, ?, ?, ?, ?)",
                [s.id, m.id, m.service, m.unit, m.better(), m.volume],
            )
        for st in s.standards:
            version = 1 + sum(
                1 for o in s.standards if o.id == st.id and o.valid_from < st.valid_from
            )
            con.execute(
                "INSERT INTO standards VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [st.id, version, s.id, st.wording, st.measure, st.measure_id, st.comparator,
                 st.target_percent, st.target_value, st.target_from_row, st.unit, st.grain,
                 st.set_by, st.reason, st.citation_url, st.valid_from, st.valid_to],
            )  # fmt: skip


def write_peer_groups(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Each area's peer groups in declared order; an area declaring none gets 'all'."""
    for area in dict.fromkeys(s.jurisdiction for s in sources):
        declared: list[tuple[str | None, PeerGroupSpec]] = [
            (s.id, g) for s in sources if s.jurisdiction == area for g in s.peer_groups
        ]
        if not declared:
            about = f"Every {area} organisation with figures."
            every = PeerGroupSpec(id=DEFAULT_GROUP, label="Every organisation", description=about)
            declared = [(None, every)]
        for position, (source_id, g) in enumerate(declared, start=1):
            con.execute(
                "INSERT INTO peer_groups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [area, g.id, position, source_id, g.label, g.description, g.standard,
                 g.members.judged_on, g.members.name_matches, g.members.not_in,
                 g.headline_standard],
            )  # fmt: skip


def write_lineage(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Each area's lineage links, each with the organisation its chain ends at."""
    for area in dict.fromkeys(s.jurisdiction for s in sources):
        links = [(s.id, link) for s in sources if s.jurisdiction == area for link in s.lineage]
        for source_id, link in links:
            now = catalog_lineage.current([k for _, k in links], link.successor)
            old, new = link.predecessor, link.successor
            con.execute(
                "INSERT INTO lineage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [area, source_id, old.code, old.name, new.code, new.name, now.code, now.name,
                 link.since, link.evidence],
            )  # fmt: skip


def supersede_periods(
    con: duckdb.DuckDBPyConnection, source_id: str, load_id: int
) -> list[tuple[int, str]]:
    """A newer file for a period replaces that period's figures from earlier files.

    Returns the earlier loads this emptied, so that they are marked superseded (a load that
    never had rows, such as a header-only file, is not superseded by another period's file).
    """
    replaced = con.execute(
        """SELECT DISTINCT load_id FROM observations
           WHERE source_id = $source AND load_id <> $load AND period_start IN
                 (SELECT period_start FROM observations WHERE load_id = $load)""",
        {"source": source_id, "load": load_id},
    ).fetchall()
    con.execute(
        """INSERT INTO replaced_observations
           SELECT o.*, $load FROM observations o
           WHERE o.source_id = $source AND o.load_id <> $load AND o.period_start IN
                 (SELECT period_start FROM observations WHERE load_id = $load)""",
        {"source": source_id, "load": load_id},
    )
    con.execute(
        """DELETE FROM observations o
           WHERE o.source_id = $source AND o.load_id <> $load AND o.period_start IN
                 (SELECT period_start FROM observations WHERE load_id = $load)""",
        {"source": source_id, "load": load_id},
    )
    rows = con.execute(
        """SELECT l.load_id, l.sha256 FROM loads l
           WHERE l.source_id = $source AND l.status = 'loaded'
                 AND list_contains($replaced, l.load_id) AND NOT EXISTS
                 (SELECT 1 FROM observations o WHERE o.load_id = l.load_id)""",
        {"source": source_id, "replaced": [int(r[0]) for r in replaced]},
    ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def record_rejection(
    con: duckdb.DuckDBPyConnection, source_id: str, name: str, digest: str,
    started: dt.datetime, reason: str,
) -> bool:  # fmt: skip
    """Keep a whole-file rejection in the load history (no rows: 0 read = 0 + 0).

    The same bytes rejected for the same reason are recorded once; returns whether this was new.
    """
    known = con.execute(
        "SELECT count(*) FROM loads WHERE source_id = ? AND file_name = ? AND sha256 = ? "
        "AND status = 'rejected' AND reason = ?",
        [source_id, name, digest, reason],
    ).fetchall()[0][0]
    if known:
        return False
    con.execute(
        "INSERT INTO loads SELECT nextval('load_ids'), ?, ?, ?, 0, 0, 0, ?, ?, 'rejected', "
        "NULL, ?, 0",
        [source_id, name, digest, started, now(), reason],
    )
    return True


def _load_rows(
    con: duckdb.DuckDBPyConnection, source: Source, path: Path, load_id: int, inventory: bool
) -> tuple[LoadCounts, list[tuple[int, str]]]:
    """Load the file's rows by its kind; also the earlier loads whose periods it replaced."""
    if source.kind == "cases":
        return cases.load_file(con, path, source, load_id), []
    if inventory:
        return service_inventory.load_file(con, path, source, load_id), []
    counts = observations.load_file(con, path, source, load_id)
    return counts, supersede_periods(con, source.id, load_id)


def _supersede(con: duckdb.DuckDBPyConnection, old_ids: list[int], load_id: int) -> None:
    for old_id in old_ids:
        con.execute(
            "INSERT INTO replaced_observations SELECT *, ? FROM observations WHERE load_id = ?",
            [load_id, old_id],
        )
        case_store.drop_load(con, old_id)
        for table in ("observations", "services", "service_volumes", "service_stages"):
            con.execute(f"DELETE FROM {table} WHERE load_id = ?", [old_id])  # noqa: S608
        con.execute(
            "UPDATE loads SET status = 'superseded', superseded_by = ? WHERE load_id = ?",
            [load_id, old_id],
        )


def load_new_file(
    con: duckdb.DuckDBPyConnection, source: Source, path: Path,
    *, inventory: bool = False, force: bool = False,
) -> FileOutcome:  # fmt: skip
    """Load a file unless its bytes were loaded before (or `force`); it replaces its old rows.

    `inventory` marks a source's service inventory file; `force` reloads unchanged bytes,
    e.g. so that rows take the names of a revised inventory.
    """
    digest = sha256_of(path)
    seen = con.execute(
        "SELECT load_id, sha256 FROM loads WHERE source_id = ? AND file_name = ? "
        "AND status = 'loaded'",
        [source.id, path.name],
    ).fetchall()
    if not force and any(sha == digest for _, sha in seen):
        return FileOutcome(source.id, path.name, "unchanged")
    started = now()
    con.execute("BEGIN TRANSACTION")
    try:
        load_id = int(con.execute("SELECT nextval('load_ids')").fetchall()[0][0])
        counts, replaced = _load_rows(con, source, path, load_id, inventory)
        fault_point("reading")
        seen = seen + replaced
        _supersede(con, [int(old_id) for old_id, _ in seen], load_id)
        con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'loaded', NULL, NULL, ?)",
            [load_id, source.id, path.name, digest, counts.rows_read, counts.rows_loaded,
             counts.rows_rejected, started, now(), counts.rows_excluded],
        )  # fmt: skip
        again = cases.replace_earlier(con, source.id, load_id) if source.kind == "cases" else 0
        con.execute("COMMIT")
    except FileRejected as err:
        con.execute("ROLLBACK")
        recorded = record_rejection(con, source.id, path.name, digest, started, str(err))
        return FileOutcome(source.id, path.name, "rejected", message=str(err), recorded=recorded)
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileOutcome(
        source.id, path.name, "revised" if seen else "loaded", counts, replaced=again
    )


def load_source_files(
    con: duckdb.DuckDBPyConnection, source: Source, data_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> list[FileOutcome]:  # fmt: skip
    """Load a source's new or revised files: its inventory first, then its own files.

    A changed inventory reloads the source's files, so that every row takes its names; a
    changed entry (a measure or volume added, say) reloads them all, so that every row is
    read as the entry now says.
    """
    files = source.files(data_dir)
    if not files:
        raise FileNotFoundError(
            f"{source.id}: no files match {source.file.pattern!r} under {data_dir}"
        )
    listed = source.inventory_files(data_dir) if isinstance(source, ObservationSource) else []
    key, reading = f"entry:{source.id}", entry_fingerprint(source)
    stale = _meta(con, key) != reading
    outcomes: list[FileOutcome] = []
    for path in [*listed, *files]:
        if progress:
            progress(f"{source.id}: {path.name}")
        inventory = path in listed
        renamed = any(o.status in ("loaded", "revised") for o in outcomes[: len(listed)])
        force = stale or (not inventory and renamed)
        outcomes.append(load_new_file(con, source, path, inventory=inventory, force=force))
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, reading])
    return outcomes


def entry_fingerprint(source: Source) -> str:
    """A hash of how an entry reads its files (its standards, peer groups and lineage are
    applied later, by metrics)."""
    text = source.model_dump_json(exclude={"standards", "peer_groups", "lineage"})
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def measures_fingerprint(sources: list[Source]) -> str:
    """What the published measures were built from: the catalog, the metrics code, settings."""
    min_judged = get_settings().min_judged_periods
    return f"{catalog_fingerprint(sources)}:{METRICS_VERSION}:{min_judged}"


def up_to_date(warehouse: Path, sources: list[Source]) -> bool:
    """Whether the published warehouse has this code's tables and measures built by this
    code from this catalog (`ingest ensure` then has nothing to do)."""
    if not compatible(warehouse):
        return False
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return _meta(con, "fingerprint") == measures_fingerprint(sources)
    finally:
        con.close()


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return str(rows[0][0]) if rows else None


def run(
    sources: list[Source],
    data_dir: Path,
    warehouse: Path,
    only: str | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    wait: bool = True,
    say: Callable[[str], None] | None = None,
) -> RunSummary:
    """Load every source (or only one); publish a new warehouse only if anything changed.

    The whole run holds the writer lock (waiting for it, or with `wait=False` raising
    WriterBusy); `say` is told about the wait and about a damaged warehouse set aside.
    `progress` is told each file's name as its load starts (the CLI draws a bar with it).
    """
    with writer_lock(warehouse, wait=wait, say=say):
        return run_locked(sources, data_dir, warehouse, only, progress, say=say)


def run_locked(
    sources: list[Source],
    data_dir: Path,
    warehouse: Path,
    only: str | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    say: Callable[[str], None] | None = None,
) -> RunSummary:
    """`run` for a caller that already holds the writer lock (the scheduler holds it for
    its whole pass, fetches included)."""
    kept = set_aside_if_damaged(warehouse)
    if kept is not None and say:
        say(f"{warehouse} could not be opened; kept as {kept.name}, rebuilding it whole")
    return _run_locked(sources, data_dir, warehouse, only, progress)


def already_loaded(
    sources: list[Source], data_dir: Path, warehouse: Path, only: str | None
) -> RunSummary | None:
    """The run's outcome when it has nothing to load, read from the published warehouse
    without copying it: every file of the chosen sources loaded before with the same bytes
    (sha256), by the same entry, and the measures built by this code from this catalog.
    None when anything would change (or the warehouse cannot be extended): the run goes on.
    Costs a hash of the files and one read of `loads`, never a copy of the warehouse.
    """
    if not compatible(warehouse):
        return None
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if _meta(con, "fingerprint") != measures_fingerprint(sources):
            return None
        loaded = set(
            con.execute(
                "SELECT source_id, file_name, sha256 FROM loads WHERE status = 'loaded'"
            ).fetchall()
        )
        summary = RunSummary(warehouse_version=_meta(con, "warehouse_version") or "")
        for source in sources:
            if only is not None and source.id != only:
                continue
            if _meta(con, f"entry:{source.id}") != entry_fingerprint(source):
                return None
            files = source.files(data_dir)
            if isinstance(source, ObservationSource):
                files = source.inventory_files(data_dir) + files
            for path in files:
                if (source.id, path.name, sha256_of(path)) not in loaded:
                    return None
                summary.files.append(FileOutcome(source.id, path.name, "unchanged"))
            if not source.files(data_dir):
                return None  # the full run names the missing files
    finally:
        con.close()
    summary.untouched = True
    return summary


def incremental_since(
    con: duckdb.DuckDBPyConnection, files: list[FileOutcome], fingerprint: str
) -> dt.date | None:
    """The earliest month opened of the requests this run added or replaced, from which the
    measures' case facts are recomputed (the snapshot's are kept before it); None rebuilds
    them all: the snapshot's were built from another catalog or metrics code, or a file was
    revised (its old rows may be anywhere). Call it before the case store's commit."""
    if _meta(con, "fingerprint") != fingerprint or any(f.status == "revised" for f in files):
        return None
    months = [month for _, month in case_store.touched_months(con)]
    return min(months, default=NO_REQUESTS)


def _run_locked(
    sources: list[Source],
    data_dir: Path,
    warehouse: Path,
    only: str | None,
    progress: Callable[[str], None] | None,
) -> RunSummary:
    untouched = already_loaded(sources, data_dir, warehouse, only)
    if untouched is not None:
        return untouched
    summary = RunSummary()
    # A warehouse built by older code is rebuilt from the files rather than patched.
    fresh = not compatible(warehouse)
    limit = get_settings().ingest_memory_limit
    with next_warehouse(warehouse, limit, fresh=fresh) as (con, draft):
        create_schema(con)
        write_catalog(con, sources)
        for source in sources:
            if only is not None and source.id != only:
                continue
            summary.files += load_source_files(con, source, data_dir, progress)
        fault_point("measures")
        min_judged = get_settings().min_judged_periods
        fingerprint = measures_fingerprint(sources)
        changed = any(f.changed for f in summary.files)
        if not changed and _meta(con, "fingerprint") == fingerprint:
            summary.warehouse_version = _meta(con, "warehouse_version") or ""
            return summary
        since = incremental_since(con, summary.files, fingerprint)
        case_store.commit(con, case_store.store_dir(warehouse))
        gone, known = case_store.expire(con), case_store.listed(con)
        start = build_measures(con, min_judged, since)
        loads = con.execute("SELECT string_agg(sha256, ',' ORDER BY sha256) FROM loads").fetchall()
        version = hashlib.sha256(f"{fingerprint}|{loads[0][0]}".encode()).hexdigest()[:16]
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?), ('warehouse_version', ?), "
            "('published_at', ?), ('case_facts_from', ?)",
            [fingerprint, version, now().isoformat(timespec="seconds"), start.isoformat()],
        )
        swap_in(con, draft, warehouse)
        summary.published, summary.warehouse_version = True, version
    case_store.sweep(warehouse, gone, known)
    return summary
