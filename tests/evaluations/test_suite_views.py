"""The suite management pages, and what the public suite page declares."""

from __future__ import annotations

import json
import shutil
import tempfile

from django.test import override_settings
from django.urls import reverse

from evaluations import suite_services
from evaluations.models import SuiteVersion, TestSuite
from scenarios.models import ScenarioEvent
from tests.base import PortalTestCase
from tests.evaluations.suite_helpers import (
    bundle_files,
    config,
    edit_json,
    tar_gz,
    upload,
)
from tests.scenarios.helpers import make_dataset, make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
# A hidden label value that must never appear on any page.
SECRET = 987654.321


def secret_bundle() -> bytes:
    def change(labels):
        labels["calls"]["h1"]["y_true"] = [SECRET, SECRET]

    return tar_gz(edit_json(bundle_files(), "hidden/labels.json", change))


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class SuiteViewTestCase(PortalTestCase):
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
        cls.draft_scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-002", status="draft"
        )
        cls.suite = suite_services.suite_create(
            scenario=cls.scenario,
            user=cls.gina,
            slug="day-ahead",
            task_kind="forecasting",
            data={"title_zh": "日前", "title_en": "Day-ahead"},
        )
        cls.draft_suite = suite_services.suite_create(
            scenario=cls.draft_scenario,
            user=cls.gina,
            slug="hidden-suite",
            task_kind="forecasting",
            data={"title_zh": "草稿", "title_en": "Draft suite"},
        )

    def make_version(self, suite=None, *, publish=False, **changes) -> SuiteVersion:
        suite = suite or self.suite
        checked = suite_services.suite_bundle_check(
            suite=suite, user=self.gina, upload=upload(secret_bundle())
        )
        version = suite_services.suite_version_create(
            suite=suite,
            user=self.gina,
            config=config(**changes),
            bundle=checked,
            change_notes="Two hidden weeks.",
        )
        if publish:
            version = suite_services.suite_version_publish(
                version=version, user=self.gina
            )
        return version


