"""Fair comparison of organisations: Wilson intervals, proportion funnel plots, tied ranks.

The funnel follows Spiegelhalter, "Funnel plots for comparing institutional performance"
(Stat Med 2005;24:1185-1202) and "Handling over-dispersion of performance indicators"
(Qual Saf Health Care 2005;14:347-351), as the R package FunnelPlotR does it for proportions
("PR"): arcsine-square-root scale, z-scores Winsorised at 10%/90%, dispersion ratio phi and a
DerSimonian-Laird between-organisation variance tau2 added to every organisation's own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import polars as pl

WINSORISE_BY = 0.1  # FunnelPlotR's default trim_by: 10% at each end
BANDING_LEVEL = 0.998  # "above/below expected" means outside the 99.8% limits
BANDS = ("above expected", "within expected range", "below expected")
UNRELIABLE = "[u]"


def _z(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level (0.95 -> 1.959964)."""
    if not 0 < level < 1:
        raise ValueError(f"confidence level must lie strictly between 0 and 1, not {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def _check_count(successes: int, trials: int) -> None:
    """Refuse a count that is not 0 <= successes <= trials with trials >= 1."""
    if trials < 1:
        raise ValueError(f"trials must be at least 1, not {trials}")
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie in 0..{trials}, not {successes}")


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for successes / trials, without continuity correction."""
    _check_count(successes, trials)
    z2 = _z(confidence) ** 2
    p = successes / trials
    scale = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / scale
    half = math.sqrt(z2 * p * (1 - p) / trials + z2 * z2 / (4 * trials * trials)) / scale
    # At 0/n and n/n the limit is exactly 0 or 1; say so rather than trust the rounding.
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == trials else min(1.0, centre + half)
    return lower, upper


@dataclass(frozen=True)
class Funnel:
    """A proportion funnel: its target, dispersion ratio phi and between-organisation tau2."""

    target: float
    phi: float
    tau2: float  # on the arcsine-square-root scale; 0 unless overdispersed
    overdispersed: bool  # phi > 1, overdispersion asked for, and the limits widened by tau2


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Quantile by linear interpolation between order statistics (R's default, type 7)."""
    h = (len(ordered) - 1) * q
    below = math.floor(h)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (h - below) * (ordered[above] - ordered[below])


def _winsorise(values: Sequence[float], by: float = WINSORISE_BY) -> list[float]:
    """Pull values beyond the by and 1 - by quantiles in to those quantiles."""
    ordered = sorted(values)
    low, high = _quantile(ordered, by), _quantile(ordered, 1 - by)
    return [min(max(v, low), high) for v in values]


def _tau2(phi: float, weights: Sequence[float]) -> float:
    """DerSimonian-Laird between-organisation variance from phi and weights 1 / s^2."""
    k, total = len(weights), sum(weights)
    if k < 2:  # one organisation has no "between" to estimate
        return 0.0
    spread = total - sum(w * w for w in weights) / total
    return max(0.0, (k * phi - (k - 1)) / spread)


def funnel_limits(
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    target: float | None = None,
    overdispersion: bool = True,
) -> Funnel:
    """Estimate a proportion funnel; the target is the pooled proportion unless given."""
    if len(numerators) != len(denominators) or not numerators:
        raise ValueError("need one numerator per denominator, for at least one organisation")
    for x, n in zip(numerators, denominators, strict=True):
        _check_count(x, n)
    if target is None:
        target = sum(numerators) / sum(denominators)
    if not 0 <= target <= 1:
        raise ValueError(f"target must be a proportion, not {target}")
    centre = math.asin(math.sqrt(target))
    z_scores = [
        (math.asin(math.sqrt(x / n)) - centre) * 2 * math.sqrt(n)
        for x, n in zip(numerators, denominators, strict=True)
    ]
    phi = sum(z * z for z in _winsorise(z_scores)) / len(z_scores)
    tau2 = _tau2(phi, [4.0 * n for n in denominators]) if overdispersion and phi > 1 else 0.0
    return Funnel(target=target, phi=phi, tau2=tau2, overdispersed=tau2 > 0)


def funnel_limit(n: int, funnel: Funnel, level: float) -> tuple[float, float]:
    """Lower and upper proportion limits of the funnel at denominator n."""
    if n < 1:
        raise ValueError(f"denominator must be at least 1, not {n}")
    centre = math.asin(math.sqrt(funnel.target))
    spread = _z(level) * math.sqrt(1 / (4 * n) + funnel.tau2)
    # Clamp on the angle scale: sin^2 folds back beyond 0 and pi/2, which would lift a lower
    # limit off zero for small n and flag 0/n as "below expected".
    lower = 0.0 if centre - spread <= 0 else math.sin(centre - spread) ** 2
    upper = 1.0 if centre + spread >= math.pi / 2 else math.sin(centre + spread) ** 2
    return lower, upper


def funnel_band(x: int, n: int, funnel: Funnel, level: float = BANDING_LEVEL) -> str:
    """Band x / n against the funnel's limits at level (99.8% by default); on a limit is within."""
    _check_count(x, n)
    lower, upper = funnel_limit(n, funnel, level)
    if x / n > upper:
        return "above expected"
    if x / n < lower:
        return "below expected"
    return "within expected range"


_TABLE_SCHEMA = {
    "band": pl.String,
    "lower_95": pl.Float64,
    "upper_95": pl.Float64,
    "lower_998": pl.Float64,
    "upper_998": pl.Float64,
    "reliability": pl.String,
}


def _table_row(
    x: int | None, n: int | None, min_denominator: int, funnel: Funnel | None
) -> tuple[str | None, float | None, float | None, float | None, float | None, str | None]:
    """One organisation's band, 95% and 99.8% limits and reliability mark."""
    mark = UNRELIABLE if n is not None and n < min_denominator else None
    if funnel is None or n is None or n < 1:
        return None, None, None, None, None, mark
    band = funnel_band(x, n, funnel) if x is not None and mark is None else None
    return (band, *funnel_limit(n, funnel, 0.95), *funnel_limit(n, funnel, 0.998), mark)


def funnel_table(
    frame: pl.DataFrame, numerator: str, denominator: str, *, min_denominator: int
) -> pl.DataFrame:
    """Add funnel columns band, lower_95, upper_95, lower_998, upper_998 and reliability.

    Bands use the 99.8% limits. An organisation whose denominator is below min_denominator is
    marked "[u]", kept in the frame with its limits, and left out of phi, tau2, the pooled
    target and the bands. A null numerator gets no band; a null denominator gets only nulls.
    """
    if min_denominator < 1:
        raise ValueError(f"min_denominator must be at least 1, not {min_denominator}")
    xs = frame[numerator].cast(pl.Int64).to_list()
    ns = frame[denominator].cast(pl.Int64).to_list()
    kept = [(x, n) for x, n in zip(xs, ns, strict=True) if x is not None and n is not None]
    kept = [(x, n) for x, n in kept if n >= min_denominator]
    funnel = funnel_limits([x for x, _ in kept], [n for _, n in kept]) if kept else None
    rows = [_table_row(x, n, min_denominator, funnel) for x, n in zip(xs, ns, strict=True)]
    added = pl.DataFrame(rows, schema=_TABLE_SCHEMA, orient="row")
    return frame.with_columns(added.get_columns())


def rank_with_ties(values: Sequence[float | None]) -> list[int | None]:
    """Competition ranks ("1, 2, 2, 4"), highest value first; None and NaN stay None."""
    present = sorted((v for v in values if v is not None and not math.isnan(v)), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(present, start=1):
        first.setdefault(value, position)
    return [None if v is None or math.isnan(v) else first[v] for v in values]
