from __future__ import annotations

from django.core.cache import cache
from rest_framework.test import APIClient

from tests.accounts.helpers import AccountsTestCase
from tests.base import make_org


class OrganisationListApiTestCase(AccountsTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_lists_verified_organisations(self):
        data = self.api.get("/api/v1/organisations/").json()
        slugs = [row["slug"] for row in data["results"]]
        self.assertEqual(data["count"], 6)
        self.assertIn("vendor-a", slugs)
        self.assertNotIn("unverified-ai", slugs)

    def test_it_filters_by_kind(self):
        data = self.api.get("/api/v1/organisations/?kind=energy").json()
        self.assertEqual(
            sorted(row["slug"] for row in data["results"]), ["demo-grid", "other-power"]
        )

    def test_it_rejects_an_unknown_kind(self):
        response = self.api.get("/api/v1/organisations/?kind=moon")
        self.assertEqual(response.status_code, 400)
        self.assertIn("kind", response.json())

    def test_it_keeps_its_query_count_constant(self):
        # Count and page; anonymous, so no session or user queries.
        with self.assertNumQueries(2):
            self.api.get("/api/v1/organisations/")
        for n in range(25):
            make_org(f"extra-{n}", "vendor")
        with self.assertNumQueries(2):
            data = self.api.get("/api/v1/organisations/").json()
        self.assertEqual(len(data["results"]), 20)
        self.assertIsNotNone(data["next"])


class OrganisationDetailApiTestCase(AccountsTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_shows_a_verified_organisation(self):
        response = self.api.get("/api/v1/organisations/vendor-a/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["name_en"], "Vendor A")
        self.assertIs(response.json()["is_verified"], True)

    def test_it_hides_unverified_organisations_from_outsiders(self):
        self.assertEqual(
            self.api.get("/api/v1/organisations/unverified-ai/").status_code, 404
        )
        self.api.force_authenticate(self.charlie)
        self.assertEqual(
            self.api.get("/api/v1/organisations/unverified-ai/").status_code, 404
        )

    def test_it_shows_unverified_organisations_to_members_and_operators(self):
        for user in (self.uma, self.olivia):
            with self.subTest(user=user.username):
                self.api.force_authenticate(user)
                response = self.api.get("/api/v1/organisations/unverified-ai/")
                self.assertEqual(response.status_code, 200)
                self.assertIs(response.json()["is_verified"], False)


class OrganisationVerifyApiTestCase(AccountsTestCase):
    url = "/api/v1/organisations/unverified-ai/verify/"

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_lets_operators_verify(self):
        self.api.force_authenticate(self.olivia)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api.post(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIs(response.json()["is_verified"], True)
        self.unverified_vendor.refresh_from_db()
        self.assertEqual(self.unverified_vendor.verified_by, self.olivia)
        self.assertEqual(self.uma.notifications.count(), 1)

    def test_it_refuses_non_operators(self):
        for user in (self.uma, self.alice):
            with self.subTest(user=user.username):
                self.api.force_authenticate(user)
                self.assertEqual(self.api.post(self.url).status_code, 403)
        self.unverified_vendor.refresh_from_db()
        self.assertIsNone(self.unverified_vendor.verified_at)

    def test_it_refuses_anonymous_users(self):
        self.assertIn(self.api.post(self.url).status_code, (401, 403))

    def test_it_returns_400_for_a_verified_organisation(self):
        self.api.force_authenticate(self.olivia)
        response = self.api.post("/api/v1/organisations/vendor-a/verify/")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"non_field_errors": ["This organisation is already verified."]},
        )

    def test_it_returns_404_for_unknown_organisations(self):
        self.api.force_authenticate(self.olivia)
        self.assertEqual(
            self.api.post("/api/v1/organisations/nope/verify/").status_code, 404
        )

    def test_it_rejects_get(self):
        self.api.force_authenticate(self.olivia)
        self.assertEqual(self.api.get(self.url).status_code, 405)
