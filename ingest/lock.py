"""One writer at a time: an OS file lock beside the warehouse, and the litter of dead runs.

Every command that publishes takes the lock for its whole run, so two runs cannot build
from the same copy and the second one silently put back what the first published. Under the
lock no other writer is alive, so any draft, WAL or temp folder beside the warehouse belongs
to a dead run and is removed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class WriterBusy(RuntimeError):
    """Another ingest run holds the writer lock (and this one was told not to wait)."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(f".{warehouse.name}.lock")


@contextmanager
def writer_lock(
    warehouse: Path, *, wait: bool = True, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the exclusive writer lock of `warehouse`; then remove dead runs' leftovers.

    A second caller waits (told so through `say`), or with `wait=False` raises WriterBusy.
    The lock is the kernel's (flock), so a run killed with -9 releases it as it dies.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(warehouse)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise WriterBusy(
                    f"another ingest run is publishing {warehouse} (it holds {path}); "
                    "try again when it has finished, or run without --no-wait to queue"
                ) from None
            if say:
                say(f"waiting for another ingest run to finish (it holds {path}) ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        remove_litter(warehouse)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def remove_litter(warehouse: Path) -> list[Path]:
    """Remove drafts, their WALs and temp folders left beside the warehouse by dead runs.

    Call only under the writer lock. Returns what was removed.
    """
    removed = []
    for leftover in warehouse.parent.glob(f".{warehouse.name}.*.draft*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


HEADERS = 3 * 4096
"""A DuckDB file's main header and its two database headers, before the first block."""


def openable(path: Path) -> bool:
    """Whether the file opens as a DuckDB database and holds every block it declares.

    A truncated file may still open (its headers are whole) and fail on the first read of
    a lost block, so its size is checked against the blocks its header counts.
    """
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        row = con.execute("SELECT block_size, total_blocks FROM pragma_database_size()")
        block_size, total_blocks = row.fetchall()[0]
    except duckdb.Error:
        return False
    finally:
        con.close()
    return path.stat().st_size >= HEADERS + int(block_size) * int(total_blocks)


def set_aside_if_damaged(warehouse: Path) -> Path | None:
    """Move a warehouse that cannot be opened aside, kept and named with the time.

    Returns where it went (None if it was missing or sound); the caller rebuilds it whole
    from the source files. Call only under the writer lock.
    """
    if not warehouse.exists() or openable(warehouse):
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = warehouse.with_name(f"{warehouse.name}.damaged-{stamp}")
    os.replace(warehouse, kept)
    return kept
