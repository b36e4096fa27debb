"""`python -m ingest schedule`: fetch and load each source when its next figures are due.

A source is due when the clock's today has reached its next_due (metrics.queries.sources:
the end of the period after its latest figures plus its declared publication lag), or when
the warehouse holds no figures of it yet; once fetched successfully it waits for the next
day. Sources that declare no URLs are loaded by hand (`python -m ingest run`) and skipped.
A whole pass holds the writer lock, so two passes (or a pass and a hand run) never run at
once: a pass that finds the lock held records each due source as busy and runs nothing.
A failed attempt is retried `schedule_retries` times, waiting `schedule_backoff_seconds`,
then twice that, and so on. Every attempt is recorded (ingest.jobs).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from ingest.catalog import Source
from ingest.fetch import fetch
from ingest.jobs import JobRun, job_runs, record
from ingest.lock import WriterBusy, openable, writer_lock
from ingest.read import now
from ingest.run import run_locked
from metrics.queries import sources as source_facts
from settings import get_settings, today


def next_due(warehouse: Path) -> dict[str, dt.date]:
    """Each source's next_due as the site's footer gives it; {} with no readable warehouse."""
    if not warehouse.exists() or not openable(warehouse):
        return {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frame = source_facts(con=con)
    finally:
        con.close()
    return dict(zip(frame["source_id"], frame["next_due"], strict=True))


def due(sources: list[Source], warehouse: Path) -> list[Source]:
    """The sources to fetch now: declared URLs, figures due, not yet fetched today."""
    dates, day = next_due(warehouse), today()
    runs = job_runs(warehouse)
    done_today = set(runs.filter((runs["outcome"] == "succeeded") & (runs["day"] == day))["source"])
    return [
        s for s in sources
        if s.urls and s.id not in done_today and (s.id not in dates or dates[s.id] <= day)
    ]  # fmt: skip


def _stamp() -> str:
    return now().isoformat(timespec="milliseconds")


def attempt(
    source: Source, sources: list[Source], warehouse: Path, mirror: str | None, number: int
) -> JobRun:
    """Fetch one source and load it (under the writer lock, held by the caller)."""
    settings, started = get_settings(), _stamp()

    def job(outcome: str, message: str, files: int = 0, rows: int = 0) -> JobRun:
        return JobRun(source.id, today().isoformat(), started, _stamp(), outcome, number,
                      files, rows, message)  # fmt: skip

    try:
        fetch(source, settings.data_dir, mirror)
        summary = run_locked(sources, settings.data_dir, warehouse, source.id)
    except Exception as err:  # any failure is recorded and retried; the worker lives on
        return job("failed", f"{type(err).__name__}: {err}")
    rejected = [f for f in summary.files if f.status == "rejected"]
    if rejected:
        return job("failed", "; ".join(f"{f.file_name}: {f.message}" for f in rejected))
    loaded = [f for f in summary.files if f.counts and f.status in ("loaded", "revised")]
    rows = sum(f.counts.rows_loaded for f in loaded if f.counts)
    state = f"published version {summary.warehouse_version}" if summary.published else (
        "no new figures; warehouse unchanged")  # fmt: skip
    if summary.untouched:
        state += ", not copied (every file already loaded, same sha256)"
    return job("succeeded", state, len(loaded), rows)


def run_pass(
    sources: list[Source],
    mirror: str | None,
    say: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> list[JobRun]:
    """One pass: every due source fetched and loaded, failures retried; all recorded."""
    settings = get_settings()
    warehouse = settings.warehouse_path
    jobs: list[JobRun] = []

    def keep(job: JobRun) -> None:
        record(warehouse, job)
        jobs.append(job)
        say(f"{job.source}: {job.outcome} (attempt {job.attempt}): {job.message}")

    try:
        with writer_lock(warehouse, wait=False):
            for source in due(sources, warehouse):
                for number in range(1, settings.schedule_retries + 2):
                    keep(attempt(source, sources, warehouse, mirror, number))
                    if jobs[-1].outcome == "succeeded" or number > settings.schedule_retries:
                        break
                    sleep(settings.schedule_backoff_seconds * 2 ** (number - 1))
    except WriterBusy as err:
        for source in due(sources, warehouse):
            stamp = _stamp()
            keep(JobRun(source.id, today().isoformat(), stamp, stamp, "busy", 1, 0, 0, str(err)))
    return jobs


def schedule(
    sources: list[Source], mirror: str | None, say: Callable[[str], None], once: bool
) -> list[JobRun]:
    """Run passes for ever, `schedule_poll_seconds` apart (or one pass with `once`)."""
    while True:
        jobs = run_pass(sources, mirror, say)
        if once:
            return jobs
        time.sleep(get_settings().schedule_poll_seconds)
