"""manage.py verify_ledger."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

from portal.ledger import hashing
from portal.ledger.models import LedgerCheck, LedgerEntry
from portal.ledger.services import ledger_append
from tests.base import PortalTestCase
from tests.portal.test_ledger_services import tampering


class VerifyLedgerCommandTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(1, 4):
            ledger_append(
                kind="scenario.published",
                actor=cls.olivia,
                subject=f"scenario:{n}",
                payload={"version": 1},
            )

    def run_command(self, *args):
        out, err = StringIO(), StringIO()
        try:
            call_command("verify_ledger", *args, stdout=out, stderr=err)
        except SystemExit as exc:
            return exc.code, out.getvalue(), err.getvalue()
        return 0, out.getvalue(), err.getvalue()

    def test_it_exits_0_for_an_intact_ledger(self):
        code, out, err = self.run_command()
        head = LedgerEntry.objects.get(sequence=3).entry_hash
        self.assertEqual(code, 0)
        self.assertIn("Checked 3 of 3 entries from 1.", out)
        self.assertIn(f"The ledger is intact. Head: entry 3, hash {head}.", out)
        self.assertEqual(err, "")
        check = LedgerCheck.objects.get()
        self.assertEqual((check.ok, check.checked, check.head_hash), (True, 3, head))
        self.assertIsNone(check.ran_by)

    def test_it_exits_1_and_names_the_first_broken_link(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(subject="scenario:99")
        code, out, err = self.run_command()
        self.assertEqual(code, 1)
        self.assertIn("Checked 1 of 3 entries from 1.", out)
        self.assertIn("BROKEN: Entry 2 was changed after it was written", err)
        self.assertIn("Last good entry: 1, hash", err)
        self.assertIs(LedgerCheck.objects.get().ok, False)

    def test_it_checks_a_range_without_recording(self):
        code, out, _err = self.run_command("--start", "2", "--end", "5", "--no-record")
        self.assertEqual(code, 1)
        self.assertIn("Checked 2 of 3 entries from 2.", out)
        self.assertFalse(LedgerCheck.objects.exists())


class ExportLedgerCommandTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in (1, 2, 1):
            ledger_append(
                kind="scenario.revised",
                actor=cls.gina,
                subject=f"scenario:{n}",
                payload={"n": n},
                evidence=[f"scenario_version:{n}"],
            )

    def export(self, *args):
        out = StringIO()
        call_command("export_ledger", *args, stdout=out)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_it_writes_a_slice_as_json_lines(self):
        lines = self.export("--subject", "scenario:1")
        self.assertEqual([line["sequence"] for line in lines], [1, 3])
        self.assertEqual(
            sorted(lines[0]),
            sorted([*hashing.CONTENT_KEYS, "prev_hash", "content_hash", "entry_hash"]),
        )
        self.assertEqual(lines[0]["actor"], {"id": self.gina.pk, "username": "gina"})

    def test_it_writes_every_entry(self):
        self.assertEqual([line["sequence"] for line in self.export("--all")], [1, 2, 3])
        self.assertEqual(
            [
                line["sequence"]
                for line in self.export("--evidence", "scenario_version:2")
            ],
            [2],
        )

    def test_it_needs_a_selection(self):
        with self.assertRaisesMessage(
            CommandError, "Give --subject, --evidence or --all."
        ):
            call_command("export_ledger", stdout=StringIO())
