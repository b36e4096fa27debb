"""Statistical process control: XmR charts as NHS England's "Making Data Count" defines them.

The arithmetic and the four special-cause rules follow the NHSRplotthedots R package
(nhs-r-community; R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R). Two choices are ours or Making Data Count's, not the package's:
- gaps (missing values) end every run and no moving range spans one; the package assumes none;
- the two-of-three rule counts every point beyond the two-sigma line, including points beyond the
  process limits, as Making Data Count's tools have done since late 2023 (NHSRplotthedots #194).
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from metrics.wording import target_text

Improvement = Literal["increase", "decrease", "neutral"]

LIMIT = 2.66  # 3 / d2 (d2 = 1.128 for ranges of two): the average moving range as 3 sigma
NEAR = 2 * LIMIT / 3  # 2 sigma: the line the two-of-three rule looks beyond
SCREEN = 3.267  # D4 for ranges of two: a moving range this large is itself special cause
RUN = 7  # points in a shift or a trend (a trend of 7 points is 6 steps)
MIN_BASELINE = 12  # fewer points than this give provisional limits (the package's threshold)

RULES = ("outside_limits", "shift", "trend", "two_of_three")
POINT_SCHEMA = {
    "period": pl.Date,
    **dict.fromkeys(("value", "mean", "lpl", "upl", "near_lower", "near_upper"), pl.Float64),
    **dict.fromkeys((*RULES, "special_cause"), pl.Boolean),
    "point_type": pl.String,
}
"""The columns of SpcResult.points (period is a date for the monthly series we chart)."""
_SIGNS = {"increase": 1, "decrease": -1, "neutral": 0}
_VARIATIONS = {
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral": "neutral",
    "common_cause": "common cause",
}
VARIATION_SENTENCES = {
    "improvement": "Special cause variation: the latest points show improvement.",
    "concern": "Special cause variation: the latest points show a cause for concern.",
    "neutral": "Special cause variation: the latest points show an unusual change.",
    "common cause": "Common cause variation: the latest points show no significant change.",
}


@dataclass(frozen=True)
class SpcResult:
    """An XmR chart of one series, with its special-cause flags and verdicts."""

    points: pl.DataFrame
    mean: float | None
    lpl: float | None
    upl: float | None
    amr: float | None
    variation: str
    assurance: str | None
    variation_sentence: str
    assurance_sentence: str | None
    warning: str | None


@dataclass(frozen=True)
class _Centre:
    """The baseline's mean and average moving range, from which every line is drawn."""

    mean: float
    amr: float | None

    def line(self, sigmas: float) -> float | None:
        """The line `sigmas` (as multiples of the amr, negative below) from the mean."""
        return None if self.amr is None else self.mean + sigmas * self.amr


def _moving_ranges(values: Sequence[float | None]) -> list[float]:
    """|x_i - x_(i-1)| for each pair of neighbouring values with no gap between them."""
    pairs = itertools.pairwise(values)
    return [abs(b - a) for a, b in pairs if a is not None and b is not None]


def average_moving_range(values: Sequence[float | None]) -> float | None:
    """The average moving range, recomputed once without ranges of 3.267 times it or more."""
    ranges = _moving_ranges(values)
    if not ranges:
        return None
    amr = math.fsum(ranges) / len(ranges)
    # A range that large is special cause itself; left in, it widens the limits and hides others.
    kept = [r for r in ranges if r < SCREEN * amr]
    # Only a flat series (every range 0) keeps nothing; its amr of 0 stands.
    return math.fsum(kept) / len(kept) if kept else amr


def _centre(values: Sequence[float | None], baseline: int | None) -> _Centre:
    """Mean and average moving range of the first `baseline` points (all when None)."""
    base = values if baseline is None else values[:baseline]
    observed = [v for v in base if v is not None]
    if not observed:
        raise ValueError("the baseline holds no values to set the limits from")
    return _Centre(math.fsum(observed) / len(observed), average_moving_range(base))


def _sign(difference: float) -> int:
    """+1, -1 or 0 as the difference is positive, negative or zero."""
    return (difference > 0) - (difference < 0)


def _runs(keys: Sequence[int | None], length: int) -> list[tuple[int, int, int]]:
    """Maximal runs of one non-zero key at least `length` long, as (start, stop, key)."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i < len(keys) and keys[i] == keys[start]:
            continue
        key = keys[start]
        # None is a gap and 0 is "on the mean" or "no change": both end a run, never make one.
        if key and i - start >= length:
            runs.append((start, i, key))
        start = i
    return runs


def _shift(sides: Sequence[int | None]) -> list[bool]:
    """Points in a run of 7 or more on one side of the mean."""
    flags = [False] * len(sides)
    for start, stop, _ in _runs(sides, RUN):
        flags[start:stop] = [True] * (stop - start)
    return flags


def _trend(values: Sequence[float | None]) -> tuple[list[bool], list[int]]:
    """Points in a run of 7 or more strictly rising or falling values, and each one's direction."""
    pairs = itertools.pairwise(values)
    steps = [None if a is None or b is None else _sign(b - a) for a, b in pairs]
    flags, directions = [False] * len(values), [0] * len(values)
    # Runs come in order, so a point that ends one trend and starts the next takes the later
    # trend's direction, as NHSRplotthedots does ("use right side").
    for start, stop, step in _runs(steps, RUN - 1):
        for i in range(start, stop + 1):
            flags[i], directions[i] = True, step
    return flags, directions


