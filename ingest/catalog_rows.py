"""Catalog parts that say which rows to keep and how to read their cells: filters, markers,
qualifiers, lookups. Each is data in an entry; nothing here knows any agency."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Marker = Literal["[x]", "[z]", "[c]", "[low]", "[u]"]
"""GSS markers: [x] not available, [z] not applicable, [c] confidential, [low] too low to
show, [u] low reliability."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowFilter(Strict):
    """Keep only rows whose `column` passes; every row left out is counted under `name`.

    Give one test: `equals` a text, is `one_of` several, or `contains` a code in a list of
    codes separated by `separator` (e.g. 'acces,time' contains 'time').
    """

    column: str
    equals: str | None = None
    one_of: list[str] | None = Field(None, min_length=1)
    contains: str | None = None
    separator: str = Field(",", min_length=1)
    name: str | None = Field(None, description="How reports name the rule; derived if absent.")

    @model_validator(mode="after")
    def _one_test(self) -> RowFilter:
        if sum(t is not None for t in (self.equals, self.one_of, self.contains)) != 1:
            raise ValueError("a filter gives exactly one of 'equals', 'one_of' or 'contains'")
        return self

    def label(self) -> str:
        """The rule as reports name it."""
        if self.name:
            return self.name
        if self.equals is not None:
            return f"{self.column} = {self.equals!r}"
        if self.one_of is not None:
            return f"{self.column} one of {self.one_of!r}"
        return f"{self.column} contains {self.contains!r}"


class QualifierSpec(Strict):
    """A column that qualifies a value column: e.g. 'z' in a QF column means not applicable."""

    column: str = Field(description="The qualifier column beside the value column.")
    codes: dict[str, Marker] = Field(min_length=1, description="Qualifier text = GSS marker.")


class LookupSpec(Strict):
    """Another published file that names codes: joined by code, in its own layout.

    `applies_to = "organisation"` names the rows' organisations (and may give each its
    parent); `"parent"` names the parents. A code it lacks keeps the code as its name, and
    the load reports it.
    """

    pattern: str = Field(description="Glob under the data folder; the newest name is used.")
    format: Literal["csv", "xlsx"] = "csv"
    sheet: str | None = None
    header_rows: list[int] = Field(default_factory=lambda: [1])
    first_data_row: int = Field(2, ge=1)
    delimiter: str = Field(",", min_length=1, max_length=1)
    applies_to: Literal["organisation", "parent"] = "organisation"
    code_column: str
    name_column: str
    parent_column: str | None = Field(None, description="The code of each one's parent.")

    @model_validator(mode="after")
    def _shape(self) -> LookupSpec:
        if (self.format == "xlsx") != (self.sheet is not None):
            raise ValueError("a spreadsheet lookup names its 'sheet'; a CSV names none")
        if self.applies_to == "parent" and self.parent_column:
            raise ValueError("a lookup of parents gives their names, not a 'parent_column'")
        return self

    def columns(self) -> list[str]:
        """Every column its header must have."""
        return [
            self.code_column,
            self.name_column,
            *([self.parent_column] if self.parent_column else []),
        ]
