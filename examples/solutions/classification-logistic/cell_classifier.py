"""Logistic model over simple image statistics, with shipped coefficients.

An example solution for the portal's classification suites. There are no
labels at prediction time, so nothing can be fitted here: like any real
solution, it ships the parameters it learnt offline (model.json, next to
this file) and only applies them. Without images, the same features are
read from columns of ``inputs`` with the same names.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

MODEL = json.loads((Path(__file__).parent / "model.json").read_text(encoding="utf-8"))
# A pixel is "dark" below this fraction of the image's median brightness
# (cracks and inactive areas show dark in electroluminescence images).
DARK_RATIO = 0.5


def predict(inputs: pd.DataFrame, images: list[np.ndarray] | None) -> list[float]:
    """Return the probability of the positive (defective) class per row."""
    if images is not None:
        features = np.array([_image_features(image) for image in images])
    else:
        missing = [name for name in MODEL["features"] if name not in inputs.columns]
        if missing:
            raise ValueError(f"inputs lack the feature columns {missing}")
        features = inputs[MODEL["features"]].to_numpy(dtype=float)
    scaled = (features - np.array(MODEL["mean"])) / np.array(MODEL["scale"])
    logits = scaled @ np.array(MODEL["coef"]) + MODEL["intercept"]
    return (1.0 / (1.0 + np.exp(-logits))).tolist()


def _image_features(image: np.ndarray) -> list[float]:
    pixels = np.asarray(image, dtype=float)
    if pixels.ndim == 3:  # colour: average the channels
        pixels = pixels.mean(axis=-1)
    if np.issubdtype(image.dtype, np.integer):
        pixels = pixels / np.iinfo(image.dtype).max
    elif pixels.size and pixels.max() > 1.0:
        pixels = pixels / pixels.max()
    if pixels.size == 0:
        return [0.0, 0.0, 0.0]
    dark = float(np.mean(pixels < DARK_RATIO * np.median(pixels)))
    values = {
        "dark_fraction": dark,
        "mean_brightness": float(pixels.mean()),
        "contrast": float(pixels.std()),
    }
    return [values[name] for name in MODEL["features"]]
