"""The high-value lists API."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from rest_framework.test import APIClient

from scenarios import services
from scenarios.models import HighValueList
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_scenario

LIST_DATA = {"title_zh": "2026年第一批", "title_en": "2026, first batch"}


class HighValueListApiTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.forecast = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.wind = make_scenario(
            cls.otto,
            cls.other_energy,
            "WIND-OM-AD-001",
            operator=cls.olivia,
            sector="wind",
            title_en="Turbine anomaly detection",
        )
        cls.draft_scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-002", status="draft"
        )
        cls.published = services.high_value_list_create(
            user=cls.olivia, year=2026, batch=1, data=LIST_DATA
        )
        services.high_value_list_add(
            hv_list=cls.published,
            user=cls.olivia,
            scenario=cls.wind,
            rationale_en="Replicable across 500 turbines.",
        )
        services.high_value_list_add(
            hv_list=cls.published, user=cls.olivia, scenario=cls.forecast
        )
        services.high_value_list_publish(hv_list=cls.published, user=cls.olivia)
        cls.draft = services.high_value_list_create(
            user=cls.olivia,
            year=2026,
            batch=2,
            data={"title_zh": "2026年第二批", "title_en": "2026, second batch"},
        )
        services.high_value_list_add(
            hv_list=cls.draft, user=cls.olivia, scenario=cls.forecast
        )

    def setUp(self) -> None:
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def login_api(self, user: Any) -> None:
        """Sign ``user`` in for the API client; ``None`` signs out."""
        self.api.logout()
        if user is not None:
            self.api.force_login(
                user, backend="django.contrib.auth.backends.ModelBackend"
            )

    def test_it_lists_published_lists(self):
        response = self.api.get("/api/v1/high-value-lists/")
        self.assertEqual(response.status_code, 200)
        [row] = response.json()["results"]
        self.assertEqual(row["slug"], "2026-batch-1")
        self.assertEqual(row["title_zh"], "2026年第一批")
        self.assertEqual(row["entry_count"], 2)

    def test_it_lists_drafts_for_operators(self):
        self.login_api(self.olivia)
        response = self.api.get("/api/v1/high-value-lists/")
        slugs = [row["slug"] for row in response.json()["results"]]
        self.assertCountEqual(slugs, ["2026-batch-2", "2026-batch-1"])

    def test_it_filters_by_year(self):
        response = self.api.get("/api/v1/high-value-lists/?year=2025")
        self.assertEqual(response.json()["results"], [])

    def test_it_shows_ranked_entries(self):
        response = self.api.get("/api/v1/high-value-lists/2026-batch-1/")
        self.assertEqual(response.status_code, 200)
        entries = response.json()["entries"]
        self.assertEqual([e["rank"] for e in entries], [1, 2])
        first = entries[0]
        self.assertEqual(first["scenario"]["code"], "WIND-OM-AD-001")
        self.assertEqual(first["scenario"]["title_en"], "Turbine anomaly detection")
        self.assertEqual(first["scenario"]["title_zh"], "系统日前负荷预测")
        self.assertEqual(first["scenario"]["owner"]["slug"], "other-power")
        self.assertEqual(first["rationale_en"], "Replicable across 500 turbines.")
        self.assertEqual(first["score_at_listing"], str(self.wind.assessment.score))

    def test_it_checks_visibility_of_drafts(self):
        for user in (None, self.gina):
            with self.subTest(user=user):
                self.login_api(user)
                response = self.api.get("/api/v1/high-value-lists/2026-batch-2/")
                self.assertEqual(response.status_code, 404)

    def test_it_creates_a_draft_list(self):
        self.login_api(self.olivia)
        response = self.api.post(
            "/api/v1/high-value-lists/",
            {"year": 2027, "batch": 1, **LIST_DATA},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        data = response.json()
        self.assertEqual(data["slug"], "2027-batch-1")
        self.assertEqual(data["published_at"], None)
        self.assertEqual(data["entries"], [])

    def test_it_rejects_a_duplicate_batch(self):
        self.login_api(self.olivia)
        response = self.api.post(
            "/api/v1/high-value-lists/",
            {"year": 2026, "batch": 1, **LIST_DATA},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"batch": ["This batch already exists for that year."]}
        )

    def test_it_lets_only_operators_create(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/high-value-lists/",
            {"year": 2027, "batch": 1, **LIST_DATA},
            format="json",
        )
        self.assertEqual(response.status_code, 403)

    def test_it_adds_and_removes_entries(self):
        self.login_api(self.olivia)
        response = self.api.post(
            "/api/v1/high-value-lists/2026-batch-2/entries/",
            {"scenario": "WIND-OM-AD-001", "rationale_zh": "可复制"},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["rank"], 2)
        self.assertEqual(response.json()["rationale_zh"], "可复制")

        response = self.api.delete(
            "/api/v1/high-value-lists/2026-batch-2/entries/GRID-PO-FC-001/"
        )
        self.assertEqual(response.status_code, 204)
        entries = self.api.get("/api/v1/high-value-lists/2026-batch-2/").json()[
            "entries"
        ]
        self.assertEqual(
            [(e["rank"], e["scenario"]["code"]) for e in entries],
            [(1, "WIND-OM-AD-001")],
        )

    def test_it_rejects_bad_entries(self):
        self.login_api(self.olivia)
        url = "/api/v1/high-value-lists/2026-batch-2/entries/"
        for scenario, errors in [
            (
                "GRID-XX-FC-999",
                {"scenario": ["Object with code=GRID-XX-FC-999 does not exist."]},
            ),
            (
                "GRID-PO-FC-002",
                {"non_field_errors": ["Only published scenarios can be listed."]},
            ),
            (
                "GRID-PO-FC-001",
                {"non_field_errors": ["This scenario is already on the list."]},
            ),
        ]:
            with self.subTest(scenario=scenario):
                response = self.api.post(url, {"scenario": scenario}, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), errors)

    def test_it_refuses_changes_to_a_published_list(self):
        self.login_api(self.olivia)
        response = self.api.delete(
            "/api/v1/high-value-lists/2026-batch-1/entries/GRID-PO-FC-001/"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"non_field_errors": ["A published list cannot be changed."]},
        )

    def test_it_lets_only_operators_change_entries(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/high-value-lists/2026-batch-1/entries/",
            {"scenario": "GRID-PO-FC-001"},
            format="json",
        )
        self.assertEqual(response.status_code, 403)

    def test_it_publishes_a_list(self):
        self.login_api(self.olivia)
        response = self.api.post("/api/v1/high-value-lists/2026-batch-2/publish/")
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(response.json()["published_at"])
        self.assertEqual(response.json()["entry_count"], 1)
        self.assertIs(HighValueList.objects.get(slug="2026-batch-2").is_published, True)

        response = self.api.post("/api/v1/high-value-lists/2026-batch-2/publish/")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"non_field_errors": ["This list is already published."]}
        )

    def test_it_rejects_put_and_get_on_actions(self):
        self.login_api(self.olivia)
        for method, url in [
            ("put", "/api/v1/high-value-lists/2026-batch-1/"),
            ("get", "/api/v1/high-value-lists/2026-batch-2/publish/"),
            ("get", "/api/v1/high-value-lists/2026-batch-2/entries/"),
        ]:
            with self.subTest(method=method, url=url):
                self.assertEqual(getattr(self.api, method)(url).status_code, 405)
