"""The access requests API, from request to approved download."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from typing import Any

from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from scenarios import dataset_services
from scenarios.models import AccessRequest, DatasetFile, DownloadLog
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_dataset, make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
CONTENT = b"timestamp,load\n2026-01-01T00:00,100\n"
PURPOSE = "Train a day-ahead load forecasting model for the pilot."


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class AccessRequestApiTestCase(PortalTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        draft = make_scenario(cls.gina, cls.grid, "GRID-PO-FC-002", status="draft")
        cls.dataset = make_dataset(cls.gina, scenario, "grid-load", content=CONTENT)
        make_dataset(cls.gina, scenario, "grid-public", policy="public", content=None)
        make_dataset(cls.gina, draft, "draft-load", content=None)
        cls.file = DatasetFile.objects.get(version__dataset=cls.dataset)
        cls.download_url = f"/api/v1/datasets/grid-load/files/{cls.file.pk}/download/"

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

    def make_request(self, status: str = "pending") -> AccessRequest:
        request = dataset_services.access_request_create(
            dataset=self.dataset,
            organisation=self.vendor_a,
            user=self.alice,
            purpose=PURPOSE,
        )
        if status == "approved":
            dataset_services.access_request_decide(
                request=request, user=self.gina, approve=True, reason=""
            )
        return request

    def test_it_runs_from_request_to_download(self):
        self.login_api(self.alice)
        response = self.api.get(self.download_url)
        self.assertEqual(response.status_code, 403)

        response = self.api.post(
            "/api/v1/access-requests/",
            {"dataset": "grid-load", "organisation": "vendor-a", "purpose": PURPOSE},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        data = response.json()
        self.assertEqual(data["status"], "pending")
        self.assertEqual(data["dataset"], "grid-load")
        self.assertEqual(data["scenario"], "GRID-PO-FC-001")
        self.assertEqual(data["organisation"]["slug"], "vendor-a")
        self.assertEqual(data["requested_by"], "alice")
        pk = data["id"]

        self.login_api(self.gina)
        response = self.api.get("/api/v1/access-requests/")
        self.assertEqual([row["id"] for row in response.json()["results"]], [pk])
        response = self.api.post(
            f"/api/v1/access-requests/{pk}/approve/", {}, format="json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "approved")
        self.assertEqual(response.json()["decided_by"], "gina")

        self.login_api(self.alice)
        response = self.api.get("/api/v1/datasets/grid-load/")
        self.assertEqual(
            response.json()["download"],
            {"can_download": True, "reason": "approved", "organisation": "vendor-a"},
        )
        response = self.api.get(self.download_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), CONTENT)
        sha256 = hashlib.sha256(CONTENT).hexdigest()
        self.assertEqual(response["X-Content-SHA256"], sha256)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="load.csv"'
        )
        self.assertEqual(response["Content-Type"], "text/csv")

        log = DownloadLog.objects.get()
        self.assertEqual(log.user, self.alice)
        self.assertEqual(log.organisation, self.vendor_a)
        self.assertEqual(log.dataset_file, self.file)
        self.assertEqual(log.sha256, sha256)
        self.assertEqual(log.ip_address, "127.0.0.1")
        self.assertIs(log.via_api, True)

    def test_it_refuses_downloads_without_approval(self):
        self.make_request(status="approved")
        for user, message in [
            (self.charlie, "Your organisation needs an approved access request."),
            (self.uma, "Your organisation needs an approved access request."),
            (None, "Sign in to download this dataset."),
        ]:
            with self.subTest(user=user):
                self.login_api(user)
                response = self.api.get(self.download_url)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(response.json(), {"detail": message})
        self.assertIs(DownloadLog.objects.exists(), False)

    def test_it_lets_every_member_of_the_approved_organisation_download(self):
        self.make_request(status="approved")
        self.login_api(self.bob)
        response = self.api.get(self.download_url)
        self.assertEqual(response.status_code, 200)

    def test_it_refuses_downloads_after_a_revocation(self):
        request = self.make_request(status="approved")
        self.login_api(self.gina)
        url = f"/api/v1/access-requests/{request.pk}/revoke/"
        response = self.api.post(url, {"reason": ""}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"reason": ["Tell the requester why."]})
        response = self.api.post(url, {"reason": "Pilot ended."}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "withdrawn")

        self.login_api(self.alice)
        self.assertEqual(self.api.get(self.download_url).status_code, 403)

    def test_it_returns_field_errors(self):
        self.login_api(self.alice)
        for body, errors in [
            (
                {
                    "dataset": "grid-load",
                    "organisation": "vendor-a",
                    "purpose": "Research.",
                },
                {"purpose": ["Describe the purpose in at least 20 characters."]},
            ),
            (
                {"dataset": "nope", "organisation": "vendor-a", "purpose": PURPOSE},
                {"dataset": ["Object with slug=nope does not exist."]},
            ),
            (
                # A dataset of a draft alice may not know about.
                {
                    "dataset": "draft-load",
                    "organisation": "vendor-a",
                    "purpose": PURPOSE,
                },
                {"dataset": ["Object with slug=draft-load does not exist."]},
            ),
            (
                {
                    "dataset": "grid-public",
                    "organisation": "vendor-a",
                    "purpose": PURPOSE,
                },
                {"non_field_errors": ["This dataset is not available by request."]},
            ),
            (
                {"organisation": "vendor-a"},
                {
                    "dataset": ["This field is required."],
                    "purpose": ["This field is required."],
                },
            ),
        ]:
            with self.subTest(body=body):
                response = self.api.post(
                    "/api/v1/access-requests/", body, format="json"
                )
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), errors)

    def test_it_requires_membership_of_the_requesting_organisation(self):
        for user, org in [(self.charlie, "vendor-a"), (self.uma, "unverified-ai")]:
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.post(
                    "/api/v1/access-requests/",
                    {"dataset": "grid-load", "organisation": org, "purpose": PURPOSE},
                    format="json",
                )
                self.assertEqual(response.status_code, 403)

    def test_it_requires_authentication(self):
        for method, url in [
            ("get", "/api/v1/access-requests/"),
            ("post", "/api/v1/access-requests/"),
            ("get", "/api/v1/access-requests/1/"),
        ]:
            with self.subTest(method=method, url=url):
                self.assertEqual(getattr(self.api, method)(url).status_code, 401)

    def test_it_checks_ownership(self):
        request = self.make_request()
        for user in (self.charlie, self.otto, self.nobody):
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.get(f"/api/v1/access-requests/{request.pk}/")
                self.assertEqual(response.status_code, 404)

    def test_it_shows_a_request_to_both_sides(self):
        request = self.make_request()
        for user in (self.bob, self.gary, self.olivia):
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.get(f"/api/v1/access-requests/{request.pk}/")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.json()["purpose"], PURPOSE)

    def test_it_requires_write_access_to_decide(self):
        request = self.make_request()
        for user in (self.gary, self.alice):
            with self.subTest(user=user.username):
                self.login_api(user)
                response = self.api.post(
                    f"/api/v1/access-requests/{request.pk}/approve/", {}, format="json"
                )
                self.assertEqual(response.status_code, 403)
        request.refresh_from_db()
        self.assertEqual(request.status, "pending")

    def test_it_denies_with_a_reason(self):
        request = self.make_request()
        self.login_api(self.gina)
        url = f"/api/v1/access-requests/{request.pk}/deny/"
        response = self.api.post(url, {"reason": " "}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"reason": ["Tell the requester why."]})
        response = self.api.post(url, {"reason": "Not for training."}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "denied")
        self.assertEqual(response.json()["decision_reason"], "Not for training.")

        response = self.api.post(
            f"/api/v1/access-requests/{request.pk}/approve/", {}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"non_field_errors": ["This request has already been decided."]},
        )

    def test_it_withdraws_a_pending_request(self):
        request = self.make_request()
        self.login_api(self.gina)
        url = f"/api/v1/access-requests/{request.pk}/withdraw/"
        self.assertEqual(self.api.post(url).status_code, 403)
        self.login_api(self.alice)
        response = self.api.post(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "withdrawn")

    def test_it_filters_by_status(self):
        self.make_request(status="approved")
        self.login_api(self.alice)
        for status, count in [("approved", 1), ("pending", 0)]:
            with self.subTest(status=status):
                response = self.api.get(f"/api/v1/access-requests/?status={status}")
                self.assertEqual(response.json()["count"], count)
        response = self.api.get("/api/v1/access-requests/?status=maybe")
        self.assertEqual(response.status_code, 400)

    def test_it_rejects_get_on_actions(self):
        request = self.make_request()
        self.login_api(self.gina)
        for action in ("approve", "deny", "withdraw", "revoke"):
            with self.subTest(action=action):
                response = self.api.get(
                    f"/api/v1/access-requests/{request.pk}/{action}/"
                )
                self.assertEqual(response.status_code, 405)
        response = self.api.delete(f"/api/v1/access-requests/{request.pk}/")
        self.assertEqual(response.status_code, 405)
