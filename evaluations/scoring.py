"""Score predictions against labels, on the host, outside any sandbox.

1. Concatenate, call by call, the truth from ``labels.json`` and the
   predictions the sandbox returned, plus every per-point label column.
2. Compute each metric the suite declares; a parameter written ``"@name"``
   is replaced by the label column ``name`` (a day index, an exclusion mask).
3. Check the gates; a run passes when every gate holds.
4. Robustness probes are scored the same way and reported as deltas against
   the clean run, never folded into the clean figures. A gate that names a
   ``probe`` holds on that probe's figure (``delta`` true: probe minus
   clean); a probe whose run failed fails its gates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evaluations.metrics import compute


class ScoringError(Exception):
    """The labels or predictions do not fit together (a platform fault)."""


@dataclass
class Score:
    # None where a metric has no finite value (e.g. no event was detected,
    # so there is no lead time); JSON cannot store NaN.
    metrics: dict[str, float | None] = field(default_factory=dict)
    gates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(gate["passed"] for gate in self.gates)


def _concatenate(
    labels: dict[str, Any], predictions: dict[str, list[Any]]
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    truth: list[Any] = []
    predicted: list[Any] = []
    columns: dict[str, list[Any]] = {}
    for call_id, entry in labels["calls"].items():
        if call_id not in predictions:
            raise ScoringError(f"No predictions for call {call_id}.")
        y_true = entry["y_true"]
        y_pred = predictions[call_id]
        if len(y_true) != len(y_pred):
            raise ScoringError(
                f"Call {call_id}: {len(y_pred)} predictions for {len(y_true)} points."
            )
        truth.extend(y_true)
        predicted.extend(y_pred)
        for name, values in entry.get("columns", {}).items():
            if len(values) != len(y_true):
                raise ScoringError(
                    f"Call {call_id}: column {name} has the wrong length."
                )
            columns.setdefault(name, []).extend(values)
    return (
        np.asarray(truth),
        np.asarray(predicted),
        {name: np.asarray(values) for name, values in columns.items()},
    )


def _resolve(params: dict[str, Any], columns: dict[str, np.ndarray]) -> dict[str, Any]:
    resolved = {}
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("@"):
            name = value[1:]
            if name not in columns:
                raise ScoringError(
                    f"Metric parameter {key} refers to missing column {name}."
                )
            resolved[key] = columns[name]
        else:
            resolved[key] = value
    return resolved


def _holds(value: float, comparator: str, threshold: float) -> bool:
    if math.isnan(value):
        return False
    return {
        "<=": value <= threshold,
        "<": value < threshold,
        ">=": value >= threshold,
        ">": value > threshold,
    }[comparator]


def score(
    config: dict[str, Any], labels: dict[str, Any], predictions: dict[str, list[Any]]
) -> Score:
    """Compute the declared metrics and gates for one split."""
    y_true, y_pred, columns = _concatenate(labels, predictions)
    return score_arrays(config, y_true, y_pred, columns)


def score_arrays(
    config: dict[str, Any],
    y_true: np.ndarray,
    y_pred: np.ndarray,
    columns: dict[str, np.ndarray],
) -> Score:
    """Compute the declared metrics and gates on concatenated arrays."""
    if len(y_true) != len(y_pred):
        raise ScoringError(f"{len(y_pred)} predictions for {len(y_true)} points.")
    result = Score()
    for item in config["metrics"]:
        key = item.get("key", item["code"])
        params = _resolve(item.get("params", {}), columns)
        try:
            value = float(compute(item["code"], y_true, y_pred, **params))
        except ValueError as exc:
            raise ScoringError(f"{key}: {exc}") from exc
        result.metrics[key] = value if math.isfinite(value) else None
    for gate in config.get("gates", []):
        if gate.get("probe"):
            continue
        result.gates.append(_gate_result(gate, result.metrics[gate["metric"]]))
    return result


def _gate_result(gate: dict[str, Any], observed: float | None) -> dict[str, Any]:
    value = math.nan if observed is None else observed
    result = {
        "metric": gate["metric"],
        "comparator": gate["comparator"],
        "value": gate["value"],
        "observed": observed,
        "passed": _holds(value, gate["comparator"], float(gate["value"])),
    }
    if gate.get("probe"):
        result["probe"] = gate["probe"]
        result["delta"] = bool(gate.get("delta", False))
    return result


def probe_gates(
    config: dict[str, Any], probe: str, clean: Score, probed: Score | None
) -> list[dict[str, Any]]:
    """Check the gates declared on ``probe``; ``probed`` is None if it failed.

    A gate with ``delta`` true holds on probe minus clean (a tolerance such
    as "MAPE may rise by at most 0.3 points"); otherwise on the probe's own
    figure (a floor such as "A_CN at least 88.5 % under NWP error").
    """
    results = []
    for gate in config.get("gates", []):
        if gate.get("probe") != probe:
            continue
        observed: float | None = None
        if probed is not None:
            other = probed.metrics.get(gate["metric"])
            if gate.get("delta"):
                base = clean.metrics.get(gate["metric"])
                observed = None if other is None or base is None else other - base
            else:
                observed = other
        results.append(_gate_result(gate, observed))
    return results


def probe_deltas(clean: Score, probed: Score) -> dict[str, float | None]:
    """Return probe minus clean for every metric both have a value for."""
    deltas: dict[str, float | None] = {}
    for key, value in clean.metrics.items():
        other = probed.metrics.get(key)
        deltas[key] = None if value is None or other is None else other - value
    return deltas
