from __future__ import annotations

from unittest import mock

from django.core import mail
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language

from portal.accounts import services
from portal.accounts.models import Notification
from portal.accounts.services import notification_send
from portal.accounts.tasks import notification_email_send
from tests.accounts.helpers import AccountsTestCase, mails_to


def _language_marker() -> str:
    return f"lang={get_language()}"


language_marker = lazy(_language_marker, str)


class NotificationSendTestCase(AccountsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.alice.language = "en"
        self.alice.save(update_fields=["language"])

    def test_it_stores_a_row_per_recipient_in_their_language(self):
        with self.captureOnCommitCallbacks(execute=True):
            rows = notification_send(
                users=[self.alice, self.gina, self.alice],
                subject=format_lazy("Hello ({})", language_marker()),
                body=language_marker(),
                url="/scenarios/",
            )
        self.assertEqual(len(rows), 2)
        alice = Notification.objects.get(user=self.alice)
        gina = Notification.objects.get(user=self.gina)
        self.assertEqual(alice.subject, "Hello (lang=en)")
        self.assertEqual(alice.body, "lang=en")
        self.assertEqual(gina.subject, "Hello (lang=zh-hans)")
        self.assertEqual(gina.url, "/scenarios/")
        # One e-mail each, with an absolute link.
        (message,) = mails_to("alice@example.com")
        self.assertEqual(message.subject, "Hello (lang=en)")
        self.assertIn("http://127.0.0.1:8000/scenarios/", message.body)
        self.assertEqual(len(mails_to("gina@example.com")), 1)

    def test_it_sends_nothing_before_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            notification_send(users=[self.alice], subject="Hi", body="")
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox, [])

    def test_it_rejects_unsafe_links(self):
        with self.assertRaisesMessage(ValueError, "Notification links must be paths"):
            notification_send(
                users=[self.alice], subject="Hi", body="", url="javascript:alert(1)"
            )

    def test_it_emails_once_when_the_task_runs_twice(self):
        (notification,) = notification_send(users=[self.alice], subject="Hi", body="B")
        self.assertIs(notification_email_send(notification.pk), True)
        self.assertIs(notification_email_send(notification.pk), False)
        self.assertEqual(len(mail.outbox), 1)
        notification.refresh_from_db()
        self.assertIsNotNone(notification.emailed_at)

    def test_it_releases_the_claim_when_sending_fails(self):
        (notification,) = notification_send(users=[self.alice], subject="Hi", body="B")
        with (
            mock.patch.object(services, "send_mail", side_effect=OSError("down")),
            self.assertRaisesMessage(OSError, "down"),
        ):
            services.notification_email_deliver(notification_id=notification.pk)
        notification.refresh_from_db()
        self.assertIsNone(notification.emailed_at)

    def test_it_skips_inactive_users(self):
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        (notification,) = notification_send(users=[self.alice], subject="Hi", body="B")
        self.assertIs(notification_email_send(notification.pk), False)
        self.assertEqual(mail.outbox, [])


class InboxTestCase(AccountsTestCase):
    def make(self, user, count: int) -> list[Notification]:
        return [
            Notification.objects.create(user=user, subject=f"Message {n}", body="Body")
            for n in range(count)
        ]

    def test_it_lists_the_users_notifications(self):
        self.make(self.alice, 2)
        self.make(self.bob, 1)
        self.login(self.alice)
        response = self.client.get(reverse("accounts:notifications"))
        self.assertContains(response, "Message 1")
        self.assertEqual(len(response.context["page"].object_list), 2)

    def test_it_keeps_its_query_count_constant(self):
        self.login(self.alice)
        self.make(self.alice, 2)
        # Session, user, unread count (header), page count, page rows.
        with self.assertNumQueries(5):
            self.client.get(reverse("accounts:notifications"))
        self.make(self.alice, 30)
        with self.assertNumQueries(5):
            response = self.client.get(reverse("accounts:notifications"))
        self.assertEqual(len(response.context["page"].object_list), 20)

    def test_it_marks_all_read(self):
        rows = self.make(self.alice, 3)
        other = self.make(self.bob, 1)[0]
        self.login(self.alice)
        response = self.client.post(reverse("accounts:notifications_mark_all_read"))
        self.assertRedirects(
            response, reverse("accounts:notifications"), fetch_redirect_response=False
        )
        self.assertEqual(
            Notification.objects.filter(
                pk__in=[r.pk for r in rows], read_at=None
            ).count(),
            0,
        )
        other.refresh_from_db()
        self.assertIsNone(other.read_at)

    def test_it_marks_one_read_with_htmx(self):
        (row,) = self.make(self.alice, 1)
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:notification_mark_read", args=[row.pk]),
            headers={"HX-Request": "true"},
        )
        self.assertTemplateUsed(response, "accounts/_notification_row.html")
        self.assertContains(response, f'id="notification-{row.pk}"')
        self.assertNotContains(response, "Mark as read")
        row.refresh_from_db()
        self.assertIsNotNone(row.read_at)

    def test_it_marks_one_read_without_htmx(self):
        (row,) = self.make(self.alice, 1)
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:notification_mark_read", args=[row.pk])
        )
        self.assertRedirects(
            response, reverse("accounts:notifications"), fetch_redirect_response=False
        )

    def test_it_checks_ownership(self):
        (row,) = self.make(self.bob, 1)
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:notification_mark_read", args=[row.pk])
        )
        self.assertEqual(response.status_code, 404)
        row.refresh_from_db()
        self.assertIsNone(row.read_at)

    def test_it_rejects_get(self):
        (row,) = self.make(self.alice, 1)
        self.login(self.alice)
        for url in (
            reverse("accounts:notification_mark_read", args=[row.pk]),
            reverse("accounts:notifications_mark_all_read"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 405)
