"""Classification metrics: fractions in [0, 1], like scikit-learn."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from evaluations.metrics._common import (
    BoolArray,
    FloatArray,
    Label,
    LabelArray,
    _check_finite,
    _check_length,
    _float_array,
    _group_codes,
    _label_array,
)


def _label_pair(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike
) -> tuple[LabelArray, LabelArray]:
    actual = _label_array(y_true, "y_true")
    predicted = _label_array(y_pred, "y_pred")
    _check_length(predicted, "y_pred", actual.size)
    if actual.size == 0:
        raise ValueError("y_true and y_pred are empty")
    if (actual.dtype.kind in "US") != (predicted.dtype.kind in "US"):
        raise ValueError("y_true and y_pred use different label types")
    return actual, predicted


def _few_labels(array: LabelArray, limit: int) -> list[Label] | None:
    """Return the distinct labels, sorted, or None if there are more than limit.

    A few O(n) passes instead of a sort: the binary metrics only need to know
    that there are at most two labels.
    """
    found: list[Label] = []
    rest = array
    while rest.size:
        if len(found) == limit:
            return None
        found.append(rest[0].item())
        rest = rest[rest != rest[0]]
    return sorted(found)


def _binary_positive(
    actual: LabelArray, predicted: LabelArray, pos_label: Label
) -> tuple[BoolArray, BoolArray]:
    true_labels = _few_labels(actual, 2)
    predicted_labels = _few_labels(predicted, 2)
    labels = (
        None
        if true_labels is None or predicted_labels is None
        else sorted(set(true_labels) | set(predicted_labels))
    )
    if labels is None or len(labels) > 2:
        raise ValueError(
            "average='binary' needs at most two labels in y_true and y_pred "
            "together; use average='macro' for multiclass"
        )
    if pos_label not in labels:
        raise ValueError(f"pos_label={pos_label!r} is not among the labels {labels}")
    return actual == pos_label, predicted == pos_label


def _confusion(actual: LabelArray, predicted: LabelArray) -> npt.NDArray[np.int64]:
    """Return the confusion matrix (rows: true class, columns: predicted)."""
    codes, k = _group_codes(np.concatenate([actual, predicted]), "labels")
    pairs = codes[: actual.size] * k + codes[actual.size :]
    return np.bincount(pairs, minlength=k * k).reshape(k, k).astype(np.int64)


def _safe_ratio(
    numerator: npt.NDArray[np.int64], denominator: npt.NDArray[np.int64]
) -> FloatArray:
    """Divide elementwise, with 0 where the denominator is 0."""
    result = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result


def _check_average(average: str) -> None:
    if average not in ("binary", "macro"):
        raise ValueError(f"average must be 'binary' or 'macro', got {average!r}")


def accuracy(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Return the share of exactly matching labels."""
    actual, predicted = _label_pair(y_true, y_pred)
    return float(np.count_nonzero(actual == predicted)) / actual.size


def precision(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    pos_label: Label = 1,
    average: str = "binary",
) -> float:
    """Return TP / (TP + FP); 0 when nothing is predicted positive."""
    _check_average(average)
    actual, predicted = _label_pair(y_true, y_pred)
    if average == "macro":
        matrix = _confusion(actual, predicted)
        return float(np.mean(_safe_ratio(np.diag(matrix), matrix.sum(axis=0))))
    truth, flagged = _binary_positive(actual, predicted, pos_label)
    tp = int(np.count_nonzero(truth & flagged))
    predicted_positive = int(np.count_nonzero(flagged))
    return tp / predicted_positive if predicted_positive else 0.0


def recall(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    pos_label: Label = 1,
    average: str = "binary",
) -> float:
    """Return TP / (TP + FN); a test set without positives raises."""
    _check_average(average)
    actual, predicted = _label_pair(y_true, y_pred)
    if average == "macro":
        matrix = _confusion(actual, predicted)
        return float(np.mean(_safe_ratio(np.diag(matrix), matrix.sum(axis=1))))
    truth, flagged = _binary_positive(actual, predicted, pos_label)
    positives = int(np.count_nonzero(truth))
    if not positives:
        raise ValueError(
            f"y_true has no positive label ({pos_label!r}), so recall is undefined"
        )
    return int(np.count_nonzero(truth & flagged)) / positives


def f1(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    pos_label: Label = 1,
    average: str = "binary",
) -> float:
    """Return the F1 score, 2·TP / (2·TP + FP + FN)."""
    _check_average(average)
    actual, predicted = _label_pair(y_true, y_pred)
    if average == "macro":
        matrix = _confusion(actual, predicted)
        both = matrix.sum(axis=0) + matrix.sum(axis=1)
        return float(np.mean(_safe_ratio(2 * np.diag(matrix), both)))
    truth, flagged = _binary_positive(actual, predicted, pos_label)
    positives = int(np.count_nonzero(truth))
    if not positives:
        raise ValueError(
            f"y_true has no positive label ({pos_label!r}), so F1 is undefined"
        )
    tp = int(np.count_nonzero(truth & flagged))
    return 2 * tp / (positives + int(np.count_nonzero(flagged)))


def balanced_accuracy(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Return the mean recall over the classes present in y_true."""
    actual, predicted = _label_pair(y_true, y_pred)
    matrix = _confusion(actual, predicted)
    support = matrix.sum(axis=1)
    present = support > 0
    return float(np.mean(np.diag(matrix)[present] / support[present]))


def roc_auc(
    y_true: npt.ArrayLike,
    y_score: npt.ArrayLike,
    *,
    pos_label: Label = 1,
) -> float:
    """Return the area under the ROC curve of a binary score.

    Computed as the Mann-Whitney U statistic divided by n_pos · n_neg; a
    tie between a positive and a negative counts one half, which is what
    average ranks give and what scikit-learn's trapezoidal ROC area gives.
    """
    actual = _label_array(y_true, "y_true")
    scores = _float_array(y_score, "y_score")
    if scores.size != actual.size:
        raise ValueError(f"y_score has {scores.size} values, y_true has {actual.size}")
    if actual.size == 0:
        raise ValueError("y_true and y_score are empty")
    _check_finite(scores, "y_score")
    labels = _few_labels(actual, 2)
    if labels is None:
        raise ValueError("ROC AUC needs binary y_true, found more than two labels")
    if len(labels) < 2:
        raise ValueError(
            f"ROC AUC needs both classes in y_true, found only {labels[0]!r}"
        )
    if pos_label not in labels:
        raise ValueError(f"pos_label={pos_label!r} is not among the labels {labels}")
    positive = actual == pos_label
    # Mann-Whitney U: each positive counts the negatives scored below it,
    # plus one half per tie. This equals the average-rank form and the
    # trapezoidal ROC area, and sorting the two classes apart is several
    # times faster than ranking all scores together.
    pos_scores = np.sort(scores[positive])
    neg_scores = np.sort(scores[~positive])
    below = np.searchsorted(neg_scores, pos_scores, "left")
    not_above = np.searchsorted(neg_scores, pos_scores, "right")
    u = float(np.sum(below)) + 0.5 * float(np.sum(not_above - below))
    return u / (float(pos_scores.size) * float(neg_scores.size))
