"""The scenarios API: list, detail, create, edit and the review workflow."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.accounts.models import Notification
from portal.accounts.services import api_token_create
from scenarios import services
from scenarios.models import Scenario, ScenarioVersion
from tests.base import PortalTestCase
from tests.scenarios.helpers import THRESHOLD, make_scenario, spec


def payload(**overrides: Any) -> dict[str, Any]:
    """A valid create request for Demo Grid."""
    data = {
        "code": "GRID-PO-FC-010",
        "owner": "demo-grid",
        **spec(),
        "thresholds": [{**THRESHOLD, "value": "2.5"}],
    }
    data.update(overrides)
    return data


class ApiTestCase(PortalTestCase):
    def setUp(self) -> None:
        # The throttles count requests in the cache, across tests.
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def login_api(self, user: Any) -> None:
        """Sign ``user`` in for the API client; ``None`` signs out."""
        self.api.logout()
        if user is not None:
            self.api.force_login(
                user, backend="django.contrib.auth.backends.ModelBackend"
            )


class ScenarioListApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_scenario(cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia)
        make_scenario(
            cls.otto,
            cls.other_energy,
            "WIND-OM-AD-001",
            operator=cls.olivia,
            sector="wind",
            task_type="anomaly_detection",
            title_en="Turbine anomaly detection",
        )
        make_scenario(cls.gina, cls.grid, "GRID-PO-FC-002", status="draft")

    def codes(self, response: Any) -> list[str]:
        self.assertEqual(response.status_code, 200)
        return [row["code"] for row in response.json()["results"]]

    def test_it_lists_published_scenarios(self):
        response = self.api.get("/api/v1/scenarios/")
        self.assertEqual(self.codes(response), ["GRID-PO-FC-001", "WIND-OM-AD-001"])
        data = response.json()
        self.assertEqual(data["count"], 2)
        first = data["results"][0]
        self.assertEqual(first["title_zh"], "系统日前负荷预测")
        self.assertEqual(first["title_en"], "System day-ahead load forecast")
        self.assertEqual(first["owner"]["slug"], "demo-grid")
        self.assertEqual(first["version"], 1)
        self.assertIsNotNone(first["value_score"])

    def test_it_filters_by_sector(self):
        response = self.api.get("/api/v1/scenarios/?sector=wind")
        self.assertEqual(self.codes(response), ["WIND-OM-AD-001"])

    def test_it_filters_by_text(self):
        response = self.api.get("/api/v1/scenarios/?q=turbine")
        self.assertEqual(self.codes(response), ["WIND-OM-AD-001"])

    def test_it_shows_drafts_to_members_of_the_owner_only(self):
        for user, expected in [
            (self.gary, ["GRID-PO-FC-002"]),
            (self.olivia, ["GRID-PO-FC-002"]),
            (self.otto, []),
            (self.charlie, []),
        ]:
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.get("/api/v1/scenarios/?status=draft")
                self.assertEqual(self.codes(response), expected)

    def test_it_paginates(self):
        response = self.api.get("/api/v1/scenarios/?page=2")
        self.assertEqual(response.status_code, 404)

    def test_it_keeps_the_query_count_flat(self):
        self.login_api(self.gary)

        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.api.get("/api/v1/scenarios/").status_code, 200)
            return len(queries)

        make_scenario(self.gina, self.grid, "GRID-PO-FC-103", operator=self.olivia)
        few = count_queries()  # 3 published scenarios
        for n in range(104, 111):
            make_scenario(self.gina, self.grid, f"GRID-PO-FC-{n}", operator=self.olivia)
        self.assertEqual(self.api.get("/api/v1/scenarios/").json()["count"], 10)
        self.assertEqual(count_queries(), few)
        # Session, user, memberships, count, page.
        with self.assertNumQueries(5):
            self.api.get("/api/v1/scenarios/")

    def test_it_refuses_read_only_members_creating(self):
        self.login_api(self.gary)
        response = self.api.post("/api/v1/scenarios/", payload(), format="json")
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_delete(self):
        self.login_api(self.gina)
        response = self.api.delete("/api/v1/scenarios/")
        self.assertEqual(response.status_code, 405)


class ScenarioDetailApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.published = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-PO-FC-002", status="draft")

    def test_it_shows_a_published_scenario(self):
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-001/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["code"], "GRID-PO-FC-001")
        self.assertEqual(data["status"], "published")
        self.assertEqual(data["version"], 1)
        self.assertEqual(data["owner"]["slug"], "demo-grid")
        self.assertEqual(data["description_en"], "## Background\nLoad forecasting.")
        self.assertEqual(
            data["thresholds"],
            [
                {
                    "metric": "MAPE",
                    "comparator": "<=",
                    "value": "2",
                    "unit": "%",
                    "standard": "",
                    "note_zh": "",
                    "note_en": "",
                }
            ],
        )
        self.assertEqual(data["assessment"]["strategic_priority"], 3)
        self.assertEqual(data["value_score"], data["assessment"]["score"])
        self.assertEqual(data["datasets"], [])
        self.assertEqual(data["registration_count"], 0)

    def test_it_checks_ownership(self):
        for user in (None, self.charlie, self.otto):
            with self.subTest(user=user):
                self.login_api(user)
                response = self.api.get("/api/v1/scenarios/GRID-PO-FC-002/")
                self.assertEqual(response.status_code, 404)

    def test_it_shows_a_draft_to_a_read_only_member(self):
        self.login_api(self.gary)
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-002/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "draft")
        self.assertEqual(response.json()["assessment"], None)

    def test_it_requires_write_access(self):
        self.login_api(self.gary)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-002/", {"title_en": "Mine"}, format="json"
        )
        self.assertEqual(response.status_code, 403)

    def test_it_hides_drafts_from_writers_of_other_organisations(self):
        self.login_api(self.otto)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-002/", {"title_en": "Mine"}, format="json"
        )
        self.assertEqual(response.status_code, 404)

    def test_it_rejects_anonymous_edits(self):
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-001/", {"title_en": "Mine"}, format="json"
        )
        # Anonymous: 401 with a WWW-Authenticate challenge (token auth first).
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], "Token")

    def test_it_rejects_put_and_delete(self):
        self.login_api(self.gina)
        for method in ("put", "delete"):
            with self.subTest(method=method):
                response = getattr(self.api, method)(
                    "/api/v1/scenarios/GRID-PO-FC-002/"
                )
                self.assertEqual(response.status_code, 405)

    def test_it_rejects_get_on_actions(self):
        self.login_api(self.gina)
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-002/submit/")
        self.assertEqual(response.status_code, 405)

    def test_it_returns_404_for_an_unknown_code(self):
        response = self.api.get("/api/v1/scenarios/GRID-XX-FC-999/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "No such scenario."})

    def test_it_edits_a_draft(self):
        self.login_api(self.gina)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-002/",
            {
                "title_en": "Bus load forecast",
                "thresholds": [
                    {"metric": "MAPE", "comparator": "<=", "value": "3"},
                    {"metric": "RMSE", "comparator": "<", "value": "120", "unit": "MW"},
                ],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["title_en"], "Bus load forecast")
        self.assertEqual(data["title_zh"], "系统日前负荷预测")
        self.assertEqual([t["metric"] for t in data["thresholds"]], ["MAPE", "RMSE"])
        self.assertEqual(data["version"], 0)

    def test_it_keeps_thresholds_when_not_sent(self):
        self.login_api(self.gina)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-002/",
            {"summary_en": "Shorter."},
            format="json",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["thresholds"]), 1)

    def test_it_returns_field_errors_for_a_bad_edit(self):
        self.login_api(self.gina)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-002/",
            {"title_en": "", "sector": "moon"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "title_en": ["This field may not be blank."],
                "sector": ['"moon" is not a valid choice.'],
            },
        )

    def test_it_needs_change_notes_for_a_published_scenario(self):
        self.login_api(self.gina)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-001/", {"title_en": "New"}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"change_notes": ["Describe what changed and why."]}
        )
        self.assertEqual(
            ScenarioVersion.objects.filter(scenario=self.published).count(), 1
        )

    def test_it_refuses_a_version_that_changes_nothing(self):
        self.login_api(self.gina)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-001/",
            {"title_en": self.published.title_en, "change_notes": "Nothing really."},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"non_field_errors": ["Nothing changed, so no new version was made."]},
        )

    def test_it_lists_versions_and_shows_a_frozen_spec(self):
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-001/versions/")
        self.assertEqual(response.status_code, 200)
        [version] = response.json()["results"]
        self.assertEqual(version["number"], 1)
        self.assertEqual(version["created_by"], "olivia")
        self.assertEqual(version["change_notes"], "First publication.")

        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-001/versions/1/")
        self.assertEqual(response.status_code, 200)
        spec_data = response.json()["spec"]
        self.assertEqual(spec_data["code"], "GRID-PO-FC-001")
        self.assertEqual(spec_data["owner"], "demo-grid")
        self.assertEqual(spec_data["thresholds"][0]["value"], "2")

    def test_it_returns_404_for_an_unknown_version(self):
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-001/versions/2/")
        self.assertEqual(response.status_code, 404)

    def test_it_hides_versions_and_history_of_hidden_drafts(self):
        for url in (
            "/api/v1/scenarios/GRID-PO-FC-002/versions/",
            "/api/v1/scenarios/GRID-PO-FC-002/history/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.api.get(url).status_code, 404)

    def test_it_lists_the_history_newest_first(self):
        self.login_api(self.gina)
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-001/history/")
        self.assertEqual(response.status_code, 200)
        actions = [event["action"] for event in response.json()["results"]]
        self.assertEqual(actions, ["published", "submitted", "created"])
        self.assertEqual(response.json()["results"][0]["actor"], "olivia")

    def test_it_shows_the_history_to_writers_and_operators_only(self):
        for user, status in [
            (None, 403),
            (self.gary, 403),
            (self.alice, 403),
            (self.olivia, 200),
        ]:
            with self.subTest(user=user):
                self.login_api(user)
                response = self.api.get("/api/v1/scenarios/GRID-PO-FC-001/history/")
                self.assertEqual(response.status_code, status)

    def test_it_filters_the_history_by_action(self):
        self.login_api(self.olivia)
        response = self.api.get(
            "/api/v1/scenarios/GRID-PO-FC-001/history/?action=created"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual([e["action"] for e in response.json()["results"]], ["created"])


class ScenarioCreateApiTestCase(ApiTestCase):
    def test_it_creates_a_draft(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/scenarios/", payload(code="grid-po-fc-010"), format="json"
        )
        self.assertEqual(response.status_code, 201)
        data = response.json()
        self.assertEqual(data["code"], "GRID-PO-FC-010")
        self.assertEqual(data["status"], "draft")
        self.assertEqual(data["owner"]["slug"], "demo-grid")
        self.assertEqual(data["thresholds"][0]["value"], "2.5")
        scenario = Scenario.objects.get(code="GRID-PO-FC-010")
        self.assertEqual(scenario.created_by, self.gina)
        self.assertEqual(
            list(scenario.events.values_list("action", flat=True)), ["created"]
        )

    def test_it_rejects_a_bad_code(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/scenarios/", payload(code="not a code"), format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "code": [
                    "Use capital letters, digits and hyphens, for example GRID-PO-FC-001."
                ]
            },
        )

    def test_it_rejects_a_duplicate_code(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-010", status="draft")
        self.login_api(self.gina)
        response = self.api.post("/api/v1/scenarios/", payload(), format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"code": ["A scenario with this code already exists."]}
        )

    def test_it_requires_a_title(self):
        self.login_api(self.gina)
        data = payload()
        del data["title_en"]
        response = self.api.post("/api/v1/scenarios/", data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"title_en": ["This field is required."]})

    def test_it_returns_threshold_errors_by_row(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/scenarios/",
            payload(thresholds=[THRESHOLD, {"metric": "MAPE", "comparator": "~"}]),
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "thresholds": [
                    {},
                    {
                        "comparator": ['"~" is not a valid choice.'],
                        "value": ["This field is required."],
                    },
                ]
            },
        )

    def test_it_rejects_an_unknown_owner(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/scenarios/", payload(owner="nope"), format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"owner": ["Object with slug=nope does not exist."]}
        )

    def test_it_rejects_an_owner_that_is_not_an_energy_company(self):
        self.login_api(self.alice)
        response = self.api.post(
            "/api/v1/scenarios/", payload(owner="vendor-a"), format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"owner": ["Only energy companies publish scenarios."]}
        )

    def test_it_requires_write_access_to_the_owner(self):
        for user in (self.gary, self.otto, self.alice):
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.post("/api/v1/scenarios/", payload(), format="json")
                self.assertEqual(response.status_code, 403)
        self.assertIs(Scenario.objects.exists(), False)

    def test_it_requires_authentication(self):
        response = self.api.post("/api/v1/scenarios/", payload(), format="json")
        self.assertEqual(response.status_code, 401)

    def test_it_accepts_a_token(self):
        _token, key = api_token_create(user=self.gina, name="scripts")
        self.api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = self.api.post("/api/v1/scenarios/", payload(), format="json")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Scenario.objects.get().created_by, self.gina)

    def test_it_rejects_a_bad_token(self):
        self.api.credentials(HTTP_AUTHORIZATION="Token not-a-key")
        response = self.api.get("/api/v1/scenarios/")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "Invalid token."})


class ScenarioWorkflowApiTestCase(ApiTestCase):
    def test_it_runs_the_review_workflow(self):
        # gina creates and submits a draft.
        self.login_api(self.gina)
        self.assertEqual(
            self.api.post("/api/v1/scenarios/", payload(), format="json").status_code,
            201,
        )
        response = self.api.post("/api/v1/scenarios/GRID-PO-FC-010/submit/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "submitted")

        # Only an operator publishes.
        response = self.api.post("/api/v1/scenarios/GRID-PO-FC-010/publish/")
        self.assertEqual(response.status_code, 403)
        self.login_api(self.olivia)
        response = self.api.post("/api/v1/scenarios/GRID-PO-FC-010/publish/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "published")
        self.assertEqual(response.json()["version"], 1)

        # alice registers Vendor A.
        self.login_api(self.alice)
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-010/register/",
            {"organisation": "vendor-a"},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["organisation"]["slug"], "vendor-a")
        detail = self.api.get("/api/v1/scenarios/GRID-PO-FC-010/").json()
        self.assertEqual(detail["registration_count"], 1)
        self.assertEqual(detail["registered_organisations"], ["vendor-a"])

        # gina revises the published specification.
        self.login_api(self.gina)
        response = self.api.patch(
            "/api/v1/scenarios/GRID-PO-FC-010/",
            {
                "title_en": "System load forecast, 15-minute",
                "thresholds": [{"metric": "MAPE", "comparator": "<=", "value": "1.8"}],
                "change_notes": "Tighter MAPE after the pilot.",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["version"], 2)
        self.assertEqual(response.json()["title_en"], "System load forecast, 15-minute")

        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-010/versions/2/")
        self.assertEqual(response.status_code, 200)
        version = response.json()
        self.assertEqual(version["change_notes"], "Tighter MAPE after the pilot.")
        self.assertEqual(version["spec"]["thresholds"][0]["value"], "1.8")
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-010/versions/1/")
        self.assertEqual(response.json()["spec"]["thresholds"][0]["value"], "2.5")

        # Every member of the registered vendor hears about it.
        for user in (self.alice, self.bob):
            notification = Notification.objects.filter(user=user).get()
            self.assertEqual(notification.body, "Tighter MAPE after the pilot.")
            self.assertEqual(notification.url, "/scenarios/GRID-PO-FC-010/")
        self.assertIs(Notification.objects.filter(user=self.charlie).exists(), False)

    def test_it_returns_a_submission_with_reasons(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", status="submitted"
        )
        self.login_api(self.olivia)
        url = "/api/v1/scenarios/GRID-PO-FC-001/reject/"
        response = self.api.post(url, {"reason": "  "}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"reason": ["Give the owner a reason."]})
        response = self.api.post(url, {}, format="json")
        self.assertEqual(response.json(), {"reason": ["This field is required."]})

        response = self.api.post(
            url, {"reason": "Add the data description."}, format="json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "draft")
        event = scenario.events.first()
        self.assertEqual(event.message, "Add the data description.")

    def test_it_refuses_an_action_in_the_wrong_status(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-001", status="submitted")
        self.login_api(self.gina)
        response = self.api.post("/api/v1/scenarios/GRID-PO-FC-001/submit/")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "non_field_errors": [
                    "This is not possible while the scenario is “Submitted for review”."
                ]
            },
        )

    def test_it_withdraws_a_submission(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-001", status="submitted")
        self.login_api(self.gary)
        response = self.api.post("/api/v1/scenarios/GRID-PO-FC-001/withdraw/")
        self.assertEqual(response.status_code, 403)
        self.login_api(self.gina)
        response = self.api.post("/api/v1/scenarios/GRID-PO-FC-001/withdraw/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "draft")

    def test_it_closes_reopens_and_archives(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia)
        self.login_api(self.gina)
        base = "/api/v1/scenarios/GRID-PO-FC-001"
        for action, expected in [
            ("close", "closed"),
            ("reopen", "published"),
            ("close", "closed"),
            ("archive", "archived"),
        ]:
            with self.subTest(action=action):
                response = self.api.post(f"{base}/{action}/", {}, format="json")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["status"], expected)

    def test_it_lets_only_owners_and_operators_close(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia)
        for user in (self.gary, self.alice):
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.post("/api/v1/scenarios/GRID-PO-FC-001/close/")
                self.assertEqual(response.status_code, 403)

    def test_it_registers_only_members_of_verified_vendors(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia)
        url = "/api/v1/scenarios/GRID-PO-FC-001/register/"
        for user, org in [(self.charlie, "vendor-a"), (self.uma, "unverified-ai")]:
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.post(url, {"organisation": org}, format="json")
                self.assertEqual(response.status_code, 403)

    def test_it_unregisters(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia
        )
        services.scenario_register(
            scenario=scenario, organisation=self.vendor_a, user=self.alice
        )
        self.login_api(self.alice)
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-001/unregister/",
            {"organisation": "vendor-a"},
            format="json",
        )
        self.assertEqual(response.status_code, 204)
        self.assertIs(scenario.registrations.exists(), False)


class ValueAssessmentApiTestCase(ApiTestCase):
    url = "/api/v1/scenarios/GRID-PO-FC-001/assessment/"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_scenario(cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia)

    def test_it_sets_priority_and_adjustment(self):
        self.login_api(self.olivia)
        response = self.api.put(
            self.url,
            {
                "strategic_priority": 5,
                "adjustment": "2.5",
                "justification": "National pilot.",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["strategic_priority"], 5)
        self.assertEqual(data["adjustment"], "2.5")
        self.assertEqual(
            Decimal(data["score"]), Decimal(data["base_score"]) + Decimal("2.5")
        )

    def test_it_requires_an_operator(self):
        self.login_api(self.gina)
        response = self.api.put(
            self.url, {"strategic_priority": 5, "adjustment": "0"}, format="json"
        )
        self.assertEqual(response.status_code, 403)

    def test_it_returns_field_errors(self):
        self.login_api(self.olivia)
        for body, errors in [
            (
                {"strategic_priority": 9, "adjustment": "0"},
                {"strategic_priority": ["Use a value from 1 to 5."]},
            ),
            (
                {"strategic_priority": 3, "adjustment": "4"},
                {"justification": ["An adjustment needs a written justification."]},
            ),
            (
                {"strategic_priority": 3, "adjustment": "12", "justification": "Big."},
                {"adjustment": ["Ensure this value is less than or equal to 10."]},
            ),
            (
                {"strategic_priority": "high"},
                {
                    "strategic_priority": ["A valid integer is required."],
                    "adjustment": ["This field is required."],
                },
            ),
        ]:
            with self.subTest(body=body):
                response = self.api.put(self.url, body, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), errors)

    def test_it_rejects_patch(self):
        self.login_api(self.olivia)
        response = self.api.patch(self.url, {"strategic_priority": 4}, format="json")
        self.assertEqual(response.status_code, 405)


class ScenarioMapApiTestCase(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_scenario(cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia)
        make_scenario(
            cls.otto,
            cls.other_energy,
            "WIND-OM-AD-001",
            operator=cls.olivia,
            sector="wind",
            stage="equipment_om",
            task_type="anomaly_detection",
        )
        make_scenario(cls.gina, cls.grid, "GRID-PO-FC-002", status="draft")

    def test_it_counts_public_scenarios(self):
        response = self.api.get("/api/v1/scenario-map/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["total"], 2)
        self.assertEqual(data["stages"][0]["value"], "planning_design")
        grid = next(row for row in data["rows"] if row["sector"]["value"] == "grid")
        self.assertEqual(grid["total"], 1)
        cell = next(c for c in grid["cells"] if c["stage"] == "production_operation")
        self.assertEqual(cell, {"stage": "production_operation", "count": 1, "heat": 4})

    def test_it_filters_by_task_type(self):
        response = self.api.get("/api/v1/scenario-map/?task_type=anomaly_detection")
        self.assertEqual(response.json()["total"], 1)

    def test_it_rejects_an_unknown_task_type(self):
        response = self.api.get("/api/v1/scenario-map/?task_type=astrology")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"task_type": ['"astrology" is not a valid choice.']}
        )

    def test_it_rejects_post(self):
        self.login_api(self.olivia)
        self.assertEqual(self.api.post("/api/v1/scenario-map/").status_code, 405)
