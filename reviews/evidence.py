"""Evidence bands: what automated results allow a reviewer to score.

Pure computation, following shared/design/rubric-and-lifecycle.md
sections 1 and 2 ("evidence-bounded scoring"). ``evidence_bands`` takes a
plain summary of an entry's evidence (``EvidenceSummary``; the review app
builds it from the latest runs, the business case and the pilot) and
returns, per dimension, a band (low, high) within 1–5 with the reasons
that set it. A reviewer may score outside the band only with a written
justification (``reviews.aggregation`` flags it).

Missing keys mean missing evidence, never "assume the best": an empty
summary caps every dimension. Each rule is a cap (the highest level the
evidence allows) or a floor (a level the evidence already rules out); the
band is [max floors, min caps], and when a floor exceeds a cap (contra-
dictory evidence) the cap wins. Reasons carry a code, the level and
parameters; the app renders them.

Rules (level descriptors of section 2 in brackets):

Maturity (D1)
- ``no_run``: no run succeeded on any split → cap 1 [1: "does not run in
  the sandbox"].
- ``no_hidden_run``: no finished hidden-test run → cap 2 [3 needs the
  hidden thresholds met].
- ``hidden_thresholds_failed``: hidden gates failed → cap 2 [same].
- ``no_pilot_data``: no pilot data → cap 3 [4 needs a pilot].
- ``hidden_thresholds_met``: every hidden gate passed → floor 2 [runs in
  the sandbox, so not 1].

Scenario fit (D2)
- ``invalid_output``: the latest hidden run failed with invalid output →
  cap 1 [1: violates the I/O contract].
- ``no_hidden_run`` → cap 2 and ``hidden_thresholds_failed`` → cap 2 [3:
  all mandatory requirements pass in the sandbox].
- ``over_budget``: a sandboxed resource figure (p95 latency, peak memory,
  CPU seconds, wall seconds) exceeds the scenario's budget → cap 2 [3:
  within SLA and budget]. Figures not measured in the sandbox
  (``resources["sandboxed"]`` not true) are not used: ``unsandboxed``
  (info).
- ``hidden_thresholds_met`` → floor 2 [not "a different problem"].

Economic benefit (D3)
- ``no_business_case`` → cap 1 [1: no quantified business case].
- ``not_cost_effective``: NPV < 0, BCR < 1 or discounted payback beyond
  the horizon → cap 2 [level 2].
- ``not_robust``: NPV < 0 at some ±20 % sensitivity end, or BCR < 1.5 →
  cap 3 [4 needs both].
- ``no_pilot_data`` → cap 4 [5: benefits measured in the pilot].

Social impact (D4)
- ``co2_net_negative``: net CO₂ avoided < 0 → cap 2. CO₂ is one impact
  among several, so the automated evidence stops short of the
  descriptor's 1 ("net negative" overall) and leaves that to the reviewer.
- ``no_pilot_data`` → cap 4 [5: impacts measured in pilot or operation].

Safety and controllability (D5)
- ``no_run`` → cap 1 [1: no safety evaluation].
- ``probes_not_run`` → cap 2 [2: robustness not evaluated].
- ``probes_failed`` → cap 2 [rubric section 1: "if the robustness suite
  fails, Safety ≤ 2"].
- ``no_pilot_data`` → cap 4 [5: no critical incidents over the agreed
  period of operation].

User evaluation (D6)
- ``no_sus``: no SUS responses → cap 2 [3: structured test with SUS].
- ``few_sus_respondents``: fewer than 5 → cap 2 [3: ≥ 5 target users].
- ``sus_below``: mean SUS < 68 → cap 2, < 71 → cap 3, < 80 → cap 4
  [3: ≥ 68; 4: ≥ 71; 5: ≥ 80].
- ``no_pilot_data`` → cap 3 [4: pilot users].
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypedDict

RESOURCE_KEYS: tuple[str, ...] = (
    "latency_p95_seconds",
    "peak_memory_bytes",
    "cpu_seconds",
    "wall_seconds",
)
SUS_MIN_RESPONDENTS = 5
# (mean SUS below which, cap), tightest first.
SUS_CAPS: tuple[tuple[float, int], ...] = ((68.0, 2), (71.0, 3), (80.0, 4))

ReasonValue = float | int | str | bool


class EvidenceSummary(TypedDict, total=False):
    # A run succeeded on the sample (dev) split.
    sample_succeeded: bool
    # The latest hidden-test run finished with metrics (passed or not).
    hidden_run: bool
    # All hidden gates passed; the names of those that failed.
    gates_passed: bool
    failed_gates: list[str]
    # Run.Failure code of the latest hidden run, "" when none.
    hidden_failure: str
    # Robustness probes ran; the names of those outside their budget.
    probes_run: bool
    probes_failed: list[str]
    pilot_data: bool
    # Resource figures of the latest hidden run (Run.resources) and the
    # scenario's budget for the same keys (RESOURCE_KEYS).
    resources: dict[str, float | bool | None]
    budget: dict[str, float]
    # Business case (reviews.economics.appraise of the entry's case).
    business_case: bool
    npv: float
    bcr: float | None
    discounted_payback_within_horizon: bool
    npv_robust: bool
    # Net tCO₂ avoided a year (reviews.carbon.co2_avoided().net_t).
    co2_net_t: float
    # SUS (reviews.usability.sus_summary): respondents and mean.
    sus_n: int
    sus_mean: float


@dataclass(frozen=True)
class Reason:
    code: str
    effect: Literal["cap", "floor", "info"]
    # The level capped at or floored to; None for info.
    level: int | None
    params: dict[str, ReasonValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Band:
    dimension: str
    low: int
    high: int
    reasons: tuple[Reason, ...]

    @property
    def bounds(self) -> tuple[int, int]:
        """Return (low, high), the shape ``reviews.aggregation`` takes."""
        return (self.low, self.high)


_BOOL_KEYS = (
    "sample_succeeded",
    "hidden_run",
    "gates_passed",
    "probes_run",
    "pilot_data",
    "business_case",
    "discounted_payback_within_horizon",
    "npv_robust",
)
_NUMBER_KEYS = ("npv", "co2_net_t", "sus_mean")
_LIST_KEYS = ("failed_gates", "probes_failed")


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def validate_summary(summary: Mapping[str, object]) -> None:
    """Raise ValueError naming the first unknown key or mistyped value."""
    known = set(EvidenceSummary.__annotations__)
    for key, value in summary.items():
        if key not in known:
            raise ValueError(f"unknown evidence key {key!r}")
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false, got {value!r}")
        if key in _NUMBER_KEYS and not _is_number(value):
            raise ValueError(f"{key} must be a finite number, got {value!r}")
        if key in _LIST_KEYS and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            raise ValueError(f"{key} must be a list of names, got {value!r}")
    if "hidden_failure" in summary and not isinstance(summary["hidden_failure"], str):
        raise ValueError("hidden_failure must be a string")
    bcr = summary.get("bcr")
    if bcr is not None and not _is_number(bcr):
        raise ValueError(f"bcr must be a finite number or null, got {bcr!r}")
    sus_n = summary.get("sus_n")
    if sus_n is not None and (
        isinstance(sus_n, bool) or not isinstance(sus_n, int) or sus_n < 0
    ):
        raise ValueError(f"sus_n must be a non-negative whole number, got {sus_n!r}")
    sus_mean = _number(summary, "sus_mean")
    if sus_mean is not None and not 0 <= sus_mean <= 100:
        raise ValueError(f"sus_mean must lie in 0–100, got {sus_mean!r}")
    for key in ("resources", "budget"):
        block = summary.get(key)
        if block is None:
            continue
        if not isinstance(block, dict):
            raise ValueError(f"{key} must be a mapping, got {block!r}")
        for name, value in block.items():
            if name == "sandboxed" and key == "resources":
                continue
            if value is not None and not _is_number(value):
                raise ValueError(f"{key}[{name!r}] must be a finite number")


class _Rules:
    """Collect caps and floors for one dimension."""

    def __init__(self, dimension: str) -> None:
        self.dimension = dimension
        self.reasons: list[Reason] = []

    def cap(self, code: str, level: int, **params: ReasonValue) -> None:
        self.reasons.append(Reason(code, "cap", level, dict(params)))

    def floor(self, code: str, level: int, **params: ReasonValue) -> None:
        self.reasons.append(Reason(code, "floor", level, dict(params)))

    def info(self, code: str, **params: ReasonValue) -> None:
        self.reasons.append(Reason(code, "info", None, dict(params)))

    def band(self) -> Band:
        caps = [r.level for r in self.reasons if r.effect == "cap" and r.level]
        floors = [r.level for r in self.reasons if r.effect == "floor" and r.level]
        high = min([5, *caps])
        low = max([1, *floors])
        return Band(self.dimension, min(low, high), high, tuple(self.reasons))


def _number(summary: Mapping[str, object], key: str) -> float | None:
    value = summary.get(key)
    return (
        float(value) if isinstance(value, int | float) and _is_number(value) else None
    )


def _names(summary: Mapping[str, object], key: str) -> list[str]:
    value = summary.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def _figures(summary: Mapping[str, object], key: str) -> dict[str, object]:
    value = summary.get(key)
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def evidence_bands(summary: Mapping[str, object]) -> dict[str, Band]:
    """Return the band of every dimension (see the module docstring).

    1. Validate the summary.
    2. Derive the shared facts (any run, hidden outcome, pilot).
    3. Apply each dimension's rules in the order documented above.
    """
    validate_summary(summary)
    s = summary
    sample_ok = s.get("sample_succeeded") is True
    hidden_run = s.get("hidden_run") is True
    gates_passed = hidden_run and s.get("gates_passed") is True
    failed_gates = ", ".join(_names(s, "failed_gates"))
    any_run = sample_ok or hidden_run
    pilot = s.get("pilot_data") is True
    failure = s.get("hidden_failure") or ""

    maturity = _Rules("maturity")
    if not any_run:
        maturity.cap("no_run", 1)
    if not hidden_run:
        maturity.cap("no_hidden_run", 2)
    elif not gates_passed:
        maturity.cap("hidden_thresholds_failed", 2, gates=failed_gates)
    if not pilot:
        maturity.cap("no_pilot_data", 3)
    if gates_passed:
        maturity.floor("hidden_thresholds_met", 2)

    fit = _Rules("fit")
    if failure == "invalid_output":
        fit.cap("invalid_output", 1)
    if not hidden_run:
        fit.cap("no_hidden_run", 2)
    elif not gates_passed:
        fit.cap("hidden_thresholds_failed", 2, gates=failed_gates)
    resources = _figures(s, "resources")
    budget = _figures(s, "budget")
    if resources and budget:
        if resources.get("sandboxed") is True:
            for key in RESOURCE_KEYS:
                used, limit = _number(resources, key), _number(budget, key)
                if used is not None and limit is not None and used > limit:
                    fit.cap("over_budget", 2, resource=key, used=used, limit=limit)
        else:
            fit.info("unsandboxed")
    if gates_passed:
        fit.floor("hidden_thresholds_met", 2)

    economics = _Rules("economics")
    if s.get("business_case") is not True:
        economics.cap("no_business_case", 1)
    else:
        npv = _number(s, "npv")
        bcr = _number(s, "bcr")
        within = s.get("discounted_payback_within_horizon") is True
        robust = s.get("npv_robust") is True
        if npv is None or npv < 0 or bcr is None or bcr < 1 or not within:
            economics.cap(
                "not_cost_effective",
                2,
                npv="" if npv is None else npv,
                bcr="" if bcr is None else bcr,
                payback_within_horizon=within,
            )
        elif not robust or bcr < 1.5:
            economics.cap("not_robust", 3, bcr=bcr, npv_robust=robust)
    if not pilot:
        economics.cap("no_pilot_data", 4)

    social = _Rules("social")
    co2 = _number(s, "co2_net_t")
    if co2 is not None and co2 < 0:
        social.cap("co2_net_negative", 2, co2_net_t=co2)
    if not pilot:
        social.cap("no_pilot_data", 4)

    safety = _Rules("safety")
    if not any_run:
        safety.cap("no_run", 1)
    probes_failed = _names(s, "probes_failed")
    if s.get("probes_run") is not True:
        safety.cap("probes_not_run", 2)
    elif probes_failed:
        safety.cap("probes_failed", 2, probes=", ".join(probes_failed))
    if not pilot:
        safety.cap("no_pilot_data", 4)

    user = _Rules("user")
    sus_n = s.get("sus_n")
    sus_mean = _number(s, "sus_mean")
    if not isinstance(sus_n, int) or sus_n == 0 or sus_mean is None:
        user.cap("no_sus", 2)
    else:
        if sus_n < SUS_MIN_RESPONDENTS:
            user.cap("few_sus_respondents", 2, n=sus_n, minimum=SUS_MIN_RESPONDENTS)
        for threshold, level in SUS_CAPS:
            if sus_mean < threshold:
                user.cap("sus_below", level, mean=sus_mean, threshold=threshold)
                break
    if not pilot:
        user.cap("no_pilot_data", 3)

    return {
        rules.dimension: rules.band()
        for rules in (maturity, fit, economics, social, safety, user)
    }
