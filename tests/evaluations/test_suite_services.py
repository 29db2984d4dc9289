"""Owners manage test suites: create, draft, edit, publish, retire."""

from __future__ import annotations

import shutil
import tempfile

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import override_settings

from evaluations import services, suite_services
from evaluations.models import SuiteVersion, TestSuite
from portal.accounts.models import Notification
from scenarios import services as scenario_services
from scenarios.models import ScenarioEvent
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_submission
from tests.evaluations.suite_helpers import bundle_files, config, tar_gz, upload
from tests.scenarios.helpers import make_dataset, make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
TEXTS = {
    "title_zh": "日前负荷预测测试",
    "title_en": "Day-ahead load test",
    "description_en": "Two weeks of hidden days.",
}


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class SuiteServiceTestCase(PortalTestCase):
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

    def make_suite(self, slug: str = "day-ahead", user=None) -> TestSuite:
        return suite_services.suite_create(
            scenario=self.scenario,
            user=user or self.gina,
            slug=slug,
            task_kind="forecasting",
            data=TEXTS,
        )

    def checked(self, suite: TestSuite, files=None):
        return suite_services.suite_bundle_check(
            suite=suite, user=self.gina, upload=upload(tar_gz(files or bundle_files()))
        )

    def make_draft(self, suite: TestSuite, **config_changes) -> SuiteVersion:
        return suite_services.suite_version_create(
            suite=suite,
            user=self.gina,
            config=config(**config_changes),
            bundle=self.checked(suite),
            change_notes="First hidden fortnight.",
        )

    def events(self, action: str) -> list[str]:
        return list(
            ScenarioEvent.objects.filter(scenario=self.scenario, action=action)
            .order_by("pk")
            .values_list("message", flat=True)
        )


class SuiteCreateTests(SuiteServiceTestCase):
    def test_the_owner_creates_a_suite(self):
        suite = self.make_suite()
        self.assertEqual(suite.title_en, "Day-ahead load test")
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_CREATED),
            ["day-ahead: 日前负荷预测测试 / Day-ahead load test"],
        )

    def test_an_operator_may_create_one(self):
        self.assertEqual(self.make_suite(user=self.olivia).scenario, self.scenario)

    def test_readers_and_others_may_not(self):
        for user in (self.gary, self.otto, self.alice, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.make_suite(user=user)

    def test_the_slug_is_unique_per_scenario(self):
        self.make_suite()
        with self.assertRaises(ValidationError) as caught:
            self.make_suite()
        self.assertEqual(
            caught.exception.message_dict,
            {"slug": ["This scenario already has a test suite with this slug."]},
        )

    def test_archived_scenarios_do_not_change(self):
        scenario_services.scenario_close(scenario=self.scenario, user=self.gina)
        scenario_services.scenario_archive(scenario=self.scenario, user=self.gina)
        with self.assertRaisesMessage(
            ValidationError, "An archived scenario's test suites do not change."
        ):
            self.make_suite()

    def test_the_kind_is_fixed_once_a_version_exists(self):
        suite = self.make_suite()
        suite_services.suite_update(
            suite=suite, user=self.gina, data={"task_kind": "classification"}
        )
        suite_services.suite_update(
            suite=suite, user=self.gina, data={"task_kind": "forecasting"}
        )
        self.make_draft(suite)
        with self.assertRaises(ValidationError) as caught:
            suite_services.suite_update(
                suite=suite,
                user=self.gina,
                data={"task_kind": "classification", "title_en": "New"},
            )
        self.assertIn("task_kind", caught.exception.message_dict)
        suite.refresh_from_db()
        self.assertEqual(suite.title_en, "Day-ahead load test")

    def test_updates_are_recorded(self):
        suite = self.make_suite()
        suite_services.suite_update(
            suite=suite, user=self.gina, data={"title_en": "Day-ahead", "slug": "x"}
        )
        suite.refresh_from_db()
        self.assertEqual((suite.title_en, suite.slug), ("Day-ahead", "day-ahead"))
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_EDITED), ["day-ahead: title_en"]
        )


