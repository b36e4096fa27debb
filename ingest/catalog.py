"""The source catalog: one TOML entry per agency dataset, parsed into typed models."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

CASE_FIELDS = ("case_id", "opened_at", "due_at", "closed_at", "organisation", "service")
"""Canonical fields of a case-level source; each has a fixed type in the warehouse."""


class CatalogError(ValueError):
    """A catalog entry that cannot be used, naming the file and every problem in it."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileLayout(Strict):
    """How the agency's files are laid out on disk."""

    format: Literal["csv"]
    pattern: str = Field(description="Glob under the data folder, e.g. 'boston/*.csv.gz'.")
    encoding: Literal["utf-8"] = "utf-8"
    delimiter: str = Field(",", min_length=1, max_length=1)
    timestamp_format: str = Field(description="strptime format of every timestamp column.")
    timezone: str = Field(description="IANA zone the local timestamps are in.")


class StandardSpec(Strict):
    """A published or tracker-set standard that the source's figures are judged against."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    wording: str
    measure: Literal["share_on_time"]
    comparator: Literal[">="]
    target_percent: Decimal = Field(gt=0, le=100)
    grain: Literal["day"]
    set_by: Literal["agency", "tracker"]
    reason: str | None = None
    citation_url: str | None = None
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _explained(self) -> StandardSpec:
        if self.set_by == "tracker" and not self.reason:
            raise ValueError("a standard set by this tracker needs a 'reason'")
        if self.set_by == "agency" and not self.citation_url:
            raise ValueError("a standard published by the agency needs a 'citation_url'")
        return self


class Source(Strict):
    """One agency dataset: who publishes it, under what licence, and how to read it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    jurisdiction: str
    publisher: str
    licence: str
    licence_url: str
    source_url: str
    attribution: str
    kind: Literal["cases"]
    cadence: Literal["daily", "monthly", "yearly"]
    data_as_of: dt.datetime | None = None
    file: FileLayout
    columns: dict[str, str]
    standards: list[StandardSpec] = Field(min_length=1)

    @field_validator("columns")
    @classmethod
    def _columns_complete(cls, columns: dict[str, str]) -> dict[str, str]:
        missing = [f for f in CASE_FIELDS if f not in columns]
        unknown = [f for f in columns if f not in CASE_FIELDS]
        if missing or unknown:
            raise ValueError(f"missing {missing or 'none'}, unknown {unknown or 'none'}")
        return columns

    def files(self, data_dir: Path) -> list[Path]:
        """The source's files under the data folder, in a stable order."""
        return sorted(p for p in data_dir.glob(self.file.pattern) if p.is_file())


def load_source(path: Path) -> Source:
    """Parse one catalog entry, raising CatalogError that names the file and each problem."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return Source.model_validate(raw)
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{path}: not valid TOML: {err}") from err
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(entry)'}: {e['msg']}" for e in err.errors()
        )
        raise CatalogError(f"{path}: {problems}") from err


def load_catalog(catalog_dir: Path) -> list[Source]:
    """Every catalog entry in the folder; ids must be unique."""
    sources = [load_source(p) for p in sorted(catalog_dir.glob("*.toml"))]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise CatalogError(f"{catalog_dir}: source id {source.id!r} is declared twice")
        seen.add(source.id)
    return sources
