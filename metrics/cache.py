"""Read results cached per published warehouse, so repeated views cost no query.

Keyed by the warehouse file's identity (and today's date, which the overdue flags use), so
every gunicorn worker agrees on what is current and a publish makes every old entry unused;
entries of older versions are dropped as soon as a new version is seen. Bounded in size.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import ParamSpec, TypeVar

from metrics.reader import reader
from settings import today

P = ParamSpec("P")
R = TypeVar("R")
MAX_ENTRIES = 512


class ResultCache:
    """A least-recently-used map of results for one warehouse version at a time."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._version: Hashable = None
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: Hashable, key: Hashable) -> tuple[bool, object]:
        """(True, result) when cached for this version, else (False, None)."""
        with self._lock:
            if version != self._version or key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key]

    def put(self, version: Hashable, key: Hashable, value: object) -> None:
        """Store a result; a new version empties the cache first."""
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


RESULTS = ResultCache()


def current_version() -> tuple[str, str]:
    """What cached results depend on: the warehouse file, and the date (for overdue flags)."""
    return reader().version(), today().isoformat()


def cached(func: Callable[P, R]) -> Callable[P, R]:
    """Cache a read function's results per warehouse version; a call given its own
    connection (`con=`) reads that connection directly."""
    con_at = list(inspect.signature(func).parameters).index("con")

    @functools.wraps(func)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs.get("con") is not None or len(args) > con_at:
            return func(*args, **kwargs)
        version = current_version()
        key = (func.__qualname__, args, tuple(sorted(kwargs.items())))
        found, value = RESULTS.get(version, key)
        if not found:
            value = func(*args, **kwargs)
            RESULTS.put(version, key, value)
        return _copy(value)  # type: ignore[return-value]

    return read


def _copy(value: object) -> object:
    """Hand out copies of mutable containers; polars frames are immutable already."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value
