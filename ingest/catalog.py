"""The source catalog: one TOML entry per agency dataset, parsed into typed models."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from ingest import catalog_groups, catalog_lineage
from ingest.catalog_errors import explain_extra
from ingest.catalog_groups import PeerGroupSpec
from ingest.catalog_lineage import LineageSpec
from ingest.catalog_rows import LookupSpec, Marker, QualifierSpec, RowFilter

CASE_FIELDS = ("case_id", "opened_at", "due_at", "closed_at", "organisation", "service")
"""Canonical fields of a case-level source; each has a fixed type in the warehouse."""
OPTIONAL_CASE_FIELDS = ("updated_at",)
"""Fields an entry may declare: `updated_at` decides which version of a re-sent case wins."""

SLUG_ID = r"^[a-z0-9][a-z0-9-]*$"


class CatalogError(ValueError):
    """A catalog entry that cannot be used, naming the file and every problem in it."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileLayout(Strict):
    """How the agency's files are laid out on disk."""

    format: Literal["csv", "xlsx"]
    pattern: str = Field(description="Glob under the data folder, e.g. 'boston/*.csv.gz'.")
    sheet: str | None = Field(None, description="Spreadsheet: the sheet to read.")
    header_rows: list[int] = Field(
        default_factory=lambda: [1],
        description="Spreadsheet: rows (1-based) whose labels, joined by ' / ', name columns.",
    )
    first_data_row: int = Field(2, ge=1, description="Spreadsheet: first row of records.")
    cells: dict[str, str] = Field(
        default_factory=dict,
        description="Spreadsheet: metadata cells read as columns, e.g. {Period = 'B6'}.",
    )
    encoding: Literal["utf-8"] = "utf-8"
    delimiter: str = Field(",", min_length=1, max_length=1)
    null_values: list[str] = Field(default_factory=list, description="Text meaning 'missing'.")
    thousands_separator: str | None = Field(
        None, min_length=1, max_length=1, description="Numbers written '1,355': the ','."
    )
    timestamp_format: str | None = Field(None, description="strptime format of timestamps.")
    timezone: str | None = Field(None, description="IANA zone the local timestamps are in.")
    revision_marker: str | None = Field(
        None, description="Text in a file name marking a revision; such files load last."
    )
    aliases: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Declared column = its older names: a file with an old name loads the same.",
    )

    @model_validator(mode="after")
    def _sheet(self) -> FileLayout:
        if (self.format == "xlsx") != (self.sheet is not None):
            raise ValueError("a spreadsheet names its 'sheet'; a CSV names none")
        return self


class StandardSpec(Strict):
    """A published or tracker-set standard that the source's figures are judged against."""

    id: str = Field(pattern=SLUG_ID)
    wording: str
    measure: Literal["share_on_time", "share_within", "mean", "percentile_90", "count"]
    measure_id: str | None = Field(None, description="Which declared measure it judges.")
    comparator: Literal[">=", "<="]
    target_percent: Decimal | None = Field(None, gt=0, le=100)
    target_value: Decimal | None = Field(None, ge=0)
    target_from_row: bool = Field(
        False, description="Each row carries its own published standard and target share."
    )
    unit: Literal["percent", "seconds", "count"] = "percent"
    grain: Literal["day", "month", "fiscal_year"]
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
        targets = [self.target_percent is not None, self.target_value is not None]
        if sum([*targets, self.target_from_row]) != 1:
            raise ValueError(
                "give exactly one of 'target_percent', 'target_value' or 'target_from_row'"
            )
        return self


class SourceBase(Strict):
    """What every agency dataset declares: who publishes it, its licence, how to read it."""

    id: str = Field(pattern=SLUG_ID)
    title: str
    jurisdiction: str
    publisher: str
    licence: str
    licence_url: str
    source_url: str
    attribution: str
    cadence: Literal["daily", "monthly", "yearly"]
    publication_lag_days: int = Field(
        0, ge=0, description="Days after a period ends by which its figures should be published."
    )
    data_as_of: dt.datetime | None = None
    urls: list[str] = Field(
        default_factory=list, description="Files to download with `python -m ingest fetch`."
    )
    reconciles_with: str | None = Field(
        None, description="Another source this one re-publishes: checked against it, not counted."
    )
    file: FileLayout
    filters: list[RowFilter] = Field(
        default_factory=list, description="Rows kept: every filter must pass; the rest excluded."
    )
    standards: list[StandardSpec] = Field(min_length=1)
    peer_groups: list[PeerGroupSpec] = Field(
        default_factory=list,
        description="Organisations compared like with like; the area's first is its default.",
    )
    lineage: list[LineageSpec] = Field(
        default_factory=list,
        description="The area's organisations that changed name or code: predecessor, "
        "successor and the first period the successor appears.",
    )

    def stored_name(self, url: str) -> str:
        """The name a file downloaded from `url` is kept under (gzipped if the pattern is)."""
        name = published_name(url)
        gz = self.file.pattern.endswith(".gz") and not name.endswith(".gz")
        return name + ".gz" if gz else name

    def file_urls(self) -> dict[str, str]:
        """Each listed file's stored name and the public URL it is published at."""
        return {self.stored_name(url): url for url in self.urls}

    def files(self, data_dir: Path) -> list[Path]:
        """The source's files in load order: by name, revisions after the originals."""
        marker = self.file.revision_marker
        found = [p for p in data_dir.glob(self.file.pattern) if p.is_file()]
        return sorted(found, key=lambda p: (bool(marker and marker in p.name), p.name))


