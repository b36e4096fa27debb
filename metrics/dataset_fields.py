"""What every column of every dataset means: type (Frictionless Table Schema), unit, wording."""

from __future__ import annotations

from dataclasses import dataclass

STATUS = "GSS marker for {}: [x] not available, [z] not applicable, [u] low reliability"


@dataclass(frozen=True)
class Field:
    """One column: Frictionless type (string, integer, number, date, datetime, boolean)."""

    name: str
    type: str
    description: str
    unit: str | None = None


@dataclass(frozen=True)
class Spec:
    """A dataset's description and its fields, in column order."""

    description: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        """The column names, in order."""
        return [f.name for f in self.fields]


def _fields(*rows: tuple[str, ...]) -> tuple[Field, ...]:
    """Fields from (name, type, description[, unit]); a name ending _status gets its wording."""
    out = []
    for name, kind, *rest in rows:
        if name.endswith("_status") and not rest:
            rest = [STATUS.format(name.removesuffix("_status"))]
        out.append(Field(name, kind, *rest))
    return tuple(out)


S, INT, N, D, T, B = "string", "integer", "number", "date", "datetime", "boolean"
ORG = ("organisation", S, "Organisation (department, trust or agency) as the source names it")
WHERE = ("jurisdiction", S, "Area whose organisations are compared")
SERVICE = ("service", S, "Service or request type the standard applies to")
STD = ("standard_id", S, "Identifier of the standard (see the standards dataset)")

