from __future__ import annotations

from django.urls import reverse

from tests.accounts.helpers import AccountsTestCase, mails_to
from tests.base import PASSWORD


class ProfileTestCase(AccountsTestCase):
    def post(self, **overrides: str):
        data = {
            "first_name": "Alice",
            "last_name": "Wang",
            "email": "alice@example.com",
            "language": "en",
            "current_password": "",
            **overrides,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("accounts:profile"), data)

    def test_it_requires_login(self):
        response = self.client.get(reverse("accounts:profile"))
        self.assertEqual(response.status_code, 302)

    def test_it_shows_memberships_and_links(self):
        self.login(self.alice)
        response = self.client.get(reverse("accounts:profile"))
        self.assertContains(response, 'id="profile-form"')
        self.assertContains(response, self.vendor_a.get_absolute_url())
        self.assertContains(response, reverse("accounts:organisation_create"))
        self.assertContains(response, reverse("accounts:reviewer_profile"))
        self.assertContains(response, reverse("accounts:api_token"))

    def test_it_updates_names_and_language(self):
        self.login(self.alice)
        response = self.post()
        self.assertRedirects(
            response, reverse("accounts:profile"), fetch_redirect_response=False
        )
        self.assertEqual(response.cookies["django_language"].value, "en")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.get_full_name(), "Alice Wang")
        self.assertEqual(self.alice.language, "en")
        self.assertIsNotNone(self.alice.email_verified_at)
        self.assertEqual(mails_to("alice@example.com"), [])

    def test_it_resets_verification_when_the_email_changes(self):
        self.login(self.alice)
        response = self.post(email="alice@vendor-a.example", current_password=PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@vendor-a.example")
        self.assertIsNone(self.alice.email_verified_at)
        self.assertEqual(len(mails_to("alice@vendor-a.example")), 1)

    def test_it_requires_the_password_to_change_the_email(self):
        self.login(self.alice)
        response = self.post(email="alice@vendor-a.example", current_password="wrong")
        self.assertContains(
            response, "Enter your current password to change your e-mail address."
        )
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.com")

    def test_it_rejects_a_taken_email(self):
        self.login(self.alice)
        response = self.post(email="Bob@example.com", current_password=PASSWORD)
        self.assertContains(
            response, "An account with this e-mail address already exists."
        )

    def test_it_rejects_an_unknown_language(self):
        self.login(self.alice)
        response = self.post(language="fr")
        self.assertContains(response, "Select a valid choice.")