class DraftTests(SuiteServiceTestCase):
    def test_a_draft_keeps_the_checked_bundle_and_its_summary(self):
        suite = self.make_suite()
        data = tar_gz(bundle_files())
        version = self.make_draft(suite)
        self.assertEqual(
            (version.number, version.status), (1, SuiteVersion.Status.DRAFT)
        )
        self.assertEqual(version.bundle.size, len(data))
        self.assertEqual(version.bundle_summary["splits"]["hidden"]["calls"], 3)
        self.assertEqual(version.config["quotas"], {"per_day": 4})
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_DRAFTED), ["day-ahead v1"]
        )

    def test_a_bad_bundle_is_refused_before_it_is_stored(self):
        files = bundle_files()
        del files["hidden/labels.json"]
        with self.assertRaises(ValidationError) as caught:
            self.checked(self.make_suite(), files)
        self.assertEqual(
            caught.exception.message_dict,
            {"bundle": ["hidden/labels.json is missing: every split needs its truth."]},
        )

    def test_only_managers_check_bundles(self):
        suite = self.make_suite()
        with self.assertRaises(PermissionDenied):
            suite_services.suite_bundle_check(
                suite=suite, user=self.gary, upload=upload(tar_gz(bundle_files()))
            )

    def test_the_configuration_must_fit_the_bundle(self):
        suite = self.make_suite()
        with self.assertRaises(ValidationError) as caught:
            self.make_draft(suite, probes={"drift": {}}, quotas={"per_day": 0})
        self.assertEqual(
            caught.exception.message_dict,
            {"config": ["quotas.per_day must be a whole number from 1 to 1000."]},
        )
        with self.assertRaises(ValidationError) as caught:
            self.make_draft(suite, probes={"drift": {}})
        self.assertEqual(
            caught.exception.message_dict,
            {
                "config": [
                    "The configuration describes the probes drift; the bundle has noise."
                ]
            },
        )
        self.assertIs(suite.versions.exists(), False)

    def test_the_development_data_is_a_downloadable_dataset_of_the_scenario(self):
        suite = self.make_suite()
        make_dataset(self.gina, self.scenario, "grid-hidden", policy="hidden")
        other = make_scenario(self.gina, self.grid, "GRID-PO-FC-009", status="draft")
        make_dataset(self.gina, other, "grid-elsewhere")
        for slug, message in (
            (
                "grid-hidden",
                "development.dataset “grid-hidden” never leaves the platform, so "
                "vendors could not download it; choose a dataset they may download.",
            ),
            (
                "grid-elsewhere",
                "development.dataset “grid-elsewhere” is not a dataset of scenario "
                "GRID-PO-FC-001; register the development data there first.",
            ),
        ):
            with self.subTest(slug=slug), self.assertRaises(ValidationError) as caught:
                self.make_draft(suite, development={"dataset": slug})
            self.assertEqual(caught.exception.message_dict, {"config": [message]})
        make_dataset(self.gina, self.scenario, "grid-dev", policy="registered")
        version = self.make_draft(suite, development={"dataset": "grid-dev"})
        self.assertEqual(version.config["development"], {"dataset": "grid-dev"})

    def test_one_draft_at_a_time(self):
        suite = self.make_suite()
        self.make_draft(suite)
        with self.assertRaisesMessage(
            ValidationError,
            "Version 1 of this suite is still a draft: edit, publish or discard it "
            "first.",
        ):
            self.make_draft(suite)

    def test_a_draft_is_edited_until_it_is_published(self):
        suite = self.make_suite()
        version = self.make_draft(suite)
        files = bundle_files(probes=())
        suite_services.suite_version_update(
            version=version,
            user=self.gina,
            config=config(probes={}, quotas={"per_day": 6}),
            bundle=self.checked(suite, files),
            change_notes="Without probes.",
        )
        version.refresh_from_db()
        self.assertEqual(version.config["quotas"], {"per_day": 6})
        self.assertEqual(version.bundle_summary["probes"], {})
        self.assertEqual(version.change_notes, "Without probes.")
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_EDITED),
            ["day-ahead v1: bundle, config, change_notes"],
        )
        suite_services.suite_version_publish(version=version, user=self.gina)
        with self.assertRaisesMessage(
            ValidationError,
            "Version 1 is Published and locked: new data or thresholds make a new "
            "version.",
        ):
            suite_services.suite_version_update(
                version=version, user=self.gina, change_notes="Later."
            )

    def test_a_new_bundle_is_checked_against_the_configuration(self):
        suite = self.make_suite()
        version = self.make_draft(suite)
        with self.assertRaises(ValidationError) as caught:
            suite_services.suite_version_update(
                version=version,
                user=self.gina,
                bundle=self.checked(suite, bundle_files(probes=())),
            )
        self.assertEqual(
            caught.exception.message_dict,
            {
                "config": [
                    "The configuration describes the probes noise; the bundle has –."
                ]
            },
        )

    def test_a_draft_is_discarded(self):
        suite = self.make_suite()
        version = self.make_draft(suite)
        suite_services.suite_version_discard(version=version, user=self.gina)
        self.assertIs(SuiteVersion.objects.filter(pk=version.pk).exists(), False)
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_EDITED),
            ["day-ahead v1: draft discarded"],
        )

    def test_readers_do_not_edit_drafts(self):
        version = self.make_draft(self.make_suite())
        for call in (
            lambda: suite_services.suite_version_update(
                version=version, user=self.gary, change_notes="x"
            ),
            lambda: suite_services.suite_version_discard(
                version=version, user=self.gary
            ),
            lambda: suite_services.suite_version_publish(
                version=version, user=self.otto
            ),
        ):
            with self.assertRaises(PermissionDenied):
                call()