FIELDS: dict[str, Spec] = {
    "league": Spec(
        "Organisations of a jurisdiction for a league window, best first, as on the home page.",
        _fields(
            ("rank", INT, "Rank by performance (monthly and yearly sources; lower first for a "
                          "time) or by share of service-days met (daily sources); ties share "
                          "a rank"), ("rank_status", S),
            ORG,
            ("grain", S, "Period each standard is judged over: day, month or fiscal_year"),
            ("standard_id", S, "The catalog standard the row is judged on; 'all' pools every "
                               "standard's periods-met record where an area has several"),
            ("performance", N, "Volume-weighted over the window: performance_numerator / "
                               "performance_denominator; where no counts are published (a "
                               "mean time, a published share), the mean of the judged "
                               "periods' figures", "share (0-1) or seconds"),
            ("performance_numerator", INT, "Cases within the standard in the window (requests "
                                           "closed on time, attendances within 4 hours); "
                                           "empty where not published", "cases"),
            ("performance_denominator", INT, "Cases judged in the window (requests due, "
                                             "attendances); empty where not published",
             "cases"),
            ("performance_unit", S, "share or seconds"),
            ("periods_met", INT, "Periods in the window that met the standard", "periods"),
            ("periods_judged", INT, "Periods met or not met", "periods"),
            ("periods_no_data", INT, "Periods that should have figures and have none", "periods"),
            ("share_met", N, "periods_met / periods_judged", "share (0-1)"),
            ("share_met_status", S),
            ("share_lower", N, "Wilson 95% interval, lower end", "share (0-1)"),
            ("share_lower_status", S),
            ("share_upper", N, "Wilson 95% interval, upper end", "share (0-1)"),
            ("share_upper_status", S),
            ("band", S, "Funnel plot of performance on case volumes (performance_denominator), "
                        "overdispersion-adjusted (random effects), at 99.8% limits: above "
                        "expected, within expected range, below expected; empty when low "
                        "reliability or no counts are published"),
            ("reliability", S, "[u] when fewer periods were judged than the minimum"),
        ),
    ),
    "records": Spec(
        "Every judged standard-period: one row per organisation, service, standard and period.",
        _fields(
            WHERE, ORG, SERVICE, STD, ("standard", S, "The standard in words"),
            ("period_start", D, "First day of the period"),
            ("period_end", D, "Last day of the period"),
            ("grain", S, "day, month or fiscal_year"),
            ("numerator", INT, "Cases within the standard (e.g. closed on time)", "cases"),
            ("numerator_status", S),
            ("denominator", INT, "Cases judged (e.g. due)", "cases"), ("denominator_status", S),
            ("value", N, "The figure judged: a share (0-1) or a time in seconds",
             "share (0-1) or seconds"),
            ("value_status", S),
            ("target", N, "The figure the standard requires, in value's unit",
             "share (0-1) or seconds"),
            ("target_status", S),
            ("comparator", S, ">= (value must reach target) or <= (must not exceed it)"),
            ("status", S, "met, not_met, no_data or not_applicable"),
        ),
    ),
    "days-met": Spec(
        "One row per service, standard and month: the days-met record and its headline.",
        _fields(
            WHERE, ORG, SERVICE, STD, ("month", D, "First day of the month"),
            ("days_met", INT, "Days met", "days"), ("days_not_met", INT, "Days not met", "days"),
            ("days_no_data", INT, "Days of the month with no figures (e.g. after the data ends)",
             "days"),
            ("days_not_applicable", INT, "Days with nothing due", "days"),
            ("days_judged", INT, "days_met + days_not_met", "days"),
            ("due", INT, "Requests due in the month", "requests"),
            ("on_time", INT, "Requests due in the month closed by their target", "requests"),
            ("no_target", INT, "Requests opened with no target, never judged", "requests"),
            ("headline", S, "The record in words, as the page shows it"),
        ),
    ),
    "daily": Spec(
        "One row per service, standard and day: the figures behind each calendar.",
        _fields(
            WHERE, ORG, SERVICE, STD, ("day", D, "Local calendar day"),
            ("due", INT, "Requests whose target time fell on the day", "requests"),
            ("on_time", INT, "Of those, closed by their target time", "requests"),
            ("no_target", INT, "Requests opened that day with no target", "requests"),
            ("share_on_time", N, "on_time / due", "share (0-1)"),
            ("share_on_time_status", S),
            ("target_percent", N, "Share that must be on time", "percent"),
            ("status", S, "met, not_met or not_applicable (nothing due)"),
        ),
    ),
    "standards": Spec(
        "Every version of every standard, with who set it and why.",
        _fields(
            STD, ("version", INT, "Version; a changed standard gets a new one"),
            ("source_id", S, "Catalog entry the standard belongs to"),
            ("wording", S, "The standard in words"), ("measure", S, "What is measured"),
            ("comparator", S, ">= or <="),
            ("target_percent", N, "Share that must meet the standard", "percent"),
            ("target_percent_status", S),
            ("target_value", N, "Value that must be met", "seconds"),
            ("target_value_status", S),
            ("target_from_row", B, "Each row of the source publishes its own target"),
            ("unit", S, "Unit of the figure judged"), ("grain", S, "day, month or fiscal_year"),
            ("set_by", S, "agency (published by the agency) or tracker (set by this site)"),
            ("reason", S, "Why the tracker set it, where it did"),
            ("citation_url", S, "Where the agency publishes it"),
            ("valid_from", D, "First day it applies"), ("valid_to", D, "Last day it applies"),
            ("valid_to_status", S),
        ),
    ),
    "sources": Spec(
        "Provenance: every file loaded, its checksum, when and how many rows.",
        _fields(
            ("source_id", S, "Catalog entry"), ("title", S, "Dataset title"), WHERE,
            ("publisher", S, "Who publishes it"), ("licence", S, "Licence"),
            ("licence_url", S, "Licence text"), ("source_url", S, "Where it is published"),
            ("load_id", INT, "Load number"), ("file_name", S, "File loaded"),
            ("sha256", S, "SHA-256 of the file"),
            ("loaded_at", T, "When the load finished (UTC)"),
            ("rows_read", INT, "Rows read", "rows"), ("rows_loaded", INT, "Rows loaded", "rows"),
            ("rows_rejected", INT, "Rows quarantined (see rejects)", "rows"),
            ("status", S, "loaded, or superseded by a revised file"),
            ("superseded_by", INT, "The load that replaced this file's rows"),
            ("superseded_by_status", S),
        ),
    ),
    "rejects": Spec(
        "Rows quarantined at ingest, with the column and the reason.",
        _fields(
            ("source_id", S, "Catalog entry"), ("load_id", INT, "Load number"),
            ("file_name", S, "File"),
            ("row_number", INT, "Line in the file (the header is line 1)"),
            ("column_name", S, "Column at fault"), ("value", S, "The value as read"),
            ("reason", S, "Why it was rejected"),
        ),
    ),
}  # fmt: skip
