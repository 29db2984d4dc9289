"""manage.py verify_ledger."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

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
