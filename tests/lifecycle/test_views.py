"""Pages: who sees and changes what (404, 403, 405), query counts."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lifecycle import services
from lifecycle.models import Pilot, PilotMeasurement, Stage
from tests.evaluations.helpers import make_submission
from tests.lifecycle.helpers import LifecycleTestCase


class SolutionListTests(LifecycleTestCase):
    url = reverse("lifecycle:index")

    def test_each_persona_sees_their_solutions(self):
        charlie_solution = services.solution_register(
            submission=self.submission_b, user=self.charlie
        )
        cases = [
            (self.alice, [self.solution]),
            (self.bob, [self.solution]),
            (self.charlie, [charlie_solution]),
            (self.gina, [self.solution, charlie_solution]),
            (self.gary, [self.solution, charlie_solution]),
            (self.otto, []),
            (self.olivia, [self.solution, charlie_solution]),
        ]
        for user, expected in cases:
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(list(response.context["solutions"]), expected)

    def test_the_query_count_does_not_grow_with_solutions(self):
        self.login(self.gina)
        # session, user, memberships, solutions with scenario, vendor and
        # versions (one join), unread notifications. gina belongs to no
        # vendor, so there are no registrable submissions to look up.
        with self.assertNumQueries(5):
            self.client.get(self.url)
        services.solution_register(submission=self.submission_b, user=self.charlie)
        with self.assertNumQueries(5):
            response = self.client.get(self.url)
        self.assertContains(response, "seasonal-naive")

    def test_a_vendor_adds_one_query_for_the_registration_form(self):
        make_submission(self.version, self.vendor_a, self.alice)
        self.login(self.alice)
        with self.assertNumQueries(6):
            response = self.client.get(self.url)
        self.assertIsNotNone(response.context["register_form"])

    def test_it_requires_login_and_rejects_post(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_it_filters_by_stage(self):
        self.login(self.alice)
        response = self.client.get(self.url, {"stage": "pilot"})
        self.assertEqual(list(response.context["solutions"]), [])


class RegisterViewTests(LifecycleTestCase):
    url = reverse("lifecycle:register")

    def test_the_vendor_registers(self):
        self.login(self.charlie)
        response = self.client.post(self.url, {"submission": self.submission_b.pk})
        solution = self.submission_b.solutions_under_test.get()
        self.assertRedirects(response, solution.get_absolute_url())

    def test_it_checks_ownership(self):
        self.login(self.alice)
        response = self.client.post(self.url, {"submission": self.submission_b.pk})
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_access(self):
        bob_submission = self.submission_b
        bob_submission.organisation = self.vendor_a
        bob_submission.save(update_fields=["organisation"])
        self.login(self.bob)
        response = self.client.post(self.url, {"submission": bob_submission.pk})
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class SolutionPageTests(LifecycleTestCase):
    def url(self, name: str = "lifecycle:solution") -> str:
        return reverse(name, args=[self.solution.pk])

    def test_it_shows_the_gate_and_the_vendors_actions(self):
        self.login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "Gate into R&amp;D")
        self.assertContains(
            response, reverse("lifecycle:advance", args=[self.solution.pk])
        )
        self.assertContains(
            response, reverse("lifecycle:withdraw", args=[self.solution.pk])
        )
        self.assertNotContains(
            response, reverse("lifecycle:reject", args=[self.solution.pk])
        )

    def test_the_gate_partial_is_served_by_the_same_view(self):
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        self.login(self.gary)
        response = self.client.get(self.url("lifecycle:solution_gate"))
        self.assertTemplateUsed(response, "lifecycle/_gate.html")
        self.assertTemplateNotUsed(response, "lifecycle/solution.html")
        self.assertContains(response, "Validation run succeeded")
        self.assertContains(response, f"run:{self.sample_run.pk}")

    def _count_queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def _send_back_and_return(self) -> None:
        services.solution_send_back(
            solution=self.refresh(),
            user=self.gina,
            to_stage="rnd",
            reasons="Field data disagrees.",
        )
        services.solution_advance(
            solution=self.refresh(), user=self.alice, to_stage="testing"
        )
        services.solution_advance(
            solution=self.refresh(), user=self.gina, to_stage="pilot"
        )
        self.refresh()

    def _pilot(self, n: int) -> None:
        services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site=f"Site {n}",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 31),
            mode=Pilot.Mode.SHADOW,
        )

    def test_the_query_count_does_not_grow_with_history_or_pilots(self):
        self.login(self.gina)
        self.to_testing()
        self.decide_testing(3)
        services.solution_advance(
            solution=self.solution, user=self.gina, to_stage="pilot"
        )
        self.refresh()
        self._pilot(1)
        self._send_back_and_return()
        small = self._count_queries()
        # Three more pilots and two more send-backs, each with its plan.
        for n in range(2, 5):
            self._pilot(n)
        self._send_back_and_return()
        self._send_back_and_return()
        large = self._count_queries()
        self.assertEqual(self.solution.transitions.count(), 13)
        self.assertEqual(self.solution.pilots.count(), 4)
        self.assertEqual(large, small)

    def test_it_renders_in_chinese(self):
        self.login(self.alice)
        response = self.client.get(self.url(), headers={"accept-language": "zh-hans"})
        self.assertContains(response, "进入“研发”的关口")
        self.assertContains(response, "阶段时间线")

    def test_readers_get_no_actions(self):
        self.login(self.bob)
        response = self.client.get(self.url())
        self.assertNotContains(
            response, reverse("lifecycle:advance", args=[self.solution.pk])
        )

    def test_it_checks_ownership(self):
        for user in (self.charlie, self.otto, self.rita, self.nobody):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 404)
                self.assertEqual(
                    self.client.get(self.url("lifecycle:solution_gate")).status_code,
                    404,
                )

    def test_it_rejects_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url()).status_code, 405)


class TransitionViewTests(LifecycleTestCase):
    def post(self, name: str, data: dict[str, object]) -> object:
        return self.client.post(reverse(name, args=[self.solution.pk]), data)

    def test_advance_moves_and_a_refusal_names_the_criteria(self):
        self.login(self.alice)
        response = self.post("lifecycle:advance", {"to_stage": "rnd"})
        self.assertRedirects(response, self.solution.get_absolute_url())
        self.assertEqual(self.refresh().stage, Stage.RND)
        self.sample_run.delete()
        response = self.client.post(
            reverse("lifecycle:advance", args=[self.solution.pk]),
            {"to_stage": "testing"},
            follow=True,
        )
        self.assertContains(response, "Validation run succeeded: observed missing")
        self.assertEqual(self.refresh().stage, Stage.RND)

    def test_send_back_withdraw_and_reject(self):
        self.to_testing()
        self.login(self.gina)
        self.post(
            "lifecycle:send_back",
            {"to_stage": "rnd", "reasons": "Gaps", "gaps": "Latency | Rerun probe"},
        )
        self.assertEqual(self.refresh().stage, Stage.RND)
        page = self.client.get(self.solution.get_absolute_url())
        self.assertContains(page, "Rerun probe")
        self.post("lifecycle:reject", {"reasons": "Unsafe"})
        self.assertEqual(self.refresh().stage, Stage.REJECTED)

    def test_they_check_ownership(self):
        self.login(self.charlie)
        for name in (
            "lifecycle:advance",
            "lifecycle:send_back",
            "lifecycle:withdraw",
            "lifecycle:reject",
            "lifecycle:new_version",
            "lifecycle:pilot_create",
        ):
            with self.subTest(name=name):
                self.assertEqual(
                    self.post(name, {"to_stage": "rnd", "reasons": "x"}).status_code,
                    404,
                )

    def test_they_require_write_access(self):
        self.to_testing()
        cases = [
            (self.bob, "lifecycle:withdraw", {"reasons": "x"}),
            (self.bob, "lifecycle:reject", {"reasons": "x"}),
            (self.gary, "lifecycle:advance", {"to_stage": "pilot"}),
            (self.gary, "lifecycle:send_back", {"to_stage": "rnd", "reasons": "x"}),
            (self.alice, "lifecycle:advance", {"to_stage": "pilot"}),
        ]
        for user, name, data in cases:
            with self.subTest(user=user.username, name=name):
                self.login(user)
                self.assertEqual(self.post(name, data).status_code, 403)
        self.put_in("pilot")
        self.login(self.gary)
        response = self.post(
            "lifecycle:pilot_create",
            {
                "site": "x",
                "starts_on": "2026-01-01",
                "ends_on": "2026-02-01",
                "mode": "shadow",
            },
        )
        self.assertEqual(response.status_code, 403)

    def test_they_reject_get(self):
        self.login(self.alice)
        for name in (
            "lifecycle:advance",
            "lifecycle:send_back",
            "lifecycle:withdraw",
            "lifecycle:reject",
            "lifecycle:new_version",
            "lifecycle:pilot_create",
        ):
            with self.subTest(name=name):
                self.assertEqual(
                    self.client.get(reverse(name, args=[self.solution.pk])).status_code,
                    405,
                )


class PilotPageTests(LifecycleTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.put_in("pilot")
        self.pilot = services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site="Substation 7",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
            mode=Pilot.Mode.SHADOW,
        )
        services.pilot_kpi_add(
            pilot=self.pilot,
            user=self.gina,
            name="mape",
            unit="%",
            target=5.0,
            comparator="<=",
            tolerance_pct=10.0,
        )

    def url(self, name: str = "lifecycle:pilot") -> str:
        return reverse(name, args=[self.pilot.pk])

    def upload(self, content: bytes) -> object:
        return self.client.post(
            self.url("lifecycle:measurement_upload"),
            {"file": SimpleUploadedFile("m.csv", content, content_type="text/csv")},
            follow=True,
        )

    def test_the_owner_uploads_and_sees_the_comparison(self):
        self.login(self.gina)
        csv_content = b"kpi,timestamp,value\nmape,2026-03-01T08:00:00+08:00,3.0\nmape,2026-03-02T08:00:00+08:00,4.0\n"
        response = self.upload(csv_content)
        self.assertContains(response, "2 measurements added.")
        self.assertContains(response, "9.03 %")

    def test_a_bad_upload_saves_nothing_and_names_the_rows(self):
        self.login(self.gina)
        response = self.upload(b"kpi,timestamp,value\nmape,nope,1\n")
        self.assertContains(response, "Nothing was saved.")
        self.assertContains(response, "Line 2: &#x27;nope&#x27; is not a timestamp.")
        self.assertEqual(PilotMeasurement.objects.count(), 0)

    def test_measurement_and_incident_forms(self):
        self.login(self.gina)
        kpi = self.pilot.kpis.get()
        self.client.post(
            self.url("lifecycle:measurement_add"),
            {"kpi": kpi.pk, "measured_at": "2026-03-01T08:00", "value": "3.3"},
        )
        self.client.post(
            self.url("lifecycle:incident_add"),
            {
                "occurred_at": "2026-03-01T09:00",
                "severity": "minor",
                "description": "Late data",
            },
        )
        self.client.post(self.url("lifecycle:pilot_start"))
        self.client.post(self.url("lifecycle:pilot_close"))
        self.pilot.refresh_from_db()
        self.assertEqual(
            (self.pilot.status, kpi.measurements.count(), self.pilot.incidents.count()),
            ("closed", 1, 1),
        )

    def test_readers_see_the_pilot(self):
        for user in (self.alice, self.bob, self.gary, self.olivia):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url())
                self.assertContains(response, "Substation 7")

    def test_it_checks_ownership(self):
        for user in (self.charlie, self.otto):
            self.login(user)
            for name in ("lifecycle:pilot",):
                self.assertEqual(self.client.get(self.url(name)).status_code, 404)
            for name in (
                "lifecycle:kpi_add",
                "lifecycle:measurement_add",
                "lifecycle:measurement_upload",
                "lifecycle:incident_add",
                "lifecycle:pilot_start",
                "lifecycle:pilot_close",
            ):
                with self.subTest(user=user.username, name=name):
                    self.assertEqual(self.client.post(self.url(name)).status_code, 404)

    def test_it_requires_write_access(self):
        for user in (self.alice, self.gary):
            self.login(user)
            for name in (
                "lifecycle:kpi_add",
                "lifecycle:measurement_add",
                "lifecycle:measurement_upload",
                "lifecycle:incident_add",
                "lifecycle:pilot_start",
                "lifecycle:pilot_close",
            ):
                with self.subTest(user=user.username, name=name):
                    self.assertEqual(self.client.post(self.url(name)).status_code, 403)

    def test_it_rejects_the_wrong_method(self):
        self.login(self.gina)
        self.assertEqual(self.client.post(self.url()).status_code, 405)
        for name in (
            "lifecycle:kpi_add",
            "lifecycle:measurement_add",
            "lifecycle:measurement_upload",
            "lifecycle:incident_add",
            "lifecycle:pilot_start",
            "lifecycle:pilot_close",
        ):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(self.url(name)).status_code, 405)


class GateConfigPageTests(LifecycleTestCase):
    def url(self, code: str = "GRID-PO-FC-001") -> str:
        return reverse("lifecycle:gate_config", args=[code])

    def test_the_owner_saves_and_errors_stay_on_the_form(self):
        self.login(self.gina)
        response = self.client.post(
            self.url(), {"config": '{"pilot": {"composite": 3.4}}'}
        )
        self.assertRedirects(response, self.url())
        page = self.client.get(self.url())
        self.assertContains(page, "<strong>3.4</strong>", html=True)
        response = self.client.post(self.url(), {"config": '{"pilot": {"safety": 2}}'})
        self.assertContains(response, "below the safety floor 3", status_code=400)

    def test_readers_see_the_thresholds(self):
        for user in (self.gary, self.alice):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url())
                self.assertContains(response, "Composite score")
                self.assertIsNone(response.context["form"])

    def test_it_checks_ownership(self):
        self.login(self.alice)
        draft = "DRAFT-PO-FC-009"
        from tests.scenarios.helpers import make_scenario

        make_scenario(self.otto, self.other_energy, draft, status="draft")
        self.assertEqual(self.client.get(self.url(draft)).status_code, 404)

    def test_it_requires_write_access(self):
        self.login(self.gary)
        response = self.client.post(self.url(), {"config": "{}"})
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login(self.gina)
        self.assertEqual(self.client.put(self.url()).status_code, 405)
