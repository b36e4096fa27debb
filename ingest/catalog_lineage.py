"""Organisations that change name or code: a lineage from predecessor to successor, as data.

An entry's `[[lineage]]` applies to its whole area, like its peer groups. Each link names the
organisation as the files published it before (`predecessor`: code and name) and after
(`successor`), and `since`, the first period the successor appears in the files. Metrics give
the predecessor's rows the successor's name, so one series runs across the change; the rows
themselves keep what was published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PublishedAs(Strict):
    """An organisation as a file names it: its code and its name, exactly as published."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)


class LineageSpec(Strict):
    """One rename or change of code: the predecessor's periods continue the successor's."""

    predecessor: PublishedAs
    successor: PublishedAs
    since: dt.date = Field(description="The first period the successor appears in the files.")
    evidence: str = Field(
        min_length=1, description="What in the files shows the change (the codes and months)."
    )

    @model_validator(mode="after")
    def _a_change(self) -> LineageSpec:
        if self.predecessor == self.successor:
            raise ValueError("the predecessor and successor are the same code and name")
        return self


class Declared(Strict):
    """An area's lineage as one entry declared it: for the checks across entries."""

    path: Path
    jurisdiction: str
    links: tuple[LineageSpec, ...]


def current(links: Sequence[LineageSpec], start: PublishedAs) -> PublishedAs:
    """The organisation `start` is now known as, following successors to the end."""
    after = {link.predecessor: link.successor for link in links}
    seen = {start}
    while start in after and after[start] not in seen:
        start = after[start]
        seen.add(start)
    return start


def problems(entries: Sequence[Declared]) -> list[str]:
    """Every predecessor declared twice in an area, and every lineage that runs in a circle."""
    found: list[str] = []
    for area in sorted({e.jurisdiction for e in entries}):
        mine = [(e.path, i, link) for e in entries if e.jurisdiction == area
                for i, link in enumerate(e.links)]  # fmt: skip
        before: set[PublishedAs] = set()
        for path, i, link in mine:
            where = f"{path}: lineage.{i}.predecessor"
            old = link.predecessor
            if old in before:
                found.append(f"{where}: {old.code} {old.name!r} is declared twice in {area}")
            before.add(old)
            if current([m for _, _, m in mine], link.successor) == old:
                found.append(f"{where}: {old.code} {old.name!r} becomes itself again ({area})")
    return found
