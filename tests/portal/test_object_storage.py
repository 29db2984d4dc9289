"""Files on S3-compatible object storage (django-storages), as in production.

moto stands in for the S3 service, in process. Everything that stores or
reads a file goes through Django's storage API, so the portal works the same
with no shared folder at all: a dataset is stored and downloaded, a suite
bundle is stored, a prediction file is accepted and then scored by the real
task, which reads the file and the bundle back from the bucket.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import boto3
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from evaluations import services
from evaluations.models import Run
from scenarios.dataset_services import blob_store
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_prediction_suite, prediction_csv
from tests.scenarios.helpers import make_dataset, make_scenario

BUCKET = "portal-test-artefacts"
S3_STORAGES = {
    **settings.STORAGES,
    "default": {
        "BACKEND": settings.S3_STORAGE_BACKEND,
        "OPTIONS": {
            "bucket_name": BUCKET,
            "location": "media",
            "region_name": "us-east-1",
            "access_key": "test-access-key",
            "secret_key": "test-secret-key",
            "default_acl": "private",
            "file_overwrite": False,
        },
    },
}


class ObjectStorageTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "PV-QI-CL-001", operator=cls.olivia
        )

    def setUp(self):
        super().setUp()
        mock = mock_aws()
        mock.start()
        self.addCleanup(mock.stop)
        self.s3 = boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id="test-access-key",
            aws_secret_access_key="test-secret-key",
        )
        self.s3.create_bucket(Bucket=BUCKET)
        self.tmp = Path(tempfile.mkdtemp(prefix="object-storage-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        # MEDIA_ROOT points at a folder that is never created: a code path
        # that fell back to the local disk would fail instead of passing.
        overrides = override_settings(
            STORAGES=S3_STORAGES,
            MEDIA_ROOT=str(self.tmp / "no-local-media"),
            EVALUATION_WORK_DIR=self.tmp / "work",
            EVALUATION_HEARTBEAT_SECONDS=3600,
        )
        overrides.enable()
        self.addCleanup(overrides.disable)

    def keys(self) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=BUCKET)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def test_the_default_storage_is_the_bucket(self):
        self.assertEqual(type(storages["default"]).__name__, "S3Storage")
        blob = blob_store(ContentFile(b"hello", name="x"))
        self.assertEqual(self.keys(), [f"media/{blob.storage_name}"])
        body = self.s3.get_object(Bucket=BUCKET, Key=f"media/{blob.storage_name}")
        self.assertEqual(body["Body"].read(), b"hello")
        self.assertFalse((self.tmp / "no-local-media").exists())

    def test_identical_content_is_stored_once(self):
        first = blob_store(ContentFile(b"same bytes", name="a"))
        second = blob_store(ContentFile(b"same bytes", name="b"))
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(len(self.keys()), 1)

    def test_a_dataset_is_stored_in_the_bucket_and_downloaded_through_the_portal(self):
        content = b"timestamp,load\n2026-01-01T00:00,100\n"
        dataset = make_dataset(self.gina, self.scenario, "load-2026", content=content)
        dataset_file = dataset.versions.get().files.get()
        self.assertIn(f"media/{dataset_file.blob.storage_name}", self.keys())
        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:dataset_download", args=[dataset.slug, dataset_file.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), content)

    def test_a_prediction_file_is_scored_from_the_bucket(self):
        version = make_prediction_suite(self.scenario, self.tmp)
        with (
            self.settings(PORTAL_SANDBOX_RUNNER="no-such-runner"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            submission = services.submission_create(
                suite_version=version,
                organisation=self.vendor_a,
                user=self.alice,
                upload=ContentFile(prediction_csv(), name="cells.csv"),
                file_name="cells.csv",
                labels=services.SolutionLabels("Threshold rule", "1.0", "Hot is bad."),
            )
        stored = {f"media/{version.bundle.storage_name}"}
        stored.add(f"media/{submission.blob.storage_name}")
        self.assertLessEqual(stored, set(self.keys()))
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertEqual(hidden.status, Run.Status.SUCCEEDED, hidden.message)
        self.assertEqual(hidden.metrics, {"accuracy": 1.0, "f1": 1.0})
        self.assertFalse((self.tmp / "no-local-media").exists())

    def test_a_missing_object_is_a_platform_fault_not_a_score(self):
        from evaluations.tasks import evaluation_run

        version = make_prediction_suite(self.scenario, self.tmp)
        with self.captureOnCommitCallbacks(execute=False):
            submission = services.submission_create(
                suite_version=version,
                organisation=self.vendor_a,
                user=self.alice,
                upload=ContentFile(prediction_csv(), name="cells.csv"),
                file_name="cells.csv",
                labels=services.SolutionLabels("Threshold rule", "1.0", "Hot is bad."),
            )
        self.s3.delete_object(
            Bucket=BUCKET, Key=f"media/{submission.blob.storage_name}"
        )
        run = submission.runs.get()
        for _attempt in range(run.max_attempts):
            # Each fault re-queues the run; deliver it again by hand.
            with self.captureOnCommitCallbacks(execute=False):
                evaluation_run(run.pk)
        run.refresh_from_db()
        self.assertEqual(
            (run.status, run.failure), (Run.Status.PLATFORM_ERROR, Run.Failure.PLATFORM)
        )
        self.assertEqual(run.metrics, {})
        self.assertIn("does not exist", run.message)
