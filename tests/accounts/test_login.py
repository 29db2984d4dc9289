from __future__ import annotations

from django.urls import reverse

from tests.accounts.helpers import AccountsTestCase
from tests.base import PASSWORD


class LoginTestCase(AccountsTestCase):
    def post(self, password: str, username: str = "alice"):
        return self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )

    def test_it_shows_the_login_form(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, 'id="login-form"')
        self.assertContains(response, 'id="id_username"')
        self.assertContains(response, 'id="id_password"')

    def test_it_logs_in_and_sets_the_language(self):
        self.alice.language = "en"
        self.alice.save(update_fields=["language"])
        response = self.post(PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.alice.pk)
        self.assertEqual(response.cookies["django_language"].value, "en")

    def test_it_rejects_a_wrong_password(self):
        response = self.post("wrong")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_out_after_five_failures(self):
        for _attempt in range(4):
            response = self.post("wrong")
            self.assertEqual(response.status_code, 200)
        response = self.post("wrong")
        self.assertEqual(response.status_code, 429)
        self.assertTemplateUsed(response, "accounts/locked_out.html")
        self.assertContains(
            response, "Too many failed log-in attempts", status_code=429
        )
        self.assertContains(
            response, "Please try again in 15 minutes.", status_code=429
        )

        # Even the right password is refused while locked out.
        response = self.post(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_only_the_attacked_username(self):
        for _attempt in range(5):
            self.post("wrong")
        response = self.post(PASSWORD, username="bob")
        self.assertEqual(response.status_code, 302)


class LogoutTestCase(AccountsTestCase):
    def test_it_rejects_get(self):
        self.login(self.alice)
        response = self.client.get(reverse("accounts:logout"))
        self.assertEqual(response.status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_logs_out(self):
        self.login(self.alice)
        response = self.client.post(reverse("accounts:logout"))
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
