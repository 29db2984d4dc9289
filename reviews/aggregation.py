"""Aggregate reviewer scores per dimension: calibration, flags, reliability.

Pure computation (numpy and scipy, no Django), following
shared/design/rubric-and-lifecycle.md section 3. The review app stores the
scores and renders the results; everything here is a function of plain
values.

Leniency model
--------------
For one dimension, reviewer j's score of entry i is modelled as

    s_ij = μ_i + b_j + ε_ij,    Var(ε_ij) = σ² / c_ij

with c_ij ∈ {1, 2, 3} the declared confidence (MacKay et al., R. Soc. Open
Sci. 4:160760, 2017). (μ, b) minimise the ridge-penalised weighted least
squares

    Σ c_ij (s_ij − μ_i − b_j)² + λ Σ_j b_j²

solved exactly from the normal equations (XᵀWX + λP) θ = XᵀWs, where P is
the identity on the leniency block and zero on the entry block.

1. Identifiability. Within a connected component the data term does not
   change along (μ + t, b − t), so at the optimum the derivative of the
   penalty along that direction vanishes: Σ_j b̂_j = 0 over the component.
   The ridge is therefore the sum-to-zero constraint, and also shrinks a
   reviewer with few reviews towards 0 (no adjustment).
2. λ (``ridge``, default 3.0) reads as "each reviewer's leniency is pulled
   towards 0 as if by three confidence-1 reviews with no bias". A reviewer
   with total confidence weight W = Σ_i c_ij keeps roughly W / (W + λ) of
   the raw offset: 3 reviews at confidence 1 keep half, 9 reviews at
   confidence 2 keep about 86 %. It is the random-effects model with
   leniency prior N(0, σ²/λ).
3. Noise. σ² is pooled over the dimension's fitted components with a weak
   scaled-inverse-χ² prior (ν₀ = 2 degrees of freedom at σ₀ = 0.5 level):
   σ̂² = (Σ c r² + ν₀σ₀²) / (df + ν₀), df = N − tr(H), H the hat matrix.
   Without the prior, all-equal scores would give a zero-width interval.
4. Standard errors come from the model, not a bootstrap: Cov(θ̂) = σ̂² A⁻¹
   with A = XᵀWX + λP, the posterior covariance of the random-effects
   reading (it includes the uncertainty of the leniency estimates). The
   interval is μ̂ ± t(1 − α/2, df + ν₀) · SE.
5. Estimates and interval ends are clipped to the 1–5 scale (``clipped``
   says so): a calibrated value outside the scale means a reviewer hit the
   scale's end, not that the entry is better than "5".

Preconditions and fallback
--------------------------
Components are the connected components of the bipartite reviewer–entry
graph of the dimension. A reviewer with at least ``min_reviews`` (3)
reviews in the dimension gets a leniency parameter; a thinner reviewer's
leniency is fixed at 0 (not estimated) but the scores still count. An
entry is ``calibrated`` when

- its component has at least two reviewers and two entries (else reason
  ``no_overlap``: leniency cannot be told apart from quality), and
- at least one of its reviewers has ``min_reviews`` reviews (else reason
  ``thin_reviewers``).

Otherwise its estimate is the **median** of its raw scores, with the
standard error of a median of weighted normal scores, SE = σ̂·√(π/2)/√Σc
(an approximation: leniency is not modelled there). Estimates from
different components are each centred on their own reviewers (sum-to-zero
per component), so they are comparable only through the entries' common
scale, not through shared reviewers.

Flags (section 3 item 4)
------------------------
Per entry, on raw scores: ``spread`` (max − min ≥ 2), ``sd`` (sample SD
≥ 1.0, n ≥ 2), ``out_of_band`` (a score 2 or more levels outside the
entry's evidence band: distance = low − s below the band, s − high above
it) and, separately, ``outside_band`` for any score outside its band at
all, which the review form must make the reviewer justify. Per reviewer:
``notice`` when |b̂_j| > 0.75 (a private calibration notice, not a
penalty). Flags carry a code and parameters; the app renders the text.

Reliability (section 3 item 7)
------------------------------
Krippendorff's α with the interval metric, missing data allowed:
α = 1 − D_o/D_e over the pairable values (units with ≥ 2 values), with
D_o = (1/n) Σ_u Σ_{i≠j∈u} (v_i − v_j)² / (m_u − 1) and
D_e = Σ_{i≠j} (v_i − v_j)² / (n(n − 1)) over all n pairable values
(Krippendorff, Content Analysis, 2nd ed. 2004, ch. 11; "Computing
Krippendorff's Alpha-Reliability", 2011). ICC(2,1), two-way random
effects, single rater, absolute agreement (Shrout & Fleiss, Psychol.
Bull. 86:420, 1979): (BMS − EMS) / (BMS + (k − 1)EMS + k(JMS − EMS)/n),
which needs a complete entries × reviewers table.

Composite and ranking (section 3 items 5 and 6)
-----------------------------------------------
C_i = Σ_d (w_d/100) μ̂_id with percentage weights summing to 100. Its
standard error assumes the dimensions' estimates are independent:
SE(C) = √Σ_d (w_d/100)² SE_d², interval C ± z(1 − α/2)·SE(C). (Scores of
one reviewer across dimensions are in fact positively correlated, so the
interval is if anything too narrow; it is for declaring ties, not a
test.) Ranking sorts by C descending (entry id breaks exact ties for a
stable order); walking down the list, an entry joins the tie group of the
entry just above it when their intervals overlap (its high ≥ the upper
entry's low). A tie group is thus a maximal run of consecutive entries
each overlapping its neighbour, so A and C can share a group through B
without overlapping each other. All members of a group share the rank of
its first member (competition ranking: 1, 1, 3).

Safety gate (section 2, D5): promotion beyond testing (to the pilot)
needs D5 ≥ 3; leaving the pilot for effectiveness evaluation (section 4,
stage 4 exit) and scale rollout need D5 ≥ 4. The composite cannot buy
past it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import stats

DIMENSIONS: tuple[str, ...] = (
    "maturity",
    "fit",
    "economics",
    "social",
    "safety",
    "user",
)
STAGES: tuple[str, ...] = (
    "release",
    "rnd",
    "testing",
    "pilot",
    "effectiveness",
    "scale",
)

DEFAULT_RIDGE = 3.0
MIN_REVIEWS = 3
NOTICE_LENIENCY = 0.75
SPREAD_FLAG = 2.0
SD_FLAG = 1.0
FAR_OUTSIDE_BAND = 2.0
PRIOR_SIGMA = 0.5
PRIOR_DF = 2.0
SCALE_LOW = 1.0
SCALE_HIGH = 5.0
# Float scores: a spread of 1.9999999999 is a spread of 2.
_EPS = 1e-9

# Section 3 item 5; D6 is informational (weight 0) at testing.
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "testing": {
        "maturity": 25.0,
        "fit": 25.0,
        "economics": 15.0,
        "social": 10.0,
        "safety": 25.0,
        "user": 0.0,
    },
    "effectiveness": {
        "maturity": 15.0,
        "fit": 15.0,
        "economics": 25.0,
        "social": 15.0,
        "safety": 15.0,
        "user": 15.0,
    },
}

# Minimum D5 to enter each stage (section 2 D5 gate, section 4 stage 4).
SAFETY_THRESHOLDS: dict[str, float] = {
    "pilot": 3.0,
    "effectiveness": 4.0,
    "scale": 4.0,
}

Method = Literal["calibrated", "median"]
FlagValue = float | int | str


@dataclass(frozen=True)
class Score:
    """One reviewer's score of one entry on one dimension."""

    entry: str
    reviewer: str
    value: float
    confidence: int


