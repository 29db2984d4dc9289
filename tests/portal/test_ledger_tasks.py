"""The scheduled verification of the ledger and its alert to operators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from portal.accounts.models import (
    Membership,
    Notification,
    NotificationPreference,
    User,
)
from portal.ledger import tasks
from portal.ledger.models import LedgerCheck, LedgerEntry
from portal.ledger.services import ledger_check_scheduled
from tests.base import PortalTestCase, make_user
from tests.portal.test_ledger_services import tampering
from tests.portal.test_ledger_views import fill

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@override_settings(LEDGER_VERIFY_INTERVAL_SECONDS=3600)
class ScheduledCheckTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A second operator: every operator is alerted.
        cls.oscar = make_user("oscar", cls.operator_org, role=Membership.Role.MEMBER)
        User.objects.filter(pk__in=[cls.olivia.pk, cls.oscar.pk]).update(language="en")

    def setUp(self) -> None:
        super().setUp()
        fill(5)

    def tamper(self) -> None:
        with tampering():
            LedgerEntry.objects.filter(sequence=3).update(payload={"version": 99})

    def run_at(self, moment: datetime) -> LedgerCheck | None:
        with self.captureOnCommitCallbacks(execute=True):
            return ledger_check_scheduled(now=moment)

    def alerts(self) -> list[Notification]:
        return list(
            Notification.objects.filter(subject__startswith="Ledger verification")
        )

    def test_it_records_an_intact_chain(self):
        check = self.run_at(NOON)
        self.assertIsNotNone(check)
        check.refresh_from_db()
        self.assertIs(check.ok, True)
        self.assertEqual(check.checked, 5)
        self.assertEqual(check.source, LedgerCheck.Source.SCHEDULE)
        self.assertIsNone(check.broken_sequence)
        self.assertEqual(check.message, "")
        self.assertEqual(check.ran_at, NOON)
        self.assertEqual(self.alerts(), [])

    def test_it_runs_once_per_interval(self):
        self.assertIsNotNone(self.run_at(NOON))
        self.assertIsNone(self.run_at(NOON + timedelta(minutes=30)))
        self.assertIsNotNone(self.run_at(NOON + timedelta(hours=1)))
        self.assertEqual(
            LedgerCheck.objects.filter(source=LedgerCheck.Source.SCHEDULE).count(), 2
        )

    def test_a_break_is_recorded_logged_and_alerted_once(self):
        self.tamper()
        with self.assertLogs("portal.ledger.services", "ERROR") as logs:
            check = self.run_at(NOON)
        check.refresh_from_db()
        self.assertIs(check.ok, False)
        self.assertEqual(check.broken_sequence, 3)
        self.assertEqual(check.checked, 2)
        self.assertIn("Entry 3 was changed after it was written", check.message)
        self.assertIsNotNone(check.notified_at)
        self.assertIn("Entry 3 was changed", logs.output[0])
        alerts = self.alerts()
        self.assertEqual(sorted(n.user.username for n in alerts), ["olivia", "oscar"])
        self.assertEqual(alerts[0].subject, "Ledger verification failed at entry 3")
        self.assertIn("Entry 3 was changed", alerts[0].body)
        self.assertEqual(alerts[0].url, reverse("ledger:index"))
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["olivia@example.com", "oscar@example.com"],
        )

        # The next hour finds the same break: recorded, not alerted again.
        with self.assertLogs("portal.ledger.services", "ERROR"):
            again = self.run_at(NOON + timedelta(hours=1))
        again.refresh_from_db()
        self.assertIs(again.ok, False)
        self.assertIsNone(again.notified_at)
        self.assertEqual(len(self.alerts()), 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_operators_cannot_switch_the_alert_off(self):
        NotificationPreference.objects.create(
            user=self.olivia, category="ledger", in_app=False, email=False
        )
        self.tamper()
        with self.assertLogs("portal.ledger.services", "ERROR"):
            self.run_at(NOON)
        alert = Notification.objects.get(user=self.olivia)
        self.assertEqual((alert.category, alert.in_inbox), ("ledger", True))
        self.assertIn("olivia@example.com", [m.to[0] for m in mail.outbox])

    def test_a_new_break_is_alerted(self):
        self.tamper()
        with self.assertLogs("portal.ledger.services", "ERROR"):
            self.run_at(NOON)
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(subject="scenario:77")
        with self.assertLogs("portal.ledger.services", "ERROR"):
            check = self.run_at(NOON + timedelta(hours=1))
        check.refresh_from_db()
        self.assertEqual(check.broken_sequence, 2)
        self.assertIsNotNone(check.notified_at)
        self.assertEqual(len(self.alerts()), 4)

    def test_the_alert_is_in_each_operators_language(self):
        User.objects.filter(pk=self.oscar.pk).update(language="zh-hans")
        self.tamper()
        with self.assertLogs("portal.ledger.services", "ERROR"):
            self.run_at(NOON)
        # The new sentences await the catalogue; the broken link's
        # description is already translated.
        alert = Notification.objects.get(user=self.oscar)
        self.assertIn("第 3 条在写入后被改动", alert.body)
        english = Notification.objects.get(user=self.olivia)
        self.assertIn("Entry 3 was changed", english.body)

    def test_the_task_is_idempotent(self):
        self.tamper()
        with (
            self.assertLogs("portal.ledger.services", "ERROR"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertIs(tasks.ledger_verify_scheduled(), False)
        with self.captureOnCommitCallbacks(execute=True):
            # Same interval (a duplicate delivery, or beat on another
            # machine): nothing runs.
            self.assertIsNone(tasks.ledger_verify_scheduled())
        self.assertEqual(LedgerCheck.objects.count(), 1)
        self.assertEqual(len(self.alerts()), 2)

    def test_the_page_shows_the_last_result(self):
        self.tamper()
        with self.assertLogs("portal.ledger.services", "ERROR"):
            self.run_at(NOON)
        self.login(self.olivia)
        response = self.client.get(reverse("ledger:index"))
        self.assertContains(response, "Chain broken")
        self.assertContains(response, "First broken entry: 3.")
        self.assertContains(response, "Schedule")
        self.assertContains(response, "every 60 minutes")

    def test_the_api_shows_the_last_result(self):
        self.run_at(NOON)
        self.login(self.olivia)
        response = self.client.get("/api/v1/ledger/checks/latest/?source=schedule")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            {k: data[k] for k in ("ok", "checked", "source", "broken_sequence")},
            {"ok": True, "checked": 5, "source": "schedule", "broken_sequence": None},
        )


class LatestCheckApiTests(PortalTestCase):
    url = "/api/v1/ledger/checks/latest/"

    def test_it_is_for_operators_only(self):
        for user in (self.alice, self.gina, self.rita):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
        self.client.logout()
        self.assertIn(self.client.get(self.url).status_code, (401, 403))

    def test_it_answers_404_before_any_check(self):
        self.login(self.olivia)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_rejects_post(self):
        self.login(self.olivia)
        self.assertEqual(self.client.post(self.url).status_code, 405)