def published_name(url: str) -> str:
    """The file name at the end of a URL ('Monthly-AE-April-2025.csv')."""
    name = unquote(PurePosixPath(urlsplit(url).path).name)
    if not name:
        raise ValueError(f"cannot name a file after {url!r}")
    return name


class CaseSource(SourceBase):
    """A case-level file: one row per request, each with its own target time."""

    kind: Literal["cases"]
    columns: dict[str, str]

    @field_validator("columns")
    @classmethod
    def _columns_complete(cls, columns: dict[str, str]) -> dict[str, str]:
        missing = [f for f in CASE_FIELDS if f not in columns]
        unknown = [f for f in columns if f not in (*CASE_FIELDS, *OPTIONAL_CASE_FIELDS)]
        if missing or unknown:
            raise ValueError(f"missing {missing or 'none'}, unknown {unknown or 'none'}")
        return columns

    @model_validator(mode="after")
    def _timestamps(self) -> CaseSource:
        if not self.file.timestamp_format:
            raise ValueError("a case-level source needs file.timestamp_format")
        return self


class PeriodSpec(Strict):
    """Where a row's period comes from: columns joined by a space, parsed with `format`.

    A fiscal year ('2023-2024') starts in `fiscal_year_starts` of the year it names first.
    """

    columns: list[str] = Field(min_length=1)
    format: str = Field(description="strptime format of the joined columns, e.g. 'MSitAE-%B-%Y'.")
    grain: Literal["month", "fiscal_year"]
    fiscal_year_starts: int = Field(4, ge=1, le=12, description="Month a fiscal year starts.")
    one_per_file: bool = Field(
        False, description="Each file holds one period; total rows take the file's period."
    )


class OrganisationSpec(Strict):
    """Which columns name the organisation, and which codes are totals or regions."""

    code_column: str
    name_column: str | None = Field(
        None, description="Absent: names come from a lookup, else each code is its own name."
    )
    parent_column: str | None = Field(None, description="Code of each one's parent.")
    parent_name_column: str | None = None
    computed_total: bool = Field(
        False,
        description="Sum organisation rows into the area total where the file has no total "
        "row; where it has one, reconcile the two and report any difference.",
    )
    total_codes: list[str] = Field(default_factory=list, description="Codes of total rows.")
    total_name: str | None = Field(None, description="Name shown for the total rows.")
    name_separator: str | None = Field(
        None, description="Bilingual names 'English | Français': keep the part before this."
    )
    region_code_pattern: str | None = Field(
        None, description="Regex of codes that are regions (kept, but not ranked with others)."
    )


DIRECTION = {"share": "higher", "seconds": "lower", "count": "neither"}
"""Which way is better, unless an entry says: a larger share, a shorter time; a volume neither."""


