from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.accounts.models import Notification
from scenarios import dataset_services, services
from scenarios.models import (
    AccessRequest,
    Blob,
    HighValueList,
    Scenario,
    ScenarioEvent,
    ScenarioVersion,
    ValueAssessment,
)
from tests.base import PortalTestCase
from tests.scenarios.helpers import THRESHOLD, make_dataset, make_scenario, spec


class ScenarioWorkflowTests(PortalTestCase):
    def test_it_runs_draft_to_published_with_history(self):
        scenario = make_scenario(self.gina, self.grid, "GRID-PO-FC-101", status="draft")
        self.assertEqual(scenario.status, Scenario.Status.DRAFT)
        services.scenario_submit(scenario=scenario, user=self.gina)
        services.scenario_publish(scenario=scenario, user=self.olivia)
        scenario.refresh_from_db()
        self.assertEqual(scenario.status, Scenario.Status.PUBLISHED)
        self.assertEqual(scenario.version, 1)
        self.assertIsNotNone(scenario.published_at)
        version = ScenarioVersion.objects.get(scenario=scenario, number=1)
        self.assertEqual(version.spec["title_en"], "System day-ahead load forecast")
        self.assertEqual(version.spec["thresholds"][0]["metric"], "MAPE")
        actions = list(
            scenario.events.order_by("created_at", "pk").values_list(
                "action", flat=True
            )
        )
        self.assertEqual(actions, ["created", "submitted", "published"])
        self.assertIs(ValueAssessment.objects.filter(scenario=scenario).exists(), True)

    def test_it_notifies_operators_on_submission(self):
        scenario = make_scenario(self.gina, self.grid, "GRID-PO-FC-102", status="draft")
        services.scenario_submit(scenario=scenario, user=self.gina)
        self.assertIs(
            Notification.objects.filter(
                user=self.olivia, subject__contains="GRID-PO-FC-102"
            ).exists(),
            True,
        )

    def test_it_requires_a_reason_to_reject(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-103", status="submitted"
        )
        with self.assertRaisesMessage(ValidationError, "Give the owner a reason."):
            services.scenario_reject(scenario=scenario, user=self.olivia, reason="  ")
        services.scenario_reject(
            scenario=scenario, user=self.olivia, reason="Thresholds lack a standard."
        )
        scenario.refresh_from_db()
        self.assertEqual(scenario.status, Scenario.Status.DRAFT)
        event = scenario.events.get(action=ScenarioEvent.Action.REJECTED)
        self.assertEqual(event.message, "Thresholds lack a standard.")

    def test_it_forbids_non_operators_to_publish(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-104", status="submitted"
        )
        for user in (self.gina, self.alice, self.rita):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.scenario_publish(scenario=scenario, user=user)

    def test_it_forbids_read_only_members_to_edit(self):
        scenario = make_scenario(self.gina, self.grid, "GRID-PO-FC-105", status="draft")
        with self.assertRaises(PermissionDenied):
            services.scenario_update(
                scenario=scenario, user=self.gary, data={"title_en": "x"}
            )
        with self.assertRaises(PermissionDenied):
            services.scenario_update(
                scenario=scenario, user=self.otto, data={"title_en": "x"}
            )

    def test_it_refuses_submission_from_an_unverified_company(self):
        self.grid.verified_at = None
        self.grid.save(update_fields=["verified_at"])
        scenario = make_scenario(self.gina, self.grid, "GRID-PO-FC-106", status="draft")
        with self.assertRaisesMessage(ValidationError, "must be verified"):
            services.scenario_submit(scenario=scenario, user=self.gina)

    def test_it_refuses_submission_without_thresholds(self):
        scenario = services.scenario_create(
            user=self.gina, owner=self.grid, code="GRID-PO-FC-107", data=spec()
        )
        with self.assertRaisesMessage(
            ValidationError, "Add at least one acceptance threshold."
        ):
            services.scenario_submit(scenario=scenario, user=self.gina)

    def test_it_rejects_a_duplicate_or_malformed_code(self):
        make_scenario(self.gina, self.grid, "GRID-PO-FC-108", status="draft")
        with self.assertRaisesMessage(ValidationError, "already exists"):
            services.scenario_create(
                user=self.gina, owner=self.grid, code="grid-po-fc-108", data=spec()
            )
        with self.assertRaises(ValidationError) as caught:
            services.scenario_create(
                user=self.gina, owner=self.grid, code="bad code!", data=spec()
            )
        self.assertIn("code", caught.exception.message_dict)

    def test_it_refuses_edits_of_a_published_scenario(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-109", operator=self.olivia
        )
        with self.assertRaisesMessage(ValidationError, "not possible"):
            services.scenario_update(
                scenario=scenario, user=self.gina, data={"title_en": "x"}
            )

    def test_it_revises_a_published_scenario_as_a_new_version(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-110", operator=self.olivia
        )
        services.scenario_register(
            scenario=scenario, organisation=self.vendor_a, user=self.alice
        )
        version = services.scenario_revise(
            scenario=scenario,
            user=self.gina,
            data={"title_en": "System day-ahead load forecast, 15-min"},
            thresholds=[{**THRESHOLD, "value": Decimal("1.5")}],
            change_notes="Tighter MAPE after the 2026 pilot.",
        )
        self.assertEqual(version.number, 2)
        first = ScenarioVersion.objects.get(scenario=scenario, number=1)
        self.assertEqual(first.spec["title_en"], "System day-ahead load forecast")
        self.assertEqual(first.spec["thresholds"][0]["value"], "2")
        self.assertEqual(version.spec["thresholds"][0]["value"], "1.5")
        # Both members of the registered vendor are told, in their language.
        for user in (self.alice, self.bob):
            with self.subTest(user=user.username):
                note = Notification.objects.get(
                    user=user, subject__contains="GRID-PO-FC-110"
                )
                self.assertEqual(note.body, "Tighter MAPE after the 2026 pilot.")
        self.assertIs(Notification.objects.filter(user=self.charlie).exists(), False)

    def test_it_refuses_a_revision_without_notes_or_changes(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-111", operator=self.olivia
        )
        with self.assertRaisesMessage(ValidationError, "Describe what changed"):
            services.scenario_revise(
                scenario=scenario,
                user=self.gina,
                data={"title_en": "y"},
                thresholds=None,
                change_notes=" ",
            )
        with self.assertRaisesMessage(ValidationError, "Nothing changed"):
            services.scenario_revise(
                scenario=scenario,
                user=self.gina,
                data={},
                thresholds=None,
                change_notes="No-op",
            )
        scenario.refresh_from_db()
        self.assertEqual(scenario.version, 1)
        self.assertEqual(scenario.versions.count(), 1)

    def test_it_closes_reopens_and_archives(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-112", operator=self.olivia
        )
        with self.assertRaises(PermissionDenied):
            services.scenario_close(scenario=scenario, user=self.alice)
        services.scenario_close(scenario=scenario, user=self.gina)
        services.scenario_reopen(scenario=scenario, user=self.olivia)
        services.scenario_close(scenario=scenario, user=self.olivia)
        services.scenario_archive(scenario=scenario, user=self.gina)
        scenario.refresh_from_db()
        self.assertEqual(scenario.status, Scenario.Status.ARCHIVED)
        with self.assertRaisesMessage(ValidationError, "not possible"):
            services.scenario_reopen(scenario=scenario, user=self.gina)

    def test_it_closes_scenarios_past_their_deadline(self):
        due = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-113", operator=self.olivia
        )
        later = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-114", operator=self.olivia
        )
        now = timezone.now()
        Scenario.objects.filter(pk=due.pk).update(closes_at=now - timedelta(minutes=1))
        Scenario.objects.filter(pk=later.pk).update(closes_at=now + timedelta(days=1))
        self.assertEqual(services.close_expired_scenarios(now=now), 1)
        self.assertEqual(services.close_expired_scenarios(now=now), 0)
        due.refresh_from_db()
        later.refresh_from_db()
        self.assertEqual(due.status, Scenario.Status.CLOSED)
        self.assertEqual(later.status, Scenario.Status.PUBLISHED)

    def test_it_registers_only_verified_vendors_of_the_user(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-115", operator=self.olivia
        )
        with self.assertRaises(PermissionDenied):
            services.scenario_register(
                scenario=scenario, organisation=self.vendor_b, user=self.alice
            )
        with self.assertRaises(PermissionDenied):
            services.scenario_register(
                scenario=scenario, organisation=self.unverified_vendor, user=self.uma
            )
        first = services.scenario_register(
            scenario=scenario, organisation=self.vendor_a, user=self.alice
        )
        again = services.scenario_register(
            scenario=scenario, organisation=self.vendor_a, user=self.alice
        )
        self.assertEqual(first.pk, again.pk)


