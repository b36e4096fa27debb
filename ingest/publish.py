"""Build a new warehouse file beside the published one and swap it in atomically."""

from __future__ import annotations

import errno
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

FAULT_ENV = "TRACKER_FAULT_AT"
"""Fault hook for the tests: a run reaching the named point kills itself with SIGKILL."""

HEADROOM = 64 << 20
"""Free space asked for beyond the copy itself (the new rows, the WAL, the checkpoint)."""


class PublishRefused(RuntimeError):
    """The draft cannot be published: no room for it, or the published file changed since."""


def fault_point(name: str) -> None:
    """Die here, as `kill -9` would, if the fault hook names this point."""
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


Identity = tuple[int, int, int] | None
_copied_from: dict[Path, Identity] = {}
"""Each open draft's published file as it was copied: (inode, size, mtime), None if none."""


def identity(path: Path) -> Identity:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB"


def check_free_space(published: Path, needed: int) -> None:
    """Refuse before writing anything when the folder lacks room for `needed` bytes."""
    free = shutil.disk_usage(published.parent).free
    if free < needed:
        raise PublishRefused(
            f"not enough free space in {published.parent}: the new warehouse needs about "
            f"{_mib(needed)}, {_mib(free)} free; free {_mib(needed - free)} or more and run again"
        )


def disk_full(published: Path, err: BaseException) -> PublishRefused | None:
    """One clear line for a write that ran out of space (an OSError or DuckDB's IO error)."""
    full = isinstance(err, OSError) and err.errno == errno.ENOSPC
    if full or "No space left on device" in str(err):
        free = shutil.disk_usage(published.parent).free
        return PublishRefused(
            f"the disk holding {published.parent} filled up while building the new "
            f"warehouse ({_mib(free)} free); nothing was published and the draft was removed"
        )
    return None


@contextmanager
def next_warehouse(
    published: Path, memory_limit: str = "1GB", *, fresh: bool = False
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """Yield a writer on a private copy of the published warehouse (or a new file).

    The caller publishes by calling `swap_in`; on any error the copy is removed and the
    published file is left exactly as it was, still served. Free space is checked before
    the copy, so a full disk is refused with nothing written.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    draft = published.with_name(f".{published.name}.{os.getpid()}.draft")
    draft.unlink(missing_ok=True)
    copy = published.exists() and not fresh
    check_free_space(published, (published.stat().st_size if copy else 0) + HEADROOM)
    _copied_from[draft] = identity(published)
    try:
        if copy:
            shutil.copyfile(published, draft)
        con = duckdb.connect(str(draft), config={"memory_limit": memory_limit})
        try:
            yield con, draft
        finally:
            con.close()
    except (OSError, duckdb.Error) as err:
        full = disk_full(published, err)
        if full is None:
            raise
        raise full from err
    finally:
        _copied_from.pop(draft, None)
        draft.unlink(missing_ok=True)
        Path(f"{draft}.wal").unlink(missing_ok=True)
        shutil.rmtree(f"{draft}.tmp", ignore_errors=True)


def swap_in(con: duckdb.DuckDBPyConnection, draft: Path, published: Path) -> None:
    """Flush the draft to disk and rename it over the published file (atomic on POSIX).

    Refuses if the published file is no longer the one the draft started from: another
    writer published meanwhile, and renaming over it would lose that update.
    """
    fault_point("swap")
    if draft in _copied_from and identity(published) != _copied_from[draft]:
        raise PublishRefused(
            f"{published} changed while this run was building (another writer published); "
            "nothing was published, so its update stands: run again to add this one"
        )
    con.execute("CHECKPOINT")
    con.close()
    with open(draft, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(draft, published)