class MeasureSpec(Strict):
    """A figure each row carries: a share built from counts, a single value, or a count.

    A measure no standard names is still loaded, and published in the `measures` table.
    """

    id: str = Field(pattern=SLUG_ID)
    service: str
    kind: Literal["share", "value", "count"]
    counted: list[str] = Field(default_factory=list, description="A count: columns summed.")
    applies_to: list[str] = Field(
        default_factory=list,
        description="A count: columns summed giving who it counts among; none, and the count "
        "is not applicable [z] (no 12-hour waits where there were no attendances).",
    )
    denominator: list[str] = Field(default_factory=list, description="Columns summed.")
    numerator: list[str] = Field(default_factory=list, description="Columns summed.")
    numerator_is_denominator_minus: list[str] = Field(
        default_factory=list, description="Numerator = denominator − these columns summed."
    )
    value: str | None = None
    published_share: str | None = Field(
        None, description="The agency's own rounded share; where given, it is the figure judged."
    )
    unit: Literal["share", "seconds", "count"] = "share"
    direction: Literal["higher", "lower", "neither"] | None = Field(
        None, description="Which way is better (default: share higher, time lower, count neither)."
    )
    scale: Literal["fraction", "percent"] = Field(
        "fraction", description="How the published share is written: 0 to 1, or 0 to 100."
    )
    volume: str | None = Field(
        None,
        description="The count measure (or inventory volume) giving this measure's volume: "
        "the scale behind it, shown beside it in the league and on /compare.",
    )

    @model_validator(mode="after")
    def _shape(self) -> MeasureSpec:
        if self.kind == "value" and (self.value is None or self.denominator):
            raise ValueError("a value measure names one 'value' column and no denominator")
        if (
            (self.kind == "count") != bool(self.counted)
            or (self.kind == "count" and (self.unit != "count" or self.denominator or self.value))
            or (self.applies_to and self.kind != "count")
        ):
            raise ValueError("a count names its 'counted' columns, unit = 'count' and no other")
        if self.kind == "share" and (
            not self.denominator
            or bool(self.numerator) == bool(self.numerator_is_denominator_minus)
        ):
            raise ValueError(
                "a share names 'denominator' and one of 'numerator' or "
                "'numerator_is_denominator_minus'"
            )
        return self

    def columns(self) -> list[str]:
        """Every file column the measure reads."""
        own = [*self.denominator, *self.numerator, *self.numerator_is_denominator_minus]
        own += [*self.counted, *self.applies_to]
        return own + [c for c in (self.value, self.published_share) if c]

    def better(self) -> str:
        """Which way is better: declared, else the unit's usual direction."""
        return self.direction or DIRECTION[self.unit]


class RowStandardSpec(Strict):
    """Columns of a file where each row is itself a published standard with its own target."""

    id_column: str | list[str] = Field(
        description="Column(s) whose values, joined by ':', identify the standard."
    )
    wording_column: str
    target_column: str = Field(description="Target share, 0 to 1 (or 0 to 100: target_scale).")
    target_scale: Literal["fraction", "percent"] = "fraction"
    service_column: str
    citation_column: str | None = None
    agency_verdict_column: str | None = Field(
        None, description="The agency's own met/not met flag (Y/N/NA), kept to reconcile."
    )

    def columns(self) -> list[str]:
        """Every file column it reads."""
        own = [*self.id_columns(), self.wording_column, self.target_column, self.service_column]
        extra = [c for c in (self.citation_column, self.agency_verdict_column) if c]
        return own + extra

    def id_columns(self) -> list[str]:
        """The columns of the standard's key."""
        return [self.id_column] if isinstance(self.id_column, str) else self.id_column


class InventorySpec(Strict):
    """A companion file listing the source's services: each one's name and volumes, by period.

    It has the source's own period and organisation columns. Each row of the source takes
    the name of the inventory's service with the same period and service id.
    """

    pattern: str = Field(description="Glob under the data folder, in the source's format.")
    service_id_column: str = Field(description="Service id: a column of both files.")
    service_name_column: str
    volumes: dict[str, str] = Field(
        default_factory=dict, description="Volume id = column of whole numbers, e.g. applications."
    )
    stages: dict[str, str] = Field(
        default_factory=dict,
        description="Stage id = column saying Y or N: whether that stage is offered online.",
    )
    markers: dict[str, Literal["[x]", "[z]", "[p]", "[r]"]] = Field(
        default_factory=dict, description="Text standing for a status, not a number: NA = '[z]'."
    )

    @field_validator("volumes", "stages")
    @classmethod
    def _volume_ids(cls, volumes: dict[str, str]) -> dict[str, str]:
        bad = [v for v in volumes if not re.fullmatch(SLUG_ID, v)]
        if bad:
            raise ValueError(f"ids {bad} must be lower-case words joined by hyphens")
        return volumes


