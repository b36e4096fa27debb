"""The web side's read-only view of the warehouse: opened lazily, reopened when republished."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import polars as pl

from settings import get_settings


class WarehouseMissing(RuntimeError):
    """There is no published warehouse yet, or none that can be read."""


Config = dict[str, str | bool | int | float | list[str]]


class _Instance:
    """One read-only DuckDB instance of the published file, reopened when it is replaced."""

    def __init__(self, path: Path, config: Config, tag: str) -> None:
        self.path, self.config, self.tag = path, config, tag
        self.con: duckdb.DuckDBPyConnection | None = None
        self.identity: tuple[int, int] | None = None
        self.opened = 0

    def cursor(self, identity: tuple[int, int]) -> duckdb.DuckDBPyConnection:
        if self.con is None or identity != self.identity:
            self.reopen(identity)
        assert self.con is not None
        return self.con.cursor()

    def reopen(self, identity: tuple[int, int]) -> None:
        """Open the new file; if it cannot be opened, keep the last good one (if any).

        DuckDB hands back its open database for a path it already has open, so the new
        file is opened through a fresh hard link of its own (removed once open); where no
        link can be made, the old connection is closed first and there is no fallback.
        """
        self.opened += 1
        name = f".{self.path.name}.{os.getpid()}-{self.tag}-{self.opened}.read"
        link = self.path.with_name(name)
        try:
            os.link(self.path, link)
        except OSError:
            link = self.path
            if self.con is not None:
                self.con.close()
                self.con = None
        try:
            con = duckdb.connect(str(link), read_only=True, config=self.config)
        except duckdb.Error as err:
            if self.con is None:
                raise WarehouseMissing(f"the warehouse at {self.path} cannot be read") from err
            return  # still the last good snapshot; tried again on the next read
        finally:
            if link != self.path:
                link.unlink(missing_ok=True)
        if self.con is not None:
            self.con.close()
        self.con, self.identity = con, identity


class Reader:
    """One read-only connection per process for pages, swapped when ingest publishes a new
    file, and a second, small one for streamed downloads.

    Opened on first use (after gunicorn forks), never at import. The published file is
    replaced by rename, so a changed inode means a new warehouse: the old connection is
    closed first, because DuckDB would otherwise hand back its cached old database. A new
    file that cannot be opened (damaged) leaves the last good connection serving.

    DuckDB keeps every block a query reads in its buffer pool until the pool reaches its
    memory limit, so a download that scans millions of rows would leave the worker holding
    the whole table (55 MB of the 5,000,000-row records table in make bench-export, and it
    stays). Downloads read through their own instance whose pool holds `stream_memory_limit`
    at most; their queries stream, so a pool that small is enough (a sort of millions of
    rows is not: it fails there, so a dataset whose query sorts reads through the pages' one).
    """

    def __init__(
        self, path: Path, memory_limit: str, threads: int, stream_memory_limit: str = "24MB"
    ) -> None:
        self.path = path
        self._pages = _Instance(path, {"memory_limit": memory_limit, "threads": threads}, "p")
        stream: Config = {"memory_limit": stream_memory_limit, "threads": threads}
        self._downloads = _Instance(path, stream, "d")
        self._lock = threading.Lock()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the current warehouse (a fresh one per call, safe across threads)."""
        identity = self._file_identity()
        with self._lock:
            return self._pages.cursor(identity)

    def download_connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor for a streamed download, on the small-pool instance of the same file."""
        identity = self._file_identity()
        with self._lock:
            return self._downloads.cursor(identity)

    def _file_identity(self) -> tuple[int, int]:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError as err:
            raise WarehouseMissing(f"no warehouse at {self.path}") from err
        return stat.st_ino, stat.st_mtime_ns

    def version(self) -> str:
        """The published file's identity (path, inode, mtime): every process reading the same
        file agrees on it, and each publish (a rename onto the path) changes it."""
        inode, mtime = self._file_identity()
        return f"{self.path}:{inode}:{mtime}"


_reader: Reader | None = None


def reader() -> Reader:
    """The process's reader, created on first use."""
    global _reader
    if _reader is None:
        s = get_settings()
        _reader = Reader(
            s.warehouse_path,
            s.duckdb_memory_limit,
            s.duckdb_threads,
            s.duckdb_download_memory_limit,
        )
    return _reader


def read_frame(
    sql: str, params: dict[str, object], con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """`sql` with `params` bound, as a polars frame, on `con` or the process's warehouse."""
    frame: pl.DataFrame = (con or reader().connection()).sql(sql, params=params).pl()
    return frame
