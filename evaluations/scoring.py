"""Score predictions against labels, on the host, outside any sandbox.

1. Concatenate, call by call, the truth from ``labels.json`` and the
   predictions the sandbox returned, plus every per-point label column.
2. Compute each metric the suite declares; a parameter written ``"@name"``
   is replaced by the label column ``name`` (a day index, an exclusion mask).
3. Check the gates; a run passes when every gate holds.
4. Text labels may come as ``CodedLabels`` (int32 codes and the distinct
   labels): the classification metrics then take codes of one sorted
   dictionary, after a check of the distinct labels alone that raises
   what the metric would raise on the text (see ``_compute``).
5. Robustness probes are scored the same way and reported as deltas against
   the clean run, never folded into the clean figures. A gate that names a
   ``probe`` holds on that probe's figure (``delta`` true: probe minus
   clean); a probe whose run failed fails its gates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evaluations.coded_labels import CodedLabels
from evaluations.metrics import compute

# Metrics that only compare labels: their results, and their errors, depend
# on the distinct labels and how they pair up, not on the labels' text.
_LABEL_METRICS = frozenset(
    {"accuracy", "precision", "recall", "f1", "balanced_accuracy"}
)


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
    y_true: np.ndarray | CodedLabels,
    y_pred: np.ndarray | CodedLabels,
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
            value = _compute(item["code"], y_true, y_pred, params)
        except ValueError as exc:
            raise ScoringError(f"{key}: {exc}") from exc
        result.metrics[key] = value if math.isfinite(value) else None
    for gate in config.get("gates", []):
        if gate.get("probe"):
            continue
        result.gates.append(_gate_result(gate, result.metrics[gate["metric"]]))
    return result


def _compute(
    code: str,
    y_true: np.ndarray | CodedLabels,
    y_pred: np.ndarray | CodedLabels,
    params: dict[str, Any],
) -> float:
    """``compute``, with coded labels mapped to what the metric takes.

    The value and any ``ValueError`` are those of the metric on the text.
    """
    if not isinstance(y_true, CodedLabels) and not isinstance(y_pred, CodedLabels):
        return float(compute(code, y_true, y_pred, **params))
    truth, predicted = _coded_if_text(y_true), _coded_if_text(y_pred)
    if code in _LABEL_METRICS:
        if isinstance(truth, CodedLabels) and isinstance(predicted, CodedLabels):
            return _label_metric(code, truth, predicted, params)
        # Text against numbers: the metric checks the numbers and the sizes,
        # then refuses the pair; a stand-in of one-character text of the same
        # size fails alike, at 4 bytes a row.
        compute(code, _stand_in(truth), _stand_in(predicted), **params)
    elif code == "roc_auc" and isinstance(predicted, CodedLabels):
        # Text scores: the truth is checked, then the scores are refused as
        # not numeric, before their size is: the distinct labels fail alike.
        compute(code, _text(truth), _distinct(predicted.present(), 1), **params)
        # They are read as numbers (``1_000``): the scores are each label's
        # number, 8 bytes a row, as numpy would read the text row by row.
        names = predicted.present()
        number_of = dict(
            zip(names, np.asarray(_distinct(names, 1), np.float64), strict=True)
        )
        numbers = np.array([number_of.get(name, np.nan) for name in predicted.names])
        scores = numbers[predicted.codes]
        return float(compute(code, _text(truth), scores, **params))
    # Not reached for the metrics above, whose inputs fail; any other
    # metric takes the text itself.
    return float(compute(code, _text(truth), _text(predicted), **params))


def _coded_if_text(values: np.ndarray | CodedLabels) -> np.ndarray | CodedLabels:
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        return CodedLabels.from_text(values)
    return values


def _text(values: np.ndarray | CodedLabels) -> np.ndarray:
    return values.decode() if isinstance(values, CodedLabels) else values


def _stand_in(values: np.ndarray | CodedLabels) -> np.ndarray:
    if isinstance(values, CodedLabels):
        return np.zeros(len(values), dtype="<U1")
    return values


def _distinct(names: list[str], size: int) -> np.ndarray:
    """``names`` as a text array of ``size`` (at least), the last repeated."""
    padded = names + names[-1:] * (size - len(names))
    return np.array(padded, dtype=np.str_) if padded else np.zeros(0, dtype="<U1")


def _label_metric(
    code: str, truth: CodedLabels, predicted: CodedLabels, params: dict[str, Any]
) -> float:
    """A label metric on the codes of one sorted dictionary.

    Its errors (too many labels for a binary average, a positive label
    that is absent...) depend only on the distinct labels of each side:
    the metric runs first on those, as text, and raises what it would
    raise on all rows. Sorted, the codes number the classes in the order
    of the text, so the confusion matrix, and the result, are the same.
    """
    true_names, predicted_names = truth.present(), predicted.present()
    size = max(len(true_names), len(predicted_names)) if len(truth) else 0
    compute(
        code,
        _distinct(true_names, size),
        _distinct(predicted_names, size),
        **params,
    )
    names = sorted(set(true_names) | set(predicted_names))
    coded = dict(params)
    positive = params.get("pos_label")
    # A positive label that is not among the labels was refused above
    # (or is ignored: a macro average).
    if isinstance(positive, str) and positive in names:
        coded["pos_label"] = names.index(positive)
    return float(compute(code, truth.recoded(names), predicted.recoded(names), **coded))


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
