"""The datasets API: datasheets, uploads and downloads by access policy."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from scenarios.models import DatasetFile, DownloadLog
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_dataset, make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
CONTENT = b"timestamp,load\n2026-01-01T00:00,100\n"

DATASHEET = {
    "title_zh": "风机SCADA",
    "title_en": "Turbine SCADA",
    "source_zh": "风场",
    "source_en": "Wind farm",
    "licence": "CC BY 4.0",
    "classification": "general",
    "access_policy": "public",
}


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class DatasetApiTestCase(PortalTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-PO-FC-002", status="draft")
        cls.by_request = make_dataset(cls.gina, cls.scenario, "grid-load")
        cls.public = make_dataset(
            cls.gina, cls.scenario, "grid-public", policy="public"
        )
        cls.hidden = make_dataset(
            cls.gina, cls.scenario, "grid-hidden", policy="hidden"
        )
        cls.unpublished = make_dataset(cls.gina, cls.draft, "draft-load")
        cls.public_file = DatasetFile.objects.get(version__dataset=cls.public)
        cls.hidden_file = DatasetFile.objects.get(version__dataset=cls.hidden)

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

    def slugs(self, url: str) -> list[str]:
        response = self.api.get(url)
        self.assertEqual(response.status_code, 200)
        return [row["slug"] for row in response.json()["results"]]

    def test_it_lists_datasets_of_visible_scenarios(self):
        self.assertEqual(
            self.slugs("/api/v1/datasets/"), ["grid-hidden", "grid-load", "grid-public"]
        )
        self.login_api(self.gary)
        self.assertEqual(
            self.slugs("/api/v1/datasets/"),
            ["grid-hidden", "grid-load", "grid-public", "draft-load"],
        )

    def test_it_filters_the_list(self):
        for query, expected in [
            ("access_policy=public", ["grid-public"]),
            (
                "access_policy=public&access_policy=hidden",
                ["grid-hidden", "grid-public"],
            ),
            ("q=public", ["grid-public"]),
            ("sector=wind", []),
            ("scenario=GRID-PO-FC-001", ["grid-hidden", "grid-load", "grid-public"]),
        ]:
            with self.subTest(query=query):
                self.assertEqual(self.slugs(f"/api/v1/datasets/?{query}"), expected)

    def test_it_keeps_the_list_query_count_flat(self):
        self.login_api(self.gina)

        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.api.get("/api/v1/datasets/").status_code, 200)
            return len(queries)

        few = count_queries()  # 4 datasets
        for n in range(6):
            make_dataset(self.gina, self.scenario, f"more-{n}", content=None)
        self.assertEqual(self.api.get("/api/v1/datasets/").json()["count"], 10)
        self.assertEqual(count_queries(), few)
        # Session, user, memberships, count, page.
        with self.assertNumQueries(5):
            self.api.get("/api/v1/datasets/")

    def test_it_shows_the_datasheet_with_files(self):
        response = self.api.get("/api/v1/datasets/grid-public/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["title_zh"], "负荷数据")
        self.assertEqual(data["source_en"], "Dispatch SCADA")
        self.assertEqual(data["scenario"]["code"], "GRID-PO-FC-001")
        [version] = data["versions"]
        self.assertEqual(version["label"], "1.0")
        self.assertEqual(version["created_by"], "gina")
        [file_row] = version["files"]
        self.assertEqual(file_row["name"], "load.csv")
        self.assertEqual(file_row["sha256"], hashlib.sha256(CONTENT).hexdigest())
        self.assertEqual(file_row["size"], len(CONTENT))
        self.assertEqual(
            file_row["download_url"],
            f"/api/v1/datasets/grid-public/files/{self.public_file.pk}/download/",
        )
        self.assertEqual(
            data["download"],
            {"can_download": True, "reason": "public", "organisation": None},
        )

    def test_it_tells_the_caller_whether_they_may_download(self):
        for user, expected in [
            (None, {"can_download": False, "reason": "login", "organisation": None}),
            (
                self.alice,
                {"can_download": False, "reason": "request", "organisation": None},
            ),
            (
                self.gary,
                {"can_download": True, "reason": "owner", "organisation": "demo-grid"},
            ),
        ]:
            with self.subTest(user=user):
                self.login_api(user)
                response = self.api.get("/api/v1/datasets/grid-load/")
                self.assertEqual(response.json()["download"], expected)

    def test_it_checks_ownership(self):
        for user in (None, self.charlie, self.otto):
            with self.subTest(user=user):
                self.login_api(user)
                self.assertEqual(
                    self.api.get("/api/v1/datasets/draft-load/").status_code, 404
                )

    def test_it_creates_a_dataset(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-001/datasets/",
            {"slug": "turbine-scada", **DATASHEET},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        data = response.json()
        self.assertEqual(data["slug"], "turbine-scada")
        self.assertEqual(data["versions"], [])
        self.assertEqual(data["download"]["reason"], "owner")

    def test_it_requires_write_access_to_create(self):
        self.login_api(self.gary)
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-001/datasets/",
            {"slug": "turbine-scada", **DATASHEET},
            format="json",
        )
        self.assertEqual(response.status_code, 403)

    def test_it_hides_drafts_when_creating(self):
        self.login_api(self.otto)
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-002/datasets/",
            {"slug": "turbine-scada", **DATASHEET},
            format="json",
        )
        self.assertEqual(response.status_code, 404)

    def test_it_returns_datasheet_errors(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-001/datasets/",
            {
                "slug": "grid-load",
                **DATASHEET,
                "classification": "core",
                "title_en": "",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "slug": ["dataset with this slug already exists."],
                "title_en": ["This field may not be blank."],
            },
        )
        response = self.api.post(
            "/api/v1/scenarios/GRID-PO-FC-001/datasets/",
            {"slug": "core-data", **DATASHEET, "classification": "core"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "access_policy": [
                    "Core data (核心数据) may not use the policy “Public”."
                ]
            },
        )

    def test_it_uploads_a_version(self):
        self.login_api(self.gina)
        response = self.api.post(
            "/api/v1/datasets/grid-load/versions/",
            {
                "label": "2.0",
                "notes": "Adds 2025.",
                "files": [
                    SimpleUploadedFile("a.csv", b"a,b\n1,2\n", content_type="text/csv"),
                    SimpleUploadedFile("b.csv", b"a,b\n3,4\n", content_type="text/csv"),
                ],
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 201)
        data = response.json()
        self.assertEqual(data["label"], "2.0")
        self.assertEqual(
            [(f["name"], f["sha256"], f["size"]) for f in data["files"]],
            [
                ("a.csv", hashlib.sha256(b"a,b\n1,2\n").hexdigest(), 8),
                ("b.csv", hashlib.sha256(b"a,b\n3,4\n").hexdigest(), 8),
            ],
        )
        versions = self.api.get("/api/v1/datasets/grid-load/").json()["versions"]
        self.assertEqual([v["label"] for v in versions], ["2.0", "1.0"])

    def test_it_returns_upload_errors(self):
        self.login_api(self.gina)
        url = "/api/v1/datasets/grid-load/versions/"
        for body, errors in [
            (
                {"label": "1.0", "files": [SimpleUploadedFile("a.csv", b"x")]},
                {"label": ["This version label is already used."]},
            ),
            ({"label": "3.0"}, {"files": ["This field is required."]}),
            (
                {"label": " ", "files": [SimpleUploadedFile("a.csv", b"x")]},
                {"label": ["Give the version a label, such as 1.0."]},
            ),
        ]:
            with self.subTest(body=body):
                response = self.api.post(url, body, format="multipart")
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), errors)

    def test_it_requires_write_access_to_upload(self):
        self.login_api(self.gary)
        response = self.api.post(
            "/api/v1/datasets/grid-load/versions/",
            {"label": "2.0", "files": [SimpleUploadedFile("a.csv", b"x")]},
            format="multipart",
        )
        self.assertEqual(response.status_code, 403)

    def test_it_streams_a_public_file(self):
        response = self.api.get(
            f"/api/v1/datasets/grid-public/files/{self.public_file.pk}/download/"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), CONTENT)
        self.assertEqual(
            response["X-Content-SHA256"], hashlib.sha256(CONTENT).hexdigest()
        )
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="load.csv"'
        )
        log = DownloadLog.objects.get()
        self.assertEqual(log.dataset_file, self.public_file)
        self.assertIsNone(log.user)
        self.assertIs(log.via_api, True)

    def test_it_never_releases_hidden_files(self):
        url = f"/api/v1/datasets/grid-hidden/files/{self.hidden_file.pk}/download/"
        for user in (None, self.gina, self.olivia, self.alice):
            with self.subTest(user=user):
                self.login_api(user)
                response = self.api.get(url)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(
                    response.json(),
                    {"detail": "This dataset never leaves the platform."},
                )
        self.assertIs(DownloadLog.objects.exists(), False)

    def test_it_returns_404_for_unknown_files(self):
        for url in [
            "/api/v1/datasets/grid-public/files/999999/download/",
            # A file of another dataset.
            f"/api/v1/datasets/grid-public/files/{self.hidden_file.pk}/download/",
            "/api/v1/datasets/nope/files/1/download/",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.api.get(url).status_code, 404)

    def test_it_rejects_post_on_a_download(self):
        self.login_api(self.gina)
        response = self.api.post(
            f"/api/v1/datasets/grid-public/files/{self.public_file.pk}/download/"
        )
        self.assertEqual(response.status_code, 405)
