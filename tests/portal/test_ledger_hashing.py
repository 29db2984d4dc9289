"""The canonical form and hashes of ledger entries (docs/ledger.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from django.test import SimpleTestCase

from portal.ledger import hashing

# The worked example of docs/ledger.md. The hashes were computed with
# ``printf '%s' ... | sha256sum``, independently of the code under test.
EXAMPLE_CANONICAL = (
    '{"actor":{"id":7,"username":"olivia"},'
    '"created_at":"2026-03-01T08:30:00.000250Z",'
    '"evidence":["run:17","blob:sha256:' + "ab" * 32 + '"],'
    '"kind":"run.scored",'
    '"organisation":{"id":3,"slug":"vendor-a"},'
    '"payload":{"metrics":{"mae":0.125,"rmse":2},"note":"风电",'
    '"passed":true,"status":"succeeded"},'
    '"sequence":1,"subject":"submission:12","true_actor":null}'
)
EXAMPLE_CONTENT_HASH = (
    "d786738b3baa2a0f04d177dd58e63051e21d1c19cc8d4ff223449ef68dbcee79"
)
EXAMPLE_ENTRY_HASH = "5f518e1bb869f674f8d06b687fd8f9a601c5f67419a820d8ac7c33b149a866c1"


def example_content() -> dict:
    return hashing.content_of(
        sequence=1,
        created_at=hashing.format_time(
            datetime(2026, 3, 1, 16, 30, 0, 250, tzinfo=timezone(timedelta(hours=8)))
        ),
        kind="run.scored",
        actor=hashing.person_ref(7, "olivia"),
        true_actor=hashing.person_ref(None, ""),
        organisation=hashing.organisation_ref(3, "vendor-a"),
        subject="submission:12",
        payload=hashing.normalise(
            {
                "status": "succeeded",
                "passed": True,
                "metrics": {"rmse": 2.0, "mae": 0.125},
                "note": "风电",
            }
        ),
        evidence=["run:17", "blob:sha256:" + "ab" * 32],
    )


class CanonicalFormTests(SimpleTestCase):
    def test_it_matches_the_hand_computed_example(self):
        content = example_content()
        self.assertEqual(hashing.canonical_json(content).decode(), EXAMPLE_CANONICAL)
        self.assertEqual(hashing.content_hash(content), EXAMPLE_CONTENT_HASH)
        self.assertEqual(
            hashing.entry_hash(hashing.GENESIS_HASH, EXAMPLE_CONTENT_HASH),
            EXAMPLE_ENTRY_HASH,
        )

    def test_it_writes_times_in_utc_with_microseconds(self):
        self.assertEqual(
            hashing.format_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
            "2026-01-02T03:04:05.000000Z",
        )

    def test_it_refuses_naive_times(self):
        with self.assertRaisesMessage(ValueError, "timezone-aware"):
            hashing.format_time(datetime(2026, 1, 2))  # noqa: DTZ001

    def test_it_normalises_numbers_that_jsonb_would_rewrite(self):
        self.assertEqual(
            hashing.normalise({"a": 2e16, "b": 1.0, "c": -0.0, "d": 0.1, "e": (1, 2)}),
            {"a": 20000000000000000, "b": 1, "c": 0, "d": 0.1, "e": [1, 2]},
        )
        self.assertIs(type(hashing.normalise(1.0)), int)

    def test_it_refuses_values_that_are_not_plain_json(self):
        cases = [
            ({"x": float("nan")}, "payload.x: nan is not a finite number"),
            ({"x": [float("inf")]}, "payload.x[0]: inf is not a finite number"),
            ({1: "a"}, "payload: key 1 is not a string"),
            ({"x": {1, 2}}, "payload.x: set is not JSON data"),
            ({"x": "a\x00b"}, "payload.x: text contains a NUL character"),
            ({"x": "\ud800"}, "payload.x: text is not valid Unicode"),
            ({"x": datetime(2026, 1, 1, tzinfo=UTC)}, "is not JSON data"),
        ]
        for value, message in cases:
            with (
                self.subTest(value=value),
                self.assertRaisesMessage(ValueError, message),
            ):
                hashing.normalise(value)
