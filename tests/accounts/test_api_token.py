from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.helpers import AccountsTestCase
from tests.base import PASSWORD


class TokenObtainApiTestCase(AccountsTestCase):
    url = "/api/v1/auth/token/"

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_returns_a_token_that_authenticates(self):
        response = self.api.post(self.url, {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)
        key = response.json()["token"]
        self.assertEqual(Token.objects.get(user=self.alice).key, key)
        # Asking again returns the same token.
        again = self.api.post(self.url, {"username": "alice", "password": PASSWORD})
        self.assertEqual(again.json()["token"], key)

        me = self.api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(me.json()["username"], "alice")

    def test_it_returns_field_errors(self):
        response = self.api.post(self.url, {"username": "alice"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"password": ["This field is required."]})

    def test_it_rejects_wrong_credentials(self):
        response = self.api.post(self.url, {"username": "alice", "password": "wrong"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "non_field_errors": [
                    "Unable to log in with the given username and password."
                ]
            },
        )
        self.assertIs(Token.objects.filter(user=self.alice).exists(), False)

    def test_it_is_throttled(self):
        statuses = [
            self.api.post(self.url, {"username": "nobody", "password": "x"}).status_code
            for _attempt in range(11)
        ]
        self.assertEqual(statuses[-1], 429)

    def test_it_rejects_get(self):
        self.assertEqual(self.api.get(self.url).status_code, 405)


class ApiTokenPageTestCase(AccountsTestCase):
    def test_it_creates_and_shows_the_key_once(self):
        self.login(self.alice)
        response = self.client.post(reverse("accounts:api_token_rotate"))
        key = Token.objects.get(user=self.alice).key
        self.assertContains(response, key)
        self.assertEqual(response["Cache-Control"], "no-store")
        response = self.client.get(reverse("accounts:api_token"))
        self.assertNotContains(response, key)
        self.assertContains(response, "You have a token")

    def test_it_rotates_the_token(self):
        self.login(self.alice)
        self.client.post(reverse("accounts:api_token_rotate"))
        old = Token.objects.get(user=self.alice).key
        self.client.post(reverse("accounts:api_token_rotate"))
        new = Token.objects.get(user=self.alice).key
        self.assertNotEqual(old, new)

    def test_it_revokes_the_token(self):
        self.login(self.alice)
        self.client.post(reverse("accounts:api_token_rotate"))
        response = self.client.post(reverse("accounts:api_token_revoke"))
        self.assertRedirects(
            response, reverse("accounts:api_token"), fetch_redirect_response=False
        )
        self.assertIs(Token.objects.filter(user=self.alice).exists(), False)

    def test_it_rejects_get(self):
        self.login(self.alice)
        for name in ("accounts:api_token_rotate", "accounts:api_token_revoke"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 405)

    def test_it_requires_login(self):
        response = self.client.post(reverse("accounts:api_token_rotate"))
        self.assertEqual(response.status_code, 302)
        self.assertIs(Token.objects.exists(), False)


class TokenObtainLockoutTestCase(AccountsTestCase):
    def test_it_counts_failures_towards_the_login_lockout(self):
        cache.clear()
        api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        url = "/api/v1/auth/token/"
        for _attempt in range(5):
            api.post(url, {"username": "alice", "password": "wrong"})
        response = api.post(url, {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertIs(Token.objects.filter(user=self.alice).exists(), False)
