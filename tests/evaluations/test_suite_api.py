"""The suite management API: suites, draft versions, publish and retire."""

from __future__ import annotations

import json
import shutil
import tempfile
from typing import Any

from django.core.cache import cache
from django.test import override_settings
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from evaluations import suite_api_urls, suite_services
from evaluations.models import SuiteVersion, TestSuite
from tests.base import PortalTestCase
from tests.evaluations.suite_helpers import bundle_files, config, tar_gz, upload
from tests.scenarios.helpers import make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
TOML = """schema_version = 1
[[metrics]]
code = "mae"
[quotas]
per_day = 3
"""


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class SuiteApiTestCase(PortalTestCase):
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
        cls.hidden_suite = suite_services.suite_create(
            scenario=cls.draft_scenario,
            user=cls.gina,
            slug="draft-suite",
            task_kind="forecasting",
            data={"title_zh": "草稿", "title_en": "Draft"},
        )

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

    def make_version(self, *, publish: bool = False) -> SuiteVersion:
        checked = suite_services.suite_bundle_check(
            suite=self.suite, user=self.gina, upload=upload(tar_gz(bundle_files()))
        )
        version = suite_services.suite_version_create(
            suite=self.suite, user=self.gina, config=config(), bundle=checked
        )
        if publish:
            version = suite_services.suite_version_publish(
                version=version, user=self.gina
            )
        return version


