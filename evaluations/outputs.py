"""Strict parsing of the predictions a sandboxed run wrote.

The harness inside the sandbox writes ``/out/predictions.json``; the runner
reads it back safely (no links, size-capped). Whatever the vendor code did
in between, the bytes are untrusted, so they are parsed here by rules that
accept exactly the documented shape and nothing else (sandbox.md, cases 42
and 43)::

    {"schema_version": 1, "predictions": [0.5, 1.25, ...], "call_seconds": 0.8}

Pure Python; no Django.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, NoReturn

KIB = 1024
MIB = 1024 * KIB

PREDICTIONS_FILE = "predictions.json"
SCHEMA_VERSION = 1
TASK_KINDS = ("forecasting", "classification", "event_detection")
# sandbox.md section 4: the predictions file is read up to 8 MiB.
MAX_BYTES = 8 * MIB
MAX_LABEL_CHARS = 100


class InvalidOutput(Exception):
    """The run's output is unusable; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Predictions:
    # Floats, or for classification optionally labels (never a mix).
    values: tuple[float, ...] | tuple[str, ...]
    call_seconds: float | None = None

    @property
    def are_labels(self) -> bool:
        return bool(self.values) and isinstance(self.values[0], str)


def parse_predictions(
    raw: bytes,
    *,
    expected: int,
    kind: str,
    max_bytes: int = MAX_BYTES,
    flags: bool = False,
) -> Predictions:
    """Parse the bytes of ``predictions.json``; raise ``InvalidOutput``.

    1. At most ``max_bytes`` bytes of UTF-8 JSON.
    2. NaN, Infinity and -Infinity literals are refused, as are duplicate
       keys; nesting too deep for the parser is refused, not raised.
    3. The top level is an object with ``schema_version`` 1 and a
       ``predictions`` list of exactly ``expected`` items. Other keys are
       ignored.
    4. Each item is a finite number (true and false are not numbers), or,
       for classification only, a label of 1 to 100 characters; numbers and
       labels are not mixed.
    5. With ``flags`` (event suites that score flags), every number is 0
       or 1.
    6. ``call_seconds``, if present, is a finite number ≥ 0.
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"Unknown task kind {kind!r}.")
    if len(raw) > max_bytes:
        _fail(f"{PREDICTIONS_FILE} is {len(raw):,} bytes; the limit is {max_bytes:,}.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        _fail(f"{PREDICTIONS_FILE} is not UTF-8 text.")
    try:
        document = json.loads(
            text,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError:
        _fail(f"{PREDICTIONS_FILE} is nested too deeply to be predictions.")
    except ValueError as exc:  # JSONDecodeError, and the hooks' refusals
        _fail(f"{PREDICTIONS_FILE} is not valid JSON: {_short(exc)}.")

    if not isinstance(document, dict):
        _fail(
            f"{PREDICTIONS_FILE} must hold a JSON object, not {_json_type(document)}."
        )
    if "schema_version" not in document:
        _fail(f"{PREDICTIONS_FILE} has no schema_version.")
    version = document["schema_version"]
    if type(version) is not int or version != SCHEMA_VERSION:
        _fail(
            f"{PREDICTIONS_FILE} has schema_version {_short(version)}; "
            f"expected {SCHEMA_VERSION}."
        )
    items = document.get("predictions")
    if not isinstance(items, list):
        _fail(
            f'{PREDICTIONS_FILE} needs a "predictions" list; found {_json_type(items)}.'
        )
    if len(items) != expected:
        _fail(f"Expected {expected:,} predictions; found {len(items):,}.")
    values = _check_items(items, kind)
    if flags:
        for index, value in enumerate(values):
            if value not in (0.0, 1.0):
                _fail(
                    f"Prediction {index + 1:,} is {_short(value)}; this suite "
                    "expects flags, 1 (anomalous) or 0 (normal)."
                )
    return Predictions(values=values, call_seconds=_call_seconds(document))


def _check_items(items: list[Any], kind: str) -> tuple[float, ...] | tuple[str, ...]:
    numbers: list[float] = []
    labels: list[str] = []
    for index, item in enumerate(items):
        where = f"Prediction {index + 1:,}"
        if isinstance(item, str):
            if kind != "classification":
                _fail(f"{where} is text ({_short(item)}); expected a number.")
            if not 1 <= len(item) <= MAX_LABEL_CHARS:
                _fail(
                    f"{where} is a label of {len(item):,} characters; labels "
                    f"have 1 to {MAX_LABEL_CHARS}."
                )
            labels.append(item)
        elif type(item) is int or type(item) is float:
            numbers.append(_finite(item, where))
        else:
            _fail(f"{where} is {_json_type(item)}; expected a number.")
        if numbers and labels:
            _fail("The predictions mix numbers and labels; use one or the other.")
    return tuple(labels) if labels else tuple(numbers)


def _call_seconds(document: dict[str, Any]) -> float | None:
    value = document.get("call_seconds")
    if value is None and "call_seconds" not in document:
        return None
    if type(value) is not int and type(value) is not float:
        _fail(f"call_seconds is {_json_type(value)}; expected a number.")
    seconds = _finite(value, "call_seconds")
    if seconds < 0:
        _fail(f"call_seconds is negative ({seconds}).")
    return seconds


def _finite(value: int | float, where: str) -> float:
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        _fail(f"{where} is a number too large to use.")
    if not math.isfinite(number):
        # "1e999" parses to infinity without the NaN/Infinity literals.
        _fail(f"{where} is not a finite number.")
    return number


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed; numbers must be finite")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number"


def _short(value: object, limit: int = 80) -> str:
    text = str(value) if isinstance(value, str | ValueError) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fail(message: str) -> NoReturn:
    raise InvalidOutput(message)