@dataclass(frozen=True)
class Flag:
    """A machine-readable flag: ``code`` plus the numbers to render it.

    ``requires`` is ``"discussion"`` for the rubric's dispersion flags and
    ``"justification"`` for a score outside its band at all.
    """

    code: str
    requires: Literal["discussion", "justification"]
    params: dict[str, FlagValue] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryResult:
    entry: str
    method: Method
    # "calibrated", "no_overlap" or "thin_reviewers".
    reason: str
    estimate: float
    se: float
    low: float
    high: float
    clipped: bool
    scores: tuple[Score, ...]
    raw_mean: float
    raw_median: float
    n: int
    component: int
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class ReviewerResult:
    reviewer: str
    reviews: int
    # None when not estimated; ``leniency_reason`` says why.
    leniency: float | None
    leniency_se: float | None
    # "estimated", "thin" or "no_overlap".
    leniency_reason: str
    notice: bool


@dataclass(frozen=True)
class DimensionResult:
    entries: dict[str, EntryResult]
    reviewers: dict[str, ReviewerResult]
    # Noise SD of a confidence-1 score, and its degrees of freedom
    # (including the prior's).
    sigma: float
    df: float
    ridge: float
    components: int


@dataclass(frozen=True)
class Reliability:
    # None when undefined (fewer than two pairable values, or no variation).
    alpha: float | None
    units: int
    pairable_values: int
    icc: float | None
    # "computed", "incomplete_design" or "undefined".
    icc_reason: str