class PublishTests(SuiteServiceTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        scenario_services.scenario_register(
            scenario=cls.scenario, organisation=cls.vendor_a, user=cls.alice
        )

    def test_publishing_locks_the_version_and_notifies_vendors(self):
        version = self.make_draft(self.make_suite())
        published = suite_services.suite_version_publish(
            version=version, user=self.gina
        )
        self.assertEqual(published.status, SuiteVersion.Status.PUBLISHED)
        self.assertIsNotNone(published.published_at)
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_PUBLISHED),
            ["day-ahead v1: First hidden fortnight."],
        )
        notified = Notification.objects.filter(url=f"/suites/{version.pk}/")
        self.assertEqual(
            sorted(notified.values_list("user__username", flat=True)), ["alice", "bob"]
        )
        # In each person's language (Chinese unless they chose English).
        self.assertEqual(
            notified.get(user=self.alice).subject,
            "GRID-PO-FC-001：测试套件“day-ahead”第 1 版已发布",
        )

    def test_a_new_version_retires_the_old_one_and_old_results_stay(self):
        suite = self.make_suite()
        first = suite_services.suite_version_publish(
            version=self.make_draft(suite), user=self.gina
        )
        submission = make_submission(first, self.vendor_b, self.charlie)
        self.charlie.language = "en"
        self.charlie.save(update_fields=["language"])
        second = suite_services.suite_version_publish(
            version=self.make_draft(suite, quotas={"per_day": 2}), user=self.olivia
        )
        first.refresh_from_db()
        submission.refresh_from_db()
        self.assertEqual(first.status, SuiteVersion.Status.RETIRED)
        self.assertEqual((second.number, second.status), (2, "published"))
        self.assertEqual(submission.suite_version, first)
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_RETIRED),
            ["day-ahead v1: replaced by version 2"],
        )
        # charlie's organisation submitted to the suite, so it hears too.
        body = Notification.objects.get(
            user=self.charlie, subject__endswith="version 2 is published"
        ).body
        self.assertEqual(
            body,
            "First hidden fortnight.\n\nVersion 1 is retired: it takes no more "
            "submissions.",
        )
        with self.assertRaisesMessage(
            ValidationError, "This suite version does not accept submissions."
        ):
            services.submission_create(
                suite_version=first,
                organisation=self.vendor_b,
                user=self.charlie,
                upload=ContentFile(b"x", name="s.zip"),
                file_name="s.zip",
            )

    def test_only_drafts_are_published(self):
        version = self.make_draft(self.make_suite())
        suite_services.suite_version_publish(version=version, user=self.gina)
        with self.assertRaisesMessage(ValidationError, "Version 1 is Published"):
            suite_services.suite_version_publish(version=version, user=self.gina)

    def test_publishing_checks_the_configuration_again(self):
        suite = self.make_suite()
        dataset = make_dataset(self.gina, self.scenario, "grid-dev", policy="public")
        version = self.make_draft(suite, development={"dataset": "grid-dev"})
        dataset.delete()
        with self.assertRaises(ValidationError) as caught:
            suite_services.suite_version_publish(version=version, user=self.gina)
        self.assertIn("is not a dataset of scenario", caught.exception.messages[0])
        version.refresh_from_db()
        self.assertEqual(version.status, SuiteVersion.Status.DRAFT)

    def test_retiring_stops_submissions(self):
        version = suite_services.suite_version_publish(
            version=self.make_draft(self.make_suite()), user=self.gina
        )
        retired = suite_services.suite_version_retire(version=version, user=self.gina)
        self.assertEqual(retired.status, SuiteVersion.Status.RETIRED)
        self.assertEqual(
            self.events(ScenarioEvent.Action.SUITE_RETIRED), ["day-ahead v1"]
        )
        self.assertEqual(
            Notification.objects.filter(user=self.alice)
            .values_list("subject", flat=True)
            .first(),
            "GRID-PO-FC-001：测试套件“day-ahead”第 1 版不再接受提交",
        )
        with self.assertRaisesMessage(
            ValidationError, "Only a published version can be retired."
        ):
            suite_services.suite_version_retire(version=version, user=self.gina)

    def test_only_managers_retire(self):
        version = suite_services.suite_version_publish(
            version=self.make_draft(self.make_suite()), user=self.gina
        )
        with self.assertRaises(PermissionDenied):
            suite_services.suite_version_retire(version=version, user=self.alice)


