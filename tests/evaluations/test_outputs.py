"""Strict host-side parsing of predictions.json (sandbox.md cases 42-43)."""

from __future__ import annotations

import json

import pytest

from evaluations.outputs import InvalidOutput, Predictions, parse_predictions


def document(predictions, **extra) -> bytes:
    return json.dumps(
        {"schema_version": 1, "predictions": predictions, **extra}
    ).encode()


def invalid(
    raw: bytes, *, expected: int = 3, kind: str = "forecasting", **kwargs
) -> str:
    with pytest.raises(InvalidOutput) as caught:
        parse_predictions(raw, expected=expected, kind=kind, **kwargs)
    return caught.value.message


def test_it_parses_numbers_and_call_seconds():
    raw = document([1, 2.5, -3e2], call_seconds=0.25)
    assert parse_predictions(raw, expected=3, kind="forecasting") == Predictions(
        values=(1.0, 2.5, -300.0), call_seconds=0.25
    )


def test_extra_keys_are_ignored_and_call_seconds_is_optional():
    raw = document([0, 1, 0], score=1.0, notes={"x": [1]})
    parsed = parse_predictions(raw, expected=3, kind="event_detection")
    assert parsed.values == (0.0, 1.0, 0.0)
    assert parsed.call_seconds is None


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_it_refuses_nan_and_infinity_literals(literal):
    raw = b'{"schema_version": 1, "predictions": [1, %s, 3]}' % literal.encode()
    assert "not allowed" in invalid(raw)


def test_it_refuses_numbers_that_overflow_to_infinity():
    raw = b'{"schema_version": 1, "predictions": [1, 1e999, 3]}'
    assert invalid(raw) == "Prediction 2 is not a finite number."
    huge = b'{"schema_version": 1, "predictions": [1, 1%s, 3]}' % (b"0" * 400)
    assert invalid(huge) == "Prediction 2 is a number too large to use."


def test_it_refuses_booleans():
    assert (
        invalid(document([1, True, 0]))
        == "Prediction 2 is true or false; expected a number."
    )


def test_it_refuses_nulls_lists_and_objects_as_items():
    assert "is null" in invalid(document([1, None, 0]))
    assert "is a list" in invalid(document([1, [2], 0]))
    assert "is an object" in invalid(document([1, {"v": 2}, 0]))


def test_it_refuses_deep_nesting_without_a_recursion_error():
    raw = b"[" * 100_000 + b"]" * 100_000
    assert "nested too deeply" in invalid(raw)
    nested_item = (
        b'{"schema_version": 1, "predictions": ['
        + b"[" * 100_000
        + b"]" * 100_000
        + b"]}"
    )
    assert "nested too deeply" in invalid(nested_item, expected=1)


def test_it_needs_exactly_the_expected_count():
    assert invalid(document([1, 2])) == "Expected 3 predictions; found 2."
    assert invalid(document([1, 2, 3, 4])) == "Expected 3 predictions; found 4."


def test_it_refuses_oversized_output():
    raw = document([1.0] * 3)
    assert "the limit is 10" in invalid(raw, max_bytes=10)


def test_labels_are_allowed_for_classification_only():
    raw = document(["ok", "defective", "ok"])
    assert parse_predictions(raw, expected=3, kind="classification").values == (
        "ok",
        "defective",
        "ok",
    )
    assert parse_predictions(raw, expected=3, kind="classification").are_labels is True
    assert "expected a number" in invalid(raw, kind="forecasting")
    assert "expected a number" in invalid(raw, kind="event_detection")
    assert "mix numbers and labels" in invalid(
        document(["ok", 0.5, "ok"]), kind="classification"
    )
    assert "1 to 100" in invalid(
        document(["ok", "x" * 101, "ok"]), kind="classification"
    )
    assert "1 to 100" in invalid(document(["ok", "", "ok"]), kind="classification")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2, 3]", "must hold a JSON object, not a list"),
        (b'{"predictions": [1, 2, 3]}', "has no schema_version"),
        (
            b'{"schema_version": 2, "predictions": [1, 2, 3]}',
            "schema_version 2; expected 1",
        ),
        (b'{"schema_version": true, "predictions": [1, 2, 3]}', "schema_version True"),
        (b'{"schema_version": 1}', 'needs a "predictions" list; found null'),
        (b'{"schema_version": 1, "predictions": "1,2,3"}', "found text"),
        (
            b'{"schema_version": 1, "predictions": [1, 2, 3], "predictions": [4, 5, 6]}',
            "appears twice",
        ),
    ],
)
def test_it_refuses_the_wrong_shape(raw, words):
    assert words in invalid(raw)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (b"-1", "negative"),
        (b'"0.5"', "text"),
        (b"true", "true or false"),
        (b"1e999", "not a finite number"),
    ],
)
def test_call_seconds_must_be_a_non_negative_number(value, words):
    raw = document([1, 2, 3]).replace(b"}", b', "call_seconds": ' + value + b"}")
    assert words in invalid(raw)


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown task kind"):
        parse_predictions(document([1]), expected=1, kind="regression")


def test_a_flags_suite_takes_only_zero_and_one():
    raw = document([0, 1.0, 0.0, 1])
    parsed = parse_predictions(raw, expected=4, kind="event_detection", flags=True)
    assert parsed.values == (0.0, 1.0, 0.0, 1.0)
    assert (
        invalid(document([0, 1, 0.5]), kind="event_detection", flags=True)
        == "Prediction 3 is 0.5; this suite expects flags, 1 (anomalous) or 0 (normal)."
    )
    assert "Prediction 1 is -1" in invalid(
        document([-1, 0, 0]), kind="event_detection", flags=True
    )
    # A suite that scores anomaly scores takes any finite number.
    assert parse_predictions(
        document([0, 1, 0.5]), expected=3, kind="event_detection"
    ).values == (0.0, 1.0, 0.5)
