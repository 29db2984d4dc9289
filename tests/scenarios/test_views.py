from __future__ import annotations

import hashlib

from django.test import override_settings
from django.urls import reverse

from scenarios import dataset_services, services
from scenarios.models import AccessRequest, DownloadLog, Scenario
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_dataset, make_scenario, spec


class CatalogViewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.wind = make_scenario(
            cls.otto,
            cls.other_energy,
            "WIND-OM-AD-002",
            operator=cls.olivia,
            sector="wind",
            stage="equipment_om",
            task_type="anomaly_detection",
            title_zh="风机齿轮箱早期故障预警",
            title_en="Wind turbine gearbox early warning",
        )
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-PD-LLM-003", status="draft")

    def test_it_lists_published_scenarios_to_the_public(self):
        response = self.client.get(reverse("scenarios:index"))
        self.assertContains(response, "GRID-PO-FC-001")
        self.assertContains(response, "WIND-OM-AD-002")
        self.assertNotContains(response, "GRID-PD-LLM-003")

    def test_it_filters_by_sector_and_searches_both_languages(self):
        url = reverse("scenarios:index")
        response = self.client.get(url, {"sector": "wind"})
        self.assertContains(response, "WIND-OM-AD-002")
        self.assertNotContains(response, "GRID-PO-FC-001")
        response = self.client.get(url, {"q": "齿轮箱"})
        self.assertContains(response, "WIND-OM-AD-002")
        self.assertNotContains(response, "GRID-PO-FC-001")
        response = self.client.get(url, {"q": "gearbox warning"})
        self.assertContains(response, "WIND-OM-AD-002")
        self.assertNotContains(response, "GRID-PO-FC-001")

    def test_it_serves_the_results_partial_to_htmx(self):
        response = self.client.get(
            reverse("scenarios:index"),
            {"stage": "equipment_om"},
            HTTP_HX_REQUEST="true",
        )
        self.assertTemplateUsed(response, "scenarios/_results.html")
        self.assertTemplateNotUsed(response, "base.html")
        self.assertContains(response, "WIND-OM-AD-002")
        self.assertIn("HX-Request", response["Vary"])
        response = self.client.get(reverse("scenarios:index_results"))
        self.assertTemplateNotUsed(response, "base.html")

    def test_it_reports_bad_filter_values_instead_of_failing(self):
        response = self.client.get(reverse("scenarios:index"), {"sector": "moon"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")

    def test_the_draft_is_visible_to_its_company_only(self):
        url = reverse("scenarios:detail", args=["GRID-PD-LLM-003"])
        self.assertEqual(self.client.get(url).status_code, 404)
        for user, status in (
            (self.alice, 404),
            (self.otto, 404),
            (self.gary, 200),
            (self.gina, 200),
            (self.olivia, 200),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_it_keeps_the_catalog_query_count_constant(self):
        # Ten more scenarios must not add queries.
        self.client.get(reverse("scenarios:index"))
        with self.assertNumQueries(2):  # count, page (owner and score joined)
            self.client.get(reverse("scenarios:index"))
        for n in range(10):
            make_scenario(
                self.gina, self.grid, f"GRID-PO-FC-5{n:02d}", operator=self.olivia
            )
        with self.assertNumQueries(2):
            self.client.get(reverse("scenarios:index"))

    def test_the_map_counts_and_links_cells(self):
        response = self.client.get(reverse("scenarios:map"))
        cells = {
            (cell.sector, cell.stage): cell.count
            for row in response.context["map"]["rows"]
            for cell in row["cells"]
        }
        self.assertEqual(cells[("grid", "production_operation")], 1)
        self.assertEqual(cells[("wind", "equipment_om")], 1)
        self.assertEqual(cells[("grid", "planning_design")], 0)  # the draft is hidden
        self.assertContains(response, "?sector=wind&amp;stage=equipment_om")
        response = self.client.get(
            reverse("scenarios:map"), {"task_type": "forecasting"}
        )
        self.assertEqual(response.context["map"]["total"], 1)

    def test_the_map_uses_one_query(self):
        with self.assertNumQueries(1):
            self.client.get(reverse("scenarios:map"), HTTP_HX_REQUEST="true")

    def test_the_home_page_renders(self):
        response = self.client.get(reverse("home"))
        self.assertContains(response, "GRID-PO-FC-001")


class ScenarioAuthoringViewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-PO-FC-010", status="draft")

    def _form_data(self, **overrides):
        data = {k: ("" if v is None else v) for k, v in spec().items()}
        data["requires_domestic_hardware"] = ""
        data["requires_domestic_software"] = "on"
        data.update(
            {
                "thresholds-TOTAL_FORMS": "2",
                "thresholds-INITIAL_FORMS": "0",
                "thresholds-MIN_NUM_FORMS": "0",
                "thresholds-MAX_NUM_FORMS": "20",
                "thresholds-0-metric": "A_CN",
                "thresholds-0-comparator": ">=",
                "thresholds-0-value": "90",
                "thresholds-0-unit": "%",
                "thresholds-0-standard": "GB/T 40607-2021",
                "thresholds-1-comparator": "",
            }
        )
        data.update(overrides)
        return data

    def test_it_creates_a_draft(self):
        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:create"),
            self._form_data(code="GRID-PO-FC-011", owner=self.grid.pk),
        )
        scenario = Scenario.objects.get(code="GRID-PO-FC-011")
        self.assertRedirects(response, scenario.get_absolute_url())
        self.assertEqual(scenario.status, Scenario.Status.DRAFT)
        self.assertEqual(
            list(scenario.thresholds.values_list("metric", flat=True)), ["A_CN"]
        )

    def test_it_shows_field_errors_and_keeps_input(self):
        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:create"),
            self._form_data(code="GRID-PO-FC-012", owner=self.grid.pk, title_en=""),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "系统日前负荷预测")
        self.assertIs(Scenario.objects.filter(code="GRID-PO-FC-012").exists(), False)

    def test_create_requires_write_access(self):
        for user in (self.gary, self.alice, self.rita, self.nobody):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(
                    self.client.get(reverse("scenarios:create")).status_code, 403
                )

    def test_edit_checks_ownership(self):
        self.login(self.otto)
        response = self.client.get(reverse("scenarios:edit", args=["GRID-PO-FC-010"]))
        self.assertEqual(response.status_code, 404)

    def test_edit_requires_write_access(self):
        self.login(self.gary)
        response = self.client.get(reverse("scenarios:edit", args=["GRID-PO-FC-010"]))
        self.assertEqual(response.status_code, 403)

    def test_edit_saves_a_draft(self):
        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:edit", args=["GRID-PO-FC-010"]),
            self._form_data(title_en="Bus load forecast"),
        )
        self.assertEqual(response.status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title_en, "Bus load forecast")

    def test_edit_of_a_published_scenario_needs_change_notes(self):
        published = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-013", operator=self.olivia
        )
        self.login(self.gina)
        url = reverse("scenarios:edit", args=[published.code])
        response = self.client.post(url, self._form_data(title_en="Changed"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This field is required.")
        response = self.client.post(
            url,
            self._form_data(title_en="Changed", change_notes="New title for clarity."),
        )
        self.assertEqual(response.status_code, 302)
        published.refresh_from_db()
        self.assertEqual(published.version, 2)

    def test_transitions_reject_get(self):
        self.login(self.gina)
        for name in (
            "submit",
            "withdraw",
            "publish",
            "reject",
            "close",
            "reopen",
            "archive",
            "register",
            "assess",
        ):
            with self.subTest(name=name):
                response = self.client.get(
                    reverse(f"scenarios:{name}", args=[self.draft.code])
                )
                self.assertEqual(response.status_code, 405)

    def test_transitions_check_ownership(self):
        self.login(self.charlie)
        response = self.client.post(reverse("scenarios:submit", args=[self.draft.code]))
        self.assertEqual(response.status_code, 404)

    def test_submit_requires_write_access(self):
        self.login(self.gary)
        response = self.client.post(reverse("scenarios:submit", args=[self.draft.code]))
        self.assertEqual(response.status_code, 403)

    def test_operator_publishes_and_public_sees_it(self):
        self.login(self.gina)
        self.client.post(reverse("scenarios:submit", args=[self.draft.code]))
        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:publish", args=[self.draft.code])
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.olivia)
        self.client.post(reverse("scenarios:publish", args=[self.draft.code]))
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Scenario.Status.PUBLISHED)
        self.client.logout()
        response = self.client.get(self.draft.get_absolute_url())
        self.assertContains(response, "MAPE")

    def test_reject_shows_the_missing_reason(self):
        services.scenario_submit(scenario=self.draft, user=self.gina)
        self.login(self.olivia)
        response = self.client.post(
            reverse("scenarios:reject", args=[self.draft.code]),
            {"reason": ""},
            follow=True,
        )
        self.assertContains(response, "Give a reason.")
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, Scenario.Status.SUBMITTED)

    def test_assessment_requires_an_operator(self):
        published = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-014", operator=self.olivia
        )
        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:assess", args=[published.code]),
            {"strategic_priority": "5", "adjustment": "0", "justification": ""},
        )
        self.assertEqual(response.status_code, 403)

    def test_version_page_shows_changes(self):
        published = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-015", operator=self.olivia
        )
        services.scenario_revise(
            scenario=published,
            user=self.gina,
            data={"title_en": "Renamed"},
            thresholds=None,
            change_notes="Rename.",
        )
        response = self.client.get(
            reverse("scenarios:version", args=[published.code, 2])
        )
        self.assertContains(response, "Renamed")
        self.assertContains(response, "title_en")
        response = self.client.get(
            reverse("scenarios:version", args=[published.code, 9])
        )
        self.assertEqual(response.status_code, 404)


class ListViewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-020", operator=cls.olivia
        )
        cls.published = services.high_value_list_create(
            user=cls.olivia,
            year=2026,
            batch=1,
            data={"title_zh": "第一批", "title_en": "Batch 1"},
        )
        services.high_value_list_add(
            hv_list=cls.published, user=cls.olivia, scenario=cls.scenario
        )
        services.high_value_list_publish(hv_list=cls.published, user=cls.olivia)
        cls.draft = services.high_value_list_create(
            user=cls.olivia,
            year=2026,
            batch=2,
            data={"title_zh": "第二批", "title_en": "Batch 2"},
        )

    def test_the_public_sees_published_lists_only(self):
        response = self.client.get(reverse("scenarios:lists"))
        self.assertContains(response, "Batch 1")
        self.assertNotContains(response, "Batch 2")
        url = reverse("scenarios:list_detail", args=[self.draft.slug])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.olivia)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_list_pages_keep_their_query_count(self):
        with self.assertNumQueries(2):
            self.client.get(
                reverse("scenarios:list_detail", args=[self.published.slug])
            )
        with self.assertNumQueries(1):
            self.client.get(reverse("scenarios:lists"))

    def test_entries_require_an_operator(self):
        self.login(self.gina)
        url = reverse("scenarios:list_entries", args=[self.draft.slug])
        self.assertEqual(
            self.client.post(url, {"code": "GRID-PO-FC-020"}).status_code, 404
        )
        published_url = reverse("scenarios:list_entries", args=[self.published.slug])
        self.assertEqual(
            self.client.post(published_url, {"action": "rank"}).status_code, 403
        )
        self.assertEqual(self.client.get(url).status_code, 405)
        self.login(self.olivia)
        self.client.post(url, {"action": "add", "code": "grid-po-fc-020"})
        self.assertEqual(self.draft.entries.count(), 1)
        response = self.client.post(
            url, {"action": "add", "code": "NOPE-1"}, follow=True
        )
        self.assertContains(response, "No scenario has this code.")

    def test_it_exports_a_published_list_as_csv(self):
        import csv
        import io

        response = self.client.get(
            reverse("scenarios:list_export", args=[self.published.slug])
        )
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["rank", "code", "title_zh"])
        self.assertEqual(
            rows[1][:4],
            [
                "1",
                "GRID-PO-FC-020",
                "系统日前负荷预测",
                "System day-ahead load forecast",
            ],
        )
        self.assertEqual(len(rows), 2)
        draft_url = reverse("scenarios:list_export", args=[self.draft.slug])
        self.assertEqual(self.client.get(draft_url).status_code, 404)
        self.assertEqual(self.client.post(draft_url).status_code, 405)

    def test_the_list_export_never_starts_a_formula(self):
        import csv
        import io

        entry = self.published.entries.get()
        entry.rationale_en = '=HYPERLINK("http://evil.example","x")'
        entry.save(update_fields=["rationale_en"])
        self.grid.name_en = "@SUM(1)"
        self.grid.save(update_fields=["name_en"])

        response = self.client.get(
            reverse("scenarios:list_export", args=[self.published.slug])
        )

        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        self.assertIn('\'=HYPERLINK("http://evil.example","x")', cells)
        self.assertIn("'@SUM(1)", cells)
        self.assertFalse([c for c in cells if c[:1] in ("=", "+", "-", "@")])

    def test_list_create_requires_an_operator(self):
        self.login(self.gina)
        self.assertEqual(
            self.client.get(reverse("scenarios:list_create")).status_code, 403
        )


class DatasetViewTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-030", operator=cls.olivia
        )
        cls.content = b"timestamp,load\n2026-01-01T00:00,100\n"

    def setUp(self):
        self.dataset = make_dataset(
            self.gina, self.scenario, "load-2026", content=self.content
        )
        self.hidden = make_dataset(
            self.gina,
            self.scenario,
            "load-hidden",
            policy="hidden",
            classification="core",
        )
        self.file = self.dataset.versions.get().files.get()

    def _download(self, dataset, dataset_file):
        return self.client.post(
            reverse("scenarios:dataset_download", args=[dataset.slug, dataset_file.pk])
        )

    def test_the_vendor_requests_the_owner_approves_and_the_vendor_downloads(self):
        self.login(self.alice)
        self.assertEqual(self._download(self.dataset, self.file).status_code, 403)
        response = self.client.post(
            reverse("scenarios:access_request_create", args=[self.dataset.slug]),
            {
                "organisation": self.vendor_a.pk,
                "purpose": "Benchmark our forecaster on 2026 data.",
            },
        )
        request = AccessRequest.objects.get()
        self.assertRedirects(response, request.get_absolute_url())
        self.login(self.gina)
        self.client.post(
            reverse("scenarios:access_request_decide", args=[request.pk]),
            {"decision": "approve", "reason": ""},
        )
        self.login(self.alice)
        response = self._download(self.dataset, self.file)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), self.content)
        self.assertEqual(
            response["X-Content-SHA256"], hashlib.sha256(self.content).hexdigest()
        )
        log = DownloadLog.objects.get()
        self.assertEqual((log.user, log.organisation), (self.alice, self.vendor_a))
        self.assertEqual(log.sha256, hashlib.sha256(self.content).hexdigest())
        # Charlie's vendor was not approved.
        self.login(self.charlie)
        self.assertEqual(self._download(self.dataset, self.file).status_code, 403)

    def test_hidden_files_never_download(self):
        hidden_file = self.hidden.versions.get().files.get()
        for user in (self.gina, self.olivia, self.alice):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(
                    self._download(self.hidden, hidden_file).status_code, 403
                )
        self.assertEqual(DownloadLog.objects.count(), 0)

    def test_download_rejects_get_and_unknown_files(self):
        self.login(self.gina)
        url = reverse(
            "scenarios:dataset_download", args=[self.dataset.slug, self.file.pk]
        )
        self.assertEqual(self.client.get(url).status_code, 405)
        other = reverse(
            "scenarios:dataset_download", args=[self.hidden.slug, self.file.pk]
        )
        self.assertEqual(self.client.post(other).status_code, 404)

    def test_anonymous_download_asks_for_login(self):
        response = self._download(self.dataset, self.file)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_datasets_of_drafts_are_hidden(self):
        draft = make_scenario(self.gina, self.grid, "GRID-PO-FC-031", status="draft")
        make_dataset(self.gina, draft, "draft-data", content=None)
        self.login(self.alice)
        response = self.client.get(reverse("scenarios:dataset", args=["draft-data"]))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("scenarios:datasets"))
        self.assertNotContains(response, "draft-data")

    def test_dataset_edit_requires_write_access(self):
        self.login(self.gary)
        response = self.client.get(
            reverse("scenarios:dataset_edit", args=[self.dataset.slug])
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.otto)
        response = self.client.get(
            reverse("scenarios:dataset_edit", args=[self.dataset.slug])
        )
        self.assertEqual(response.status_code, 403)  # public dataset, not theirs

    def test_upload_adds_a_version(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:dataset_upload", args=[self.dataset.slug]),
            {
                "label": "2.0",
                "notes": "Adds June.",
                "files": [
                    SimpleUploadedFile("june.csv", b"a\n1\n"),
                    SimpleUploadedFile("july.csv", b"a\n2\n"),
                ],
            },
        )
        self.assertEqual(response.status_code, 302)
        version = self.dataset.versions.get(label="2.0")
        self.assertEqual(
            sorted(version.files.values_list("name", flat=True)),
            ["july.csv", "june.csv"],
        )
        self.login(self.gary)
        response = self.client.post(
            reverse("scenarios:dataset_upload", args=[self.dataset.slug]),
            {"label": "3.0", "files": [SimpleUploadedFile("x.csv", b"x")]},
        )
        self.assertEqual(response.status_code, 403)

    def test_access_request_pages_check_ownership(self):
        request = dataset_services.access_request_create(
            dataset=self.dataset,
            organisation=self.vendor_a,
            user=self.alice,
            purpose="Benchmark our forecaster on 2026 data.",
        )
        url = reverse("scenarios:access_request", args=[request.pk])
        for user, status in (
            (self.charlie, 404),
            (self.otto, 404),
            (self.bob, 200),
            (self.gary, 200),
            (self.olivia, 200),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
        self.login(self.gary)
        response = self.client.post(
            reverse("scenarios:access_request_decide", args=[request.pk]),
            {"decision": "approve"},
        )
        self.assertEqual(response.status_code, 403)
        response = self.client.get(
            reverse("scenarios:access_request_decide", args=[request.pk])
        )
        self.assertEqual(response.status_code, 405)

    def test_the_dataset_list_keeps_its_query_count(self):
        self.client.get(reverse("scenarios:datasets"))
        with self.assertNumQueries(2):
            self.client.get(reverse("scenarios:datasets"))
        for n in range(5):
            make_dataset(self.gina, self.scenario, f"extra-{n}", content=None)
        with self.assertNumQueries(2):
            self.client.get(reverse("scenarios:datasets"))

    @override_settings(DATASET_FILE_MAX_BYTES=3)
    def test_it_refuses_files_over_the_size_limit(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.gina)
        response = self.client.post(
            reverse("scenarios:dataset_upload", args=[self.dataset.slug]),
            {"label": "9.0", "files": [SimpleUploadedFile("big.csv", b"0123456789")]},
            follow=True,
        )
        self.assertContains(response, "larger than the allowed size")
        self.assertIs(self.dataset.versions.filter(label="9.0").exists(), False)


class WorkspaceViewTests(PortalTestCase):
    def test_it_requires_login(self):
        response = self.client.get(reverse("scenarios:workspace"))
        self.assertEqual(response.status_code, 302)

    def test_the_operators_review_queue_shows_the_oldest_and_links_to_all(self):
        from datetime import timedelta

        from django.utils import timezone

        from scenarios.selectors import WORKSPACE_REVIEW_QUEUE

        count = WORKSPACE_REVIEW_QUEUE + 2
        codes = [f"GRID-PO-FC-{100 + i:03d}" for i in range(count)]
        for code in codes:
            make_scenario(self.gina, self.grid, code, status="submitted")
        start = timezone.now() - timedelta(days=30)
        for index, code in enumerate(reversed(codes)):
            # The last code created waited longest.
            Scenario.objects.filter(code=code).update(
                updated_at=start + timedelta(hours=index)
            )
        self.login(self.olivia)
        response = self.client.get(reverse("scenarios:workspace"))
        shown = [s.code for s in response.context["review_queue"]]
        self.assertEqual(shown, list(reversed(codes))[:WORKSPACE_REVIEW_QUEUE])
        self.assertNotContains(response, codes[0])
        self.assertContains(response, f"All {count} scenarios awaiting review")
        self.assertContains(response, reverse("scenarios:index") + "?status=submitted")

    def test_it_shows_each_role_its_work(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-040", status="submitted"
        )
        self.login(self.olivia)
        self.assertContains(
            self.client.get(reverse("scenarios:workspace")), scenario.code
        )
        self.login(self.gina)
        self.assertContains(
            self.client.get(reverse("scenarios:workspace")), scenario.code
        )
        self.login(self.alice)
        self.assertNotContains(
            self.client.get(reverse("scenarios:workspace")), scenario.code
        )
