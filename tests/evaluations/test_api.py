"""The evaluations API: suite versions, leaderboards, submissions and runs."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from evaluations.intake import pack_solution
from evaluations.models import Run, Submission, SuiteVersion
from evaluations.serializers import finite
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.evaluations.test_leaderboard import finish_hidden
from tests.scenarios.helpers import make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "solutions"


def package_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "solution.zip"
        pack_solution(EXAMPLE / "forecasting-seasonal-naive", archive)
        return archive.read_bytes()


class EvaluationApiTestCase(PortalTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(cls.scenario)
        cls.draft_scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-002", status="draft"
        )
        cls.draft_version = make_suite_version(cls.draft_scenario)
        cls.submission = make_submission(cls.version, cls.vendor_a, cls.alice)
        cls.sample = make_run(cls.submission, log="hello from the solution")

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def login_api(self, user: Any) -> None:
        self.api.logout()
        if user is not None:
            self.api.force_login(
                user, backend="django.contrib.auth.backends.ModelBackend"
            )


class SuiteVersionApiTests(EvaluationApiTestCase):
    def test_it_shows_the_configuration_summary(self):
        response = self.api.get(f"/api/v1/suite-versions/{self.version.pk}/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            (data["scenario"], data["number"], data["status"], data["task_kind"]),
            ("GRID-PO-FC-001", 1, "published", "forecasting"),
        )
        self.assertEqual(
            data["metrics"],
            [
                {"key": "mae", "code": "mae", "direction": "lower", "weight": 0.0},
                {"key": "mape", "code": "mape", "direction": "lower", "weight": 1.0},
            ],
        )
        self.assertEqual(data["primary_metric"], "mape")
        self.assertEqual(
            data["gates"],
            [
                {
                    "metric": "mape",
                    "comparator": "<=",
                    "value": 5.0,
                    "probe": None,
                    "delta": False,
                }
            ],
        )
        self.assertEqual(data["limits"]["memory_mb"], 512)
        self.assertEqual(data["submissions_per_day"], 3)
        self.assertNotIn("bundle", data)

    def test_it_checks_ownership(self):
        url = f"/api/v1/suite-versions/{self.draft_version.pk}/"
        for user, status in ((None, 404), (self.alice, 404), (self.gina, 200)):
            with self.subTest(user=user):
                self.login_api(user)
                self.assertEqual(self.api.get(url).status_code, status)

    def test_it_rejects_writes(self):
        self.login_api(self.olivia)
        url = f"/api/v1/suite-versions/{self.version.pk}/"
        for method in ("post", "put", "patch", "delete"):
            with self.subTest(method=method):
                self.assertEqual(getattr(self.api, method)(url).status_code, 405)


class LeaderboardApiTests(EvaluationApiTestCase):
    def test_it_lists_rows_in_the_official_order(self):
        url = f"/api/v1/suite-versions/{self.version.pk}/leaderboard/"
        self.assertEqual(self.api.get(url).json()["rows"], [])
        a = finish_hidden(self.submission, metrics={"mae": 1.0, "mape": 3.0})
        b = finish_hidden(
            make_submission(self.version, self.vendor_b, self.charlie),
            metrics={"mae": 5.0, "mape": 2.0},
        )
        failing = make_submission(self.version, self.unverified_vendor, self.uma)
        finish_hidden(failing, metrics={"mae": 0.0, "mape": 9.0}, passed=False)
        response = self.api.get(url)  # anonymous: the scenario is public
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["suite_version"], self.version.pk)
        self.assertEqual(data["primary_metric"], "mape")
        self.assertEqual([c["key"] for c in data["columns"]], ["mae", "mape"])
        rows = data["rows"]
        self.assertEqual(
            [(r["rank"], r["organisation"]["slug"], r["run"]) for r in rows],
            [
                (1, "vendor-b", b.pk),
                (2, "vendor-a", a.pk),
                (3, "unverified-ai", rows[2]["run"]),
            ],
        )
        self.assertEqual(
            rows[0]["composite"], 1.0
        )  # mape alone is weighted and b has the best
        self.assertEqual(rows[1]["composite"], round((9 - 3) / 7, 6))
        self.assertEqual(
            (rows[2]["passed"], rows[2]["metrics"]), (False, {"mae": 0.0, "mape": 9.0})
        )
        self.assertEqual(
            (rows[1]["solution"], rows[1]["solution_version"], rows[1]["submission"]),
            ("seasonal-naive", "1.0", self.submission.pk),
        )

    def test_non_finite_numbers_are_shown_as_null(self):
        # The database refuses NaN in JSON; the serializers still never
        # emit it, since JSON has no NaN.
        self.assertEqual(
            finite({"a": [float("nan"), 1.0], "b": float("-inf"), "c": "x"}),
            {"a": [None, 1.0], "b": None, "c": "x"},
        )

    def test_it_checks_ownership(self):
        url = f"/api/v1/suite-versions/{self.draft_version.pk}/leaderboard/"
        for user, status in ((None, 404), (self.charlie, 404), (self.gina, 200)):
            with self.subTest(user=user):
                self.login_api(user)
                self.assertEqual(self.api.get(url).status_code, status)

    def test_it_rejects_post(self):
        self.login_api(self.olivia)
        url = f"/api/v1/suite-versions/{self.version.pk}/leaderboard/"
        self.assertEqual(self.api.post(url).status_code, 405)


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class SubmitApiTests(EvaluationApiTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
        cls.package = package_bytes()

    def url(self, version: SuiteVersion | None = None) -> str:
        return f"/api/v1/suite-versions/{(version or self.version).pk}/submissions/"

    def post(self, version: SuiteVersion | None = None, **data: Any):
        data.setdefault("organisation", "vendor-a")
        data.setdefault(
            "file", SimpleUploadedFile("solution.zip", self.package, "application/zip")
        )
        data = {k: v for k, v in data.items() if v is not None}
        return self.api.post(self.url(version), data, format="multipart")

    def test_it_creates_a_submission_and_queues_its_validation_run(self):
        self.login_api(self.alice)
        with (
            mock.patch("evaluations.tasks.evaluation_run.apply_async") as enqueue,
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.post()
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        submission = Submission.objects.get(pk=data["id"])
        run = submission.runs.get()
        self.assertEqual(data["validation_run"], run.pk)
        self.assertEqual(
            (data["organisation"], data["submitted_by"], data["name"], data["kind"]),
            (
                "vendor-a",
                "alice",
                "Seasonal naive (same half-hour last week)",
                "package",
            ),
        )
        self.assertEqual(
            data["runs"], [{"id": run.pk, "split": "sample", "status": "queued"}]
        )
        enqueue.assert_called_once_with(args=(run.pk,), countdown=0)

    def test_it_checks_ownership(self):
        self.login_api(self.alice)
        response = self.post(self.draft_version)
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_access(self):
        for user, organisation in (
            (None, "vendor-a"),  # not signed in
            (self.gina, "demo-grid"),  # not a vendor
            (self.charlie, "vendor-a"),  # not a member
            (self.uma, "unverified-ai"),  # not verified (and not public)
        ):
            with self.subTest(user=user, organisation=organisation):
                self.login_api(user)
                response = self.post(organisation=organisation)
                expected = {None: 401}.get(user, 403)
                if user == self.uma:
                    expected = 400  # an unverified organisation is not public
                self.assertEqual(response.status_code, expected, response.content)
        self.assertEqual(Submission.objects.count(), 1)

    def test_it_rejects_get(self):
        self.login_api(self.alice)
        self.assertEqual(self.api.get(self.url()).status_code, 405)

    def test_it_reports_field_errors(self):
        self.login_api(self.alice)
        bad = SimpleUploadedFile("solution.zip", b"not an archive")
        for data, errors in (
            ({"file": None}, {"file": ["No file was submitted."]}),
            (
                {"organisation": "nope"},
                {"organisation": ["Object with slug=nope does not exist."]},
            ),
            (
                {"file": bad},
                {
                    "file": [
                        "The upload is neither a .zip nor a .tar.gz archive (judged "
                        "by its content, not its name). (unknown_format)"
                    ]
                },
            ),
        ):
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), errors)

    def test_the_quota_is_a_non_field_error(self):
        self.login_api(self.alice)
        for _ in range(2):
            make_submission(self.version, self.vendor_a, self.alice)
        response = self.post()
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "non_field_errors": [
                    "Your organisation has used its 3 submissions for the last 24 "
                    "hours."
                ]
            },
        )


class SubmissionListApiTests(EvaluationApiTestCase):
    def test_it_lists_my_organisations_submissions(self):
        other_version = make_suite_version(self.scenario)
        newer = make_submission(other_version, self.vendor_a, self.bob)
        make_submission(self.version, self.vendor_b, self.charlie)
        self.login_api(self.bob)
        response = self.api.get("/api/v1/submissions/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 2)
        self.assertEqual(
            [s["id"] for s in data["results"]], [newer.pk, self.submission.pk]
        )
        self.assertEqual(
            data["results"][1]["runs"],
            [{"id": self.sample.pk, "split": "sample", "status": "queued"}],
        )
        response = self.api.get(f"/api/v1/submissions/?suite_version={self.version.pk}")
        self.assertEqual(
            [s["id"] for s in response.json()["results"]], [self.submission.pk]
        )

    def test_it_checks_ownership(self):
        self.login_api(self.gina)  # owns the scenario, yet these are not hers
        self.assertEqual(self.api.get("/api/v1/submissions/").json()["count"], 0)
        self.login_api(None)
        self.assertEqual(self.api.get("/api/v1/submissions/").status_code, 401)

    def test_it_reports_a_bad_filter(self):
        self.login_api(self.alice)
        response = self.api.get("/api/v1/submissions/?suite_version=abc")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()), ["suite_version"])

    def test_it_rejects_post(self):
        self.login_api(self.alice)
        self.assertEqual(self.api.post("/api/v1/submissions/").status_code, 405)

    def test_it_keeps_its_query_count(self):
        self.login_api(self.alice)
        # session, user, memberships, count, page, runs
        with self.assertNumQueries(6):
            self.api.get("/api/v1/submissions/")
        for _ in range(4):
            make_run(make_submission(self.version, self.vendor_a, self.alice))
        with self.assertNumQueries(6):
            response = self.api.get("/api/v1/submissions/")
        self.assertEqual(response.json()["count"], 5)


class RunApiTests(EvaluationApiTestCase):
    def url(self, run: Run, suffix: str = "") -> str:
        return f"/api/v1/runs/{run.pk}/{suffix}"

    def test_it_shows_the_status_and_queue_position(self):
        make_run(make_submission(self.version, self.vendor_b, self.charlie))
        Run.objects.filter(pk=self.sample.pk).update(stage="", progress=0)
        self.login_api(self.alice)
        data = self.api.get(self.url(self.sample)).json()
        self.assertEqual(
            (data["status"], data["split"], data["queue_position"], data["is_final"]),
            ("queued", "sample", 1, False),
        )
        self.assertEqual(
            (data["submission"], data["suite_version"], data["organisation"]),
            (self.submission.pk, self.version.pk, "vendor-a"),
        )
        self.assertIs(data["has_log"], True)
        self.assertIsNone(data["hidden_run"])
        self.assertNotIn("log", data)

    def test_it_shows_results_of_a_finished_run(self):
        hidden = finish_hidden(
            self.submission, metrics={"mae": 1.5, "mape": 7.0}, passed=False
        )
        Run.objects.filter(pk=hidden.pk).update(
            gates=[{"metric": "mape", "observed": 7.0, "passed": False}],
            resources={"cpu_seconds": 1.25},
            probes={"noise": {"mape": 0.5}},
        )
        self.login_api(self.gina)  # the scenario owner sees results, not logs
        data = self.api.get(self.url(hidden)).json()
        self.assertEqual(
            (data["status"], data["failure"], data["passed"], data["queue_position"]),
            ("failed", "threshold", False, None),
        )
        self.assertEqual(data["metrics"], {"mae": 1.5, "mape": 7.0})
        self.assertEqual(data["gates"][0]["observed"], 7.0)
        self.assertEqual(data["probes"], {"noise": {"mape": 0.5}})
        self.assertEqual(data["resources"], {"cpu_seconds": 1.25})
        self.assertIs(data["has_log"], False)
        sample = self.api.get(self.url(self.sample)).json()
        self.assertEqual((sample["hidden_run"], sample["has_log"]), (hidden.pk, False))

    def test_it_checks_ownership(self):
        for user, status in (
            (None, 404),
            (self.charlie, 404),
            (self.otto, 404),
            (self.bob, 200),
            (self.gina, 200),
            (self.olivia, 200),
        ):
            with self.subTest(user=user):
                self.login_api(user)
                self.assertEqual(
                    self.api.get(self.url(self.sample)).status_code, status
                )

    def test_it_rejects_writes(self):
        self.login_api(self.alice)
        for method in ("post", "put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.api, method)(self.url(self.sample))
                self.assertEqual(response.status_code, 405)


class RunLogApiTests(EvaluationApiTestCase):
    def url(self, run: Run) -> str:
        return f"/api/v1/runs/{run.pk}/log/"

    def test_the_submitting_vendor_reads_the_validation_log(self):
        self.login_api(self.bob)
        response = self.api.get(self.url(self.sample))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(), {"run": self.sample.pk, "log": "hello from the solution"}
        )

    def test_it_checks_ownership(self):
        hidden = make_run(self.submission, split=Run.Split.HIDDEN, log="secret")
        for user, run in (
            (None, self.sample),
            (self.charlie, self.sample),
            (self.gina, self.sample),  # sees the run, never the vendor's log
            (self.olivia, self.sample),
            (self.alice, hidden),  # hidden runs have no log for anyone
        ):
            with self.subTest(user=user, run=run.split):
                self.login_api(user)
                response = self.api.get(self.url(run))
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"secret", response.content)

    def test_it_rejects_post(self):
        self.login_api(self.alice)
        self.assertEqual(self.api.post(self.url(self.sample)).status_code, 405)


class RunCancelApiTests(EvaluationApiTestCase):
    def url(self, run: Run) -> str:
        return f"/api/v1/runs/{run.pk}/cancel/"

    def test_it_cancels_a_queued_run(self):
        self.login_api(self.alice)
        response = self.api.post(self.url(self.sample))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            (response.json()["status"], response.json()["is_final"]),
            ("cancelled", True),
        )
        self.sample.refresh_from_db()
        self.assertEqual(self.sample.status, Run.Status.CANCELLED)

    def test_it_checks_ownership(self):
        for user in (self.charlie, self.otto):
            with self.subTest(user=user):
                self.login_api(user)
                self.assertEqual(self.api.post(self.url(self.sample)).status_code, 404)

    def test_it_requires_write_access(self):
        for user, status in ((None, 401), (self.bob, 403), (self.gina, 403)):
            with self.subTest(user=user):
                self.login_api(user)
                self.assertEqual(
                    self.api.post(self.url(self.sample)).status_code, status
                )
        self.sample.refresh_from_db()
        self.assertEqual(self.sample.status, Run.Status.QUEUED)

    def test_it_rejects_get(self):
        self.login_api(self.alice)
        self.assertEqual(self.api.get(self.url(self.sample)).status_code, 405)

    def test_a_finished_run_cannot_be_cancelled(self):
        Run.objects.filter(pk=self.sample.pk).update(status=Run.Status.SUCCEEDED)
        self.login_api(self.alice)
        response = self.api.post(self.url(self.sample))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"non_field_errors": ["This run has already finished."]}
        )
