"""Figure builders, their titles and the series they draw: checked without a browser.

Every line a chart draws must be the figure metrics computed: funnel limits from metrics.stats
(as ingest stored them), process limits from metrics.spc.
"""

from __future__ import annotations

import ast
import datetime as dt
import math

import duckdb
import plotly.graph_objects as go
import polars as pl
import pytest
from plotly.basedatatypes import BaseTraceType

from dashboard.ui import charts, figures
from dashboard.web import plotly_bundle
from metrics import queries, series, standard_series
from metrics.funnel import funnel_curve, league_funnel
from metrics.spc import spc
from metrics.stats import funnel_limit, rank_with_ties
from settings import ROOT
from tests.helpers import contrast


def months(n: int) -> list[dt.date]:
    return [dt.date(2024 + i // 12, i % 12 + 1, 1) for i in range(n)]


def league(rows: list[tuple[str, int, int, str | None, str | None]]) -> pl.DataFrame:
    """A league frame: organisation, cases within the standard, cases judged, band,
    reliability (periods met and judged are set to the same counts)."""
    frame = pl.DataFrame(
        rows,
        schema=["organisation", "performance_numerator", "performance_denominator", "band",
                "reliability"],
        orient="row",
    )  # fmt: skip
    share = pl.col("performance_numerator") / pl.col("performance_denominator")
    ranks = rank_with_ties([None if r else m / j for _, m, j, _, r in rows])
    return frame.with_columns(
        share.alias("share_met"),
        share.alias("performance"),
        pl.col("performance_numerator").alias("periods_met"),
        pl.col("performance_denominator").alias("periods_judged"),
        pl.Series("rank", ranks, dtype=pl.Int64),
    )


def trace(figure: object, name: str) -> dict[str, object]:
    matches = [t for t in figure.to_plotly_json()["data"] if t.get("name") == name]  # type: ignore[attr-defined]
    assert len(matches) == 1, f"{name}: {len(matches)} traces"
    return dict(matches[0])


# Two organisations at 5/10: target 0.5, no dispersion (every z is 0), so tau2 = 0 and the 95%
# limits at n = 10 are sin^2(pi/4 -+ 1.959964 / sqrt(40)) = (1 -+ sin(0.619795)) / 2
# = (1 -+ 0.580868) / 2 = 0.209566 and 0.790434.
EVEN = league(
    [("A", 5, 10, "within expected range", None), ("B", 5, 10, "within expected range", None)]
)


def test_funnel_curve_by_hand() -> None:
    curve = funnel_curve(EVEN)
    at_10 = curve.filter(pl.col("n") == 10).row(0, named=True)
    assert at_10["target"] == 0.5
    assert at_10["lower_95"] == pytest.approx(0.209566, abs=1e-6)
    assert at_10["upper_95"] == pytest.approx(0.790434, abs=1e-6)
    assert curve["n"].min() == 5 and curve["n"].max() == 10  # from half the smallest n


def test_funnel_curve_passes_through_the_limits_ingest_stored(
    bundled_con: duckdb.DuckDBPyConnection,
) -> None:
    """Re-estimated from the league's reliable rows, the funnel is the one that banded it."""
    for area, month, standard in (
        ("Boston", dt.date(2015, 7, 1), None),
        ("NHS England", dt.date(2025, 6, 1), "nhs-ae-4-hours"),  # of its two standards
    ):
        table = queries.league_table(area, month, bundled_con, standard)
        curve = funnel_curve(table)
        counted = table.filter(pl.col("performance_denominator") > 0)
        assert counted.height > 0
        for row in counted.iter_rows(named=True):
            drawn = curve.filter(pl.col("n") == row["performance_denominator"]).row(0, named=True)
            for column in ("lower_95", "upper_95", "lower_998", "upper_998"):
                assert drawn[column] == pytest.approx(row[column], abs=1e-12), (area, column)


def test_funnel_figure_draws_the_curve_and_marks_bands_by_shape() -> None:
    table = league(
        [
            ("High", 95, 100, "above expected", None),
            ("Middle", 50, 100, "within expected range", None),
            ("Low", 5, 100, "below expected", None),
            ("Tiny", 1, 3, None, "[u]"),
        ]
    )
    curve = funnel_curve(table)
    figure = figures.funnel_figure(table, curve, "Cases")
    funnel = league_funnel(table)
    assert funnel is not None
    limits = trace(figure, "99.8% limits")
    n = curve["n"].to_list()
    assert list(limits["x"]) == [*n, None, *n]  # type: ignore[call-overload]
    assert limits["y"][0] == pytest.approx(funnel_limit(n[0], funnel, 0.998)[0] * 100)  # type: ignore[index]
    assert trace(figure, "95% limits")["line"]["dash"] == "dash"  # type: ignore[index]
    shapes = {
        name: trace(figure, name)["marker"]["symbol"]  # type: ignore[index]
        for name in (
            "Above expected",
            "Within expected range",
            "Below expected",
            "Too few judged [u]",
        )
    }
    assert shapes == {
        "Above expected": "triangle-up",
        "Within expected range": "circle",
        "Below expected": "triangle-down",
        "Too few judged [u]": "circle-open",
    }
    assert list(trace(figure, "Below expected")["y"]) == [5.0]  # type: ignore[call-overload]
    # Labelled with their ranks in the table; an unranked [u] row with "u".
    assert list(trace(figure, "Above expected")["text"]) == ["1"]  # type: ignore[call-overload]
    assert list(trace(figure, "Below expected")["text"]) == ["3"]  # type: ignore[call-overload]
    assert list(trace(figure, "Too few judged [u]")["text"]) == ["u"]  # type: ignore[call-overload]
    assert trace(figure, "Above expected")["hovertext"][0] == "High"  # type: ignore[index]  # labelled: few points


def test_funnel_titles_state_the_finding() -> None:
    assert charts.funnel_title(EVEN, "Boston", "July 2015").startswith(
        "None of the 2 Boston organisations compared was outside the expected range in July 2015"
    )
    mixed = league(
        [("A", 9, 10, "above expected", None), ("B", 1, 10, "below expected", None),
         ("C", 2, 10, "below expected", None), ("D", 0, 2, None, "[u]")]
    )  # fmt: skip
    assert charts.funnel_title(mixed, "Boston", "July 2015") == (
        "Boston, July 2015, of 3 compared, below the expected range: B and C; above it: A"
    )
    chart = charts.funnel_chart(mixed, funnel_curve(mixed), "Boston", "July 2015")
    assert any("1 organisation had too few periods judged" in s for s in chart.summary)
    assert chart.summary[-1] == "The table above holds every figure in this chart."


# tests/test_spc.py's shift: mean 39/7, amr 14/13 (here in tenths, as shares).
SHIFT = [0.6, 0.7, 0.6, 0.7, 0.6, 0.7, 0.6, 0.4, 0.5, 0.4, 0.5, 0.4, 0.5, 0.6]


def monthly(values: list[float], target: float, unit: str = "share") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "period_start": months(len(values)),
            "value": values,
            "target": [target] * len(values),
            "comparator": [">="] * len(values),
            "unit": [unit] * len(values),
            "status": ["met" if v >= target else "not_met" for v in values],
        }
    )