@dataclass(frozen=True)
class Composite:
    entry: str
    value: float
    se: float
    low: float
    high: float


@dataclass(frozen=True)
class RankedEntry:
    entry: str
    rank: int
    position: int
    tie_group: int
    tied: bool
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class GateResult:
    blocks: bool
    stage: str
    safety: float
    # None when the stage has no safety threshold.
    threshold: float | None


# Validation ------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_scores(scores: Sequence[Score]) -> None:
    """Raise ValueError naming the first problem in ``scores``."""
    if len(scores) == 0:
        raise ValueError("no scores to aggregate")
    seen: set[tuple[str, str]] = set()
    for index, score in enumerate(scores):
        where = f"score {index} (entry {score.entry!r}, reviewer {score.reviewer!r})"
        if not isinstance(score.entry, str) or not score.entry:
            raise ValueError(f"{where}: entry must be a non-empty string")
        if not isinstance(score.reviewer, str) or not score.reviewer:
            raise ValueError(f"{where}: reviewer must be a non-empty string")
        if not _is_number(score.value) or not math.isfinite(score.value):
            raise ValueError(f"{where}: value {score.value!r} is not a finite number")
        if not SCALE_LOW <= score.value <= SCALE_HIGH:
            raise ValueError(f"{where}: value {score.value!r} is outside 1–5")
        if isinstance(score.confidence, bool) or not isinstance(score.confidence, int):
            raise ValueError(
                f"{where}: confidence {score.confidence!r} is not an integer"
            )
        if not 1 <= score.confidence <= 3:
            raise ValueError(f"{where}: confidence {score.confidence!r} is outside 1–3")
        key = (score.entry, score.reviewer)
        if key in seen:
            raise ValueError(
                f"{where}: reviewer {score.reviewer!r} scored entry "
                f"{score.entry!r} more than once"
            )
        seen.add(key)


def validate_band(entry: str, band: tuple[float, float]) -> None:
    """Raise ValueError unless ``band`` is (low, high) with 1 ≤ low ≤ high ≤ 5."""
    if not isinstance(band, tuple) or len(band) != 2:
        raise ValueError(f"band of entry {entry!r} must be a (low, high) pair")
    low, high = band
    if not (_is_number(low) and _is_number(high)):
        raise ValueError(f"band of entry {entry!r} must hold numbers")
    if not (SCALE_LOW <= low <= high <= SCALE_HIGH):
        raise ValueError(
            f"band of entry {entry!r} must satisfy 1 ≤ low ≤ high ≤ 5, got {band!r}"
        )


def band_distance(value: float, band: tuple[float, float]) -> float:
    """Return how many levels ``value`` lies outside ``band`` (0 inside)."""
    low, high = band
    if value < low:
        return low - value
    if value > high:
        return value - high
    return 0.0


# Components ------------------------------------------------------------


