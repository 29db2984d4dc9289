"""The scenarios admin: read-only history, and workflow actions via services."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from scenarios import dataset_services, services
from scenarios.models import (
    AccessRequest,
    Blob,
    DatasetFile,
    DatasetVersion,
    DownloadLog,
    HighValueList,
    Scenario,
    ScenarioVersion,
)
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_dataset, make_scenario

MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
PURPOSE = "Train a day-ahead load forecasting model for the pilot."


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class ScenarioAdminTestCase(PortalTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.addClassCleanup(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.published = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.submitted = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-002", status="submitted"
        )
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-PO-FC-003", status="draft")
        cls.dataset = make_dataset(cls.gina, cls.published, "grid-load")
        cls.file = DatasetFile.objects.get()
        cls.access_request = dataset_services.access_request_create(
            dataset=cls.dataset,
            organisation=cls.vendor_a,
            user=cls.alice,
            purpose=PURPOSE,
        )
        dataset_services.dataset_file_download_log(
            dataset_file=cls.file,
            user=cls.gina,
            organisation=cls.grid,
            ip_address="127.0.0.1",
            via_api=False,
        )
        cls.hv_list = services.high_value_list_create(
            user=cls.olivia,
            year=2026,
            batch=1,
            data={"title_zh": "2026年第一批", "title_en": "2026, first batch"},
        )
        services.high_value_list_add(
            hv_list=cls.hv_list, user=cls.olivia, scenario=cls.published
        )

    def setUp(self) -> None:
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.login(self.olivia)

    def messages(self, response: Any) -> list[str]:
        return [str(m) for m in get_messages(response.wsgi_request)]

    def act(self, model: str, action: str, *objects: Any) -> Any:
        return self.client.post(
            reverse(f"admin:scenarios_{model}_changelist"),
            {"action": action, "_selected_action": [obj.pk for obj in objects]},
            follow=True,
        )

    def test_it_shows_every_page_to_operators(self):
        for model, obj in [
            ("scenario", self.published),
            ("scenarioversion", self.published.versions.get()),
            ("highvaluelist", self.hv_list),
            ("dataset", self.dataset),
            ("datasetversion", DatasetVersion.objects.get()),
            ("blob", Blob.objects.get()),
            ("accessrequest", self.access_request),
            ("downloadlog", DownloadLog.objects.get()),
        ]:
            with self.subTest(model=model):
                changelist = reverse(f"admin:scenarios_{model}_changelist")
                self.assertEqual(self.client.get(changelist).status_code, 200)
                change = reverse(f"admin:scenarios_{model}_change", args=[obj.pk])
                self.assertEqual(self.client.get(change).status_code, 200)

    def test_it_hides_the_pages_from_other_staff(self):
        self.gina.is_staff = True
        self.gina.save(update_fields=["is_staff"])
        self.login(self.gina)
        response = self.client.get(reverse("admin:scenarios_scenario_changelist"))
        self.assertEqual(response.status_code, 403)

    def test_it_searches_scenarios_by_code_and_title(self):
        url = reverse("admin:scenarios_scenario_changelist")
        response = self.client.get(url, {"q": "GRID-PO-FC-002"})
        self.assertEqual(
            [s.code for s in response.context["cl"].result_list], ["GRID-PO-FC-002"]
        )
        response = self.client.get(url, {"status__exact": "draft"})
        self.assertEqual(
            [s.code for s in response.context["cl"].result_list], ["GRID-PO-FC-003"]
        )

    def test_it_keeps_workflow_fields_read_only(self):
        response = self.client.get(
            reverse("admin:scenarios_scenario_change", args=[self.draft.pk])
        )
        form_fields = response.context["adminform"].form.fields
        for name in ("status", "version", "code", "owner", "published_at"):
            with self.subTest(name=name):
                self.assertNotIn(name, form_fields)
        self.assertIn("title_en", form_fields)

    def test_it_locks_a_published_specification(self):
        response = self.client.get(
            reverse("admin:scenarios_scenario_change", args=[self.published.pk])
        )
        form_fields = response.context["adminform"].form.fields
        self.assertNotIn("title_en", form_fields)
        self.assertIn("closes_at", form_fields)
        thresholds = response.context["inline_admin_formsets"][0]
        self.assertIs(thresholds.has_change_permission, False)

    def test_it_refreshes_the_search_document_after_a_correction(self):
        url = reverse("admin:scenarios_scenario_change", args=[self.draft.pk])
        response = self.client.get(url)
        data = {
            key: value
            for key, value in response.context["adminform"].form.initial.items()
            if value is not None
        }
        for formset in response.context["inline_admin_formsets"]:
            management = formset.formset.management_form
            data.update(
                {
                    f"{management.prefix}-{key}": value
                    for key, value in management.initial.items()
                }
            )
            for form in formset.formset.forms:
                data.update(
                    {
                        f"{form.prefix}-{key}": value
                        for key, value in form.initial.items()
                        if value is not None
                    }
                )
                data[f"{form.prefix}-id"] = form.instance.pk
        data["title_en"] = "Substation load forecast"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.title_en, "Substation load forecast")
        self.assertIn("substation load forecast", self.draft.search_document)

    def test_it_does_not_add_scenarios(self):
        response = self.client.get(reverse("admin:scenarios_scenario_add"))
        self.assertEqual(response.status_code, 403)

    def test_it_publishes_submitted_scenarios_through_the_service(self):
        response = self.act("scenario", "publish_selected", self.submitted, self.draft)
        self.assertEqual(
            self.messages(response),
            [
                "GRID-PO-FC-003 System day-ahead load forecast: "
                "This is not possible while the scenario is “Draft”.",
                "1 scenario published.",
            ],
        )
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, "published")
        self.assertEqual(self.submitted.version, 1)
        self.assertEqual(self.submitted.events.first().actor, self.olivia)
        self.assertEqual(Scenario.objects.get(pk=self.draft.pk).status, "draft")

    def test_it_closes_published_scenarios_through_the_service(self):
        self.act("scenario", "close_selected", self.published)
        self.published.refresh_from_db()
        self.assertEqual(self.published.status, "closed")
        self.assertEqual(
            self.published.events.first().message, "Closed by an operator."
        )

    def test_it_keeps_versions_read_only(self):
        version = ScenarioVersion.objects.get()
        url = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
        self.assertEqual(
            self.client.post(url, {"change_notes": "Rewritten"}).status_code, 403
        )
        url = reverse("admin:scenarios_scenarioversion_delete", args=[version.pk])
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_it_publishes_a_list_through_the_service(self):
        response = self.act("highvaluelist", "publish_selected", self.hv_list)
        self.assertEqual(self.messages(response), ["1 list published."])
        hv_list = HighValueList.objects.get()
        self.assertEqual(hv_list.published_by, self.olivia)
        self.assertIsNotNone(hv_list.entries.get().score_at_listing)

        response = self.client.get(
            reverse("admin:scenarios_highvaluelist_change", args=[hv_list.pk])
        )
        self.assertNotIn("title_en", response.context["adminform"].form.fields)
        entries = response.context["inline_admin_formsets"][0]
        self.assertIs(entries.has_change_permission, False)

    def test_it_approves_requests_through_the_service(self):
        # Only the data owner may decide (dataset_services.access_request_decide).
        response = self.act("accessrequest", "approve_selected", self.access_request)
        self.assertEqual(
            self.messages(response),
            ["Vendor A → grid-load (pending): You may not do this."],
        )
        self.access_request.refresh_from_db()
        self.assertEqual(self.access_request.status, "pending")

        self.gina.is_staff = True
        self.gina.is_superuser = True
        self.gina.save(update_fields=["is_staff", "is_superuser"])
        self.login(self.gina)
        response = self.act("accessrequest", "approve_selected", self.access_request)
        self.assertEqual(self.messages(response), ["1 request approved."])
        self.access_request.refresh_from_db()
        self.assertEqual(self.access_request.status, AccessRequest.Status.APPROVED)
        self.assertEqual(self.access_request.decided_by, self.gina)

    def test_it_offers_no_deny_action(self):
        response = self.client.get(reverse("admin:scenarios_accessrequest_changelist"))
        actions = [
            name
            for name, _label in response.context["action_form"].fields["action"].choices
        ]
        self.assertNotIn("deny_selected", actions)
        self.assertIn("approve_selected", actions)

    def test_it_keeps_access_decisions_read_only(self):
        url = reverse(
            "admin:scenarios_accessrequest_change", args=[self.access_request.pk]
        )
        response = self.client.get(url)
        self.assertEqual(response.context["adminform"].form.fields, {})
        self.client.post(url, {"status": "approved", "decision_reason": "Fine"})
        self.access_request.refresh_from_db()
        self.assertEqual(self.access_request.status, "pending")

    def test_it_never_adds_or_deletes_logs_and_blobs(self):
        log = DownloadLog.objects.get()
        blob = Blob.objects.get()
        for url in [
            reverse("admin:scenarios_downloadlog_add"),
            reverse("admin:scenarios_downloadlog_delete", args=[log.pk]),
            reverse("admin:scenarios_blob_add"),
            reverse("admin:scenarios_blob_delete", args=[blob.pk]),
            reverse("admin:scenarios_datasetversion_add"),
            reverse("admin:scenarios_dataset_add"),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        url = reverse("admin:scenarios_downloadlog_change", args=[log.pk])
        self.assertEqual(self.client.post(url, {"sha256": "0" * 64}).status_code, 403)