def test_spc_figure_draws_the_limits_spc_computed() -> None:
    result = spc(months(14), SHIFT, improvement="increase", target=0.95)
    assert result.mean == pytest.approx(3.9 / 7) and result.upl is not None
    figure = figures.spc_figure(result, "share", 0.95)
    assert trace(figure, "Mean")["y"] == pytest.approx([390 / 7] * 2)
    limits = trace(figure, "Process limits")["y"]
    assert limits[0] == pytest.approx(result.lpl * 100)  # type: ignore[index, operator]
    assert limits[3] == pytest.approx((3.9 / 7 + 2.66 * 1.4 / 13) * 100)  # type: ignore[index]
    assert trace(figure, "Target")["y"] == pytest.approx([95.0, 95.0])
    assert trace(figure, "Target")["line"]["dash"] == "dot"  # type: ignore[index]
    improved = trace(figure, "Improvement (special cause)")
    assert list(improved["x"]) == months(7)  # type: ignore[call-overload]  # the seven-point shift above the mean
    assert improved["marker"]["symbol"] == "diamond"  # type: ignore[index]
    assert trace(figure, "Value")["y"] == pytest.approx([v * 100 for v in SHIFT])


def test_spc_chart_title_and_summary() -> None:
    part = monthly(SHIFT, 0.95)
    result = spc(months(14), SHIFT, improvement="increase", target=0.95)
    chart = charts.spc_chart(result, part, "month")
    assert chart.title == (
        "Met the standard in 0 of 14 months; performance is consistently short of the target"
    )
    assert (
        chart.summary[0] == "Common cause variation: the latest points show no significant change."
    )
    assert "Mean 55.7% (solid line); process limits 27.1% to 84.4% (dashed)" in chart.summary[2]
    met_all = monthly([0.97, 0.99, 0.98], 0.95)
    met_result = series.series_spc(met_all)  # as for a pooled daily series
    assert met_result is not None
    short = charts.spc_chart(met_result, met_all, "month")
    assert short.title.startswith("Met the standard in 3 of 3 months")


