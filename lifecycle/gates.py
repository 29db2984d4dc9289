"""Stage gates of the lifecycle: which evidence lets an entry move on.

Pure Python, no Django: ``lifecycle.selectors.gate_evidence`` gathers the
evidence of a solution from the database into the plain ``Evidence`` dict
below, and ``check_gate`` decides, naming for every criterion the value
observed, the threshold and whether it passed. A criterion whose evidence
is missing fails with ``observed`` None.

Defaults follow the stage-gate table (design section 4; docs/lifecycle.md):

* released → rnd: no criterion (registering is the entry);
* rnd → testing: a validation run succeeded and a hidden run exists;
* testing → pilot: the hidden thresholds are met on a named run, the
  testing round decided "advance", calibrated D1, D2 and D5 ≥ 3 and the
  composite ≥ the scenario's threshold;
* pilot → effectiveness: the pilot is closed, every field KPI is within
  its drift tolerance of the sandbox value, no critical incident, D5 ≥ 4
  and D6 ≥ 3 (from the latest effectiveness scorecard, else the testing
  one);
* effectiveness → scale: measured BCR ≥ 1, D3 ≥ 4, D4 ≥ 3, D6 ≥ 4,
  composite ≥ threshold and an "advance" decision in an effectiveness
  round.

A scenario may change the numeric thresholds (``validate_config``); the
safety thresholds may be raised, never lowered below the design's floor.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from reviews.aggregation import SAFETY_THRESHOLDS

STAGES: tuple[str, ...] = (
    "released",
    "rnd",
    "testing",
    "pilot",
    "effectiveness",
    "scale",
)
TERMINAL: tuple[str, ...] = ("withdrawn", "rejected")
NEXT_STAGE: dict[str, str] = dict(itertools.pairwise(STAGES))

# Review dimensions by code (reviews.rubric): D1 … D6.
DIMENSION_CODES: dict[str, str] = {
    "maturity": "D1",
    "fit": "D2",
    "economics": "D3",
    "social": "D4",
    "safety": "D5",
    "user": "D6",
}

# Per target stage: the numeric thresholds a scenario may configure.
DEFAULT_THRESHOLDS: dict[str, dict[str, float]] = {
    "rnd": {},
    "testing": {},
    "pilot": {"maturity": 3.0, "fit": 3.0, "safety": 3.0, "composite": 3.0},
    "effectiveness": {"safety": 4.0, "user": 3.0, "critical_incidents": 0.0},
    "scale": {
        "bcr": 1.0,
        "economics": 4.0,
        "social": 3.0,
        "user": 4.0,
        "composite": 3.0,
    },
}
# The safety gate of the design table: a scenario may only raise it.
SAFETY_FLOOR: dict[str, float] = dict(SAFETY_THRESHOLDS)


class RunEvidence(TypedDict):
    id: int
    succeeded: bool
    passed: bool | None
    failed_gates: list[str]


class RoundEvidence(TypedDict):
    round: int
    entry: int
    chair: int | None
    decision: str | None
    decision_id: int | None
    # Calibrated score per dimension name (None when not scored).
    scores: dict[str, float | None]
    composite: float | None


class KpiEvidence(TypedDict):
    name: str
    within: bool | None


class PilotEvidence(TypedDict):
    id: int
    status: str
    kpis: list[KpiEvidence]
    critical_incidents: int


class CaseEvidence(TypedDict):
    id: int
    bcr: float | None


class Evidence(TypedDict, total=False):
    sample_run: RunEvidence | None
    hidden_run: RunEvidence | None
    testing_round: RoundEvidence | None
    effectiveness_round: RoundEvidence | None
    pilot: PilotEvidence | None
    measured_case: CaseEvidence | None


@dataclass(frozen=True)
class Criterion:
    """One line of a gate: observed value against threshold."""

    code: str
    observed: Any
    threshold: Any
    passed: bool
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "observed": self.observed,
            "threshold": self.threshold,
            "passed": self.passed,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class GateResult:
    stage: str
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.criteria)

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]

    @property
    def evidence(self) -> list[str]:
        """The evidence ids the criteria cite, each once, in order."""
        return list(dict.fromkeys(e for c in self.criteria for e in c.evidence))

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "passed": self.passed,
            "criteria": [c.as_dict() for c in self.criteria],
        }


# --- configuration ---------------------------------------------------------------


def _number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def validate_config(config: object) -> dict[str, dict[str, float]]:
    """Return ``config`` checked and normalised, or raise ValueError.

    The shape is ``{target stage: {criterion: threshold}}`` with the
    criteria of ``DEFAULT_THRESHOLDS``. Dimension thresholds lie in 1–5,
    composites in 1–5, the BCR in 0–100, critical incidents in 0–100.
    """
    if not isinstance(config, Mapping):
        raise ValueError("The gate configuration must be a JSON object.")
    result: dict[str, dict[str, float]] = {}
    for stage, criteria in config.items():
        if stage not in DEFAULT_THRESHOLDS:
            raise ValueError(
                f"Unknown stage {stage!r}; known: {', '.join(DEFAULT_THRESHOLDS)}."
            )
        if not isinstance(criteria, Mapping):
            raise ValueError(f"{stage}: must be an object of thresholds.")
        known = DEFAULT_THRESHOLDS[stage]
        clean: dict[str, float] = {}
        for code, value in criteria.items():
            if code not in known:
                raise ValueError(
                    f"{stage}: unknown criterion {code!r}; "
                    f"known: {', '.join(known) or 'none'}."
                )
            if not _number(value):
                raise ValueError(f"{stage}.{code}: {value!r} is not a number.")
            number = float(value)
            low, high = (
                (0.0, 100.0)
                if code in ("bcr", "critical_incidents")
                else (
                    1.0,
                    5.0,
                )
            )
            if not low <= number <= high:
                raise ValueError(
                    f"{stage}.{code}: {number:g} is outside {low:g}–{high:g}."
                )
            if code == "critical_incidents" and number != int(number):
                raise ValueError(f"{stage}.{code}: must be a whole number.")
            floor = SAFETY_FLOOR.get(stage)
            if code == "safety" and floor is not None and number < floor:
                raise ValueError(
                    f"{stage}.safety: {number:g} is below the safety floor {floor:g}."
                )
            clean[code] = number
        result[str(stage)] = clean
    return result


def thresholds_for(
    stage: str, config: Mapping[str, Mapping[str, float]] | None = None
) -> dict[str, float]:
    """The thresholds of the gate into ``stage``: defaults, then ``config``."""
    if stage not in DEFAULT_THRESHOLDS:
        raise ValueError(f"No gate leads into {stage!r}.")
    merged = dict(DEFAULT_THRESHOLDS[stage])
    merged.update((config or {}).get(stage, {}))
    return merged


# --- criteria ------------------------------------------------------------------------


def _run_ref(run: RunEvidence | None) -> tuple[str, ...]:
    return (f"run:{run['id']}",) if run else ()


def _round_refs(rnd: RoundEvidence | None) -> tuple[str, ...]:
    if rnd is None:
        return ()
    refs = [f"round:{rnd['round']}"]
    if rnd["decision_id"] is not None:
        refs.append(f"decision:{rnd['decision_id']}")
    return tuple(refs)


def _at_least(
    code: str, observed: float | None, threshold: float, refs: tuple[str, ...]
) -> Criterion:
    value = None if observed is None else round(float(observed), 2)
    passed = value is not None and value >= threshold
    return Criterion(code, value, threshold, passed, refs)


def _dimension(
    name: str, rnd: RoundEvidence | None, thresholds: Mapping[str, float]
) -> Criterion:
    observed = rnd["scores"].get(name) if rnd else None
    return _at_least(
        DIMENSION_CODES[name], observed, thresholds[name], _round_refs(rnd)
    )


def _decision(code: str, rnd: RoundEvidence | None) -> Criterion:
    observed = rnd["decision"] if rnd else None
    return Criterion(code, observed, "advance", observed == "advance", _round_refs(rnd))


def _gate_testing(evidence: Evidence, _t: Mapping[str, float]) -> list[Criterion]:
    sample = evidence.get("sample_run")
    hidden = evidence.get("hidden_run")
    return [
        Criterion(
            "sample_run_succeeded",
            sample["succeeded"] if sample else None,
            True,
            bool(sample and sample["succeeded"]),
            _run_ref(sample),
        ),
        Criterion(
            "hidden_run_exists",
            hidden is not None,
            True,
            hidden is not None,
            _run_ref(hidden),
        ),
    ]


def _gate_pilot(evidence: Evidence, t: Mapping[str, float]) -> list[Criterion]:
    hidden = evidence.get("hidden_run")
    rnd = evidence.get("testing_round")
    return [
        Criterion(
            "hidden_thresholds_met",
            hidden["passed"] if hidden else None,
            True,
            bool(hidden and hidden["succeeded"] and hidden["passed"]),
            _run_ref(hidden),
        ),
        _decision("testing_decision", rnd),
        _dimension("maturity", rnd, t),
        _dimension("fit", rnd, t),
        _dimension("safety", rnd, t),
        _at_least(
            "composite",
            rnd["composite"] if rnd else None,
            t["composite"],
            _round_refs(rnd),
        ),
    ]


def _gate_effectiveness(evidence: Evidence, t: Mapping[str, float]) -> list[Criterion]:
    pilot = evidence.get("pilot")
    # The latest scorecard available: effectiveness, else testing.
    rnd = evidence.get("effectiveness_round") or evidence.get("testing_round")
    refs = (f"pilot:{pilot['id']}",) if pilot else ()
    kpis = pilot["kpis"] if pilot else []
    outside = [k["name"] for k in kpis if k["within"] is not True]
    incidents = pilot["critical_incidents"] if pilot else None
    return [
        Criterion(
            "pilot_closed",
            pilot["status"] if pilot else None,
            "closed",
            bool(pilot and pilot["status"] == "closed"),
            refs,
        ),
        Criterion(
            "field_kpis_within_tolerance",
            None if not pilot else (outside or len(kpis)),
            "all",
            bool(pilot and kpis and not outside),
            refs,
        ),
        Criterion(
            "critical_incidents",
            incidents,
            int(t["critical_incidents"]),
            incidents is not None and incidents <= t["critical_incidents"],
            refs,
        ),
        _dimension("safety", rnd, t),
        _dimension("user", rnd, t),
    ]


def _gate_scale(evidence: Evidence, t: Mapping[str, float]) -> list[Criterion]:
    rnd = evidence.get("effectiveness_round")
    case = evidence.get("measured_case")
    return [
        _at_least(
            "measured_bcr",
            case["bcr"] if case else None,
            t["bcr"],
            (f"case:{case['id']}",) if case else (),
        ),
        _dimension("economics", rnd, t),
        _dimension("social", rnd, t),
        _dimension("user", rnd, t),
        _at_least(
            "composite",
            rnd["composite"] if rnd else None,
            t["composite"],
            _round_refs(rnd),
        ),
        _decision("effectiveness_decision", rnd),
    ]


_GATES = {
    "rnd": lambda _e, _t: [],
    "testing": _gate_testing,
    "pilot": _gate_pilot,
    "effectiveness": _gate_effectiveness,
    "scale": _gate_scale,
}


def check_gate(
    stage: str,
    evidence: Evidence,
    config: Mapping[str, Mapping[str, float]] | None = None,
) -> GateResult:
    """Check the gate into ``stage`` against ``evidence``.

    ``config`` is a scenario's validated configuration (or None for the
    defaults). Every criterion is listed, passed or not.
    """
    thresholds = thresholds_for(stage, config)
    return GateResult(stage, tuple(_GATES[stage](evidence, thresholds)))