class BundleTokenTests(SuiteServiceTestCase):
    def test_a_checked_bundle_is_found_again_by_its_token(self):
        suite = self.make_suite()
        checked = self.checked(suite)
        token = suite_services.bundle_token(
            checked=checked, suite=suite, user=self.gina
        )
        again = suite_services.bundle_from_token(
            token=token, suite=suite, user=self.gina
        )
        self.assertEqual((again.blob, again.summary), (checked.blob, checked.summary))

    def test_the_token_belongs_to_one_user_and_suite(self):
        suite = self.make_suite()
        other = self.make_suite("other")
        token = suite_services.bundle_token(
            checked=self.checked(suite), suite=suite, user=self.gina
        )
        tampered = signing.dumps({"sha256": "0" * 64}, salt="something else")
        for kwargs in (
            {"token": token, "suite": suite, "user": self.olivia},
            {"token": token, "suite": other, "user": self.gina},
            {"token": tampered, "suite": suite, "user": self.gina},
        ):
            with self.subTest(kwargs=kwargs), self.assertRaises(ValidationError) as c:
                suite_services.bundle_from_token(**kwargs)
            self.assertEqual(
                c.exception.message_dict,
                {
                    "bundle": [
                        "The checked bundle is no longer available; upload it again."
                    ]
                },
            )


class SummariseCommandTests(SuiteServiceTestCase):
    def test_versions_without_a_summary_get_one_once(self):
        from io import StringIO

        from django.core.management import call_command

        from scenarios.dataset_services import blob_store

        suite = self.make_suite()
        blob = blob_store(ContentFile(tar_gz(bundle_files()), name="b.tar.gz"))
        # As the demo loader makes them: published, with no summary.
        version = SuiteVersion.objects.create(
            suite=suite,
            number=1,
            status=SuiteVersion.Status.PUBLISHED,
            config=config(),
            bundle=blob,
        )
        broken = bundle_files()
        del broken["sample/labels.json"]
        other = SuiteVersion.objects.create(
            suite=self.make_suite("other"),
            number=1,
            status=SuiteVersion.Status.PUBLISHED,
            config=config(),
            bundle=blob_store(ContentFile(tar_gz(broken), name="c.tar.gz")),
        )
        out, err = StringIO(), StringIO()
        call_command("summarise_suite_bundles", stdout=out, stderr=err)
        self.assertEqual(out.getvalue(), f"{version}: summarised\n")
        self.assertEqual(
            err.getvalue(),
            f"{other}: sample/labels.json is missing: every split needs its truth.\n",
        )
        version.refresh_from_db()
        self.assertEqual(version.bundle_summary["splits"]["hidden"]["calls"], 3)
        out = StringIO()
        call_command("summarise_suite_bundles", stdout=out, stderr=StringIO())
        self.assertEqual(out.getvalue(), "")
