from __future__ import annotations

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import (
    Notification,
    NotificationCategory,
    NotificationPreference,
)
from portal.accounts.services import (
    notification_preferences_save,
    notification_send,
)
from tests.accounts.helpers import AccountsTestCase, mails_to

LIFECYCLE = NotificationCategory.LIFECYCLE


class DeliveryTestCase(AccountsTestCase):
    def send(self, category=LIFECYCLE, users=None):
        with self.captureOnCommitCallbacks(execute=True):
            return notification_send(
                users=users or [self.alice],
                subject="Stage changed",
                body="Body",
                category=category,
            )

    def test_it_delivers_both_channels_by_default(self):
        (row,) = self.send()
        self.assertEqual(row.category, LIFECYCLE)
        self.assertIs(row.in_inbox, True)
        self.assertEqual(len(mails_to("alice@example.com")), 1)

    def test_it_keeps_the_row_out_of_the_inbox_when_in_app_is_off(self):
        notification_preferences_save(
            user=self.alice, preferences={LIFECYCLE: (False, True)}
        )
        (row,) = self.send()
        self.assertIs(row.in_inbox, False)
        self.assertEqual(len(mails_to("alice@example.com")), 1)
        self.login(self.alice)
        response = self.client.get(reverse("accounts:notifications"))
        self.assertNotContains(response, "Stage changed")
        self.assertEqual(response.context["unread_notifications"], 0)
        # Nor can it be marked read by id.
        response = self.client.post(
            reverse("accounts:notification_mark_read", args=[row.pk])
        )
        self.assertEqual(response.status_code, 404)

    def test_it_sends_no_email_when_email_is_off(self):
        notification_preferences_save(
            user=self.alice, preferences={LIFECYCLE: (True, False)}
        )
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            (row,) = notification_send(
                users=[self.alice], subject="S", body="", category=LIFECYCLE
            )
        self.assertEqual(callbacks, [])
        self.assertIs(row.in_inbox, True)
        self.assertEqual(mail.outbox, [])

    def test_it_stores_nothing_when_both_are_off(self):
        notification_preferences_save(
            user=self.alice, preferences={LIFECYCLE: (False, False)}
        )
        rows = self.send(users=[self.alice, self.bob])
        self.assertEqual([r.user for r in rows], [self.bob])
        self.assertIs(Notification.objects.filter(user=self.alice).exists(), False)
        self.assertEqual(mails_to("alice@example.com"), [])

    def test_it_applies_preferences_per_category(self):
        notification_preferences_save(
            user=self.alice, preferences={LIFECYCLE: (False, False)}
        )
        (row,) = self.send(category=NotificationCategory.REVIEWS)
        self.assertIs(row.in_inbox, True)

    def test_it_always_delivers_locked_categories(self):
        NotificationPreference.objects.create(
            user=self.olivia,
            category=NotificationCategory.LEDGER,
            in_app=False,
            email=False,
        )
        for category in (NotificationCategory.GENERAL, NotificationCategory.LEDGER):
            with self.subTest(category=category):
                (row,) = self.send(category=category, users=[self.olivia])
                self.assertIs(row.in_inbox, True)
        self.assertEqual(len(mails_to("olivia@example.com")), 2)

    def test_it_refuses_to_switch_off_a_locked_category(self):
        with self.assertRaisesMessage(ValidationError, "cannot be switched off"):
            notification_preferences_save(
                user=self.alice,
                preferences={NotificationCategory.LEDGER: (True, False)},
            )

    def test_it_refuses_an_unknown_category(self):
        with self.assertRaisesMessage(ValueError, "Unknown notification category"):
            notification_send(users=[self.alice], subject="S", body="", category="x")


class PreferencesPageTestCase(AccountsTestCase):
    url = reverse("accounts:notification_preferences")

    def test_it_shows_defaults(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Solution stage changes")
        self.assertContains(response, "cannot be switched off")
        self.assertIs(response.context["form"]["lifecycle-email"].initial, True)

    def test_it_saves_the_channels(self):
        self.login(self.alice)
        data = {
            f"{c}-{channel}": "on"
            for c in NotificationCategory.values
            for channel in ("in_app", "email")
        }
        del data["gates-email"]
        del data["pilots-in_app"]
        del data["pilots-email"]
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        prefs = {
            p.category: (p.in_app, p.email)
            for p in NotificationPreference.objects.filter(user=self.alice)
        }
        self.assertEqual(prefs["gates"], (True, False))
        self.assertEqual(prefs["pilots"], (False, False))
        self.assertEqual(prefs["reviews"], (True, True))
        self.assertNotIn("ledger", prefs)
        # Other users keep the defaults.
        self.assertIs(
            NotificationPreference.objects.filter(user=self.bob).exists(), False
        )

    def test_it_requires_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)

    def test_it_rejects_other_methods(self):
        self.login(self.alice)
        self.assertEqual(self.client.put(self.url).status_code, 405)


class PreferencesApiTestCase(AccountsTestCase):
    url = "/api/v1/me/notification-preferences/"

    def setUp(self) -> None:
        super().setUp()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_requires_authentication(self):
        self.assertIn(self.api.get(self.url).status_code, (401, 403))

    def test_it_lists_every_category(self):
        self.api.force_authenticate(self.alice)
        data = self.api.get(self.url).json()["preferences"]
        self.assertEqual(
            [row["category"] for row in data], list(NotificationCategory.values)
        )
        ledger = next(row for row in data if row["category"] == "ledger")
        self.assertIs(ledger["locked"], True)

    def test_it_updates_the_categories_given(self):
        self.api.force_authenticate(self.alice)
        response = self.api.patch(
            self.url,
            {"preferences": [{"category": "pilots", "in_app": True, "email": False}]},
            format="json",
        )
        self.assertEqual(response.status_code, 200)
        pilots = next(
            r for r in response.json()["preferences"] if r["category"] == "pilots"
        )
        self.assertEqual((pilots["in_app"], pilots["email"]), (True, False))

    def test_it_refuses_a_locked_category(self):
        self.api.force_authenticate(self.olivia)
        response = self.api.patch(
            self.url,
            {"preferences": [{"category": "ledger", "in_app": False, "email": True}]},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be switched off", str(response.json()))
