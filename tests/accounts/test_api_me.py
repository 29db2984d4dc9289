from __future__ import annotations

from django.core.cache import cache
from rest_framework.test import APIClient

from tests.accounts.helpers import AccountsTestCase


class MeApiTestCase(AccountsTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_requires_authentication(self):
        response = self.api.get("/api/v1/me/")
        self.assertIn(response.status_code, (401, 403))

    def test_it_returns_the_user_memberships_and_profile(self):
        self.api.force_authenticate(self.rita)
        response = self.api.get("/api/v1/me/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["username"], "rita")
        self.assertIs(data["is_email_verified"], True)
        self.assertIs(data["is_operator"], False)
        self.assertEqual(
            data["memberships"][0]["organisation"]["slug"], "expert-committee"
        )
        self.assertEqual(data["memberships"][0]["role"], "member")
        self.assertEqual(data["reviewer_profile"]["sectors"], ["grid", "wind"])

    def test_it_returns_null_without_a_reviewer_profile(self):
        self.api.force_authenticate(self.olivia)
        data = self.api.get("/api/v1/me/").json()
        self.assertIsNone(data["reviewer_profile"])
        self.assertIs(data["is_operator"], True)

    def test_it_updates_names_and_language(self):
        self.api.force_authenticate(self.alice)
        response = self.api.patch(
            "/api/v1/me/", {"first_name": "Alice", "language": "en"}, format="json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["language"], "en")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.first_name, "Alice")
        self.assertEqual(self.alice.language, "en")

    def test_it_returns_field_errors(self):
        self.api.force_authenticate(self.alice)
        response = self.api.patch(
            "/api/v1/me/", {"language": "fr", "first_name": "x" * 151}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        errors = response.json()
        self.assertEqual(errors["language"], ['"fr" is not a valid choice.'])
        self.assertEqual(
            errors["first_name"], ["Ensure this field has no more than 150 characters."]
        )

    def test_it_refuses_other_fields(self):
        self.api.force_authenticate(self.alice)
        response = self.api.patch(
            "/api/v1/me/", {"email": "x@example.com", "is_staff": True}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "email": ["This field cannot be changed here."],
                "is_staff": ["This field cannot be changed here."],
            },
        )
        self.alice.refresh_from_db()
        self.assertIs(self.alice.is_staff, False)

    def test_it_works_with_a_token(self):
        from portal.accounts.services import api_token_create

        _token, key = api_token_create(user=self.bob, name="scripts")
        response = self.api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["username"], "bob")

    def test_it_rejects_a_bad_token(self):
        response = self.api.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nope")
        # 403 rather than 401 because session authentication comes first in
        # REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"].
        self.assertIn(response.status_code, (401, 403))
        self.assertEqual(response.json(), {"detail": "Invalid token."})