class ValueAssessmentTests(PortalTestCase):
    def test_it_scores_from_the_documented_bands(self):
        scenario = make_scenario(
            self.gina,
            self.grid,
            "GRID-PO-FC-201",
            operator=self.olivia,
            annual_value_estimate=2_000,  # band 4
            data_readiness=4,
            replicable_sites=100,  # band 4
        )
        assessment = ValueAssessment.objects.get(scenario=scenario)
        self.assertEqual(
            (
                assessment.application_value,
                assessment.data_readiness,
                assessment.scale_potential,
                assessment.strategic_priority,
            ),
            (4, 4, 4, 3),
        )
        # 100 * (0.35*0.75 + 0.25*0.75 + 0.20*0.75 + 0.20*0.5) = 70.00
        self.assertEqual(assessment.base_score, Decimal("70.00"))
        self.assertEqual(assessment.score, Decimal("70.00"))

    def test_it_requires_a_justification_for_an_adjustment(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-202", operator=self.olivia
        )
        with self.assertRaisesMessage(ValidationError, "needs a written justification"):
            services.value_assessment_update(
                scenario=scenario,
                user=self.olivia,
                strategic_priority=5,
                adjustment=Decimal("5"),
                justification="",
            )
        assessment = services.value_assessment_update(
            scenario=scenario,
            user=self.olivia,
            strategic_priority=5,
            adjustment=Decimal("-4.5"),
            justification="Overlaps GRID-PO-FC-201.",
        )
        self.assertEqual(assessment.score, assessment.base_score - Decimal("4.5"))
        with self.assertRaises(PermissionDenied):
            services.value_assessment_update(
                scenario=scenario,
                user=self.gina,
                strategic_priority=5,
                adjustment=Decimal(0),
                justification="",
            )

    def test_it_keeps_the_score_within_bounds(self):
        self.assertEqual(
            services._final_score(Decimal("97"), Decimal("10")), Decimal("100")
        )
        self.assertEqual(
            services._final_score(Decimal("3"), Decimal("-10")), Decimal("0")
        )