class ObservationSource(SourceBase):
    """An aggregate file: one row per organisation and period, with declared measures."""

    kind: Literal["observations"]
    period: PeriodSpec
    organisation: OrganisationSpec
    measures: list[MeasureSpec] = Field(min_length=1)
    row_standard: RowStandardSpec | None = None
    inventory: InventorySpec | None = None
    row_key: list[str] | None = Field(
        None,
        min_length=1,
        description="Columns that identify a row (default: organisation code, period and "
        "any row standard's id); a repeat is rejected naming them all.",
    )
    lookups: list[LookupSpec] = Field(default_factory=list)
    markers: dict[str, dict[str, Marker]] = Field(
        default_factory=dict,
        description="Measure column (or '*' for every one) = {text = GSS marker}: "
        "e.g. ND = '[x]', '*' = '[c]'.",
    )
    qualifiers: dict[str, QualifierSpec] = Field(
        default_factory=dict, description="Measure column = the column qualifying it."
    )

    @model_validator(mode="after")
    def _standards_name_measures(self) -> ObservationSource:
        ids = {m.id for m in self.measures}
        bad = [s.id for s in self.standards if s.measure_id not in ids]
        if bad:
            raise ValueError(f"standards {bad} must name a declared measure_id of {sorted(ids)}")
        return self

    @model_validator(mode="after")
    def _volumes_name_counts(self) -> ObservationSource:
        counts = {m.id for m in self.measures if m.kind == "count"}
        counts |= set(self.inventory.volumes) if self.inventory else set()
        bad = [m.id for m in self.measures if m.volume is not None and m.volume not in counts]
        if bad:
            raise ValueError(f"measures {bad} must name as volume a count of {sorted(counts)}")
        return self

    @model_validator(mode="after")
    def _cells_and_names(self) -> ObservationSource:
        figures = {c for m in self.measures for c in m.columns()}
        unknown = sorted({*self.markers, *self.qualifiers} - figures - {"*"})
        if unknown:
            raise ValueError(
                f"markers and qualifiers {unknown} must name a measure column of {sorted(figures)}"
            )
        if self.organisation.computed_total and self.row_standard is not None:
            raise ValueError("a computed total needs measures, not rows that are standards")
        return self

    def required_columns(self) -> list[str]:
        """Every column the file's header must have."""
        org = self.organisation
        cols = [*self.period.columns, org.code_column, *(self.row_key or [])]
        cols += [c for c in (org.name_column, org.parent_column, org.parent_name_column) if c]
        cols += [f.column for f in self.filters] + [q.column for q in self.qualifiers.values()]
        if self.row_standard:
            cols += self.row_standard.columns()
        if self.inventory:
            cols.append(self.inventory.service_id_column)
        return sorted({*cols, *(c for m in self.measures for c in m.columns())})

    def inventory_columns(self) -> list[str]:
        """Every column the inventory file's header must have."""
        inv = self.inventory
        if inv is None:
            return []
        org = self.organisation
        own = [inv.service_id_column, inv.service_name_column, *inv.volumes.values()]
        own += inv.stages.values()
        names = [org.name_column] if org.name_column else []
        return sorted({*self.period.columns, org.code_column, *names, *own})

    def inventory_files(self, data_dir: Path) -> list[Path]:
        """The inventory's files, by name."""
        if self.inventory is None:
            return []
        return sorted(p for p in data_dir.glob(self.inventory.pattern) if p.is_file())


Source = CaseSource | ObservationSource
_SOURCE: TypeAdapter[Source] = TypeAdapter(Annotated[Source, Field(discriminator="kind")])


def load_source(path: Path) -> Source:
    """Parse one catalog entry, raising CatalogError that names the file and each problem."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return _SOURCE.validate_python(raw)
    except tomllib.TOMLDecodeError as err:
        raise CatalogError(f"{path}: not valid TOML: {err}") from err
    except ValidationError as err:
        raise CatalogError(f"{path}: {'; '.join(_problems(err))}") from err


_KINDS: dict[str, type[BaseModel]] = {"cases": CaseSource, "observations": ObservationSource}


def _problems(err: ValidationError) -> list[str]:
    """Each problem at its place; an unknown key lists the keys allowed there."""
    found = []
    for e in err.errors():
        loc = e["loc"]
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            message = explain_extra(_KINDS, loc, message)
        found.append(f"{'.'.join(str(p) for p in loc) or '(entry)'}: {message}")
    return found


def load_catalog(catalog_dir: Path) -> list[Source]:
    """Every catalog entry in the folder; ids must be unique, each peer group must name
    standards and groups of its own area, and each area's lineage must run one way."""
    paths = sorted(catalog_dir.glob("*.toml"))
    sources = [load_source(p) for p in paths]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise CatalogError(f"{catalog_dir}: source id {source.id!r} is declared twice")
        seen.add(source.id)
    declared = [
        catalog_groups.Declared(
            path=path, jurisdiction=s.jurisdiction, standards=tuple(st.id for st in s.standards),
            groups=tuple(s.peer_groups),
        )
        for path, s in zip(paths, sources, strict=True)
    ]  # fmt: skip
    found = catalog_groups.problems(declared)
    found += catalog_lineage.problems(
        [catalog_lineage.Declared(path=path, jurisdiction=s.jurisdiction, links=tuple(s.lineage))
         for path, s in zip(paths, sources, strict=True)]
    )  # fmt: skip
    if found:
        raise CatalogError("; ".join(found))
    return sources