def _components(scores: Sequence[Score]) -> dict[str, int]:
    """Map every entry and reviewer node to a component number.

    Nodes are keyed "e:<entry>" and "r:<reviewer>"; components are numbered
    0, 1, ... in order of first appearance, so the numbering is stable.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    order: list[str] = []
    for score in scores:
        for node in (f"e:{score.entry}", f"r:{score.reviewer}"):
            if node not in parent:
                parent[node] = node
                order.append(node)
        a, b = find(f"e:{score.entry}"), find(f"r:{score.reviewer}")
        if a != b:
            parent[b] = a
    numbers: dict[str, int] = {}
    result: dict[str, int] = {}
    for node in order:
        root = find(node)
        if root not in numbers:
            numbers[root] = len(numbers)
        result[node] = numbers[root]
    return result


# Fitting ---------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    entries: list[str]
    reviewers: list[str]
    theta: np.ndarray
    inverse: np.ndarray
    rss: float
    df: float


def _fit(scores: Sequence[Score], estimated: set[str], ridge: float) -> _Fit:
    entries = sorted({s.entry for s in scores})
    reviewers = sorted({s.reviewer for s in scores} & estimated)
    e_index = {e: k for k, e in enumerate(entries)}
    r_index = {r: len(entries) + k for k, r in enumerate(reviewers)}
    size = len(entries) + len(reviewers)
    x = np.zeros((len(scores), size))
    for row, score in enumerate(scores):
        x[row, e_index[score.entry]] = 1.0
        if score.reviewer in r_index:
            x[row, r_index[score.reviewer]] = 1.0
    w = np.array([float(s.confidence) for s in scores])
    y = np.array([float(s.value) for s in scores])
    xtwx = x.T @ (x * w[:, None])
    penalty = np.zeros(size)
    penalty[len(entries) :] = ridge
    a = xtwx + np.diag(penalty)
    inverse = np.linalg.inv(a)
    theta = inverse @ (x.T @ (w * y))
    residuals = y - x @ theta
    rss = float(np.sum(w * residuals**2))
    # tr(H) with H = X A⁻¹ XᵀW equals tr(A⁻¹ XᵀWX).
    df = float(len(scores) - np.trace(inverse @ xtwx))
    return _Fit(entries, reviewers, theta, inverse, rss, max(df, 0.0))


def _clip(value: float) -> float:
    return min(max(value, SCALE_LOW), SCALE_HIGH)


def _flags(
    scores: Sequence[Score], band: tuple[float, float] | None
) -> tuple[Flag, ...]:
    values = np.array([s.value for s in scores], dtype=float)
    flags: list[Flag] = []
    spread = float(values.max() - values.min())
    if spread >= SPREAD_FLAG - _EPS:
        flags.append(
            Flag(
                "spread",
                "discussion",
                {
                    "spread": spread,
                    "min": float(values.min()),
                    "max": float(values.max()),
                },
            )
        )
    if len(values) >= 2:
        sd = float(np.std(values, ddof=1))
        if sd >= SD_FLAG - _EPS:
            flags.append(Flag("sd", "discussion", {"sd": sd}))
    if band is not None:
        low, high = band
        for score in scores:
            distance = band_distance(score.value, band)
            if distance <= 0:
                continue
            params: dict[str, FlagValue] = {
                "reviewer": score.reviewer,
                "score": score.value,
                "low": low,
                "high": high,
                "distance": distance,
            }
            if distance >= FAR_OUTSIDE_BAND - _EPS:
                flags.append(Flag("out_of_band", "discussion", dict(params)))
            flags.append(Flag("outside_band", "justification", params))
    return tuple(flags)


def aggregate(
    scores: Sequence[Score],
    *,
    bands: Mapping[str, tuple[float, float]] | None = None,
    ridge: float = DEFAULT_RIDGE,
    min_reviews: int = MIN_REVIEWS,
    level: float = 0.95,
) -> DimensionResult:
    """Calibrate one dimension's scores, flag dispersion, report leniency.

    1. Validate scores and bands (ValueError names the problem).
    2. Split the reviewer–entry graph into connected components.
    3. Fit the ridge-penalised leniency model in every component with
       overlap (≥ 2 reviewers and ≥ 2 entries).
    4. Pool the noise variance over the fitted components.
    5. Give each entry its calibrated estimate or the median fallback, an
       interval, raw statistics and flags; give each reviewer b̂_j.
    """
    validate_scores(scores)
    if not (_is_number(ridge) and math.isfinite(ridge) and ridge > 0):
        raise ValueError(f"ridge must be a positive number, got {ridge!r}")
    if min_reviews < 1:
        raise ValueError(f"min_reviews must be at least 1, got {min_reviews!r}")
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    bands = dict(bands or {})
    for entry, band in bands.items():
        validate_band(entry, band)

    nodes = _components(scores)
    by_component: dict[int, list[Score]] = {}
    for score in scores:
        by_component.setdefault(nodes[f"e:{score.entry}"], []).append(score)
    review_counts: dict[str, int] = {}
    for score in scores:
        review_counts[score.reviewer] = review_counts.get(score.reviewer, 0) + 1
    estimated = {r for r, n in review_counts.items() if n >= min_reviews}

    fits: dict[int, _Fit] = {}
    for number, members in by_component.items():
        n_entries = len({s.entry for s in members})
        n_reviewers = len({s.reviewer for s in members})
        has_estimated = any(s.reviewer in estimated for s in members)
        if n_entries >= 2 and n_reviewers >= 2 and has_estimated:
            fits[number] = _fit(members, estimated, ridge)

    rss = sum(f.rss for f in fits.values())
    df = sum(f.df for f in fits.values()) + PRIOR_DF
    sigma = math.sqrt((rss + PRIOR_DF * PRIOR_SIGMA**2) / df)
    quantile = float(stats.t.ppf(0.5 + level / 2, df))

    by_entry: dict[str, list[Score]] = {}
    for score in scores:
        by_entry.setdefault(score.entry, []).append(score)

    entries: dict[str, EntryResult] = {}
    for entry, members in by_entry.items():
        members.sort(key=lambda s: s.reviewer)
        number = nodes[f"e:{entry}"]
        values = np.array([s.value for s in members], dtype=float)
        fit = fits.get(number)
        if not any(s.reviewer in estimated for s in members):
            method: Method
            method, reason = "median", "thin_reviewers"
        elif fit is None:
            method, reason = "median", "no_overlap"
        else:
            method, reason = "calibrated", "calibrated"
        if method == "calibrated" and fit is not None:
            k = fit.entries.index(entry)
            raw_estimate = float(fit.theta[k])
            se = sigma * math.sqrt(float(fit.inverse[k, k]))
        else:
            raw_estimate = float(np.median(values))
            weight = float(sum(s.confidence for s in members))
            se = sigma * math.sqrt(math.pi / 2) / math.sqrt(weight)
        estimate = _clip(raw_estimate)
        entries[entry] = EntryResult(
            entry=entry,
            method=method,
            reason=reason,
            estimate=estimate,
            se=se,
            low=_clip(raw_estimate - quantile * se),
            high=_clip(raw_estimate + quantile * se),
            clipped=estimate != raw_estimate,
            scores=tuple(members),
            raw_mean=float(values.mean()),
            raw_median=float(np.median(values)),
            n=len(members),
            component=number,
            flags=_flags(members, bands.get(entry)),
        )

    reviewers: dict[str, ReviewerResult] = {}
    for reviewer in sorted(review_counts):
        number = nodes[f"r:{reviewer}"]
        fit = fits.get(number)
        leniency: float | None = None
        leniency_se: float | None = None
        if reviewer not in estimated:
            why = "thin"
        elif fit is None:
            why = "no_overlap"
        else:
            k = len(fit.entries) + fit.reviewers.index(reviewer)
            leniency = float(fit.theta[k])
            leniency_se = sigma * math.sqrt(float(fit.inverse[k, k]))
            why = "estimated"
        reviewers[reviewer] = ReviewerResult(
            reviewer=reviewer,
            reviews=review_counts[reviewer],
            leniency=leniency,
            leniency_se=leniency_se,
            leniency_reason=why,
            notice=leniency is not None and abs(leniency) > NOTICE_LENIENCY,
        )

    return DimensionResult(
        entries=entries,
        reviewers=reviewers,
        sigma=sigma,
        df=df,
        ridge=float(ridge),
        components=len(by_component),
    )


# Reliability -----------------------------------------------------------


def krippendorff_alpha_interval(units: Sequence[Sequence[float]]) -> float | None:
    """Return Krippendorff's α (interval metric) or None when undefined.

    ``units`` holds, per unit (entry), the values it received; missing
    values are simply absent. Units with fewer than two values are not
    pairable and are ignored. None when fewer than two pairable values
    remain or all of them are equal (D_e = 0).
    """
    pairable = []
    for index, unit in enumerate(units):
        values = np.asarray(list(unit), dtype=float)
        if not np.all(np.isfinite(values)):
            raise ValueError(f"unit {index} holds a value that is not finite")
        if len(values) >= 2:
            pairable.append(values)
    n = sum(len(v) for v in pairable)
    if n < 2:
        return None
    # Σ_{i≠j} (v_i − v_j)² = 2 (m Σv² − (Σv)²) for m values.
    observed = 0.0
    for values in pairable:
        m = len(values)
        pairs = 2.0 * (m * float(np.sum(values**2)) - float(np.sum(values)) ** 2)
        observed += pairs / (m - 1)
    observed /= n
    pooled = np.concatenate(pairable)
    expected = 2.0 * (n * float(np.sum(pooled**2)) - float(np.sum(pooled)) ** 2)
    expected /= n * (n - 1)
    if expected <= _EPS:
        return None
    return 1.0 - observed / expected


def icc_2_1(table: Sequence[Sequence[float]]) -> float | None:
    """Return ICC(2,1) of a complete targets × judges table, or None.

    None when the denominator is 0 (no variation at all). ValueError when
    the table is ragged, has missing or non-finite values, or is smaller
    than 2 × 2.
    """
    rows = [list(row) for row in table]
    if len(rows) < 2 or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("ICC(2,1) needs a rectangular table of at least 2 targets")
    x = np.asarray(rows, dtype=float)
    n, k = int(x.shape[0]), int(x.shape[1])
    if k < 2:
        raise ValueError("ICC(2,1) needs at least 2 judges")
    if not np.all(np.isfinite(x)):
        raise ValueError("ICC(2,1) needs a complete table without missing values")
    grand = float(x.mean())
    ss_rows = k * float(np.sum((x.mean(axis=1) - grand) ** 2))
    ss_cols = n * float(np.sum((x.mean(axis=0) - grand) ** 2))
    ss_total = float(np.sum((x - grand) ** 2))
    bms = ss_rows / (n - 1)
    jms = ss_cols / (k - 1)
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    denominator = bms + (k - 1) * ems + k * (jms - ems) / n
    if abs(denominator) <= _EPS:
        return None
    return (bms - ems) / denominator


def reliability(scores: Sequence[Score]) -> Reliability:
    """Return α over all scores and ICC(2,1) when the design is complete.

    The design is complete when every reviewer scored every entry (at least
    2 × 2); otherwise ``icc`` is None with reason ``incomplete_design``.
    """
    validate_scores(scores)
    by_entry: dict[str, dict[str, float]] = {}
    for score in scores:
        by_entry.setdefault(score.entry, {})[score.reviewer] = float(score.value)
    units = [list(row.values()) for row in by_entry.values()]
    alpha = krippendorff_alpha_interval(units)
    reviewers = sorted({s.reviewer for s in scores})
    complete = (
        len(by_entry) >= 2
        and len(reviewers) >= 2
        and all(len(row) == len(reviewers) for row in by_entry.values())
    )
    icc: float | None = None
    if complete:
        table = [[row[r] for r in reviewers] for _, row in sorted(by_entry.items())]
        icc = icc_2_1(table)
        reason = "computed" if icc is not None else "undefined"
    else:
        reason = "incomplete_design"
    return Reliability(
        alpha=alpha,
        units=len(by_entry),
        pairable_values=sum(len(u) for u in units if len(u) >= 2),
        icc=icc,
        icc_reason=reason,
    )


# Composite, gate and ranking -------------------------------------------


def validate_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Return all six weights (missing ones 0) after checking they sum to 100."""
    unknown = set(weights) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions in weights: {sorted(unknown)}")
    full: dict[str, float] = {}
    for dimension in DIMENSIONS:
        weight = weights.get(dimension, 0.0)
        if not _is_number(weight) or not math.isfinite(weight) or weight < 0:
            raise ValueError(
                f"weight of {dimension!r} must be a non-negative number, got {weight!r}"
            )
        full[dimension] = float(weight)
    total = sum(full.values())
    if abs(total - 100.0) > 1e-6:
        raise ValueError(f"weights must sum to 100, got {total:g}")
    return full


