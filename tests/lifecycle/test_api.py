"""The lifecycle API: the public contract, permissions and gate refusals."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from lifecycle import api_urls, services
from lifecycle.models import Pilot, PilotMeasurement, Stage
from portal.ledger.selectors import ledger_verify
from tests.lifecycle.helpers import LifecycleTestCase
from tests.lifecycle.test_pilots import GOOD_CSV


class ApiTestCase(LifecycleTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.api = APIClient(headers={"accept-language": "en"})

    def as_user(self, user: object) -> APIClient:
        self.api.force_authenticate(user)  # type: ignore[arg-type]
        return self.api


class SchemaTests(ApiTestCase):
    def test_it_generates_the_lifecycle_api_without_warnings(self):
        cache.clear()
        GENERATOR_STATS.reset()
        self.addCleanup(GENERATOR_STATS.reset)
        schema = SchemaGenerator(
            patterns=[path("api/v1/", include("lifecycle.api_urls"))]
        ).get_schema(request=None, public=True)
        validate_schema(schema)
        self.assertIs(bool(GENERATOR_STATS), False)
        self.assertEqual(len(schema["paths"]), len(api_urls.urlpatterns))


class SolutionApiTests(ApiTestCase):
    def test_list_detail_and_gate(self):
        api = self.as_user(self.bob)
        rows = api.get("/api/v1/solutions/").json()
        self.assertEqual([r["id"] for r in rows], [self.solution.pk])
        self.assertEqual(rows[0]["stage"], "released")
        detail = api.get(f"/api/v1/solutions/{self.solution.pk}/").json()
        self.assertEqual(detail["transitions"][0]["kind"], "register")
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        gate = api.get(f"/api/v1/solutions/{self.solution.pk}/gate/").json()
        self.assertEqual(gate["stage"], "testing")
        self.assertIs(gate["passed"], True)
        self.assertEqual(
            gate["criteria"][0],
            {
                "code": "sample_run_succeeded",
                "label": "Validation run succeeded",
                "observed": True,
                "threshold": True,
                "passed": True,
                "evidence": [f"run:{self.sample_run.pk}"],
            },
        )

    def test_it_checks_ownership(self):
        api = self.as_user(self.charlie)
        self.assertEqual(api.get("/api/v1/solutions/").json(), [])
        for url in ("", "gate/"):
            with self.subTest(url=url):
                response = api.get(f"/api/v1/solutions/{self.solution.pk}/{url}")
                self.assertEqual(response.status_code, 404)
        response = api.post(
            f"/api/v1/solutions/{self.solution.pk}/transitions/",
            {"action": "withdraw", "reasons": "x"},
            format="json",
        )
        self.assertEqual(response.status_code, 404)

    def test_it_needs_authentication(self):
        response = self.api.get("/api/v1/solutions/")
        self.assertIn(response.status_code, (401, 403))

    def test_it_rejects_other_methods(self):
        api = self.as_user(self.alice)
        self.assertEqual(api.post("/api/v1/solutions/").status_code, 405)
        self.assertEqual(
            api.delete(f"/api/v1/solutions/{self.solution.pk}/").status_code, 405
        )
        self.assertEqual(
            api.get(f"/api/v1/solutions/{self.solution.pk}/transitions/").status_code,
            405,
        )


class TransitionApiTests(ApiTestCase):
    def url(self) -> str:
        return f"/api/v1/solutions/{self.solution.pk}/transitions/"

    def test_advance_and_refusal(self):
        api = self.as_user(self.alice)
        response = api.post(
            self.url(), {"action": "advance", "to_stage": "rnd"}, format="json"
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["to_stage"], "rnd")
        self.sample_run.delete()
        response = api.post(
            self.url(), {"action": "advance", "to_stage": "testing"}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "Validation run succeeded: observed missing, needs True",
            response.json()["non_field_errors"][0],
        )
        self.assertIs(ledger_verify().ok, True)

    def test_it_requires_write_access(self):
        self.to_testing()
        cases = [
            (self.bob, {"action": "withdraw", "reasons": "x"}),
            (self.gary, {"action": "advance", "to_stage": "pilot"}),
            (self.alice, {"action": "reject", "reasons": "x"}),
        ]
        for user, data in cases:
            with self.subTest(user=user.username):
                response = self.as_user(user).post(self.url(), data, format="json")
                self.assertEqual(response.status_code, 403)

    def test_send_back_with_gaps(self):
        self.to_testing()
        response = self.as_user(self.gina).post(
            self.url(),
            {
                "action": "send_back",
                "to_stage": "rnd",
                "reasons": "Latency",
                "gaps": [{"gap": "p95 4 s", "tests": "Latency probe"}],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(
            response.json()["gaps"],
            [{"criterion": "", "gap": "p95 4 s", "tests": "Latency probe"}],
        )
        self.assertEqual(self.refresh().stage, Stage.RND)


class RegisterApiTests(ApiTestCase):
    def test_register(self):
        response = self.as_user(self.charlie).post(
            "/api/v1/solutions/register/",
            {"submission": self.submission_b.pk},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["vendor"], "vendor-b")

    def test_it_checks_ownership(self):
        response = self.as_user(self.alice).post(
            "/api/v1/solutions/register/",
            {"submission": self.submission_b.pk},
            format="json",
        )
        self.assertEqual(response.status_code, 404)


class PilotApiTests(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.put_in("pilot")

    def create(self, user: object) -> object:
        return self.as_user(user).post(
            f"/api/v1/solutions/{self.solution.pk}/pilots/",
            {
                "site": "Substation 7",
                "starts_on": "2026-03-01",
                "ends_on": "2026-05-31",
                "mode": "shadow",
            },
            format="json",
        )

    def test_the_owner_records_a_pilot_with_kpis_and_measurements(self):
        response = self.create(self.gina)
        self.assertEqual(response.status_code, 201)
        pk = response.json()["id"]
        api = self.as_user(self.gina)
        response = api.post(
            f"/api/v1/pilots/{pk}/kpis/",
            {"name": "mape", "target": 5, "comparator": "<=", "tolerance_pct": 10},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        services.pilot_kpi_add(
            pilot=Pilot.objects.get(pk=pk),
            user=self.gina,
            name="availability",
            unit="%",
            target=99,
            comparator=">=",
            tolerance_pct=1,
            sandbox_value=100,
        )
        response = api.post(
            f"/api/v1/pilots/{pk}/measurements/upload/",
            {"file": SimpleUploadedFile("m.csv", GOOD_CSV, content_type="text/csv")},
            format="multipart",
        )
        self.assertEqual(response.status_code, 201)
        kpis = {k["name"]: k for k in response.json()["kpis"]}
        self.assertAlmostEqual(kpis["mape"]["drift_pct"], 9.0343, places=4)
        response = api.post(
            f"/api/v1/pilots/{pk}/incidents/",
            {
                "occurred_at": "2026-03-05T08:00:00+08:00",
                "severity": "minor",
                "description": "Late data",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        response = api.post(f"/api/v1/pilots/{pk}/close/")
        self.assertEqual(response.json()["status"], "closed")
        detail = self.as_user(self.alice).get(f"/api/v1/pilots/{pk}/").json()
        self.assertEqual(len(detail["incidents"]), 1)

    def test_a_bad_upload_answers_400_and_saves_nothing(self):
        pilot = services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site="S",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 4, 1),
            mode="shadow",
        )
        services.pilot_kpi_add(
            pilot=pilot,
            user=self.gina,
            name="mape",
            unit="",
            target=5,
            comparator="<=",
            tolerance_pct=10,
        )
        response = self.as_user(self.gina).post(
            f"/api/v1/pilots/{pilot.pk}/measurements/upload/",
            {
                "file": SimpleUploadedFile(
                    "m.csv", b"kpi,timestamp,value\nmape,2026-03-01T08:00Z,x\n"
                )
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["non_field_errors"], ["Line 2: 'x' is not a number."]
        )
        self.assertEqual(PilotMeasurement.objects.count(), 0)

    def test_permissions(self):
        self.assertEqual(self.create(self.gary).status_code, 403)
        self.assertEqual(self.create(self.alice).status_code, 403)
        self.assertEqual(self.create(self.charlie).status_code, 404)
        pilot = services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site="S",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 4, 1),
            mode="shadow",
        )
        for user, status in (
            (self.charlie, 404),
            (self.otto, 404),
            (self.alice, 403),
            (self.gary, 403),
        ):
            with self.subTest(user=user.username):
                api = self.as_user(user)
                self.assertEqual(
                    api.post(f"/api/v1/pilots/{pilot.pk}/close/").status_code, status
                )
                self.assertEqual(
                    api.post(
                        f"/api/v1/pilots/{pilot.pk}/incidents/", {}, format="json"
                    ).status_code,
                    status,
                )
        api = self.as_user(self.gina)
        self.assertEqual(api.delete(f"/api/v1/pilots/{pilot.pk}/").status_code, 405)
        self.assertEqual(api.get(f"/api/v1/pilots/{pilot.pk}/close/").status_code, 405)


class GateConfigApiTests(ApiTestCase):
    url = "/api/v1/scenarios/GRID-PO-FC-001/gates/"

    def test_read_and_update(self):
        data = self.as_user(self.alice).get(self.url).json()
        self.assertEqual(data["config"], {})
        composite = [
            t
            for t in data["thresholds"]
            if t["stage"] == "pilot" and t["code"] == "composite"
        ]
        self.assertEqual(composite[0]["value"], 3.0)
        response = self.as_user(self.gina).put(
            self.url + "update/", {"config": {"scale": {"bcr": 1.2}}}, format="json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["config"], {"scale": {"bcr": 1.2}})
        response = self.as_user(self.gina).put(
            self.url + "update/", {"config": {"scale": {"speed": 1}}}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("unknown criterion 'speed'", response.json()["config"][0])

    def test_permissions(self):
        self.assertEqual(
            self.as_user(self.gary)
            .put(self.url + "update/", {"config": {}}, format="json")
            .status_code,
            403,
        )
        self.assertEqual(
            self.as_user(self.gina).post(self.url + "update/").status_code, 405
        )
        self.assertEqual(
            self.as_user(self.gina)
            .get("/api/v1/scenarios/NOPE-X-1/gates/")
            .status_code,
            404,
        )
