"""The API of prediction files: the suite version's flag and links, the
inputs download, submitting a file, and how its runs and rows read."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from evaluations.models import Submission
from tests.base import PortalTestCase
from tests.evaluations.helpers import (
    make_prediction_suite,
    make_submission,
    make_suite_version,
    prediction_csv,
)
from tests.evaluations.test_leaderboard import finish_hidden
from tests.scenarios.helpers import make_scenario


class PredictionApiTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "PV-QI-CL-001", operator=cls.olivia
        )

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="predfiles-api-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        overrides = override_settings(
            MEDIA_ROOT=str(self.tmp / "media"), EVALUATION_WORK_DIR=self.tmp / "work"
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.version = make_prediction_suite(self.scenario, self.tmp)
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def login_api(self, user: Any) -> None:
        self.api.logout()
        if user is not None:
            self.api.force_login(
                user, backend="django.contrib.auth.backends.ModelBackend"
            )


class SuiteVersionTests(PredictionApiTestCase):
    def test_it_says_whether_prediction_files_are_accepted(self):
        url = f"/api/v1/suite-versions/{self.version.pk}/"
        self.login_api(self.alice)
        data = self.api.get(url).json()
        self.assertIs(data["accepts_prediction_files"], True)
        base = f"http://testserver/api/v1/suite-versions/{self.version.pk}/inputs"
        self.assertEqual(
            data["inputs"], {"sample": f"{base}/sample/", "hidden": f"{base}/hidden/"}
        )
        self.login_api(None)  # may see the suite, not the inputs
        data = self.api.get(url).json()
        self.assertEqual(
            (data["accepts_prediction_files"], data["inputs"]), (True, None)
        )
        package_only = make_suite_version(self.scenario)
        self.login_api(self.alice)
        data = self.api.get(f"/api/v1/suite-versions/{package_only.pk}/").json()
        self.assertEqual(
            (data["accepts_prediction_files"], data["inputs"]), (False, None)
        )


class InputsApiTests(PredictionApiTestCase):
    def url(self, split: str = "hidden", pk: int | None = None) -> str:
        return f"/api/v1/suite-versions/{pk or self.version.pk}/inputs/{split}/"

    def test_it_downloads_the_inputs(self):
        self.login_api(self.charlie)
        response = self.api.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        self.assertEqual(
            archive.read("ids.csv").decode(), "id\nh1\nh2\nh3\nh4\nh5\nh6\n"
        )

    def test_it_checks_ownership(self):
        package_only = make_suite_version(self.scenario)
        self.login_api(self.alice)
        for url in (self.url(pk=package_only.pk), self.url("labels"), self.url(pk=999)):
            with self.subTest(url=url):
                self.assertEqual(self.api.get(url).status_code, 404)

    def test_it_requires_access(self):
        self.login_api(None)
        response = self.api.get(self.url())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json(), {"detail": "Sign in to download the inputs."})
        self.login_api(self.nobody)
        response = self.api.get(self.url())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            response.json(),
            {
                "detail": "Only members of verified organisations may download the inputs."
            },
        )

    def test_it_rejects_post(self):
        self.login_api(self.alice)
        self.assertEqual(self.api.post(self.url()).status_code, 405)


class SubmitApiTests(PredictionApiTestCase):
    def post(self, **data: Any) -> Any:
        data.setdefault("organisation", "vendor-a")
        data.setdefault("file", SimpleUploadedFile("p.csv", prediction_csv()))
        with (
            mock.patch("evaluations.tasks.evaluation_run.apply_async"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            return self.api.post(
                f"/api/v1/suite-versions/{self.version.pk}/submissions/",
                data,
                format="multipart",
            )

    def test_it_accepts_a_prediction_file(self):
        self.login_api(self.alice)
        response = self.post(name="Threshold rule", version_label="1.0")
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(
            (data["kind"], data["name"], data["version_label"], data["file_name"]),
            ("predictions", "Threshold rule", "1.0", "p.csv"),
        )
        submission = Submission.objects.get()
        self.assertEqual(data["validation_run"], submission.runs.get().pk)

    def test_it_reports_field_errors(self):
        self.login_api(self.alice)
        for data, errors in (
            (
                {},
                {
                    "name": ["Name the solution: a prediction file has no manifest."],
                    "version_label": [
                        "Give the solution a version: a prediction file has no "
                        "manifest."
                    ],
                },
            ),
            (
                {
                    "name": "x",
                    "version_label": "1",
                    "file": SimpleUploadedFile("p.csv", b"id,prediction\ns1,1\n"),
                },
                {
                    "file": [
                        "9 of 10 ids have no prediction, for example 's2', 's3', "
                        "'s4', 'h1', 'h2' and 4 more. (missing_ids) A prediction "
                        "file covers the 4 ids of the public sample and the 6 ids of "
                        "the hidden test: the ids.csv of both inputs downloads."
                    ]
                },
            ),
            (
                {"name": "x" * 101, "version_label": "1"},
                {"name": ["Ensure this field has no more than 100 characters."]},
            ),
        ):
            with self.subTest(data=list(data)):
                response = self.post(**data)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), errors)
        self.assertEqual(Submission.objects.count(), 0)


class ResultsApiTests(PredictionApiTestCase):
    def setUp(self):
        super().setUp()
        self.submission = make_submission(
            self.version, self.vendor_a, self.alice, kind=Submission.Kind.PREDICTIONS
        )
        self.hidden = finish_hidden(
            self.submission, metrics={"accuracy": 0.9, "f1": 0.8}
        )

    def test_a_run_says_probes_and_resources_do_not_apply(self):
        self.login_api(self.alice)
        data = self.api.get(f"/api/v1/runs/{self.hidden.pk}/").json()
        self.assertEqual(data["submission_kind"], "predictions")
        self.assertEqual((data["probes"], data["resources"]), (None, None))
        self.assertEqual(data["metrics"], {"accuracy": 0.9, "f1": 0.8})

    def test_a_package_run_keeps_its_objects(self):
        package = make_submission(self.version, self.vendor_b, self.charlie)
        run = finish_hidden(package, metrics={"accuracy": 0.5, "f1": 0.5})
        self.login_api(self.charlie)
        data = self.api.get(f"/api/v1/runs/{run.pk}/").json()
        self.assertEqual(data["submission_kind"], "package")
        self.assertEqual((data["probes"], data["resources"]), ({}, {}))

    def test_leaderboard_rows_name_their_kind(self):
        package = make_submission(self.version, self.vendor_b, self.charlie)
        finish_hidden(package, metrics={"accuracy": 0.95, "f1": 0.9})
        rows = self.api.get(
            f"/api/v1/suite-versions/{self.version.pk}/leaderboard/"
        ).json()["rows"]
        self.assertEqual(
            [(r["organisation"]["slug"], r["submission_kind"]) for r in rows],
            [("vendor-b", "package"), ("vendor-a", "predictions")],
        )
