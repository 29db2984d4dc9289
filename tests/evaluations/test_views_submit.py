"""The upload form on the suite page and the submit view behind it."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from evaluations.intake import pack_solution
from evaluations.models import Run, Submission, SuiteVersion
from tests.base import PortalTestCase
from tests.evaluations.helpers import (
    make_prediction_suite,
    make_submission,
    make_suite_version,
    prediction_csv,
)
from tests.scenarios.helpers import make_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "solutions"


class SubmitViewTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="submit-view-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        overrides = override_settings(
            MEDIA_ROOT=str(self.tmp / "media"), EVALUATION_WORK_DIR=self.tmp / "work"
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        # The validation run would start at once (Celery is eager in tests);
        # these tests are about the upload, so nothing is enqueued.
        patcher = mock.patch("evaluations.tasks.evaluation_run.apply_async")
        self.enqueued = patcher.start()
        self.addCleanup(patcher.stop)
        self.version = make_suite_version(self.scenario)
        archive = self.tmp / "solution.zip"
        pack_solution(EXAMPLES / "forecasting-seasonal-naive", archive)
        self.package = archive.read_bytes()

    def url(self, version: SuiteVersion | None = None) -> str:
        return reverse("evaluations:submit", args=[(version or self.version).pk])

    def post(self, version: SuiteVersion | None = None, **data: Any) -> Any:
        data.setdefault("organisation", self.vendor_a.pk)
        data.setdefault("file", SimpleUploadedFile("solution.zip", self.package))
        headers = data.pop("headers", {})
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url(version), data, headers=headers)


class UploadFormTests(SubmitViewTestCase):
    def test_it_renders_a_drop_zone_around_a_plain_file_input(self):
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:suite", args=[self.version.pk]))
        self.assertContains(response, 'id="submit-form"')
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertContains(response, "data-dropzone")
        self.assertContains(
            response,
            '<input type="file" name="file" accept=".zip,.tar.gz,.tgz,.gz" '
            'required aria-describedby="id_file_helptext" id="id_file">',
            html=True,
        )
        for name in ("name", "version_label", "description"):
            self.assertContains(response, f'name="{name}"')
        self.assertContains(response, 'data-accepts-predictions="false"')
        self.assertContains(response, 'data-package-max-bytes="209715200"')
        self.assertContains(response, "portal/upload.js")
        self.assertNotContains(response, "<script>")  # no inline script (CSP)

    @override_settings(EVALUATION_PACKAGE_MAX_BYTES=5 * 1024 * 1024)
    def test_the_browser_checks_use_the_caps_from_the_settings(self):
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:suite", args=[self.version.pk]))
        self.assertContains(response, 'data-package-max-bytes="5242880"')
        self.assertContains(response, "Packages up to 5.0\xa0MB.")

    @override_settings(EVALUATION_PREDICTION_FILE_MAX_BYTES=64 * 1024 * 1024)
    def test_a_suite_accepting_prediction_files_says_so_in_the_form(self):
        version = make_prediction_suite(self.scenario, self.tmp)
        self.login(self.alice)
        response = self.client.get(reverse("evaluations:suite", args=[version.pk]))
        self.assertContains(response, 'data-accepts-predictions="true"')
        self.assertContains(response, 'accept=".zip,.tar.gz,.tgz,.csv,.parquet,.gz"')
        self.assertContains(response, "Solution package or prediction file")
        self.assertContains(response, 'data-predictions-max-bytes="67108864"')
        self.assertContains(response, "Prediction files up to 64.0\xa0MB.")

    def test_the_form_speaks_chinese(self):
        self.login(self.alice)
        response = self.client.get(
            reverse("evaluations:suite", args=[self.version.pk]),
            headers={"accept-language": "zh-hans"},
        )
        self.assertContains(response, "将文件拖到这里，或选择文件：")
        self.assertContains(response, "上传进度")


class SubmitTests(SubmitViewTestCase):
    def test_it_checks_ownership(self):
        draft = SuiteVersion.objects.create(
            suite=self.version.suite, number=2, config=self.version.config
        )
        self.login(self.alice)
        self.assertEqual(self.post(draft).status_code, 404)
        self.assertEqual(Submission.objects.count(), 0)

    def test_it_requires_write_access(self):
        for user in (self.gina, self.nobody, self.uma):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.post().status_code, 403)
        self.assertEqual(Submission.objects.count(), 0)

    def test_it_rejects_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url()).status_code, 405)

    def test_a_package_lands_on_its_validation_run_without_javascript(self):
        self.login(self.alice)
        response = self.post(name="Naive", version_label="", description="")
        submission = Submission.objects.get()
        run = submission.runs.get()
        self.assertRedirects(
            response, run.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(submission.kind, Submission.Kind.PACKAGE)
        self.assertEqual(submission.name, "Naive")  # typed, over the manifest's
        self.assertEqual(submission.version_label, submission.manifest["version"])
        self.enqueued.assert_called_once_with(args=(run.pk,), countdown=0)
        page = self.client.get(response.url)
        self.assertContains(page, "Package accepted; the validation run is queued.")

    def test_with_htmx_it_redirects_the_browser(self):
        self.login(self.alice)
        response = self.post(headers={"HX-Request": "true"})
        run = Run.objects.get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["HX-Redirect"], run.get_absolute_url())

    def test_a_refused_file_is_reported_next_to_it_and_the_fields_are_kept(self):
        self.login(self.alice)
        response = self.post(
            file=SimpleUploadedFile("solution.zip", b"not an archive"),
            name="My model",
            version_label="3.1",
            description="Kept across the error.",
        )
        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "base.html")
        form = response.context["form"]
        self.assertEqual(
            form.errors["file"],
            [
                "The upload is neither a .zip nor a .tar.gz archive (judged by "
                "its content, not its name). (unknown_format)"
            ],
        )
        self.assertEqual(list(form.errors), ["file"])
        self.assertContains(response, 'value="My model"', status_code=400)
        self.assertContains(response, 'value="3.1"', status_code=400)
        self.assertContains(response, "Kept across the error.", status_code=400)
        self.assertEqual(Submission.objects.count(), 0)

    def test_with_htmx_a_refusal_answers_with_the_form_only(self):
        self.login(self.alice)
        response = self.post(
            file=SimpleUploadedFile("solution.zip", b"not an archive"),
            name="My model",
            headers={"HX-Request": "true"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertTemplateUsed(response, "evaluations/_submit_form.html")
        self.assertTemplateNotUsed(response, "base.html")
        self.assertContains(response, "(unknown_format)", status_code=400)
        self.assertContains(response, 'value="My model"', status_code=400)
        self.assertContains(response, 'id="submit-panel"', status_code=400)

    def test_errors_of_the_whole_submission_go_on_top(self):
        for _ in range(3):
            make_submission(self.version, self.vendor_a, self.alice)
        self.login(self.alice)
        response = self.post(name="Kept")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].non_field_errors(),
            ["Your organisation has used its 3 submissions for the last 24 hours."],
        )
        self.assertContains(response, 'id="submit-errors"', status_code=400)
        self.assertContains(response, 'value="Kept"', status_code=400)

    def test_a_prediction_file_lands_on_its_validation_run(self):
        version = make_prediction_suite(self.scenario, self.tmp)
        self.login(self.alice)
        response = self.post(
            version,
            file=SimpleUploadedFile("predictions.csv", prediction_csv()),
            name="Threshold rule",
            version_label="1.0",
        )
        submission = Submission.objects.get()
        self.assertRedirects(
            response,
            submission.runs.get().get_absolute_url(),
            fetch_redirect_response=False,
        )
        self.assertEqual(submission.kind, Submission.Kind.PREDICTIONS)
        page = self.client.get(response.url)
        self.assertContains(
            page, "Prediction file accepted; the validation run is queued."
        )
        self.assertContains(page, 'id="prediction-file-badge"')

    def test_a_prediction_file_needs_a_name_and_a_version(self):
        version = make_prediction_suite(self.scenario, self.tmp)
        self.login(self.alice)
        response = self.post(
            version,
            file=SimpleUploadedFile("predictions.csv", prediction_csv()),
            description="No name given.",
        )
        self.assertEqual(response.status_code, 400)
        errors = response.context["form"].errors
        self.assertEqual(
            errors["name"], ["Name the solution: a prediction file has no manifest."]
        )
        self.assertEqual(
            errors["version_label"],
            ["Give the solution a version: a prediction file has no manifest."],
        )
        self.assertContains(response, "No name given.", status_code=400)

    def test_a_package_only_suite_refuses_a_prediction_file(self):
        self.login(self.alice)
        response = self.post(
            file=SimpleUploadedFile("predictions.csv", prediction_csv()),
            name="x",
            version_label="1",
        )
        self.assertEqual(
            response.context["form"].errors["file"],
            [
                "This suite takes solution packages only (.zip or .tar.gz); it "
                "does not accept prediction files."
            ],
        )
