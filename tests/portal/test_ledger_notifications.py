"""Operators hear of a broken ledger, once per break."""

from __future__ import annotations

from portal.accounts.models import Notification, NotificationPreference
from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import ledger_verify
from portal.ledger.services import ledger_append, ledger_check_record
from tests.base import PortalTestCase
from tests.portal.test_ledger_services import tampering


class LedgerFailureNotificationTests(PortalTestCase):
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

    def check(self):
        return ledger_check_record(verification=ledger_verify(), user=None)

    def test_it_tells_nobody_when_the_ledger_is_intact(self):
        self.check()
        self.assertIs(Notification.objects.exists(), False)

    def test_it_notifies_operators_of_a_break_once(self):
        # Even an operator who tried to switch the category off hears of it.
        NotificationPreference.objects.create(
            user=self.olivia, category="ledger", in_app=False, email=False
        )
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(subject="scenario:99")
        self.check()
        self.check()
        (row,) = Notification.objects.all()
        self.assertEqual(row.user, self.olivia)
        self.assertEqual(row.category, "ledger")
        self.assertIs(row.in_inbox, True)
        self.assertIn("2", row.subject)

    def test_it_notifies_again_after_a_good_check(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(subject="scenario:99")
        self.check()
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(subject="scenario:2")
        self.check()
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(subject="scenario:99")
        self.check()
        self.assertEqual(Notification.objects.count(), 2)
