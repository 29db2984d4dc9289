from __future__ import annotations

from django.urls import reverse

from evaluations.models import Run, SuiteVersion
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_scenario


class EvaluationViewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(cls.scenario)
        cls.submission = make_submission(cls.version, cls.vendor_a, cls.alice)
        cls.sample_run = make_run(
            cls.submission, log="validation output from the solution"
        )

    def test_the_suite_page_offers_upload_to_vendors_only(self):
        url = reverse("evaluations:suite", args=[self.version.pk])
        self.assertNotContains(self.client.get(url), 'id="submit-form"')
        self.login(self.gina)
        self.assertNotContains(self.client.get(url), 'id="submit-form"')
        self.login(self.charlie)
        self.assertContains(self.client.get(url), 'id="submit-form"')

    def test_draft_suite_versions_are_hidden(self):
        draft = SuiteVersion.objects.create(
            suite=self.version.suite, number=2, config=self.version.config
        )
        url = reverse("evaluations:suite", args=[draft.pk])
        self.login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.gina)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_scenario_page_lists_its_suites(self):
        response = self.client.get(self.scenario.get_absolute_url())
        self.assertContains(
            response, reverse("evaluations:suite", args=[self.version.pk])
        )

    def test_run_pages_check_ownership(self):
        url = reverse("evaluations:run", args=[self.sample_run.pk])
        for user, status in (
            (self.charlie, 404),
            (self.otto, 404),
            (self.bob, 200),
            (self.gina, 200),
            (self.olivia, 200),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_only_the_vendor_sees_validation_logs(self):
        url = reverse("evaluations:run", args=[self.sample_run.pk])
        self.login(self.bob)
        self.assertContains(self.client.get(url), "validation output from the solution")
        self.login(self.gina)
        self.assertNotContains(
            self.client.get(url), "validation output from the solution"
        )

    def test_hidden_runs_never_show_logs(self):
        hidden = make_run(
            self.submission, split=Run.Split.HIDDEN, log="secret test values"
        )
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:run", args=[hidden.pk]))
        self.assertNotContains(response, "secret test values")

    def test_the_run_page_shows_probe_gates_with_their_probe(self):
        hidden = make_run(self.submission, split=Run.Split.HIDDEN)
        Run.objects.filter(pk=hidden.pk).update(
            status=Run.Status.FAILED,
            failure=Run.Failure.THRESHOLD,
            metrics={"mape": 1.1},
            probes={"noisy": {"mape": 0.45}},
            gates=[
                {
                    "metric": "mape",
                    "comparator": "<=",
                    "value": 1.3,
                    "observed": 1.1,
                    "passed": True,
                },
                {
                    "metric": "mape",
                    "probe": "noisy",
                    "delta": True,
                    "comparator": "<=",
                    "value": 0.3,
                    "observed": 0.45,
                    "passed": False,
                },
            ],
        )
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:run", args=[hidden.pk]))
        metrics_table = response.content.decode().split('id="run-metrics"')[1]
        metrics_table = metrics_table.split("</table>")[0]
        self.assertIn("&lt;= 1.3", metrics_table)
        self.assertNotIn("0.3", metrics_table)  # the probe's gate is not here
        probes = response.content.decode().split('id="run-probes"')[1]
        probes = probes.split("</dl>")[0]
        self.assertIn("change in mape &lt;= 0.3: 0.4500", probes)
        self.assertIn("not met", probes)

    def test_the_status_partial_polls_until_final(self):
        self.login(self.alice)
        url = reverse("evaluations:run", args=[self.sample_run.pk])
        response = self.client.get(url, HTTP_HX_REQUEST="true")
        self.assertTemplateUsed(response, "evaluations/_run_status.html")
        self.assertTemplateNotUsed(response, "base.html")
        self.assertContains(response, 'hx-trigger="every 2s"')
        Run.objects.filter(pk=self.sample_run.pk).update(status=Run.Status.SUCCEEDED)
        response = self.client.get(url, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, 'hx-trigger="every 2s"')

    def test_post_only_views_reject_get(self):
        self.login(self.alice)
        for name, pk in (("submit", self.version.pk), ("cancel", self.sample_run.pk)):
            with self.subTest(name=name):
                response = self.client.get(reverse(f"evaluations:{name}", args=[pk]))
                self.assertEqual(response.status_code, 405)

    def test_submit_requires_a_vendor(self):
        self.login(self.gina)
        response = self.client.post(
            reverse("evaluations:submit", args=[self.version.pk])
        )
        self.assertEqual(response.status_code, 403)

    def test_cancel_requires_write_access(self):
        self.login(self.bob)
        response = self.client.post(
            reverse("evaluations:cancel", args=[self.sample_run.pk])
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.charlie)
        response = self.client.post(
            reverse("evaluations:cancel", args=[self.sample_run.pk])
        )
        self.assertEqual(response.status_code, 404)

    def test_the_submissions_list_keeps_its_query_count(self):
        self.login(self.alice)
        url = reverse("evaluations:submissions")
        self.client.get(url)
        # session, user, memberships, count, unread notifications, page, runs
        with self.assertNumQueries(7):
            self.client.get(url)
        for _ in range(5):
            make_run(make_submission(self.version, self.vendor_a, self.alice))
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertContains(response, "seasonal-naive", count=6)
