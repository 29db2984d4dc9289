"""Appending to the ledger and verifying its chain."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test import TestCase, TransactionTestCase

from portal.accounts.models import User
from portal.ledger import hashing
from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import (
    entry_content,
    ledger_export_lines,
    ledger_slice,
    ledger_verify,
)
from portal.ledger.services import ledger_append
from tests.base import PortalTestCase


@contextmanager
def tampering():
    """Let a test change rows behind the service's back.

    On PostgreSQL the append-only trigger refuses any change; the table's
    owner (the test database's user) switches it off for the block. The
    ALTER TABLE is part of the test's transaction and rolled back with it;
    it needs the deferred foreign-key checks of the rows inserted so far in
    that transaction to run first.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_append_only"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE ledger_ledgerentry ENABLE TRIGGER ledger_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class AppendTests(PortalTestCase):
    def append(self, n: int = 1, **kwargs) -> LedgerEntry:
        defaults = {
            "kind": "scenario.published",
            "actor": self.olivia,
            "subject": f"scenario:{n}",
            "payload": {"n": n, "score": 0.5},
        }
        return ledger_append(**{**defaults, **kwargs})

    def test_it_starts_at_one_from_the_genesis_hash(self):
        entry = self.append()
        self.assertEqual(entry.sequence, 1)
        self.assertEqual(entry.prev_hash, "0" * 64)
        self.assertEqual(
            entry.entry_hash, hashing.entry_hash("0" * 64, entry.content_hash)
        )

    def test_it_chains_each_entry_to_the_previous_one(self):
        first, second, third = (self.append(n) for n in (1, 2, 3))
        self.assertEqual([e.sequence for e in (first, second, third)], [1, 2, 3])
        self.assertEqual(second.prev_hash, first.entry_hash)
        self.assertEqual(third.prev_hash, second.entry_hash)

    def test_the_stored_row_hashes_as_it_did_when_written(self):
        written = self.append(
            payload={"big": 2e16, "small": 1.5e-7, "text": "风电 ✓", "list": (1, 2.0)},
            evidence=["run:1", "blob:sha256:" + "0" * 64],
            true_actor=self.olivia,
            organisation=self.vendor_a,
            actor=self.alice,
        )
        stored = LedgerEntry.objects.get(pk=written.pk)
        self.assertEqual(stored.payload["big"], 20000000000000000)
        self.assertEqual(
            hashing.content_hash(entry_content(stored)), written.content_hash
        )
        self.assertEqual(stored.actor_username, "alice")
        self.assertEqual(stored.true_actor_username, "olivia")
        self.assertEqual(stored.organisation_slug, "vendor-a")

    def test_renaming_a_user_keeps_the_chain_intact(self):
        self.append(actor=self.alice)
        User.objects.filter(pk=self.alice.pk).update(username="alice2")
        self.assertIs(ledger_verify().ok, True)

    def test_an_anonymous_actor_is_recorded_as_nobody(self):
        from django.contrib.auth.models import AnonymousUser

        entry = self.append(actor=AnonymousUser())
        self.assertIsNone(entry.actor_id)
        self.assertIsNone(entry_content(entry)["actor"])

    def test_it_refuses_bad_input(self):
        cases = [
            ({"kind": "published"}, "kind: 'published' is not a dotted event name"),
            ({"kind": "Scenario.Published"}, "is not a dotted event name"),
            ({"subject": ""}, "subject: '' is empty or too long"),
            ({"payload": ["a"]}, "payload: must be a JSON object"),
            ({"payload": {"x": float("nan")}}, "payload.x: nan is not a finite number"),
            (
                {"payload": {"x": float("-inf")}},
                "payload.x: -inf is not a finite number",
            ),
            ({"evidence": [""]}, "evidence: '' is not a reference string"),
            ({"evidence": [17]}, "evidence: 17 is not a reference string"),
        ]
        for kwargs, message in cases:
            with (
                self.subTest(kwargs=kwargs),
                self.assertRaisesMessage(ValueError, message),
            ):
                self.append(**kwargs)
        self.assertEqual(LedgerEntry.objects.count(), 0)

    def test_a_rolled_back_transaction_leaves_no_entry(self):
        self.append(1)
        with (
            self.assertRaisesMessage(RuntimeError, "the action failed"),
            transaction.atomic(),
        ):
            self.append(2)
            raise RuntimeError("the action failed")
        self.assertEqual(
            list(LedgerEntry.objects.values_list("sequence", flat=True)), [1]
        )
        # The next entry takes the number the rolled-back one had.
        self.assertEqual(self.append(3).sequence, 2)
        self.assertIs(ledger_verify().ok, True)


class VerifyTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(1, 6):
            ledger_append(
                kind="run.scored",
                actor=cls.alice,
                organisation=cls.vendor_a,
                subject=f"submission:{n % 2}",
                payload={"run": n, "metrics": {"mae": n / 3}},
                evidence=[f"run:{n}"],
            )

    def test_an_untouched_chain_verifies(self):
        result = ledger_verify()
        head = LedgerEntry.objects.get(sequence=5)
        self.assertIs(result.ok, True)
        self.assertEqual((result.checked, result.total), (5, 5))
        self.assertEqual((result.head_sequence, result.head_hash), (5, head.entry_hash))
        self.assertIsNone(result.broken)

    def test_an_empty_ledger_verifies(self):
        with tampering():
            LedgerEntry.objects.all().delete()
        result = ledger_verify()
        self.assertIs(result.ok, True)
        self.assertEqual((result.checked, result.head_hash), (0, "0" * 64))

    def test_it_verifies_a_range(self):
        result = ledger_verify(start=2, end=4)
        self.assertIs(result.ok, True)
        self.assertEqual((result.checked, result.head_sequence), (3, 4))

    def test_a_changed_payload_fails_at_that_entry(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=3).update(payload={"run": 3, "x": 1})
        result = ledger_verify()
        self.assertIs(result.ok, False)
        self.assertEqual((result.broken.sequence, result.broken.check), (3, "content"))
        self.assertEqual((result.checked, result.head_sequence), (2, 2))
        self.assertIn(
            "Entry 3 was changed after it was written", result.broken.describe()
        )

    def test_a_changed_actor_or_time_fails_at_that_entry(self):
        changes = [
            {"actor_username": "mallory"},
            {"organisation_slug": "vendor-b"},
            {"created_at": datetime(2020, 1, 1, tzinfo=UTC)},
            {"evidence": ["run:99"]},
            {"kind": "run.deleted"},
        ]
        for change in changes:
            with self.subTest(change=change), transaction.atomic():
                with tampering():
                    LedgerEntry.objects.filter(sequence=4).update(**change)
                result = ledger_verify()
                self.assertEqual(
                    (result.broken.sequence, result.broken.check), (4, "content")
                )
                transaction.set_rollback(True)

    def test_a_rehashed_entry_breaks_the_chain_at_the_next_one(self):
        entry = LedgerEntry.objects.get(sequence=2)
        entry.payload = {"run": 2, "forged": True}
        entry.content_hash = hashing.content_hash(entry_content(entry))
        entry.entry_hash = hashing.entry_hash(entry.prev_hash, entry.content_hash)
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(
                payload=entry.payload,
                content_hash=entry.content_hash,
                entry_hash=entry.entry_hash,
            )
        result = ledger_verify()
        self.assertEqual((result.broken.sequence, result.broken.check), (3, "chain"))
        self.assertIn("The chain is broken at entry 3", result.broken.describe())

    def test_a_changed_previous_hash_breaks_the_chain(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=4).update(prev_hash="f" * 64)
        result = ledger_verify()
        self.assertEqual((result.broken.sequence, result.broken.check), (4, "chain"))
        self.assertEqual(result.broken.found, "f" * 64)

    def test_a_changed_entry_hash_is_found(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=5).update(entry_hash="e" * 64)
        result = ledger_verify()
        self.assertEqual((result.broken.sequence, result.broken.check), (5, "entry"))

    def test_a_deleted_row_leaves_a_gap(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=3).delete()
        result = ledger_verify()
        self.assertEqual((result.broken.sequence, result.broken.check), (3, "gap"))
        self.assertEqual(result.broken.found, "4")
        self.assertEqual(
            result.broken.describe(), "Entry 3 is missing: the entry after 2 is 4."
        )

    def test_a_range_past_the_head_reports_the_missing_entry(self):
        result = ledger_verify(start=4, end=7)
        self.assertEqual((result.broken.sequence, result.broken.check), (6, "missing"))
        self.assertEqual(result.checked, 2)

    def test_a_range_after_a_missing_entry_reports_it(self):
        result = ledger_verify(start=9)
        self.assertEqual((result.broken.sequence, result.broken.check), (8, "missing"))

    def test_it_refuses_a_bad_range(self):
        with self.assertRaisesMessage(ValueError, "start must be at least 1"):
            ledger_verify(start=0)
        with self.assertRaisesMessage(ValueError, "start must be at least 1"):
            ledger_verify(start=3, end=2)

    def test_it_streams_in_chunks(self):
        with mock.patch(
            "portal.ledger.selectors.hashing.content_hash", wraps=hashing.content_hash
        ) as spy:
            self.assertIs(ledger_verify(chunk_size=2).ok, True)
        self.assertEqual(spy.call_count, 5)


class SliceTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ledger_append(
            kind="submission.created",
            actor=cls.alice,
            subject="submission:1",
            payload={},
            evidence=["blob:sha256:" + "1" * 64],
        )
        ledger_append(
            kind="run.scored",
            actor=None,
            subject="run:10",
            payload={"passed": True},
            evidence=["submission:1", "run:10"],
        )
        ledger_append(
            kind="run.scored",
            actor=None,
            subject="run:11",
            payload={"passed": False},
            evidence=["submission:11", "run:11"],
        )

    def sequences(self, **kwargs):
        return list(ledger_slice(**kwargs).values_list("sequence", flat=True))

    def test_it_selects_by_subject_or_evidence(self):
        self.assertEqual(self.sequences(subject="submission:1"), [1])
        # "submission:1" must not match "submission:11".
        self.assertEqual(self.sequences(evidence="submission:1"), [2])
        self.assertEqual(
            self.sequences(subject="submission:1", evidence="submission:1"), [1, 2]
        )
        self.assertEqual(self.sequences(), [])

    def test_an_exported_slice_verifies_offline(self):
        import hashlib
        import json

        lines = list(ledger_export_lines(ledger_slice(evidence="run:11")))
        self.assertEqual(len(lines), 1)
        # The check of docs/ledger.md, on the exported text alone.
        record = json.loads(lines[0])
        content = {key: record[key] for key in hashing.CONTENT_KEYS}
        canonical = json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
        digest = hashlib.sha256(canonical).hexdigest()
        self.assertEqual(digest, record["content_hash"])
        self.assertEqual(
            hashlib.sha256((record["prev_hash"] + digest).encode()).hexdigest(),
            record["entry_hash"],
        )
        self.assertEqual(
            record["prev_hash"], LedgerEntry.objects.get(sequence=2).entry_hash
        )


@pytest.mark.postgres
class AppendOnlyTriggerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ledger_append(
            kind="scenario.published", actor=None, subject="scenario:1", payload={}
        )

    def assertRefused(self, operation: str, run):
        with (
            self.assertRaisesMessage(
                DatabaseError, f"ledger entries are append-only: {operation}"
            ),
            transaction.atomic(),
        ):
            run()

    def test_it_refuses_update(self):
        self.assertRefused(
            "UPDATE", lambda: LedgerEntry.objects.update(payload={"x": 1})
        )

    def test_it_refuses_delete(self):
        self.assertRefused("DELETE", lambda: LedgerEntry.objects.all().delete())

    def test_truncate_is_left_to_privileges(self):
        # Django's flush between transactional tests truncates every table;
        # the portal's role should lack TRUNCATE on the ledger (docs).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'ledger_ledgerentry'::regclass AND NOT tgisinternal"
            )
            names = [row[0] for row in cursor.fetchall()]
        self.assertEqual(names, ["ledger_append_only"])

    def test_it_refuses_a_model_save(self):
        entry = LedgerEntry.objects.get()
        entry.subject = "scenario:2"
        self.assertRefused("UPDATE", lambda: entry.save(update_fields=["subject"]))


@pytest.mark.postgres
class ConcurrentAppendTests(TransactionTestCase):
    """Several connections append at once; the chain stays gapless."""

    THREADS = 6
    EACH = 10

    def test_it_serialises_appends(self):
        barrier = threading.Barrier(self.THREADS)
        errors: list[BaseException] = []

        def work(worker: int) -> None:
            try:
                barrier.wait()
                for n in range(self.EACH):
                    with transaction.atomic():
                        ledger_append(
                            kind="dataset.downloaded",
                            actor=None,
                            subject=f"dataset_file:{worker}",
                            payload={"worker": worker, "n": n},
                        )
            except BaseException as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=work, args=(i,)) for i in range(self.THREADS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        total = self.THREADS * self.EACH
        self.assertEqual(
            list(
                LedgerEntry.objects.order_by("sequence").values_list(
                    "sequence", flat=True
                )
            ),
            list(range(1, total + 1)),
        )
        result = ledger_verify()
        self.assertIs(result.ok, True)
        self.assertEqual(result.checked, total)