def default_weights(stage: str) -> dict[str, float]:
    """Return the rubric's default weights for ``testing`` or ``effectiveness``."""
    if stage not in DEFAULT_WEIGHTS:
        raise ValueError(
            f"no default weights for stage {stage!r}; known: {sorted(DEFAULT_WEIGHTS)}"
        )
    return dict(DEFAULT_WEIGHTS[stage])


def entry_profile(
    entry: str, results: Mapping[str, DimensionResult]
) -> dict[str, tuple[float, float]]:
    """Return {dimension: (estimate, SE)} of ``entry`` for ``composite``.

    ``results`` maps a dimension to its ``aggregate`` result; dimensions
    in which the entry has no score are left out.
    """
    return {
        dimension: (result.entries[entry].estimate, result.entries[entry].se)
        for dimension, result in results.items()
        if entry in result.entries
    }


def composite(
    entry: str,
    profile: Mapping[str, tuple[float, float]],
    weights: Mapping[str, float],
    *,
    level: float = 0.95,
) -> Composite:
    """Return C = Σ (w_d/100) μ̂_d with its interval.

    ``profile`` maps a dimension to (estimate, standard error), e.g. from
    ``EntryResult.estimate`` and ``.se``. A dimension with weight 0 may be
    missing; one with a positive weight may not.
    """
    full = validate_weights(weights)
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    value = 0.0
    variance = 0.0
    for dimension, weight in full.items():
        if weight == 0:
            continue
        if dimension not in profile:
            raise ValueError(
                f"entry {entry!r} has no estimate for {dimension!r} (weight {weight:g})"
            )
        estimate, se = profile[dimension]
        if not (math.isfinite(estimate) and math.isfinite(se) and se >= 0):
            raise ValueError(
                f"entry {entry!r}: estimate and standard error of {dimension!r} "
                "must be finite, the error non-negative"
            )
        value += weight / 100.0 * estimate
        variance += (weight / 100.0) ** 2 * se**2
    se_total = math.sqrt(variance)
    z = float(stats.norm.ppf(0.5 + level / 2))
    return Composite(
        entry=entry,
        value=value,
        se=se_total,
        low=value - z * se_total,
        high=value + z * se_total,
    )


