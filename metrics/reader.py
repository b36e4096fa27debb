"""The web side's read-only view of the warehouse: opened lazily, reopened when republished."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import polars as pl

from settings import get_settings


class WarehouseMissing(RuntimeError):
    """There is no published warehouse yet."""


class Reader:
    """One read-only connection per process, swapped when ingest publishes a new file.

    Opened on first use (after gunicorn forks), never at import. The published file is
    replaced by rename, so a changed inode means a new warehouse: the old connection is
    closed first, because DuckDB would otherwise hand back its cached old database.
    """

    def __init__(self, path: Path, memory_limit: str, threads: int) -> None:
        self.path = path
        self._config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "threads": threads,
        }
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the current warehouse (a fresh one per call, safe across threads)."""
        identity = self._file_identity()
        with self._lock:
            if self._con is None or identity != self._identity:
                if self._con is not None:
                    self._con.close()
                self._con = duckdb.connect(str(self.path), read_only=True, config=self._config)
                self._identity = identity
            return self._con.cursor()

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
        _reader = Reader(s.warehouse_path, s.duckdb_memory_limit, s.duckdb_threads)
    return _reader


def read_frame(
    sql: str, params: dict[str, object], con: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """`sql` with `params` bound, as a polars frame, on `con` or the process's warehouse."""
    frame: pl.DataFrame = (con or reader().connection()).sql(sql, params=params).pl()
    return frame
