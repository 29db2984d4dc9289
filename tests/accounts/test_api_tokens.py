"""Personal access tokens: storage, scopes, expiry, revocation, pages, API."""

from __future__ import annotations

import hashlib
import importlib
from datetime import UTC, datetime, timedelta

import time_machine
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from portal.accounts.authentication import ApiTokenAuthentication
from portal.accounts.models import ApiToken
from portal.accounts.services import (
    api_token_create,
    api_token_record_use,
    api_token_revoke,
)
from tests.accounts.helpers import AccountsTestCase
from tests.base import PASSWORD

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def migration_0005():
    return importlib.import_module(
        "portal.accounts.migrations.0005_api_tokens_from_drf"
    )


class ApiTokenServicesTestCase(AccountsTestCase):
    def test_it_stores_only_a_hash_and_a_prefix(self):
        token, key = api_token_create(user=self.alice, name="nightly upload")
        self.assertIs(key.startswith("pg_"), True)
        self.assertGreaterEqual(len(key), 40)
        self.assertEqual(token.prefix, key[:11])
        self.assertEqual(token.key_hash, hashlib.sha256(key.encode()).hexdigest())
        # Nothing in the table holds the key.
        row = ApiToken.objects.filter(pk=token.pk).values().get()
        self.assertNotIn(key, " ".join(str(value) for value in row.values()))
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM accounts_apitoken")
            dump = repr(cursor.fetchall())
        self.assertNotIn(key, dump)
        self.assertIs(Token.objects.exists(), False)

    def test_it_makes_a_different_key_each_time(self):
        keys = {api_token_create(user=self.alice, name="t")[1] for _ in range(5)}
        self.assertEqual(len(keys), 5)

    @time_machine.travel(NOON, tick=False)
    def test_it_sets_the_lifetime(self):
        for days, expected in [
            (30, NOON + timedelta(days=30)),
            (365, NOON + timedelta(days=365)),
            (None, None),
        ]:
            with self.subTest(days=days):
                token, _key = api_token_create(
                    user=self.alice, name="t", expires_in_days=days
                )
                self.assertEqual(token.expires_at, expected)
        token, _key = api_token_create(user=self.alice, name="default")
        self.assertEqual(token.expires_at, NOON + timedelta(days=90))
        self.assertEqual(token.scope, ApiToken.Scope.WRITE)

    def test_it_refuses_lifetimes_out_of_range(self):
        for days in (0, -1, 366):
            with (
                self.subTest(days=days),
                self.assertRaisesMessage(
                    ValidationError,
                    "Choose a lifetime between 1 and 365 days, or none.",
                ),
            ):
                api_token_create(user=self.alice, name="t", expires_in_days=days)
        self.assertIs(ApiToken.objects.exists(), False)

    def test_it_refuses_an_unknown_scope_and_a_blank_name(self):
        with self.assertRaisesMessage(ValidationError, "scope"):
            api_token_create(user=self.alice, name="t", scope="admin")
        with self.assertRaisesMessage(ValidationError, "name"):
            api_token_create(user=self.alice, name="   ")
        self.assertIs(ApiToken.objects.exists(), False)

    def test_only_the_owner_can_revoke(self):
        token, _key = api_token_create(user=self.alice, name="t")
        with self.assertRaises(ApiToken.DoesNotExist):
            api_token_revoke(user=self.bob, token_id=token.pk)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_revoking_twice_is_harmless(self):
        token, _key = api_token_create(user=self.alice, name="t")
        with time_machine.travel(NOON, tick=False):
            first = api_token_revoke(user=self.alice, token_id=token.pk)
        with time_machine.travel(NOON + timedelta(hours=1), tick=False):
            second = api_token_revoke(user=self.alice, token_id=token.pk)
        self.assertEqual(first.revoked_at, NOON)
        self.assertEqual(second.revoked_at, NOON)
        self.assertEqual(second.get_status(), ApiToken.Status.REVOKED)

    def test_it_records_use_at_most_once_a_minute(self):
        token, _key = api_token_create(user=self.alice, name="t")
        self.assertIs(api_token_record_use(token=token, now=NOON), True)
        later = NOON + timedelta(seconds=59)
        with self.assertNumQueries(0):
            self.assertIs(api_token_record_use(token=token, now=later), False)
        # A stale copy of the row (another worker's) does not write either.
        stale = ApiToken.objects.get(pk=token.pk)
        stale.last_used_at = None
        self.assertIs(api_token_record_use(token=stale, now=later), False)
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, NOON)
        self.assertIs(
            api_token_record_use(token=token, now=NOON + timedelta(seconds=61)), True
        )
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, NOON + timedelta(seconds=61))


