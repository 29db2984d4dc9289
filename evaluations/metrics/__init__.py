"""The metric registry the scorer uses to turn predictions into scores.

Every metric has a stable code, a unit, a direction and a pure function of
numpy arrays. ``compute(code, y_true, y_pred, **params)`` validates the
parameters against the registry and returns a float; ``get_metric`` and
``list_metrics`` describe the metrics for the portal and for
docs/metrics.md, which carries the same formulas.

Conventions (docs/metrics.md explains them):

1. Forecasting ratios (MAPE, A_CN, skill ...) are in percent, like the
   thresholds of GB/T 40607-2021 and NB/T 32011-2013. Classification
   metrics are fractions in [0, 1], like scikit-learn.
2. Bad input raises ``ValueError`` with a message a vendor can act on:
   length mismatch, empty input, NaN or infinity, a non-positive capacity,
   zero actuals for MAPE, a test set with one class for ROC AUC.
3. Forecasting metrics take an optional ``exclude`` mask (True = exempt
   from assessment: curtailment, missing data, night). NaN is allowed at
   excluded points only.
4. Everything is vectorised: no Python loop runs over points, memory is
   O(n). The only loops run over events or units.

The package imports numpy only, never Django, so the worker can score
without settings.

The metrics live in ``forecasting``, ``classification`` and ``events``;
this package holds the registry and re-exports them, so
``from evaluations.metrics import mae`` keeps working.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import numpy.typing as npt

from evaluations.metrics._common import BoolArray as BoolArray
from evaluations.metrics._common import Event as Event
from evaluations.metrics._common import FloatArray as FloatArray
from evaluations.metrics._common import IntArray as IntArray
from evaluations.metrics._common import Label as Label
from evaluations.metrics._common import LabelArray as LabelArray
from evaluations.metrics.classification import (
    accuracy,
    balanced_accuracy,
    f1,
    precision,
    recall,
    roc_auc,
)
from evaluations.metrics.events import HOURS_PER_MONTH as HOURS_PER_MONTH
from evaluations.metrics.events import (
    detection_lead_time,
    detection_lead_times,
    event_recall,
    false_alarm_hours_per_unit_month,
    false_alarms_per_unit_month,
)
from evaluations.metrics.forecasting import (
    a_cn,
    a_csg,
    a_rel,
    bias,
    daily_energy_error,
    mae,
    mape,
    nbias,
    nmae,
    nrmse,
    peak_error,
    qualified_rate,
    rmse,
    skill_rmse,
    smape,
)

__all__ = [
    "Direction",
    "Metric",
    "Param",
    "TaskKind",
    "a_cn",
    "a_csg",
    "a_rel",
    "accuracy",
    "balanced_accuracy",
    "bias",
    "compute",
    "daily_energy_error",
    "detection_lead_time",
    "detection_lead_times",
    "event_recall",
    "f1",
    "false_alarm_hours_per_unit_month",
    "false_alarms_per_unit_month",
    "get_metric",
    "list_metrics",
    "mae",
    "mape",
    "nbias",
    "nmae",
    "nrmse",
    "peak_error",
    "precision",
    "qualified_rate",
    "recall",
    "rmse",
    "roc_auc",
    "skill_rmse",
    "smape",
]


class Direction(enum.StrEnum):
    """Which way a metric improves."""

    HIGHER = "higher"
    LOWER = "lower"
    ZERO = "zero"  # signed: the closer to zero, the better


class TaskKind(enum.StrEnum):
    """Task kinds a metric applies to.

    The values mirror ``portal.lib.taxonomy.TaskType``; the module does not
    import it, because that would pull in Django.
    """

    FORECASTING = "forecasting"
    VISION_INSPECTION = "vision_inspection"
    ANOMALY_DETECTION = "anomaly_detection"
    OPTIMISATION_DISPATCH = "optimisation_dispatch"
    NLP_LLM = "nlp_llm"
    AGENT = "agent"


@dataclass(frozen=True)
class Param:
    """One keyword parameter of a metric."""

    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Metric:
    """A registered metric: what it means, how to call it, how it was tested."""

    code: str
    name: str
    unit: str
    direction: Direction
    task_kinds: tuple[TaskKind, ...]
    params: tuple[Param, ...]
    formula: str
    reference: str
    func: Callable[..., float]
    inputs: tuple[str, str] = ("y_true", "y_pred")

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(param.name for param in self.params)


# Registry --------------------------------------------------------------

_EXCLUDE = Param(
    "exclude",
    "Boolean mask, True where a point is exempt from assessment (curtailment, "
    "missing data, PV night); NaN is allowed at excluded points.",
)
_CAPACITY = Param(
    "capacity",
    "Online (开机) capacity: a positive number, or one positive value per point.",
    required=True,
)
_DAY = Param(
    "day",
    "Day (or forecast-run) label per point; metrics are computed per label, "
    "then averaged.",
)
_DAY_REQUIRED = Param(_DAY.name, _DAY.description, required=True)
_POS_LABEL = Param("pos_label", "Label of the positive class (default 1).")
_AVERAGE = Param(
    "average",
    "'binary' (default; the pos_label class) or 'macro' (unweighted mean over "
    "every class in y_true or y_pred).",
)
_TIMES = Param(
    "times",
    "Time per point: numbers (indices, hours) or dates; default the sample "
    "index. Points are sorted by unit, then by strictly increasing time.",
)
_EVENTS = Param(
    "events",
    "Events as (start, end) pairs, or (unit, start, end) when units is given, "
    "on the axis of times; bounds are inclusive. Default: each run of "
    "y_true = 1 within a unit is one event.",
)
_MIN_HITS = Param(
    "min_hits", "Flagged points needed inside an event to detect it (default 1)."
)
_UNITS = Param(
    "units",
    "Unit (turbine, pump ...) id per point; points sorted by unit, then time.",
)
_TIME_UNIT = Param(
    "time_unit_hours",
    "Hours per unit of a numeric (or default) time axis, e.g. 1/6 for "
    "10-minute indices; omit for dates.",
)
_OBSERVED_MONTHS = Param(
    "observed_months",
    "Total unit-months observed; default: the sum over units of "
    "(last − first time) / 30 days.",
)

_FORECASTING = (TaskKind.FORECASTING,)
_LABELS = (
    TaskKind.VISION_INSPECTION,
    TaskKind.ANOMALY_DETECTION,
    TaskKind.NLP_LLM,
)
_EVENT_KINDS = (TaskKind.ANOMALY_DETECTION,)
_HAND = "worked examples and a plain-Python loop in the tests"
_WORKED = "worked examples in the tests"
_KUAFU = "worked examples and a plain-loop transcription of Kuafu_core in the tests"
_TIMELINES = "hand-built timelines and a plain-loop reference in the tests"

_METRICS: tuple[Metric, ...] = (
    Metric(
        code="mae",
        name="Mean absolute error",
        unit="unit of y",
        direction=Direction.LOWER,
        task_kinds=(TaskKind.FORECASTING, TaskKind.VISION_INSPECTION),
        params=(_EXCLUDE,),
        formula="mean(abs(ŷ − y))",
        reference="sklearn.metrics.mean_absolute_error",
        func=mae,
    ),
    Metric(
        code="rmse",
        name="Root mean squared error",
        unit="unit of y",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_EXCLUDE,),
        formula="sqrt(mean((ŷ − y)²))",
        reference="sklearn.metrics.root_mean_squared_error",
        func=rmse,
    ),
    Metric(
        code="mape",
        name="Mean absolute percentage error",
        unit="%",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_EXCLUDE,),
        formula="100 · mean(abs(ŷ − y) / abs(y)); raises if any assessed y is 0",
        reference="sklearn.metrics.mean_absolute_percentage_error × 100",
        func=mape,
    ),
    Metric(
        code="smape",
        name="Symmetric mean absolute percentage error",
        unit="%",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_EXCLUDE,),
        formula=(
            "100 · mean(2 · abs(ŷ − y) / (abs(y) + abs(ŷ))); "
            "a point with y = ŷ = 0 counts 0"
        ),
        reference=_HAND,
        func=smape,
    ),
    Metric(
        code="bias",
        name="Bias (share of actual total)",
        unit="%",
        direction=Direction.ZERO,
        task_kinds=_FORECASTING,
        params=(_EXCLUDE,),
        formula="100 · Σ(ŷ − y) / Σy",
        reference=_HAND,
        func=bias,
    ),
    Metric(
        code="peak_error",
        name="Daily peak error",
        unit="%",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_DAY_REQUIRED, _EXCLUDE),
        formula="100 · mean over days d of abs(max ŷ_d − max y_d) / max y_d",
        reference=_WORKED,
        func=peak_error,
    ),
    Metric(
        code="a_cn",
        name="Capacity-normalised accuracy (GB/T 40607-2021, NB/T 32011-2013)",
        unit="%",
        direction=Direction.HIGHER,
        task_kinds=_FORECASTING,
        params=(_CAPACITY, _DAY, _EXCLUDE),
        formula=(
            "100 · mean over days d of (1 − sqrt(mean over assessed points i "
            "of d of ((ŷ_i − y_i) / Cap_i)²))"
        ),
        reference=_KUAFU,
        func=a_cn,
    ),
    Metric(
        code="a_csg",
        name="CSG contest accuracy, denominator max(P, 0.2·Cap)",
        unit="%",
        direction=Direction.HIGHER,
        task_kinds=_FORECASTING,
        params=(
            _CAPACITY,
            _DAY,
            _EXCLUDE,
            Param("min_ratio", "Floor of the denominator as a share of Cap (0.2)."),
        ),
        formula=(
            "100 · mean over days d of (1 − sqrt(mean over assessed points i "
            "of d of ((ŷ_i − y_i) / max(y_i, min_ratio · Cap_i))²))"
        ),
        reference=_KUAFU,
        func=a_csg,
    ),
    Metric(
        code="qualified_rate",
        name="Qualified rate (合格率)",
        unit="%",
        direction=Direction.HIGHER,
        task_kinds=_FORECASTING,
        params=(
            _CAPACITY,
            Param(
                "tolerance",
                "Largest abs(error) / Cap that still qualifies (suite C2: 0.25).",
                required=True,
            ),
            _EXCLUDE,
        ),
        formula="100 · share of assessed points with abs(ŷ − y) / Cap ≤ tolerance",
        reference=_WORKED,
        func=qualified_rate,
    ),
    Metric(
        code="nmae",
        name="Normalised MAE (share of capacity)",
        unit="%",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_CAPACITY, _EXCLUDE),
        formula="100 · mean(abs(ŷ − y) / Cap)",
        reference="sklearn.metrics.mean_absolute_error / Cap × 100",
        func=nmae,
    ),
    Metric(
        code="nrmse",
        name="Normalised RMSE (share of capacity)",
        unit="%",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_CAPACITY, _EXCLUDE),
        formula="100 · sqrt(mean(((ŷ − y) / Cap)²))",
        reference="sklearn.metrics.root_mean_squared_error / Cap × 100",
        func=nrmse,
    ),
    Metric(
        code="nbias",
        name="Bias (share of capacity)",
        unit="%",
        direction=Direction.ZERO,
        task_kinds=_FORECASTING,
        params=(_CAPACITY, _EXCLUDE),
        formula="100 · mean((ŷ − y) / Cap)",
        reference=_HAND,
        func=nbias,
    ),
    Metric(
        code="a_rel",
        name="Relative accuracy, 1 − RMSPE (suite C1)",
        unit="%",
        direction=Direction.HIGHER,
        task_kinds=_FORECASTING,
        params=(_EXCLUDE,),
        formula="100 · (1 − sqrt(mean(((ŷ − y) / y)²))); raises if any assessed y is 0",
        reference=_HAND,
        func=a_rel,
    ),
    Metric(
        code="daily_energy_error",
        name="Daily energy error (suite C4)",
        unit="%",
        direction=Direction.LOWER,
        task_kinds=_FORECASTING,
        params=(_DAY_REQUIRED, _EXCLUDE),
        formula="100 · mean over days d of abs(Σŷ_d − Σy_d) / mean over days d of Σy_d",
        reference=_WORKED,
        func=daily_energy_error,
    ),
    Metric(
        code="skill_rmse",
        name="RMSE skill against a naive baseline",
        unit="%",
        direction=Direction.HIGHER,
        task_kinds=_FORECASTING,
        params=(
            Param(
                "baseline",
                "The naive baseline's predictions for the same points "
                "(evaluations.baselines: persistence, seasonal_naive, climatology).",
                required=True,
            ),
            _EXCLUDE,
        ),
        formula="100 · (1 − RMSE(ŷ, y) / RMSE(b, y)), b = baseline predictions",
        reference="1 − ratio of sklearn.metrics.root_mean_squared_error, × 100",
        func=skill_rmse,
    ),
    Metric(
        code="accuracy",
        name="Accuracy",
        unit="",
        direction=Direction.HIGHER,
        task_kinds=_LABELS,
        params=(),
        formula="share of points with ŷ = y",
        reference="sklearn.metrics.accuracy_score",
        func=accuracy,
    ),
    Metric(
        code="precision",
        name="Precision",
        unit="",
        direction=Direction.HIGHER,
        task_kinds=_LABELS,
        params=(_POS_LABEL, _AVERAGE),
        formula="TP / (TP + FP), 0 if nothing is predicted positive; macro: mean over classes",
        reference="sklearn.metrics.precision_score",
        func=precision,
    ),
    Metric(
        code="recall",
        name="Recall",
        unit="",
        direction=Direction.HIGHER,
        task_kinds=_LABELS,
        params=(_POS_LABEL, _AVERAGE),
        formula="TP / (TP + FN), raises if y has no positive; macro: mean over classes",
        reference="sklearn.metrics.recall_score",
        func=recall,
    ),
    Metric(
        code="f1",
        name="F1 score",
        unit="",
        direction=Direction.HIGHER,
        task_kinds=_LABELS,
        params=(_POS_LABEL, _AVERAGE),
        formula="2 · TP / (2 · TP + FP + FN); macro: mean over classes",
        reference="sklearn.metrics.f1_score",
        func=f1,
    ),
    Metric(
        code="roc_auc",
        name="Area under the ROC curve",
        unit="",
        direction=Direction.HIGHER,
        task_kinds=_LABELS,
        params=(_POS_LABEL,),
        formula=(
            "(R₊ − n₊ · (n₊ + 1) / 2) / (n₊ · n₋), R₊ = sum of the positives' "
            "average ranks among all scores"
        ),
        reference="sklearn.metrics.roc_auc_score",
        func=roc_auc,
        inputs=("y_true", "y_score"),
    ),
    Metric(
        code="balanced_accuracy",
        name="Balanced accuracy",
        unit="",
        direction=Direction.HIGHER,
        task_kinds=_LABELS,
        params=(),
        formula="mean over the classes present in y of that class's recall",
        reference="sklearn.metrics.balanced_accuracy_score",
        func=balanced_accuracy,
    ),
    Metric(
        code="event_recall",
        name="Event recall",
        unit="%",
        direction=Direction.HIGHER,
        task_kinds=_EVENT_KINDS,
        params=(_TIMES, _EVENTS, _MIN_HITS, _UNITS),
        formula="100 · (events with ≥ min_hits flagged points in [start, end]) / (events)",
        reference=_TIMELINES,
        func=event_recall,
    ),
    Metric(
        code="detection_lead_time",
        name="Detection lead time (median)",
        unit="h",
        direction=Direction.LOWER,
        task_kinds=_EVENT_KINDS,
        params=(_TIMES, _EVENTS, _MIN_HITS, _UNITS, _TIME_UNIT),
        formula=(
            "median over detected events of (time of the min_hits-th flagged "
            "point in [start, end] − start); NaN if none is detected"
        ),
        reference=_TIMELINES,
        func=detection_lead_time,
    ),
    Metric(
        code="false_alarms_per_unit_month",
        name="False alarms per unit-month",
        unit="per unit-month",
        direction=Direction.LOWER,
        task_kinds=_EVENT_KINDS,
        params=(
            _TIMES,
            _EVENTS,
            _UNITS,
            _TIME_UNIT,
            _OBSERVED_MONTHS,
        ),
        formula=(
            "(flagged runs overlapping no event) / (Σ over units of "
            "(last time − first time) in hours / 720)"
        ),
        reference=_TIMELINES,
        func=false_alarms_per_unit_month,
    ),
    Metric(
        code="false_alarm_hours_per_unit_month",
        name="False-alarm hours per unit-month",
        unit="h per unit-month",
        direction=Direction.LOWER,
        task_kinds=_EVENT_KINDS,
        params=(_TIMES, _EVENTS, _UNITS, _TIME_UNIT, _OBSERVED_MONTHS),
        formula=(
            "(flagged points outside every event) · (median time between "
            "points) in hours / (Σ over units of (last time − first time) in "
            "hours / 720)"
        ),
        reference=_TIMELINES,
        func=false_alarm_hours_per_unit_month,
    ),
)

_REGISTRY: dict[str, Metric] = {metric.code: metric for metric in _METRICS}


def get_metric(code: str) -> Metric:
    """Return the registered metric with this code."""
    try:
        return _REGISTRY[code]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ValueError(
            f"unknown metric code {code!r}; known codes: {known}"
        ) from None


def list_metrics(task_kind: TaskKind | str | None = None) -> list[Metric]:
    """Return the registered metrics, optionally only those for a task kind."""
    if task_kind is None:
        return list(_METRICS)
    kind = TaskKind(task_kind)
    return [metric for metric in _METRICS if kind in metric.task_kinds]


def compute(
    code: str, y_true: npt.ArrayLike, y_pred: npt.ArrayLike, **params: object
) -> float:
    """Compute one metric after checking its parameters against the registry.

    For roc_auc y_pred is the score. For event metrics y_true marks the
    points inside a true event and y_pred holds the flags; the time axis
    and any explicit event list come as parameters.
    """
    metric = get_metric(code)
    unknown = sorted(set(params) - set(metric.param_names))
    if unknown:
        accepted = ", ".join(metric.param_names) or "none"
        raise ValueError(
            f"{code} does not take {', '.join(unknown)}; it accepts: {accepted}"
        )
    missing = [p.name for p in metric.params if p.required and p.name not in params]
    if missing:
        raise ValueError(f"{code} needs {', '.join(missing)}")
    return float(metric.func(y_true, y_pred, **params))
