from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from tests.accounts.helpers import AccountsTestCase
from tests.base import PASSWORD

NEW_PASSWORD = "a much newer horse battery staple"


class PasswordResetTestCase(AccountsTestCase):
    def test_it_sends_a_reset_link_that_sets_a_new_password(self):
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "alice@example.com"}
        )
        self.assertRedirects(
            response,
            reverse("accounts:password_reset_done"),
            fetch_redirect_response=False,
        )
        (message,) = mail.outbox
        self.assertEqual(message.to, ["alice@example.com"])
        self.assertEqual(
            message.subject, "Reset your password on the Energy AI Proving Ground"
        )
        self.assertIn("Your username is alice.", message.body)
        match = re.search(
            r"http://testserver(/accounts/password/reset/\S+/)", message.body
        )
        assert match is not None
        # Django swaps the token for a session marker before showing the form.
        response = self.client.get(match.group(1), follow=True)
        self.assertContains(response, "Choose a new password")
        form_url = response.redirect_chain[-1][0]
        response = self.client.post(
            form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(
            response,
            reverse("accounts:password_reset_complete"),
            fetch_redirect_response=False,
        )
        self.alice.refresh_from_db()
        self.assertIs(self.alice.check_password(NEW_PASSWORD), True)

    def test_it_sends_nothing_to_an_unknown_address(self):
        self.client.post(reverse("accounts:password_reset"), {"email": "x@example.com"})
        self.assertEqual(mail.outbox, [])


class PasswordChangeTestCase(AccountsTestCase):
    def test_it_changes_the_password(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(
            response,
            reverse("accounts:password_change_done"),
            fetch_redirect_response=False,
        )
        self.alice.refresh_from_db()
        self.assertIs(self.alice.check_password(NEW_PASSWORD), True)

    def test_it_requires_login(self):
        response = self.client.get(reverse("accounts:password_change"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