class ApiTokenAuthenticationTestCase(AccountsTestCase):
    me = "/api/v1/me/"

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def use(self, key: str) -> None:
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    def test_it_sets_request_auth_to_the_token(self):
        token, key = api_token_create(user=self.alice, name="t")
        request = Request(
            APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}")
        )
        user, auth = ApiTokenAuthentication().authenticate(request)
        self.assertEqual(user, self.alice)
        self.assertEqual(auth, token)

    def test_a_read_token_can_read_but_not_write(self):
        _token, key = api_token_create(
            user=self.alice, name="t", scope=ApiToken.Scope.READ
        )
        self.use(key)
        self.assertEqual(self.api.get(self.me).json()["username"], "alice")
        self.assertEqual(self.api.head(self.me).status_code, 200)
        self.assertEqual(self.api.options(self.me).status_code, 200)
        response = self.api.patch(self.me, {"first_name": "Mallory"}, format="json")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json(), {"detail": "This token is read-only."})
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.first_name, "")

    def test_a_write_token_can_write(self):
        _token, key = api_token_create(user=self.alice, name="t")
        self.use(key)
        response = self.api.patch(self.me, {"first_name": "Alice"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.first_name, "Alice")

    def test_it_refuses_an_expired_token(self):
        with time_machine.travel(NOON, tick=False):
            _token, key = api_token_create(
                user=self.alice, name="t", expires_in_days=30
            )
        self.use(key)
        with time_machine.travel(NOON + timedelta(days=29, hours=23), tick=False):
            self.assertEqual(self.api.get(self.me).status_code, 200)
        with time_machine.travel(NOON + timedelta(days=30), tick=False):
            response = self.api.get(self.me)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "This token has expired."})
        self.assertEqual(response["WWW-Authenticate"], "Token")

    def test_it_refuses_a_revoked_token(self):
        token, key = api_token_create(user=self.alice, name="t")
        self.use(key)
        self.assertEqual(self.api.get(self.me).status_code, 200)
        api_token_revoke(user=self.alice, token_id=token.pk)
        response = self.api.get(self.me)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "This token has been revoked."})

    def test_it_refuses_an_inactive_user(self):
        _token, key = api_token_create(user=self.alice, name="t")
        self.alice.is_active = False
        self.alice.save(update_fields=["is_active"])
        self.use(key)
        response = self.api.get(self.me)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "User inactive or deleted."})

    def test_it_refuses_an_unknown_key(self):
        api_token_create(user=self.alice, name="t")
        for key in ("pg_nope", "f" * 40, "x" * 5000):
            with self.subTest(key=key[:10]):
                self.use(key)
                response = self.api.get(self.me)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json(), {"detail": "Invalid token."})

    def test_it_records_use_through_requests(self):
        token, key = api_token_create(user=self.alice, name="t")
        self.use(key)
        with time_machine.travel(NOON, tick=False):
            self.api.get(self.me)
        with (
            time_machine.travel(NOON + timedelta(seconds=30), tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            self.api.get(self.me)
        writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
        self.assertEqual(writes, [])
        token.refresh_from_db()
        self.assertEqual(token.last_used_at, NOON)

    def test_sessions_are_unaffected(self):
        self.api.force_login(self.alice)
        response = self.api.get(self.me)
        self.assertEqual(response.json()["username"], "alice")


class DrfTokenMigrationTestCase(AccountsTestCase):
    """Migration 0005 turns DRF's tokens into write tokens, keys working."""

    def test_it_converts_old_tokens_and_deletes_the_plaintext(self):
        old = Token.objects.create(user=self.alice)
        key, created = old.key, old.created
        Token.objects.create(user=self.bob)

        migration_0005().convert_drf_tokens(apps, None)

        self.assertIs(Token.objects.exists(), False)
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(token.name, "Migrated token")
        self.assertEqual(token.scope, ApiToken.Scope.WRITE)
        self.assertEqual(token.prefix, key[:8])
        self.assertEqual(token.created_at, created)
        self.assertIsNone(token.expires_at)
        self.assertIsNone(token.revoked_at)
        self.assertEqual(ApiToken.objects.filter(user=self.bob).count(), 1)
        # The old key still works, for writes too.
        api = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")
        response = api.patch("/api/v1/me/", {"first_name": "A"}, format="json")
        self.assertEqual(response.status_code, 200)

    def test_it_does_not_duplicate_a_token_already_converted(self):
        old = Token.objects.create(user=self.alice)
        migration_0005().convert_drf_tokens(apps, None)
        Token.objects.create(user=self.alice, key=old.key)
        migration_0005().convert_drf_tokens(apps, None)
        self.assertEqual(ApiToken.objects.filter(user=self.alice).count(), 1)


class TokenObtainApiTestCase(AccountsTestCase):
    url = "/api/v1/auth/token/"

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    @time_machine.travel(NOON, tick=False)
    def test_it_creates_a_new_write_token_each_time(self):
        response = self.api.post(self.url, {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        data = response.json()
        key = data.pop("token")
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(
            data,
            {
                "id": token.pk,
                "name": "API login 2026-03-02",
                "prefix": key[:11],
                "scope": "write",
                "created_at": "2026-03-02T20:00:00+08:00",
                "expires_at": "2026-05-31T20:00:00+08:00",
            },
        )
        again = self.api.post(self.url, {"username": "alice", "password": PASSWORD})
        self.assertNotEqual(again.json()["token"], key)
        self.assertEqual(ApiToken.objects.filter(user=self.alice).count(), 2)

        self.api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        me = self.api.patch("/api/v1/me/", {"first_name": "A"}, format="json")
        self.assertEqual(me.json()["username"], "alice")

    def test_it_takes_a_name_a_scope_and_a_lifetime(self):
        response = self.api.post(
            self.url,
            {
                "username": "alice",
                "password": PASSWORD,
                "name": "read-only dashboard",
                "scope": "read",
                "expires_in_days": None,
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(token.name, "read-only dashboard")
        self.assertEqual(token.scope, ApiToken.Scope.READ)
        self.assertIsNone(token.expires_at)
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        self.assertEqual(self.api.get("/api/v1/me/").status_code, 200)
        self.assertEqual(self.api.patch("/api/v1/me/", {}).status_code, 403)

    def test_it_returns_field_errors(self):
        response = self.api.post(
            self.url,
            {"username": "alice", "scope": "admin", "expires_in_days": 400},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "password": ["This field is required."],
                "scope": ['"admin" is not a valid choice.'],
                "expires_in_days": ["Ensure this value is less than or equal to 365."],
            },
        )
        self.assertIs(ApiToken.objects.exists(), False)

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
        self.assertIs(ApiToken.objects.exists(), False)

    def test_it_is_throttled(self):
        statuses = [
            self.api.post(self.url, {"username": "nobody", "password": "x"}).status_code
            for _attempt in range(11)
        ]
        self.assertEqual(statuses[-1], 429)

    def test_it_rejects_get(self):
        self.assertEqual(self.api.get(self.url).status_code, 405)

    def test_it_counts_failures_towards_the_login_lockout(self):
        for _attempt in range(5):
            self.api.post(self.url, {"username": "alice", "password": "wrong"})
        response = self.api.post(self.url, {"username": "alice", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertIs(ApiToken.objects.exists(), False)

    def test_the_schema_documents_the_new_fields(self):
        schema = self.api.get("/api/schema/?format=json").json()
        operation = schema["paths"]["/api/v1/auth/token/"]["post"]
        request = operation["requestBody"]["content"]["application/json"]["schema"]
        fields = schema["components"]["schemas"][request["$ref"].split("/")[-1]]
        self.assertLessEqual(
            {"username", "password", "name", "scope", "expires_in_days"},
            set(fields["properties"]),
        )
        self.assertIn("tokenAuth", schema["components"]["securitySchemes"])
        forbidden = operation["responses"]["403"]["description"]
        self.assertIn("read-only token", forbidden)


class ApiTokenPageTestCase(AccountsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("accounts:api_token")

    def create(self, **data: str):
        data = {"name": "nightly", "scope": "read", "expires_in_days": "30", **data}
        return self.client.post(self.url, data)

    def test_it_lists_the_users_own_tokens(self):
        mine, _key = api_token_create(user=self.alice, name="alice's uploader")
        revoked, _key = api_token_create(user=self.alice, name="old laptop")
        api_token_revoke(user=self.alice, token_id=revoked.pk)
        theirs, _key = api_token_create(user=self.bob, name="bob's dashboard")
        self.login(self.alice)
        # Session, user, memberships (for the menu), tokens.
        with self.assertNumQueries(4):
            response = self.client.get(self.url)
        self.assertContains(response, "alice&#x27;s uploader")
        self.assertContains(response, f"{mine.prefix}…")
        self.assertContains(response, "Revoked")
        self.assertContains(
            response, reverse("accounts:api_token_revoke", args=[mine.pk])
        )
        self.assertNotContains(
            response, reverse("accounts:api_token_revoke", args=[revoked.pk])
        )
        self.assertNotContains(response, "bob&#x27;s dashboard")
        self.assertNotContains(response, theirs.prefix)
        self.assertNotContains(response, mine.key_hash)

    @time_machine.travel(NOON, tick=False)
    def test_it_creates_a_token_and_shows_the_key_once(self):
        self.login(self.alice)
        response = self.create()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        key = response.context["new_key"]
        self.assertContains(response, key)
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(token.name, "nightly")
        self.assertEqual(token.scope, ApiToken.Scope.READ)
        self.assertEqual(token.expires_at, NOON + timedelta(days=30))
        response = self.client.get(self.url)
        self.assertNotContains(response, key)
        self.assertContains(response, f"{token.prefix}…")
        self.assertNotIn("no-store", response.get("Cache-Control", ""))

    def test_it_creates_a_token_that_never_expires(self):
        self.login(self.alice)
        self.create(expires_in_days="never", scope="write")
        token = ApiToken.objects.get(user=self.alice)
        self.assertIsNone(token.expires_at)
        self.assertEqual(token.scope, ApiToken.Scope.WRITE)

    def test_it_shows_form_errors(self):
        self.login(self.alice)
        response = self.create(name="", scope="admin", expires_in_days="7")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            set(response.context["form"].errors), {"name", "scope", "expires_in_days"}
        )
        self.assertIs(ApiToken.objects.exists(), False)

    def test_it_answers_an_empty_post_with_form_errors(self):
        self.login(self.alice)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.context["form"].errors)

    def test_it_revokes_a_token(self):
        token, _key = api_token_create(user=self.alice, name="nightly")
        self.login(self.alice)
        url = reverse("accounts:api_token_revoke", args=[token.pk])
        response = self.client.post(url, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "The token “nightly” has been revoked.")
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        # Again: no error, nothing changes.
        self.assertEqual(self.client.post(url).status_code, 302)

    def test_it_answers_htmx_with_the_row(self):
        token, _key = api_token_create(user=self.alice, name="nightly")
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:api_token_revoke", args=[token.pk]),
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "accounts/_api_token_row.html")
        self.assertContains(response, f'id="api-token-{token.pk}"')
        self.assertContains(response, "Revoked")
        self.assertNotContains(response, "<form")
        self.assertIn("HX-Request", response["Vary"])

    def test_it_checks_ownership(self):
        token, _key = api_token_create(user=self.alice, name="nightly")
        self.login(self.bob)
        response = self.client.post(
            reverse("accounts:api_token_revoke", args=[token.pk])
        )
        self.assertEqual(response.status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_it_requires_login(self):
        token, _key = api_token_create(user=self.alice, name="nightly")
        for url in (self.url, reverse("accounts:api_token_revoke", args=[token.pk])):
            with self.subTest(url=url):
                response = self.client.post(url, {"name": "x"})
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(ApiToken.objects.count(), 1)

    def test_it_rejects_wrong_methods(self):
        token, _key = api_token_create(user=self.alice, name="nightly")
        self.login(self.alice)
        revoke = reverse("accounts:api_token_revoke", args=[token.pk])
        self.assertEqual(self.client.get(revoke).status_code, 405)
        self.assertEqual(self.client.put(self.url).status_code, 405)
        self.assertEqual(self.client.delete(self.url).status_code, 405)

    def test_the_profile_counts_active_tokens(self):
        api_token_create(user=self.alice, name="one")
        revoked, _key = api_token_create(user=self.alice, name="two")
        api_token_revoke(user=self.alice, token_id=revoked.pk)
        self.login(self.alice)
        response = self.client.get(reverse("accounts:profile"))
        self.assertContains(response, "1 active")


class ApiTokenAdminTestCase(AccountsTestCase):
    def test_operators_can_list_and_revoke_but_not_add(self):
        token, _key = api_token_create(user=self.alice, name="nightly")
        self.login(self.olivia)
        changelist = reverse("admin:accounts_apitoken_changelist")
        self.assertContains(self.client.get(changelist), token.prefix)
        self.assertEqual(
            self.client.get(reverse("admin:accounts_apitoken_add")).status_code, 403
        )
        response = self.client.post(
            changelist,
            {"action": "revoke_selected", "_selected_action": [token.pk]},
            follow=True,
        )
        self.assertContains(response, "1 token revoked.")
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_drf_token_admin_is_gone(self):
        self.login(self.olivia)
        response = self.client.get("/admin/authtoken/tokenproxy/")
        self.assertEqual(response.status_code, 404)
