"""Build a new warehouse file beside the published one and swap it in atomically."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


@contextmanager
def next_warehouse(
    published: Path, memory_limit: str = "1GB", *, fresh: bool = False
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """Yield a writer on a private copy of the published warehouse (or a new file).

    The caller publishes by calling `swap_in`; on any error the copy is removed and the
    published file is left exactly as it was, still served.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    draft = published.with_name(f".{published.name}.{os.getpid()}.draft")
    draft.unlink(missing_ok=True)
    if published.exists() and not fresh:
        shutil.copyfile(published, draft)
    con = duckdb.connect(str(draft), config={"memory_limit": memory_limit})
    try:
        yield con, draft
    finally:
        con.close()
        draft.unlink(missing_ok=True)
        Path(f"{draft}.wal").unlink(missing_ok=True)


def swap_in(con: duckdb.DuckDBPyConnection, draft: Path, published: Path) -> None:
    """Flush the draft to disk and rename it over the published file (atomic on POSIX)."""
    con.execute("CHECKPOINT")
    con.close()
    with open(draft, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(draft, published)