def test_seconds_are_drawn_in_minutes() -> None:
    values = [420.0, 480.0, 450.0, 510.0]
    result = spc(months(4), values, improvement="decrease", target=420.0)
    figure = figures.spc_figure(result, "seconds", 420.0)
    assert trace(figure, "Value")["y"] == pytest.approx([7.0, 8.0, 7.5, 8.5])
    assert trace(figure, "Target")["y"] == pytest.approx([7.0, 7.0])


def test_a_series_too_short_for_limits_is_said_in_words() -> None:
    one = monthly([0.5], 0.95)
    assert series.series_spc(one) is None
    assert charts.too_few_to_chart(one) == (
        "There is only one figure so far (50.0%), so there is no trend to chart."
    )
    none = one.with_columns(pl.lit(None, dtype=pl.Float64).alias("value"))
    assert charts.too_few_to_chart(none) == "There are no figures to chart yet."


def test_palette_has_three_to_one_contrast_on_white_and_config_is_quiet() -> None:
    for colour in figures.PALETTE:
        rgb = f"rgb({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)})"
        assert contrast(rgb, "rgb(255, 255, 255)") >= 3, colour
    assert figures.CONFIG["displaylogo"] is False and figures.CONFIG["responsive"] is True
    assert figures.CONFIG["displayModeBar"] is False


def test_pooled_months_match_the_days_met_record(bundled_con: duckdb.DuckDBPyConnection) -> None:
    """Street Light Outages, July 2015: 567 due, 398 on time (the department page's figures)."""
    pooled = standard_series.pooled_months("boston-public-works-department", "street-light-outages",
                                  bundled_con)  # fmt: skip
    july = pooled.filter(pl.col("period_start") == dt.date(2015, 7, 1)).row(0, named=True)
    assert (july["denominator"], july["numerator"]) == (567, 398)
    assert july["value"] == 398 / 567 and july["status"] == "not_met"  # 39,800 < 95 x 567
    assert (july["days_met"], july["days_not_met"]) == (1, 22)
    assert pooled.height == 12 and july["target"] == 0.95


def test_series_record_changes_by_hand() -> None:
    part = monthly([0.5] * 12 + [0.6, 0.55], 0.95).with_columns(
        pl.Series("period_start", months(14))
    )
    record = standard_series.series_record(part, "month")
    # Latest February 2025 = 0.55; January 2025 = 0.6; February 2024 = 0.5.
    assert record.latest == dt.date(2025, 2, 1)
    assert record.change_previous == pytest.approx(-0.05)
    assert record.change_year == pytest.approx(0.05)
    assert (record.record.not_met, record.current_miss_run, record.last_met) == (14, 14, None)


def test_series_keys_and_search(bundled_con: duckdb.DuckDBPyConnection) -> None:
    boston = standard_series.series_list("boston-public-works-department", bundled_con)
    assert "street-light-outages" in boston["series"].to_list()
    canada = queries.search("passport", con=bundled_con).filter(pl.col("kind") == "service")
    assert canada.height and all(k.startswith("gc-") for k in canada["series"])
    hits = queries.search("STREET LIGHT", con=bundled_con)
    assert ("Street Light Outages", "boston-public-works-department", "street-light-outages") in (
        hits.select("name", "org_slug", "series").rows()
    )
    assert queries.search("%", con=bundled_con).is_empty()  # matched literally, not a wildcard
    limited = queries.search("a", 5, bundled_con)
    assert limited.height == 5 and limited["total"][0] > 5
    assert math.isfinite(float(limited["total"][0]))


def test_every_trace_the_site_draws_is_in_the_plotly_bundle_it_serves() -> None:
    """The site serves plotly.js's basic bundle (scatter, bar, pie: dashboard/web/
    plotly_bundle.py), which cannot draw other trace types: every trace class the dashboard
    code names must be one of those, and plotly express (which picks trace types itself) is
    not used. Read from the source, so a new chart of another type fails here."""
    used: set[str] = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names]
                assert not any("express" in n for n in names), path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                kind = getattr(go, node.attr, None) if node.value.id == "go" else None
                if isinstance(kind, type) and issubclass(kind, BaseTraceType):
                    used.add(kind().type)
    assert used == {"scatter"}  # figures.py draws lines, markers and text as scatter traces
    assert used <= plotly_bundle.TRACE_TYPES
