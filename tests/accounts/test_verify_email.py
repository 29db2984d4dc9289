from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.accounts import services
from portal.accounts.tokens import email_verification_token
from tests.accounts.helpers import AccountsTestCase, mails_to, verification_link
from tests.base import make_user


class VerifyEmailTestCase(AccountsTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.newbie = make_user("newbie")
        self.newbie.email_verified_at = None
        self.newbie.save(update_fields=["email_verified_at"])
        with self.captureOnCommitCallbacks(execute=True):
            services.email_verification_send(user=self.newbie)
        (message,) = mails_to("newbie@example.com")
        self.link = verification_link(message)

    def test_it_shows_a_confirmation_button_without_verifying(self):
        response = self.client.get(self.link)
        self.assertContains(response, "Confirm my address")
        self.newbie.refresh_from_db()
        self.assertIsNone(self.newbie.email_verified_at)

    def test_it_verifies_once(self):
        response = self.client.post(self.link)
        self.assertRedirects(
            response, reverse("accounts:login"), fetch_redirect_response=False
        )
        self.newbie.refresh_from_db()
        self.assertIsNotNone(self.newbie.email_verified_at)

        response = self.client.post(self.link)
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "This confirmation link is invalid", status_code=400
        )

    def test_it_rejects_a_tampered_token(self):
        uidb64, token = self.link.rstrip("/").split("/")[-2:]
        tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
        url = reverse("accounts:verify_email", args=[uidb64, tampered])
        for method in (self.client.get, self.client.post):
            with self.subTest(method=method.__name__):
                response = method(url)
                self.assertEqual(response.status_code, 400)
        self.newbie.refresh_from_db()
        self.assertIsNone(self.newbie.email_verified_at)

    def test_it_rejects_another_users_id(self):
        _uidb64, token = self.link.rstrip("/").split("/")[-2:]
        other = urlsafe_base64_encode(force_bytes(self.nobody.pk))
        response = self.client.post(
            reverse("accounts:verify_email", args=[other, token])
        )
        self.assertEqual(response.status_code, 400)

    def test_it_rejects_the_link_after_the_email_changes(self):
        services.user_profile_update(user=self.newbie, email="renamed@example.com")
        response = self.client.post(self.link)
        self.assertEqual(response.status_code, 400)

    def test_it_rejects_an_expired_link(self):
        token = self.link.rstrip("/").split("/")[-1]
        later = email_verification_token._now() + timedelta(days=4)
        generator = type(email_verification_token)()
        generator._now = lambda: later  # type: ignore[method-assign]
        self.assertIs(generator.check_token(self.newbie, token), False)
        self.assertIs(email_verification_token.check_token(self.newbie, token), True)

    def test_it_resends_the_link(self):
        self.login(self.newbie)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("accounts:resend_verification"))
        self.assertRedirects(
            response, reverse("accounts:profile"), fetch_redirect_response=False
        )
        self.assertEqual(len(mails_to("newbie@example.com")), 2)

    def test_it_limits_resending_to_once_a_minute(self):
        self.login(self.newbie)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("accounts:resend_verification"))
            self.client.post(reverse("accounts:resend_verification"))
        self.assertEqual(len(mails_to("newbie@example.com")), 2)

    def test_it_does_not_resend_to_a_verified_address(self):
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("accounts:resend_verification"))
        self.assertEqual(mails_to("alice@example.com"), [])

    def test_it_rejects_get_on_resend(self):
        self.login(self.newbie)
        response = self.client.get(reverse("accounts:resend_verification"))
        self.assertEqual(response.status_code, 405)