class ScenarioSuitesApiTests(SuiteApiTestCase):
    url = "/api/v1/scenarios/GRID-PO-FC-001/suites/"

    def test_it_lists_suites_with_visible_versions(self):
        draft = self.make_version()
        response = self.api.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [(s["slug"], s["versions"]) for s in response.json()], [("day-ahead", [])]
        )
        self.login_api(self.gary)
        versions = self.api.get(self.url).json()[0]["versions"]
        self.assertEqual(
            [(v["id"], v["status"]) for v in versions], [(draft.pk, "draft")]
        )

    def test_the_owner_creates_a_suite(self):
        self.login_api(self.gina)
        response = self.api.post(
            self.url,
            {
                "slug": "peak",
                "task_kind": "forecasting",
                "title_zh": "峰值",
                "title_en": "Peak",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["slug"], "peak")
        self.assertIs(TestSuite.objects.filter(slug="peak").exists(), True)

    def test_it_reports_field_errors(self):
        self.login_api(self.gina)
        response = self.api.post(
            self.url,
            {
                "slug": "day-ahead",
                "task_kind": "forecasting",
                "title_zh": "x",
                "title_en": "x",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"slug": ["This scenario already has a test suite with this slug."]},
        )

    def test_it_checks_ownership(self):
        self.login_api(self.otto)
        response = self.api.get("/api/v1/scenarios/GRID-PO-FC-002/suites/")
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_access(self):
        for user in (self.gary, self.alice, None):
            with self.subTest(user=user and user.username):
                self.login_api(user)
                response = self.api.post(self.url, {"slug": "x"}, format="json")
                self.assertIn(
                    response.status_code, (401, 403) if user is None else (403,)
                )

    def test_it_rejects_other_methods(self):
        self.login_api(self.gina)
        self.assertEqual(self.api.put(self.url, {}).status_code, 405)

    def test_it_keeps_its_query_count(self):
        self.make_version(publish=True)
        self.login_api(self.gina)
        self.api.get(self.url)
        # session, user, memberships, scenario, suites, versions
        with self.assertNumQueries(6):
            self.api.get(self.url)
        for slug in ("peak", "ramps"):
            suite = suite_services.suite_create(
                scenario=self.scenario,
                user=self.gina,
                slug=slug,
                task_kind="forecasting",
                data={"title_zh": slug, "title_en": slug},
            )
            checked = suite_services.suite_bundle_check(
                suite=suite, user=self.gina, upload=upload(tar_gz(bundle_files()))
            )
            suite_services.suite_version_create(
                suite=suite, user=self.gina, config=config(), bundle=checked
            )
        with self.assertNumQueries(6):
            response = self.api.get(self.url)
        self.assertEqual(len(response.json()), 3)


class SuiteApiTests(SuiteApiTestCase):
    def url(self, suite=None) -> str:
        return f"/api/v1/test-suites/{(suite or self.suite).pk}/"

    def test_it_shows_a_suite(self):
        response = self.api.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["scenario"], "GRID-PO-FC-001")

    def test_the_owner_edits_the_texts(self):
        self.login_api(self.gina)
        response = self.api.patch(self.url(), {"title_en": "Next day"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["title_en"], "Next day")

    def test_it_checks_ownership(self):
        self.login_api(self.otto)
        self.assertEqual(self.api.get(self.url(self.hidden_suite)).status_code, 404)

    def test_it_requires_write_access(self):
        self.login_api(self.gary)
        response = self.api.patch(self.url(), {"title_en": "x"}, format="json")
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login_api(self.gina)
        self.assertEqual(self.api.delete(self.url()).status_code, 405)


class VersionCreateApiTests(SuiteApiTestCase):
    def url(self, suite=None) -> str:
        return f"/api/v1/test-suites/{(suite or self.suite).pk}/versions/"

    def post(self, **data):
        payload = {
            "bundle": upload(tar_gz(bundle_files())),
            "config": json.dumps(config()),
            "change_notes": "First.",
            **data,
        }
        return self.api.post(self.url(), payload, format="multipart")

    def test_the_owner_uploads_a_draft(self):
        self.login_api(self.gina)
        response = self.post()
        self.assertEqual(response.status_code, 201, response.json())
        data = response.json()
        version = SuiteVersion.objects.get(pk=data["id"])
        self.assertEqual(data["status"], "draft")
        self.assertEqual(data["bundle_sha256"], version.bundle.sha256)
        self.assertEqual(data["bundle_summary"]["splits"]["hidden"]["calls"], 3)
        self.assertEqual(data["config"], config())

    def test_a_toml_configuration_is_accepted(self):
        self.login_api(self.gina)
        response = self.post(config=TOML, config_format="toml")
        self.assertEqual(response.status_code, 201, response.json())
        self.assertEqual(response.json()["config"]["quotas"], {"per_day": 3})

    def test_problems_come_back_by_field(self):
        self.login_api(self.gina)
        files = bundle_files()
        del files["hidden/labels.json"]
        response = self.post(bundle=upload(tar_gz(files)))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"bundle": ["hidden/labels.json is missing: every split needs its truth."]},
        )
        response = self.post(config="{")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(list(response.json()), ["config"])
        self.assertTrue(
            response.json()["config"][0].startswith(
                "The configuration is not valid JSON"
            )
        )

    def test_it_lists_versions(self):
        version = self.make_version(publish=True)
        response = self.api.get(self.url())
        self.assertEqual([v["id"] for v in response.json()], [version.pk])

    def test_it_checks_ownership(self):
        self.login_api(self.otto)
        self.assertEqual(self.api.get(self.url(self.hidden_suite)).status_code, 404)

    def test_it_requires_write_access(self):
        self.login_api(self.gary)
        self.assertEqual(self.post().status_code, 403)

    def test_it_rejects_other_methods(self):
        self.login_api(self.gina)
        self.assertEqual(self.api.delete(self.url()).status_code, 405)


