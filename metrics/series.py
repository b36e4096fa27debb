"""Measures over each standard's series of judged periods, stored at build time.

`met_records`: one row per organisation, service, standard and month. For a daily standard
the record counts the month's days; for a monthly (or fiscal-year) standard it counts the
periods of the series up to and including that month. The SQL follows metrics.records, whose
functions are the reference (tests compare the two): no data and not applicable are never
met or missed; in runs a not-applicable period is passed over and a no-data one ends the run.

`spc_points` and `spc_verdicts`: metrics.spc over every organisation's monthly series of
each standard, as the department page charts it.
"""

from __future__ import annotations

import duckdb
import polars as pl

from metrics import spc

MET_RECORDS = """
CREATE OR REPLACE TABLE met_records AS
WITH keys AS (  -- a number per series: windows partition on it far faster than on text
    SELECT *, row_number() OVER () AS series
    FROM (SELECT DISTINCT org_slug, service, standard_id FROM judgements)
), j AS (
    SELECT series, jurisdiction, organisation, org_slug, org_level, service, standard_id, grain,
           period_start, status, numerator, denominator, value, target, comparator,
           CASE WHEN grain = 'day' THEN date_trunc('month', period_start)::DATE
                ELSE period_start END AS month,
           CASE WHEN grain = 'day' THEN date_trunc('month', period_start)::DATE END AS win_month
    FROM judgements JOIN keys USING (org_slug, service, standard_id)
), breaks AS (  -- a met or no-data period ends a run of misses; not applicable is passed over
    SELECT *, count(*) FILTER (WHERE status <> 'not_met') OVER (
                  PARTITION BY series ORDER BY period_start) AS run_all,
              count(*) FILTER (WHERE status <> 'not_met') OVER (
                  PARTITION BY series, win_month ORDER BY period_start)
                  AS run_win
    FROM j WHERE status <> 'not_applicable'
), runs AS (
    SELECT series, period_start,
           count(*) FILTER (WHERE status = 'not_met') OVER (
               PARTITION BY series, run_all ORDER BY period_start)
               AS miss_run,
           count(*) FILTER (WHERE status = 'not_met') OVER (
               PARTITION BY series, win_month, run_win
               ORDER BY period_start) AS miss_run_in_window
    FROM breaks
), months AS (
    SELECT j.series, j.jurisdiction, j.organisation, j.org_slug, j.org_level, j.service,
           j.standard_id, j.grain, j.month, any_value(j.comparator) AS comparator,
           arg_max(j.target, j.period_start) AS target,
           count(*) FILTER (WHERE j.status = 'met') AS m_met,
           count(*) FILTER (WHERE j.status = 'not_met') AS m_not_met,
           count(*) FILTER (WHERE j.status = 'no_data') AS m_no_data,
           count(*) FILTER (WHERE j.status = 'not_applicable') AS m_not_applicable,
           -- pooled over the periods that have both counts (some published rows lack one)
           sum(j.numerator) FILTER (WHERE j.denominator IS NOT NULL)::BIGINT AS m_numerator,
           sum(j.denominator) FILTER (WHERE j.numerator IS NOT NULL)::BIGINT AS m_denominator,
           any_value(j.value) AS m_value,
           max(j.period_start) FILTER (WHERE j.status = 'met') AS m_last_met,
           arg_max(r.miss_run, j.period_start) FILTER (WHERE r.miss_run IS NOT NULL)
               AS m_run_at_end,
           coalesce(max(r.miss_run_in_window), 0) AS m_longest
    FROM j LEFT JOIN runs r USING (series, period_start)
    GROUP BY ALL
), cumulative AS (
    SELECT *,
           min(month) OVER upto AS first_month, max(m_last_met) OVER upto AS last_met,
           coalesce(last_value(m_run_at_end IGNORE NULLS) OVER upto, 0) AS current_miss_run,
           bool_or(m_met + m_not_met > 0) OVER upto AS judged_ever,
           sum(m_met) OVER upto AS c_met, sum(m_not_met) OVER upto AS c_not_met,
           sum(m_no_data) OVER upto AS c_no_data,
           sum(m_not_applicable) OVER upto AS c_not_applicable,
           sum(m_numerator) OVER upto AS c_numerator,
           sum(m_denominator) OVER upto AS c_denominator, max(m_longest) OVER upto AS c_longest
    FROM months
    WINDOW upto AS (PARTITION BY series ORDER BY month
                    ROWS UNBOUNDED PRECEDING)
), record AS (
    SELECT series, jurisdiction, organisation, org_slug, org_level, service, standard_id, grain,
           month, comparator, target, last_met, current_miss_run::BIGINT AS current_miss_run,
           judged_ever,
           CASE WHEN grain = 'day' THEN month ELSE first_month END AS record_from,
           (CASE WHEN grain = 'day' THEN m_met ELSE c_met END)::BIGINT AS met,
           (CASE WHEN grain = 'day' THEN m_not_met ELSE c_not_met END)::BIGINT AS not_met,
           (CASE WHEN grain = 'day' THEN m_no_data ELSE c_no_data END)::BIGINT AS no_data,
           (CASE WHEN grain = 'day' THEN m_not_applicable ELSE c_not_applicable END)::BIGINT
               AS not_applicable,
           (CASE WHEN grain = 'day' THEN m_longest ELSE c_longest END)::BIGINT
               AS longest_miss_run,
           CASE WHEN grain = 'day' THEN m_numerator ELSE c_numerator END AS numerator,
           CASE WHEN grain = 'day' THEN m_denominator ELSE c_denominator END AS denominator,
           CASE WHEN grain = 'day' THEN
                CASE WHEN m_denominator > 0 THEN m_numerator / m_denominator END
                ELSE m_value END AS value
    FROM cumulative
), measured AS (
    SELECT *, met + not_met AS judged,
           CASE WHEN met + not_met + no_data > 0
                THEN (met + not_met) / (met + not_met + no_data) END AS coverage,
           CASE WHEN denominator > 0 THEN numerator / denominator END AS pooled
    FROM record
)
SELECT m.* EXCLUDE (series, numerator, denominator),
       coalesce(m.pooled IS NOT NULL AND m.judged > 0
                AND (m.pooled >= m.target) <> (m.met * 2 > m.judged), false) AS disagrees,
       m.value - p.value AS change_on_previous, m.value - y.value AS change_on_year
FROM measured m
LEFT JOIN measured p ON p.series = m.series
     AND p.month = (m.month - CASE WHEN m.grain = 'fiscal_year' THEN INTERVAL 1 YEAR
                                   ELSE INTERVAL 1 MONTH END)::DATE
LEFT JOIN measured y ON y.series = m.series AND y.month = (m.month - INTERVAL 1 YEAR)::DATE;
"""