def _outside(values: Sequence[float | None], centre: _Centre) -> list[bool]:
    """Points strictly beyond a process limit."""
    lpl, upl = centre.line(-LIMIT), centre.line(LIMIT)
    if lpl is None or upl is None:
        return [False] * len(values)
    return [v is not None and (v < lpl or v > upl) for v in values]


def _two_of_three(
    values: Sequence[float | None], sides: Sequence[int | None], centre: _Centre
) -> list[bool]:
    """Points beyond the 2-sigma line in 3 gap-free points on one side, 2 or more beyond it."""
    lower, upper = centre.line(-NEAR), centre.line(NEAR)
    flags = [False] * len(values)
    if lower is None or upper is None:
        return flags
    beyond = [v is not None and (v < lower or v > upper) for v in values]
    for i in range(len(values) - 2):
        window = range(i, i + 3)
        # All three on one side (none on the mean, none a gap), as the package checks since #143.
        one_side = sides[i] in (1, -1) and sides[i] == sides[i + 1] == sides[i + 2]
        if one_side and sum(beyond[j] for j in window) >= 2:
            for j in window:
                flags[j] = flags[j] or beyond[j]  # the point not beyond the line is not flagged
    return flags


def _point_type(
    side: int | None, flagged: dict[str, bool], trend_direction: int, sign: int
) -> str | None:
    """Common cause, or special cause read as improvement, concern or neutral."""
    if side is None:
        return None
    # A trend reads by its direction, not its side of the mean, unless the point is outside the
    # limits: the package's order of precedence.
    if flagged["trend"] and not flagged["outside_limits"]:
        high = trend_direction
    else:
        high = side if any(flagged.values()) else 0
    if high == 0:
        return "common_cause"
    if sign == 0:
        return "special_cause_neutral"
    return "special_cause_improvement" if high == sign else "special_cause_concern"


def _assurance(centre: _Centre, target: float | None, improvement: Improvement) -> str | None:
    """Whether the limits put the target always met, never met, or sometimes met."""
    lpl, upl = centre.line(-LIMIT), centre.line(LIMIT)
    if target is None or improvement == "neutral" or lpl is None or upl is None:
        return None
    if target > upl:  # out of reach above: the process nearly always lands below it
        return "consistently fails" if improvement == "increase" else "consistently passes"
    if target < lpl:
        return "consistently passes" if improvement == "increase" else "consistently fails"
    return "hit and miss"


def _assurance_sentence(
    assurance: str | None, target: float | None, unit: str | None
) -> str | None:
    """A plain-English sentence for the assurance verdict, the target in its unit."""
    if assurance is None or target is None:
        return None
    goal = target_text(target, unit)
    if assurance == "hit and miss":
        return f"The process will sometimes pass and sometimes fail the target of {goal}."
    verb = "pass" if assurance == "consistently passes" else "fail"
    return f"The process will consistently {verb} the target of {goal}."


def _warning(values: Sequence[float | None], baseline: int | None) -> str | None:
    """A warning when the limits rest on fewer than 12 points."""
    base = values if baseline is None else values[:baseline]
    n = sum(v is not None for v in base)
    if n >= MIN_BASELINE:
        return None
    return (
        f"The limits are based on only {n} point{'' if n == 1 else 's'}; at least "
        f"{MIN_BASELINE} are needed, so treat them as provisional."
    )


def _frame(
    periods: Sequence[object],
    values: Sequence[float | None],
    centre: _Centre,
    rules: dict[str, list[bool]],
    types: list[str | None],
) -> pl.DataFrame:
    """The chart's points, one row per period, lines repeated on every row."""
    n = len(values)
    lines = {"mean": centre.mean, "lpl": centre.line(-LIMIT), "upl": centre.line(LIMIT)}
    lines |= {"near_lower": centre.line(-NEAR), "near_upper": centre.line(NEAR)}
    special = [any(rules[rule][i] for rule in RULES) for i in range(n)]
    return pl.DataFrame(
        [
            pl.Series("period", list(periods)),
            pl.Series("value", values, dtype=pl.Float64),
            *(pl.Series(name, [line] * n, dtype=pl.Float64) for name, line in lines.items()),
            *(pl.Series(rule, rules[rule], dtype=pl.Boolean) for rule in RULES),
            pl.Series("special_cause", special, dtype=pl.Boolean),
            pl.Series("point_type", types, dtype=pl.String),
        ]
    )


