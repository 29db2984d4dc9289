"""The evaluations admin: operators look things up; locked data stays locked."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from evaluations import suite_services
from evaluations.models import LeaderboardRow, Run, SuiteVersion
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_run, make_submission
from tests.evaluations.suite_helpers import bundle_files, config, tar_gz, upload
from tests.scenarios.helpers import make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class EvaluationAdminTests(PortalTestCase):
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
        cls.suite = suite_services.suite_create(
            scenario=cls.scenario,
            user=cls.gina,
            slug="day-ahead",
            task_kind="forecasting",
            data={"title_zh": "日前", "title_en": "Day-ahead"},
        )
        checked = suite_services.suite_bundle_check(
            suite=cls.suite, user=cls.gina, upload=upload(tar_gz(bundle_files()))
        )
        cls.published = suite_services.suite_version_publish(
            version=suite_services.suite_version_create(
                suite=cls.suite, user=cls.gina, config=config(), bundle=checked
            ),
            user=cls.gina,
        )
        cls.draft = suite_services.suite_version_create(
            suite=cls.suite, user=cls.gina, config=config(), bundle=checked
        )
        cls.submission = make_submission(cls.published, cls.vendor_a, cls.alice)
        cls.failed = make_run(
            cls.submission,
            status=Run.Status.FAILED,
            failure=Run.Failure.TIMEOUT,
            log="vendor printout 31337",
        )
        cls.hidden = make_run(
            cls.submission,
            split=Run.Split.HIDDEN,
            status=Run.Status.SUCCEEDED,
            metrics={"mae": 1.5},
            passed=True,
        )
        cls.row = LeaderboardRow.objects.create(
            suite_version=cls.published,
            organisation=cls.vendor_a,
            run=cls.hidden,
            metrics={"mae": 1.5},
            passed=True,
            composite=1.0,
            rank=1,
            submitted_at=cls.submission.created_at,
        )

    def setUp(self) -> None:
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.login(self.olivia)

    def act(self, action: str, *objects: Any) -> Any:
        return self.client.post(
            reverse("admin:evaluations_suiteversion_changelist"),
            {"action": action, "_selected_action": [obj.pk for obj in objects]},
            follow=True,
        )

    def test_it_shows_every_page_to_operators(self):
        for model, obj in [
            ("testsuite", self.suite),
            ("suiteversion", self.published),
            ("submission", self.submission),
            ("run", self.failed),
            ("leaderboardrow", self.row),
        ]:
            with self.subTest(model=model):
                changelist = reverse(f"admin:evaluations_{model}_changelist")
                self.assertEqual(self.client.get(changelist).status_code, 200)
                change = reverse(f"admin:evaluations_{model}_change", args=[obj.pk])
                self.assertEqual(self.client.get(change).status_code, 200)

    def test_it_hides_the_pages_from_other_staff(self):
        self.gina.is_staff = True
        self.gina.save(update_fields=["is_staff"])
        self.login(self.gina)
        response = self.client.get(reverse("admin:evaluations_run_changelist"))
        self.assertEqual(response.status_code, 403)

    def test_runs_are_filtered_and_searched(self):
        url = reverse("admin:evaluations_run_changelist")
        for params, expected in (
            ({"status__exact": "failed"}, [self.failed]),
            ({"failure__exact": "timeout"}, [self.failed]),
            ({"split__exact": "hidden"}, [self.hidden]),
            ({"q": "vendor-a"}, [self.hidden, self.failed]),
            ({"q": "GRID-PO-FC-001"}, [self.hidden, self.failed]),
            ({"q": "nothing-like-this"}, []),
        ):
            with self.subTest(params=params):
                response = self.client.get(url, params)
                self.assertEqual(list(response.context["cl"].result_list), expected)

    def test_locked_data_cannot_be_changed(self):
        for model, obj in [
            ("suiteversion", self.published),
            ("suiteversion", self.draft),
            ("submission", self.submission),
            ("run", self.failed),
            ("leaderboardrow", self.row),
        ]:
            with self.subTest(model=model, pk=obj.pk):
                change = reverse(f"admin:evaluations_{model}_change", args=[obj.pk])
                response = self.client.get(change)
                self.assertEqual(response.context["adminform"].form.fields, {})
                self.assertEqual(self.client.post(change, {}).status_code, 403)
                delete = reverse(f"admin:evaluations_{model}_delete", args=[obj.pk])
                self.assertEqual(self.client.get(delete).status_code, 403)
        for model in ("testsuite", "suiteversion", "submission", "run"):
            with self.subTest(add=model):
                add = reverse(f"admin:evaluations_{model}_add")
                self.assertEqual(self.client.get(add).status_code, 403)

    def test_suite_texts_are_corrected_but_not_its_identity(self):
        response = self.client.get(
            reverse("admin:evaluations_testsuite_change", args=[self.suite.pk])
        )
        fields = response.context["adminform"].form.fields
        self.assertIn("title_en", fields)
        for name in ("slug", "task_kind", "scenario"):
            with self.subTest(name=name):
                self.assertNotIn(name, fields)

    def test_no_log_or_label_is_shown(self):
        response = self.client.get(
            reverse("admin:evaluations_run_change", args=[self.failed.pk])
        )
        self.assertNotContains(response, "vendor printout 31337")
        response = self.client.get(
            reverse("admin:evaluations_suiteversion_change", args=[self.published.pk])
        )
        self.assertContains(response, self.published.bundle.sha256)
        self.assertContains(response, "label_columns")
        self.assertNotContains(response, "y_true")

    def test_versions_are_published_and_retired_through_the_services(self):
        response = self.act("publish_selected", self.draft, self.published)
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(
            messages,
            [
                # Version 2 comes first and retires version 1 on publication.
                f"{self.published}: Version 1 is Retired and locked: new data or "
                "thresholds make a new version.",
                "1 version published.",
            ],
        )
        self.published.refresh_from_db()
        self.draft.refresh_from_db()
        self.assertEqual(
            (self.published.status, self.draft.status), ("retired", "published")
        )
        self.act("retire_selected", self.draft)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, SuiteVersion.Status.RETIRED)
        self.assertEqual(self.scenario.events.first().actor, self.olivia)