class HighValueListTests(PortalTestCase):
    def test_it_publishes_a_list_and_freezes_it(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-301", operator=self.olivia
        )
        other = make_scenario(
            self.otto,
            self.other_energy,
            "WIND-PO-FC-302",
            operator=self.olivia,
            annual_value_estimate=20_000,
        )
        hv_list = services.high_value_list_create(
            user=self.olivia,
            year=2026,
            batch=1,
            data={"title_zh": "2026年第一批", "title_en": "2026 batch 1"},
        )
        self.assertEqual(hv_list.slug, "2026-batch-1")
        services.high_value_list_add(
            hv_list=hv_list, user=self.olivia, scenario=scenario
        )
        services.high_value_list_add(hv_list=hv_list, user=self.olivia, scenario=other)
        services.high_value_list_rank_by_score(hv_list=hv_list, user=self.olivia)
        self.assertEqual(
            list(hv_list.entries.values_list("scenario__code", flat=True)),
            ["WIND-PO-FC-302", "GRID-PO-FC-301"],
        )
        services.high_value_list_publish(hv_list=hv_list, user=self.olivia)
        entry = hv_list.entries.get(scenario=other)
        self.assertEqual(entry.score_at_listing, other.assessment.score)
        with self.assertRaisesMessage(ValidationError, "cannot be changed"):
            services.high_value_list_remove(
                hv_list=hv_list, user=self.olivia, scenario=other
            )

    def test_it_lists_only_published_scenarios(self):
        draft = make_scenario(self.gina, self.grid, "GRID-PO-FC-303", status="draft")
        hv_list = services.high_value_list_create(
            user=self.olivia,
            year=2026,
            batch=2,
            data={"title_zh": "二", "title_en": "2"},
        )
        with self.assertRaisesMessage(ValidationError, "Only published scenarios"):
            services.high_value_list_add(
                hv_list=hv_list, user=self.olivia, scenario=draft
            )
        with self.assertRaisesMessage(ValidationError, "Add at least one scenario"):
            services.high_value_list_publish(hv_list=hv_list, user=self.olivia)
        with self.assertRaises(PermissionDenied):
            services.high_value_list_create(
                user=self.gina,
                year=2027,
                batch=1,
                data={"title_zh": "x", "title_en": "x"},
            )
        with self.assertRaisesMessage(ValidationError, "already exists"):
            services.high_value_list_create(
                user=self.olivia,
                year=2026,
                batch=2,
                data={"title_zh": "x", "title_en": "x"},
            )
        self.assertEqual(HighValueList.objects.count(), 1)


class DataRegistryTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-401", operator=cls.olivia
        )

    def test_it_enforces_classification_against_policy(self):
        for classification, policy in (
            ("core", "approved"),
            ("important", "public"),
            ("important", "registered"),
            ("core", "public"),
        ):
            with self.subTest(classification=classification, policy=policy):
                with self.assertRaises(ValidationError) as caught:
                    make_dataset(
                        self.gina,
                        self.scenario,
                        f"ds-{classification}-{policy}",
                        classification=classification,
                        policy=policy,
                        content=None,
                    )
                self.assertIn("access_policy", caught.exception.message_dict)
        make_dataset(
            self.gina,
            self.scenario,
            "ds-core-hidden",
            classification="core",
            policy="hidden",
            content=None,
        )

    def test_it_stores_files_content_addressed(self):
        content = b"a,b\n1,2\n"
        first = make_dataset(self.gina, self.scenario, "ds-one", content=content)
        second = make_dataset(self.gina, self.scenario, "ds-two", content=content)
        self.assertEqual(Blob.objects.count(), 1)
        blob = Blob.objects.get()
        self.assertEqual(blob.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(blob.size, len(content))
        self.assertEqual(
            first.versions.get().files.get().blob_id,
            second.versions.get().files.get().blob_id,
        )

    def test_it_refuses_duplicate_version_labels(self):
        dataset = make_dataset(self.gina, self.scenario, "ds-three")
        with self.assertRaisesMessage(ValidationError, "already used"):
            dataset_services.dataset_version_create(
                dataset=dataset,
                user=self.gina,
                label="1.0",
                notes="",
                files=[ContentFile(b"x", name="x.csv")],
            )
        with self.assertRaises(PermissionDenied):
            dataset_services.dataset_version_create(
                dataset=dataset,
                user=self.gary,
                label="2.0",
                notes="",
                files=[ContentFile(b"x", name="x.csv")],
            )

    def test_it_runs_an_access_request_to_approval(self):
        dataset = make_dataset(self.gina, self.scenario, "ds-four")
        with self.assertRaisesMessage(ValidationError, "at least 20 characters"):
            dataset_services.access_request_create(
                dataset=dataset,
                organisation=self.vendor_a,
                user=self.alice,
                purpose="x",
            )
        request = dataset_services.access_request_create(
            dataset=dataset,
            organisation=self.vendor_a,
            user=self.alice,
            purpose="Train a day-ahead model for the pilot in 2026.",
        )
        self.assertIs(Notification.objects.filter(user=self.gina).exists(), True)
        with self.assertRaisesMessage(ValidationError, "already has an open request"):
            dataset_services.access_request_create(
                dataset=dataset,
                organisation=self.vendor_a,
                user=self.bob,
                purpose="Train a day-ahead model for the pilot in 2026.",
            )
        with self.assertRaises(PermissionDenied):
            dataset_services.access_request_decide(
                request=request, user=self.gary, approve=True, reason=""
            )
        with self.assertRaisesMessage(ValidationError, "Tell the requester why."):
            dataset_services.access_request_decide(
                request=request, user=self.gina, approve=False, reason=""
            )
        dataset_services.access_request_decide(
            request=request, user=self.gina, approve=True, reason=""
        )
        self.assertEqual(request.status, AccessRequest.Status.APPROVED)
        with self.assertRaisesMessage(ValidationError, "already been decided"):
            dataset_services.access_request_decide(
                request=request, user=self.gina, approve=False, reason="Changed my mind"
            )
        self.assertIs(
            Notification.objects.filter(
                user=self.bob, subject__contains="ds-four"
            ).exists(),
            True,
        )

    def test_it_refuses_requests_for_other_policies_and_organisations(self):
        public = make_dataset(self.gina, self.scenario, "ds-public", policy="public")
        approved = make_dataset(self.gina, self.scenario, "ds-approved")
        purpose = "Train a day-ahead model for the pilot in 2026."
        with self.assertRaisesMessage(ValidationError, "not available by request"):
            dataset_services.access_request_create(
                dataset=public,
                organisation=self.vendor_a,
                user=self.alice,
                purpose=purpose,
            )
        with self.assertRaises(PermissionDenied):
            dataset_services.access_request_create(
                dataset=approved,
                organisation=self.vendor_b,
                user=self.alice,
                purpose=purpose,
            )
        with self.assertRaises(PermissionDenied):
            dataset_services.access_request_create(
                dataset=approved,
                organisation=self.unverified_vendor,
                user=self.uma,
                purpose=purpose,
            )

    def test_hiding_a_dataset_withdraws_its_approvals(self):
        dataset = make_dataset(self.gina, self.scenario, "ds-five")
        request = dataset_services.access_request_create(
            dataset=dataset,
            organisation=self.vendor_a,
            user=self.alice,
            purpose="Train a day-ahead model for the pilot in 2026.",
        )
        dataset_services.access_request_decide(
            request=request, user=self.gina, approve=True, reason=""
        )
        dataset_services.dataset_update(
            dataset=dataset, user=self.gina, data={"access_policy": "hidden"}
        )
        request.refresh_from_db()
        self.assertEqual(request.status, AccessRequest.Status.WITHDRAWN)
