"""Peer groups: which organisations of an area are compared with each other, as data.

A group names the standard its members are compared on and a membership rule that knows no
agency: organisations judged on a standard in the league window, whose names match a
pattern, leaving out the members of groups declared before it. Only organisations are ever
members; regions and totals are never ranked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG_ID = r"^[a-z0-9][a-z0-9-]*$"
DEFAULT_GROUP = "all"
"""The one group of an area whose entries declare none: every organisation."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MembershipRule(Strict):
    """Who belongs in a league window: every test given must pass (none: every organisation)."""

    judged_on: str | None = Field(
        None, description="A standard id: organisations with a period judged on it in the window."
    )
    name_matches: str | None = Field(
        None, description="A regular expression the organisation's name matches (any case)."
    )
    not_in: list[str] = Field(
        default_factory=list,
        description="Ids of groups declared before it in the area whose members are left out.",
    )

    @field_validator("name_matches")
    @classmethod
    def _pattern(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"not a regular expression: {err}") from err
        return pattern


class PeerGroupSpec(Strict):
    """Organisations compared like with like, on one standard (or on each the area has)."""

    id: str = Field(pattern=SLUG_ID)
    label: str = Field(min_length=1)
    description: str = Field(min_length=1, description="Who is in it, in a plain sentence.")
    standard: str | None = Field(
        None,
        description="The standard id its members are compared on; absent: each of the "
        "area's standards, chosen on the league.",
    )
    headline_standard: str | None = Field(
        None,
        description="Where members are compared on each of the area's standards: the one the "
        "league opens on (a reader's first question is one figure); absent: every standard's "
        "periods met, pooled.",
    )
    members: MembershipRule = Field(default_factory=MembershipRule)

    @model_validator(mode="after")
    def one_standard_or_a_headline(self) -> PeerGroupSpec:
        if self.standard is not None and self.headline_standard is not None:
            raise ValueError(
                "a group compared on one standard (standard) has no other to open on: "
                "leave out headline_standard"
            )
        return self


class Declared(Strict):
    """A group as one entry of an area declared it: for the checks across entries."""

    path: Path
    jurisdiction: str
    standards: tuple[str, ...]
    groups: tuple[PeerGroupSpec, ...]


def problems(entries: Sequence[Declared]) -> list[str]:
    """Every peer group that names a standard or group its area lacks, or repeats an id."""
    found: list[str] = []
    for area in sorted({e.jurisdiction for e in entries}):
        mine = [e for e in entries if e.jurisdiction == area]
        standards = sorted({s for e in mine for s in e.standards})
        before: list[str] = []
        for entry in mine:
            for i, group in enumerate(entry.groups):
                where = f"{entry.path}: peer_groups.{i}"
                for key, value in (("standard", group.standard),
                                   ("headline_standard", group.headline_standard),
                                   ("members.judged_on", group.members.judged_on)):  # fmt: skip
                    if value is not None and value not in standards:
                        found.append(
                            f"{where}.{key}: unknown standard {value!r} "
                            f"(the standards of {area}: {', '.join(standards)})"
                        )
                for other in group.members.not_in:
                    if other not in before:
                        found.append(
                            f"{where}.members.not_in: {other!r} is not a group declared before "
                            f"it in {area} (declared before: {', '.join(before) or 'none'})"
                        )
                if group.id in before:
                    found.append(f"{where}.id: {group.id!r} is declared twice in {area}")
                before.append(group.id)
    return found
