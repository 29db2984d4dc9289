"""The published inputs of a suite that accepts prediction files, and how
prediction-file results show on the run page, the leaderboard and the list
of submissions."""

from __future__ import annotations

import copy
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from evaluations.models import Submission, SuiteVersion
from evaluations.suites import pack_bundle, write_bundle
from scenarios.dataset_services import blob_store
from tests.base import PortalTestCase
from tests.evaluations.helpers import (
    PREDICTION_CONFIG,
    make_prediction_suite,
    make_run,
    make_submission,
    make_suite_version,
)
from tests.evaluations.test_leaderboard import finish_hidden
from tests.scenarios.helpers import make_scenario


class InputsTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "PV-QI-CL-001", operator=cls.olivia
        )

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="inputs-view-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        overrides = override_settings(
            MEDIA_ROOT=str(self.tmp / "media"), EVALUATION_WORK_DIR=self.tmp / "work"
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.version = make_prediction_suite(self.scenario, self.tmp)

    def url(self, split: str = "hidden", version: SuiteVersion | None = None) -> str:
        return reverse("evaluations:inputs", args=[(version or self.version).pk, split])


class InputsViewTests(InputsTestCase):
    def test_a_vendor_downloads_the_inputs_of_each_split(self):
        self.login(self.bob)  # a read-only member reads inputs too
        for split, ids in (("sample", "s1"), ("hidden", "h1")):
            with self.subTest(split=split):
                response = self.client.get(self.url(split))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "application/zip")
                self.assertEqual(
                    response["Content-Disposition"],
                    f'attachment; filename="PV-QI-CL-001-{self.version.suite.slug}'
                    f'-v1-{split}-inputs.zip"',
                )
                archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
                self.assertIn(ids, archive.read("ids.csv").decode())

    def test_it_checks_ownership(self):
        draft = SuiteVersion.objects.create(
            suite=self.version.suite,
            number=2,
            config=self.version.config,
            bundle=self.version.bundle,
        )
        package_only = make_suite_version(self.scenario)
        self.login(self.alice)
        for url in (
            self.url(version=draft),  # not visible to vendors
            self.url(version=package_only),  # publishes no inputs
            self.url("labels"),  # no such split
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.gina)  # the owner sees her draft
        self.assertEqual(self.client.get(self.url(version=draft)).status_code, 200)

    def test_it_requires_access(self):
        self.login(self.nobody)  # signed in, no verified organisation
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.login(self.uma)  # an unverified vendor
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.client.logout()
        response = self.client.get(self.url())
        self.assertRedirects(
            response,
            f"{reverse('accounts:login')}?next={self.url()}",
            fetch_redirect_response=False,
        )

    def test_public_inputs_need_no_account(self):
        config = copy.deepcopy(PREDICTION_CONFIG)
        config["prediction_files"]["inputs_access"] = "public"
        public = make_prediction_suite(self.scenario, self.tmp / "pub", config=config)
        response = self.client.get(self.url(version=public))
        self.assertEqual(response.status_code, 200)

    def test_it_rejects_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url()).status_code, 405)

    def test_the_suite_page_links_the_inputs_for_those_who_may_have_them(self):
        page = reverse("evaluations:suite", args=[self.version.pk])
        response = self.client.get(page)
        self.assertContains(response, 'id="accepts-prediction-files"')
        self.assertNotContains(response, 'id="inputs-hidden"')
        self.assertContains(response, "to download the inputs.")
        self.login(self.nobody)
        response = self.client.get(page)
        self.assertNotContains(response, 'id="inputs-hidden"')
        self.assertContains(
            response, "Members of verified organisations may download the inputs."
        )
        self.login(self.charlie)
        response = self.client.get(page)
        self.assertContains(response, f'href="{self.url("hidden")}"')
        self.assertContains(response, f'href="{self.url("sample")}"')

    def test_a_package_only_suite_page_mentions_no_inputs(self):
        package_only = make_suite_version(self.scenario)
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:suite", args=[package_only.pk]))
        self.assertNotContains(response, 'id="inputs"')
        self.assertNotContains(response, 'id="accepts-prediction-files"')

    def test_unreadable_inputs_send_the_vendor_back_with_a_message(self):
        calls = {"0001": {"files": {"task.json": b"{}"}, "y_true": [1]}}
        folder = write_bundle(
            self.tmp / "broken",
            kind="classification",
            splits={"sample": calls, "hidden": calls},
        )
        broken = make_suite_version(
            self.scenario,
            config=PREDICTION_CONFIG,
            bundle=blob_store(ContentFile(pack_bundle(folder), name="bundle")),
            task_kind="classification",
        )
        self.login(self.alice)
        response = self.client.get(self.url(version=broken))
        suite_page = reverse("evaluations:suite", args=[broken.pk])
        self.assertRedirects(response, suite_page, fetch_redirect_response=False)
        self.assertContains(
            self.client.get(suite_page),
            "This suite&#x27;s inputs cannot be read at the moment.",
        )


class PredictionResultsTests(InputsTestCase):
    def setUp(self):
        super().setUp()
        self.submission = make_submission(
            self.version, self.vendor_a, self.alice, kind=Submission.Kind.PREDICTIONS
        )
        self.hidden = finish_hidden(
            self.submission, metrics={"accuracy": 0.9, "f1": 0.8}
        )

    def test_the_run_page_says_probes_and_cost_do_not_apply(self):
        self.login(self.alice)
        response = self.client.get(self.hidden.get_absolute_url())
        self.assertContains(response, 'id="prediction-file-badge"')
        self.assertContains(response, 'id="probes-not-applicable"')
        self.assertContains(response, 'id="cost-not-applicable"')
        self.assertNotContains(response, "Wall time")
        self.assertNotContains(response, " Wh ")

    def test_a_package_run_page_shows_no_such_note(self):
        package = make_submission(self.version, self.vendor_b, self.charlie)
        run = finish_hidden(package, metrics={"accuracy": 0.5, "f1": 0.5})
        self.login(self.charlie)
        response = self.client.get(run.get_absolute_url())
        self.assertNotContains(response, "prediction-file-badge")
        self.assertNotContains(response, "not-applicable")

    def test_the_leaderboard_marks_rows_from_prediction_files(self):
        package = make_submission(self.version, self.vendor_b, self.charlie)
        finish_hidden(package, metrics={"accuracy": 0.95, "f1": 0.9})
        url = reverse("evaluations:leaderboard", args=[self.version.pk])
        # suite version with scenario, rows with organisations and submissions
        with self.assertNumQueries(2):
            response = self.client.get(url)
        rows = response.content.decode().split("<tbody>", 1)[1].split("</tr>")
        self.assertIn("Vendor B", rows[0])
        self.assertNotIn("Prediction file", rows[0])
        self.assertIn("Vendor A", rows[1])
        self.assertIn('class="badge prediction-file"', rows[1])
        self.assertContains(response, 'id="prediction-file-note"')

    def test_the_submissions_list_marks_them_and_keeps_its_query_count(self):
        self.login(self.alice)
        url = reverse("evaluations:submissions")
        # session, user, memberships, count, unread notifications, page, runs
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertContains(response, "Prediction file", count=1)
        for _ in range(3):
            make_run(
                make_submission(
                    self.version,
                    self.vendor_a,
                    self.alice,
                    kind=Submission.Kind.PREDICTIONS,
                )
            )
        with self.assertNumQueries(7):
            response = self.client.get(url)
        self.assertContains(response, "Prediction file", count=4)