def safety_gate(safety: float, stage: str) -> GateResult:
    """Say whether a D5 score blocks entering ``stage``.

    ``stage`` is the stage the entry would move to (one of STAGES). Stages
    up to testing have no safety threshold.
    """
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; known: {list(STAGES)}")
    if not _is_number(safety) or not math.isfinite(safety):
        raise ValueError(f"safety score {safety!r} is not a finite number")
    threshold = SAFETY_THRESHOLDS.get(stage)
    return GateResult(
        blocks=threshold is not None and safety < threshold,
        stage=stage,
        safety=float(safety),
        threshold=threshold,
    )


def rank(composites: Sequence[Composite]) -> list[RankedEntry]:
    """Rank composites, declaring ties where adjacent intervals overlap."""
    ordered = sorted(composites, key=lambda c: (-c.value, c.entry))
    if len({c.entry for c in ordered}) != len(ordered):
        raise ValueError("each entry may appear only once in a ranking")
    groups: list[list[Composite]] = []
    for item in ordered:
        if groups and item.high >= groups[-1][-1].low:
            groups[-1].append(item)
        else:
            groups.append([item])
    ranked: list[RankedEntry] = []
    position = 0
    for number, group in enumerate(groups):
        first = position + 1
        for item in group:
            position += 1
            ranked.append(
                RankedEntry(
                    entry=item.entry,
                    rank=first,
                    position=position,
                    tie_group=number,
                    tied=len(group) > 1,
                    value=item.value,
                    low=item.low,
                    high=item.high,
                )
            )
    return ranked