class ScenarioSuitesTests(SuiteViewTestCase):
    url_name = "evaluations:scenario_suites"

    def url(self, code="GRID-PO-FC-001") -> str:
        return reverse(self.url_name, args=[code])

    def test_the_owner_sees_the_suites_and_their_versions(self):
        version = self.make_version()
        self.login(self.gina)
        response = self.client.get(self.url())
        self.assertContains(response, "Day-ahead")
        self.assertContains(
            response, reverse("evaluations:suite_version_manage", args=[version.pk])
        )
        self.assertContains(response, "Continue draft version 1")

    def test_it_checks_ownership(self):
        self.login(self.otto)
        self.assertEqual(self.client.get(self.url("GRID-PO-FC-002")).status_code, 404)

    def test_it_requires_write_access(self):
        for user in (self.gary, self.otto, self.alice):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 403)
                response = self.client.post(self.url(), {"slug": "x"})
                self.assertEqual(response.status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login(self.gina)
        self.assertEqual(self.client.put(self.url()).status_code, 405)

    def test_it_needs_a_login(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_the_owner_creates_a_suite(self):
        self.login(self.olivia)
        response = self.client.post(
            self.url(),
            {
                "slug": "peak",
                "task_kind": "forecasting",
                "title_zh": "峰值",
                "title_en": "Peak",
            },
        )
        suite = TestSuite.objects.get(slug="peak")
        self.assertRedirects(
            response, reverse("evaluations:suite_version_create", args=[suite.pk])
        )

    def test_a_used_slug_is_shown_next_to_the_field(self):
        self.login(self.gina)
        response = self.client.post(
            self.url(),
            {
                "slug": "day-ahead",
                "task_kind": "forecasting",
                "title_zh": "x",
                "title_en": "x",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors,
            {"slug": ["This scenario already has a test suite with this slug."]},
        )

    def test_it_keeps_its_query_count(self):
        self.make_version(publish=True)
        self.login(self.gina)
        self.client.get(self.url())
        # session, user, memberships, scenario, suites, versions, events,
        # unread notifications
        with self.assertNumQueries(8):
            self.client.get(self.url())
        for slug in ("peak", "week-ahead", "ramps"):
            suite = suite_services.suite_create(
                scenario=self.scenario,
                user=self.gina,
                slug=slug,
                task_kind="forecasting",
                data={"title_zh": slug, "title_en": slug},
            )
            self.make_version(suite, publish=True)
            self.make_version(suite)
        with self.assertNumQueries(8):
            response = self.client.get(self.url())
        self.assertContains(response, "status-published", count=4)


class SuiteEditTests(SuiteViewTestCase):
    def url(self, suite=None) -> str:
        return reverse("evaluations:suite_edit", args=[(suite or self.suite).pk])

    def test_the_owner_edits_the_texts(self):
        self.login(self.gina)
        response = self.client.post(
            self.url(),
            {"task_kind": "forecasting", "title_zh": "日前", "title_en": "Next day"},
        )
        self.assertRedirects(
            response, reverse("evaluations:scenario_suites", args=["GRID-PO-FC-001"])
        )
        self.suite.refresh_from_db()
        self.assertEqual(self.suite.title_en, "Next day")

    def test_the_kind_is_fixed_once_a_version_exists(self):
        self.make_version()
        self.login(self.gina)
        self.client.post(
            self.url(),
            {"task_kind": "classification", "title_zh": "日前", "title_en": "Day"},
        )
        self.suite.refresh_from_db()
        self.assertEqual(
            (self.suite.task_kind, self.suite.title_en), ("forecasting", "Day")
        )

    def test_it_checks_ownership(self):
        self.login(self.otto)
        self.assertEqual(self.client.get(self.url(self.draft_suite)).status_code, 404)

    def test_it_requires_write_access(self):
        self.login(self.gary)
        self.assertEqual(self.client.get(self.url()).status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login(self.gina)
        self.assertEqual(self.client.delete(self.url()).status_code, 405)


class VersionCreateTests(SuiteViewTestCase):
    def url(self, suite=None) -> str:
        return reverse(
            "evaluations:suite_version_create", args=[(suite or self.suite).pk]
        )

    def post(self, **data):
        payload = {
            "config_text": json.dumps(config()),
            "config_format": "auto",
            "change_notes": "First version.",
            **data,
        }
        return self.client.post(self.url(), payload)

    def test_it_offers_a_configuration_to_start_from(self):
        self.login(self.gina)
        response = self.client.get(self.url())
        text = response.context["form"]["config_text"].value()
        self.assertEqual(
            suite_services.config_problems(
                suite=self.suite,
                config=suite_services.config_from_text(text),
                summary=None,
            ),
            [],
        )

    def test_a_new_version_starts_from_the_latest_configuration(self):
        self.make_version(publish=True, quotas={"per_day": 7})
        self.login(self.gina)
        text = self.client.get(self.url()).context["form"]["config_text"].value()
        self.assertEqual(json.loads(text)["quotas"], {"per_day": 7})

    def test_it_answers_an_empty_post_with_form_errors(self):
        """An empty POST re-renders the form (it was a 500: errors were
        added to an unbound form)."""
        self.login(self.gina)
        response = self.client.post(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["bundle"], ["Upload the data bundle."]
        )
        self.assertIs(SuiteVersion.objects.filter(suite=self.suite).exists(), False)

    def test_the_owner_saves_a_draft(self):
        self.login(self.gina)
        response = self.post(bundle=upload(tar_gz(bundle_files())))
        version = SuiteVersion.objects.get(suite=self.suite)
        self.assertRedirects(
            response, reverse("evaluations:suite_version_manage", args=[version.pk])
        )
        self.assertEqual(version.change_notes, "First version.")

    def test_nothing_is_lost_when_the_configuration_is_wrong(self):
        self.login(self.gina)
        bad = json.dumps(config(quotas={"per_day": 0}))
        response = self.post(bundle=upload(tar_gz(bundle_files())), config_text=bad)
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(
            form.errors,
            {"config_text": ["quotas.per_day must be a whole number from 1 to 1000."]},
        )
        self.assertEqual(form["config_text"].value(), bad)
        self.assertContains(response, "Bundle checked and kept")
        token = response.context["bundle_token"]
        self.assertContains(response, f'name="bundle_token" value="{token}"')
        # The owner fixes the configuration; the bundle is not uploaded again.
        response = self.post(bundle_token=token)
        version = SuiteVersion.objects.get(suite=self.suite)
        self.assertRedirects(
            response, reverse("evaluations:suite_version_manage", args=[version.pk])
        )

    def test_the_bundle_is_kept_when_another_field_is_missing(self):
        self.login(self.gina)
        response = self.post(bundle=upload(tar_gz(bundle_files())), config_text="")
        self.assertEqual(
            response.context["form"].errors,
            {"config_text": ["This field is required."]},
        )
        self.assertContains(response, "Bundle checked and kept")
        self.assertNotEqual(response.context["bundle_token"], "")

    def test_a_bad_bundle_is_explained_next_to_its_field(self):
        files = bundle_files()
        del files["sample/labels.json"]
        self.login(self.gina)
        response = self.post(bundle=upload(tar_gz(files)))
        self.assertEqual(
            response.context["form"].errors,
            {"bundle": ["sample/labels.json is missing: every split needs its truth."]},
        )
        self.assertIs(SuiteVersion.objects.exists(), False)

    def test_the_bundle_is_required(self):
        self.login(self.gina)
        response = self.post()
        self.assertEqual(
            response.context["form"].errors, {"bundle": ["Upload the data bundle."]}
        )

    def test_the_configuration_is_checked_in_place(self):
        self.login(self.gina)
        response = self.client.post(
            self.url(),
            {
                "config_text": json.dumps(config(gates=[{"metric": "rmse"}])),
                "config_format": "json",
                "check": "1",
            },
            HTTP_HX_REQUEST="true",
        )
        self.assertTemplateUsed(response, "evaluations/_suite_config_check.html")
        self.assertTemplateNotUsed(response, "base.html")
        self.assertContains(response, "refers to no declared metric.")
        response = self.client.post(
            self.url(),
            {
                "config_text": json.dumps(config()),
                "config_format": "json",
                "check": "1",
            },
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "The configuration is valid.")
        self.assertContains(response, "Gaussian noise on the history")
        self.assertIs(SuiteVersion.objects.exists(), False)

    def test_it_checks_ownership(self):
        self.login(self.otto)
        self.assertEqual(self.client.get(self.url(self.draft_suite)).status_code, 404)

    def test_it_requires_write_access(self):
        for user in (self.gary, self.alice):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, 403)
                self.assertEqual(self.post().status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login(self.gina)
        self.assertEqual(self.client.put(self.url()).status_code, 405)


class VersionManageTests(SuiteViewTestCase):
    def url(self, version) -> str:
        return reverse("evaluations:suite_version_manage", args=[version.pk])

    def test_it_summarises_a_draft_without_hidden_labels(self):
        version = self.make_version()
        self.login(self.gina)
        response = self.client.get(self.url(version))
        self.assertContains(response, version.bundle.sha256)
        self.assertContains(response, "Gaussian noise on the history")
        self.assertContains(response, 'id="publish-version"')
        self.assertNotContains(response, str(SECRET))

    def test_the_owner_edits_the_draft(self):
        version = self.make_version()
        self.login(self.gina)
        response = self.client.post(
            self.url(version),
            {
                "config_text": json.dumps(config(quotas={"per_day": 9})),
                "config_format": "json",
                "change_notes": "Nine a day.",
            },
        )
        self.assertRedirects(response, self.url(version))
        version.refresh_from_db()
        self.assertEqual(
            (version.config["quotas"], version.change_notes),
            ({"per_day": 9}, "Nine a day."),
        )

    def test_a_published_version_is_locked(self):
        version = self.make_version(publish=True)
        self.login(self.gina)
        response = self.client.get(self.url(version))
        self.assertContains(response, 'id="locked-config"')
        self.assertNotContains(response, 'id="suite-version-form"')
        response = self.client.post(
            self.url(version),
            {"config_text": "{}", "config_format": "json"},
            follow=True,
        )
        self.assertContains(response, "Version 1 is Published and locked")
        version.refresh_from_db()
        self.assertEqual(version.config["quotas"], {"per_day": 4})

    def test_it_checks_ownership(self):
        version = self.make_version()
        for user in (self.alice, self.otto):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url(version)).status_code, 404)

    def test_it_requires_write_access(self):
        draft = self.make_version()
        self.login(self.gary)
        self.assertEqual(self.client.get(self.url(draft)).status_code, 403)
        published = suite_services.suite_version_publish(version=draft, user=self.gina)
        for user in (self.alice, self.otto):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url(published)).status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login(self.gina)
        self.assertEqual(
            self.client.put(self.url(self.make_version())).status_code, 405
        )


class VersionActionTests(SuiteViewTestCase):
    def test_the_owner_publishes_then_retires(self):
        version = self.make_version()
        self.login(self.gina)
        manage = reverse("evaluations:suite_version_manage", args=[version.pk])
        response = self.client.post(
            reverse("evaluations:suite_version_publish", args=[version.pk])
        )
        self.assertRedirects(response, manage)
        version.refresh_from_db()
        self.assertEqual(version.status, SuiteVersion.Status.PUBLISHED)
        response = self.client.post(
            reverse("evaluations:suite_version_retire", args=[version.pk])
        )
        version.refresh_from_db()
        self.assertEqual(version.status, SuiteVersion.Status.RETIRED)

    def test_a_refusal_is_shown_as_a_message(self):
        version = self.make_version()
        self.login(self.gina)
        response = self.client.post(
            reverse("evaluations:suite_version_retire", args=[version.pk]), follow=True
        )
        self.assertContains(response, "Only a published version can be retired.")

    def test_the_owner_discards_a_draft(self):
        version = self.make_version()
        self.login(self.gina)
        response = self.client.post(
            reverse("evaluations:suite_version_discard", args=[version.pk])
        )
        self.assertRedirects(
            response, reverse("evaluations:scenario_suites", args=["GRID-PO-FC-001"])
        )
        self.assertIs(SuiteVersion.objects.filter(pk=version.pk).exists(), False)

    def test_they_check_ownership(self):
        draft = self.make_version()
        self.login(self.alice)
        for name in ("publish", "retire", "discard"):
            with self.subTest(name=name):
                url = reverse(f"evaluations:suite_version_{name}", args=[draft.pk])
                self.assertEqual(self.client.post(url).status_code, 404)

    def test_they_require_write_access(self):
        draft = self.make_version()
        self.login(self.gary)
        for name in ("publish", "retire", "discard"):
            with self.subTest(name=name):
                url = reverse(f"evaluations:suite_version_{name}", args=[draft.pk])
                self.assertEqual(self.client.post(url).status_code, 403)
        draft.refresh_from_db()
        self.assertEqual(draft.status, SuiteVersion.Status.DRAFT)

    def test_they_reject_get(self):
        draft = self.make_version()
        self.login(self.gina)
        for name in ("publish", "retire", "discard"):
            with self.subTest(name=name):
                url = reverse(f"evaluations:suite_version_{name}", args=[draft.pk])
                self.assertEqual(self.client.get(url).status_code, 405)


class PublicSuitePageTests(SuiteViewTestCase):
    def test_it_shows_the_declared_configuration_but_no_hidden_label(self):
        make_dataset(self.gina, self.scenario, "grid-dev", policy="registered")
        version = self.make_version(
            publish=True,
            development={"dataset": "grid-dev", "description": "2025 load"},
        )
        response = self.client.get(reverse("evaluations:suite", args=[version.pk]))
        declaration = response.context["declaration"]
        self.assertEqual(
            [(m["key"], m["weight"]) for m in declaration["metrics"]],
            [("mae", 1.0), ("peak_error", 0.0)],
        )
        self.assertEqual(declaration["per_day"], 4)
        self.assertEqual(
            declaration["limits"][3],
            {"key": "processes", "value": 64, "declared": False},
        )
        self.assertContains(response, "4 in 24 hours")
        self.assertContains(response, "Gaussian noise on the history")
        self.assertContains(response, "Load before the origin")
        self.assertContains(response, reverse("scenarios:dataset", args=["grid-dev"]))
        self.assertContains(response, "Two hidden weeks.")
        self.assertNotContains(response, str(SECRET))
        self.assertNotContains(response, version.bundle.sha256)
        self.assertNotContains(response, 'id="manage-version-link"')

    def test_probe_gates_are_declared_with_their_probe(self):
        gates = [
            {"metric": "mae", "comparator": "<=", "value": 5.0},
            {
                "metric": "mae",
                "comparator": "<=",
                "value": 0.3,
                "probe": "noise",
                "delta": True,
            },
        ]
        version = self.make_version(publish=True, gates=gates)
        response = self.client.get(reverse("evaluations:suite", args=[version.pk]))
        declaration = response.context["declaration"]
        self.assertEqual(
            declaration["metrics"][0]["gates"],
            [{"metric": "mae", "comparator": "<=", "value": 5.0}],
        )
        self.assertEqual(declaration["probes"][0]["gates"], [gates[1]])
        self.assertContains(response, "change in mae &lt;= 0.3")

    def test_managers_get_a_link_to_manage_it(self):
        version = self.make_version(publish=True)
        self.login(self.gina)
        response = self.client.get(reverse("evaluations:suite", args=[version.pk]))
        self.assertContains(response, 'id="manage-version-link"')

    def test_the_scenario_page_links_to_suite_management_for_managers(self):
        url = self.scenario.get_absolute_url()
        manage = reverse("evaluations:scenario_suites", args=["GRID-PO-FC-001"])
        self.assertNotContains(self.client.get(url), manage)
        self.login(self.gary)
        self.assertNotContains(self.client.get(url), manage)
        self.login(self.gina)
        self.assertContains(self.client.get(url), manage)


class HistoryTests(SuiteViewTestCase):
    def test_the_scenario_history_shows_suite_events(self):
        self.make_version(publish=True)
        self.login(self.gina)
        response = self.client.get(self.scenario.get_absolute_url())
        self.assertContains(response, "Test suite version published")
        self.assertEqual(
            ScenarioEvent.objects.filter(
                scenario=self.scenario, action__startswith="suite_"
            ).count(),
            3,
        )