def _check(n_periods: int, n_values: int, improvement: str, baseline: int | None) -> None:
    """Refuse arguments that cannot make a chart."""
    if n_periods != n_values:
        raise ValueError(f"{n_periods} periods but {n_values} values")
    if improvement not in _SIGNS:
        raise ValueError(f"improvement must be increase, decrease or neutral, not {improvement!r}")
    if baseline is not None and baseline < 2:
        raise ValueError(f"a baseline needs at least 2 points, not {baseline}")


VERDICT_WORDS = {
    "improvement": "improving",
    "concern": "deteriorating",
    "common cause": "no significant change",
    "neutral": "unusual change",  # never for a standard: every one has a direction of good
}
"""The variation of a series' latest point in a word, as the league table says it."""
NOT_ENOUGH = "not enough data"


def latest_variation(values: Sequence[float | None], improvement: Improvement) -> str | None:
    """The variation `spc(...).variation` gives a series whose latest value is present, read
    from the last RUN points only (no rule reaches further back) against limits from all of
    them; None with fewer than two values or a gap at the end. Cheap enough for every league
    row of every month."""
    xs = [None if v is None or math.isnan(v) else float(v) for v in values]
    if not xs or xs[-1] is None or sum(v is not None for v in xs) < 2:
        return None
    return _tail_variation(xs[-RUN:], _centre(xs, None), improvement)


def _tail_variation(
    tail: Sequence[float | None], centre: _Centre, improvement: Improvement
) -> str | None:
    """The latest point's variation, from the last RUN points against the limits."""
    sides = [None if v is None else _sign(v - centre.mean) for v in tail]
    trend, directions = _trend(tail)
    flags = {
        "outside_limits": _outside(tail, centre)[-1],
        "shift": _shift(sides)[-1],
        "trend": trend[-1],
        "two_of_three": _two_of_three(tail, sides, centre)[-1],
    }
    kind = _point_type(sides[-1], flags, directions[-1], _SIGNS[improvement])
    return None if kind is None else _VARIATIONS[kind]


def prefix_variations(values: Sequence[float | None], improvement: Improvement) -> list[str | None]:
    """`latest_variation(values[: i + 1])` for every i, in one pass: each prefix's mean and
    average moving range kept as the series grows, not recounted. Exactly the same figures:
    math.fsum is correctly rounded whatever the order of its terms, so the kept ranges are
    summed from a sorted list (those under 3.267 times the average are a prefix of it)."""
    xs = [None if v is None or math.isnan(v) else float(v) for v in values]
    observed: list[float] = []
    ranges: list[float] = []
    ordered: list[float] = []
    out: list[str | None] = []
    for i, x in enumerate(xs):
        if x is not None:
            observed.append(x)
            before = xs[i - 1] if i else None
            if before is not None:
                ranges.append(abs(x - before))
                bisect.insort(ordered, ranges[-1])
        if x is None or len(observed) < 2:
            out.append(None)
            continue
        amr: float | None = None
        if ranges:
            amr = math.fsum(ranges) / len(ranges)
            kept = bisect.bisect_left(ordered, SCREEN * amr)
            amr = math.fsum(ordered[:kept]) / kept if kept else amr
        centre = _Centre(math.fsum(observed) / len(observed), amr)
        out.append(_tail_variation(xs[max(0, i + 1 - RUN) : i + 1], centre, improvement))
    return out


def verdict_word(result: SpcResult | None) -> str:
    """A chart's verdict in the league's word; 'not enough data' where there is no chart."""
    return NOT_ENOUGH if result is None else VERDICT_WORDS[result.variation]


def spc(
    periods: Sequence[object],
    values: Sequence[float | None],
    *,
    improvement: Improvement = "increase",
    target: float | None = None,
    baseline: int | None = None,
    unit: str | None = None,
) -> SpcResult:
    """Chart one series as an XmR chart and judge its variation and its assurance.

    `unit` ('share', 'seconds') only words the target in the assurance sentence.
    """
    _check(len(periods), len(values), improvement, baseline)
    xs = [None if v is None or math.isnan(v) else float(v) for v in values]
    centre = _centre(xs, baseline)
    sides = [None if v is None else _sign(v - centre.mean) for v in xs]
    trend, directions = _trend(xs)
    rules = {"outside_limits": _outside(xs, centre), "shift": _shift(sides), "trend": trend}
    rules["two_of_three"] = _two_of_three(xs, sides, centre)
    sign = _SIGNS[improvement]
    types = [
        _point_type(side, {r: rules[r][i] for r in RULES}, directions[i], sign)
        for i, side in enumerate(sides)
    ]
    # The icon reads the latest point; a trailing gap has no reading, so the latest observed one.
    variation = _VARIATIONS[next(t for t in reversed(types) if t is not None)]
    assurance = _assurance(centre, target, improvement)
    return SpcResult(
        points=_frame(periods, xs, centre, rules, types),
        mean=centre.mean,
        lpl=centre.line(-LIMIT),
        upl=centre.line(LIMIT),
        amr=centre.amr,
        variation=variation,
        assurance=assurance,
        variation_sentence=VARIATION_SENTENCES[variation],
        assurance_sentence=_assurance_sentence(assurance, target, unit),
        warning=_warning(xs, baseline),
    )