POINT_SCHEMA = {"org_slug": pl.String, "standard_id": pl.String, **spc.POINT_SCHEMA}
VERDICT_SCHEMA = {
    "org_slug": pl.String,
    "standard_id": pl.String,
    "mean": pl.Float64,
    "lpl": pl.Float64,
    "upl": pl.Float64,
    "amr": pl.Float64,
    "variation": pl.String,
    "assurance": pl.String,
    "variation_sentence": pl.String,
    "assurance_sentence": pl.String,
    "warning": pl.String,
}
VERDICT_FIELDS = list(VERDICT_SCHEMA)[2:]


def series_spc(series: pl.DataFrame) -> spc.SpcResult | None:
    """SPC of one monthly series (rows of `judgements`); None with fewer than two figures.

    Higher is better for '>=' standards, lower for '<='.
    """
    series = series.sort("period_start")
    if series["value"].drop_nulls().len() < 2:
        return None
    return spc.spc(
        list(series["period_start"]),
        list(series["value"]),
        improvement="increase" if series["comparator"][0] == ">=" else "decrease",
        target=float(series["target"][0]),
        unit=str(series["unit"][0]),
    )


def _charts(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every organisation's monthly series of every standard, charted."""
    monthly = con.sql(
        "SELECT org_slug, standard_id, period_start, value, comparator, target, unit "
        "FROM judgements WHERE grain = 'month' ORDER BY org_slug, standard_id, period_start"
    ).pl()
    points, verdicts = [pl.DataFrame(schema=POINT_SCHEMA)], []
    for part in monthly.partition_by(["org_slug", "standard_id"], maintain_order=True):
        result = series_spc(part)
        if result is None:
            continue
        keys = {"org_slug": part["org_slug"][0], "standard_id": part["standard_id"][0]}
        named = result.points.with_columns(pl.lit(v).alias(k) for k, v in keys.items())
        points.append(named.select(list(POINT_SCHEMA)))
        verdicts.append(keys | {f: getattr(result, f) for f in VERDICT_FIELDS})
    return pl.concat(points), pl.DataFrame(verdicts, schema=VERDICT_SCHEMA)


def build_series(con: duckdb.DuckDBPyConnection) -> None:
    """Replace met_records, spc_points and spc_verdicts from the judgements table."""
    con.execute(MET_RECORDS)
    points, verdicts = _charts(con)
    for name, frame in (("spc_points", points), ("spc_verdicts", verdicts)):
        con.register("charted", frame)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM charted")  # noqa: S608
        con.unregister("charted")