class VersionManageApiTests(SuiteApiTestCase):
    def url(self, version, action="manage") -> str:
        return f"/api/v1/suite-versions/{version.pk}/{action}/"

    def test_the_owner_reads_and_edits_a_draft(self):
        version = self.make_version()
        self.login_api(self.gina)
        self.assertEqual(self.api.get(self.url(version)).json()["number"], 1)
        response = self.api.patch(
            self.url(version),
            {"config": config(quotas={"per_day": 8}), "change_notes": "Eight."},
            format="json",
        )
        self.assertEqual(response.status_code, 200, response.json())
        self.assertEqual(response.json()["config"]["quotas"], {"per_day": 8})
        self.assertEqual(response.json()["change_notes"], "Eight.")

    def test_a_new_bundle_replaces_the_drafts(self):
        version = self.make_version()
        self.login_api(self.gina)
        response = self.api.patch(
            self.url(version),
            {
                "bundle": upload(tar_gz(bundle_files(probes=()))),
                "config": json.dumps(config(probes={})),
            },
            format="multipart",
        )
        self.assertEqual(response.status_code, 200, response.json())
        self.assertEqual(response.json()["bundle_summary"]["probes"], {})

    def test_publish_then_retire(self):
        version = self.make_version()
        self.login_api(self.gina)
        response = self.api.post(self.url(version, "publish"))
        self.assertEqual(
            (response.status_code, response.json()["status"]), (200, "published")
        )
        response = self.api.patch(
            self.url(version), {"change_notes": "Later."}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {
                "non_field_errors": [
                    "Version 1 is Published and locked: new data or thresholds make "
                    "a new version."
                ]
            },
        )
        response = self.api.post(self.url(version, "retire"))
        self.assertEqual(response.json()["status"], "retired")

    def test_the_owner_discards_a_draft(self):
        version = self.make_version()
        self.login_api(self.gina)
        self.assertEqual(self.api.delete(self.url(version)).status_code, 204)
        self.assertIs(SuiteVersion.objects.filter(pk=version.pk).exists(), False)

    def test_it_checks_ownership(self):
        version = self.make_version()
        self.login_api(self.alice)
        for action in ("manage", "publish", "retire"):
            with self.subTest(action=action):
                method = self.api.get if action == "manage" else self.api.post
                self.assertEqual(method(self.url(version, action)).status_code, 404)

    def test_it_requires_write_access(self):
        version = self.make_version(publish=True)
        for user in (self.alice, self.gary):
            with self.subTest(user=user.username):
                self.login_api(user)
                self.assertEqual(self.api.get(self.url(version)).status_code, 403)
                response = self.api.post(self.url(version, "retire"))
                self.assertEqual(response.status_code, 403)

    def test_it_rejects_other_methods(self):
        version = self.make_version()
        self.login_api(self.gina)
        self.assertEqual(self.api.post(self.url(version)).status_code, 405)
        self.assertEqual(self.api.get(self.url(version, "publish")).status_code, 405)


class PublicVersionApiTests(SuiteApiTestCase):
    def test_the_public_view_declares_probes_splits_and_inputs(self):
        version = self.make_version(publish=True)
        SuiteVersion.objects.filter(pk=version.pk).update(
            config=config(
                gates=[
                    {
                        "metric": "mae",
                        "comparator": "<=",
                        "value": 0.5,
                        "probe": "noise",
                        "delta": True,
                    }
                ]
            )
        )
        data = self.api.get(f"/api/v1/suite-versions/{version.pk}/").json()
        self.assertEqual(
            data["gates"],
            [
                {
                    "metric": "mae",
                    "comparator": "<=",
                    "value": 0.5,
                    "probe": "noise",
                    "delta": True,
                }
            ],
        )
        self.assertEqual(
            data["probes"],
            [
                {
                    "name": "noise",
                    "description": "Gaussian noise on the history",
                    "calls": 3,
                }
            ],
        )
        self.assertEqual(data["splits"], {"sample": 2, "hidden": 3})
        self.assertEqual(
            data["input_schema"][1],
            {
                "name": "history.csv",
                "columns": ["timestamp", "load_mw"],
                "optional": False,
                "description": "Load before the origin",
            },
        )
        self.assertIsNone(data["development"])
        self.assertNotIn("bundle_summary", data)


class SuiteApiSchemaTests(PortalTestCase):
    def setUp(self) -> None:
        GENERATOR_STATS.reset()
        self.addCleanup(GENERATOR_STATS.reset)

    def test_it_generates_the_suite_api_without_warnings(self):
        patterns = [path("api/v1/", include("evaluations.api_urls"))]
        schema = SchemaGenerator(patterns=patterns).get_schema(
            request=None, public=True
        )
        validate_schema(schema)
        self.assertIs(bool(GENERATOR_STATS), False)
        paths = schema["paths"]
        for route in suite_api_urls.urlpatterns:
            url = "/api/v1/" + str(route.pattern).replace("<id:pk>", "{id}").replace(
                "<str:code>", "{code}"
            )
            with self.subTest(url=url):
                self.assertIn(url, paths)
        self.assertEqual(
            set(paths["/api/v1/suite-versions/{id}/manage/"]),
            {"get", "patch", "delete"},
        )
