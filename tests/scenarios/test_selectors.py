from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict

from scenarios import dataset_services, selectors, services
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_dataset, make_scenario


class VisibilityTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.draft = make_scenario(cls.gina, cls.grid, "GRID-PO-FC-002", status="draft")
        cls.submitted = make_scenario(
            cls.otto,
            cls.other_energy,
            "THM-PO-OPT-003",
            status="submitted",
            sector="thermal",
        )

    def codes(self, user):
        return set(selectors.scenario_queryset(user).values_list("code", flat=True))

    def test_each_persona_sees_what_it_may(self):
        expectations = {
            "anonymous": (AnonymousUser(), {"GRID-PO-FC-001"}),
            "alice": (self.alice, {"GRID-PO-FC-001"}),
            "gary": (self.gary, {"GRID-PO-FC-001", "GRID-PO-FC-002"}),
            "otto": (self.otto, {"GRID-PO-FC-001", "THM-PO-OPT-003"}),
            "olivia": (
                self.olivia,
                {"GRID-PO-FC-001", "GRID-PO-FC-002", "THM-PO-OPT-003"},
            ),
        }
        for name, (user, expected) in expectations.items():
            with self.subTest(user=name):
                self.assertEqual(self.codes(user), expected)

    def test_the_scoped_fetch_raises_404_then_403(self):
        with self.assertRaises(Http404):
            selectors.get_scenario_for_user(self.alice, "GRID-PO-FC-002")
        with self.assertRaises(PermissionDenied):
            selectors.get_scenario_for_user(self.gary, "GRID-PO-FC-002", write=True)
        with self.assertRaises(PermissionDenied):
            selectors.get_scenario_for_user(self.olivia, "GRID-PO-FC-002", write=True)
        scenario = selectors.get_scenario_for_user(
            self.gina, "GRID-PO-FC-002", write=True
        )
        self.assertEqual(scenario.pk, self.draft.pk)

    def test_the_catalog_hides_archived_unless_asked(self):
        services.scenario_close(scenario=self.published, user=self.olivia)
        services.scenario_archive(scenario=self.published, user=self.olivia)
        default = selectors.scenario_list(user=self.alice, params=QueryDict(""))
        self.assertEqual(list(default), [])
        archived = selectors.scenario_list(
            user=self.alice, params=QueryDict("status=archived")
        )
        self.assertEqual([s.code for s in archived], ["GRID-PO-FC-001"])

    def test_status_filter_cannot_reveal_drafts(self):
        found = selectors.scenario_list(
            user=self.alice, params=QueryDict("status=draft")
        )
        self.assertEqual(list(found), [])


class DownloadDecisionTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-010", operator=cls.olivia
        )
        cls.public = make_dataset(
            cls.gina, cls.scenario, "pub", policy="public", content=None
        )
        cls.registered = make_dataset(
            cls.gina, cls.scenario, "reg", policy="registered", content=None
        )
        cls.approved = make_dataset(cls.gina, cls.scenario, "appr", content=None)
        cls.hidden = make_dataset(
            cls.gina,
            cls.scenario,
            "hid",
            policy="hidden",
            classification="core",
            content=None,
        )

    def test_the_policy_matrix(self):
        anonymous = AnonymousUser()
        table = [
            (self.public, anonymous, True),
            (self.public, self.charlie, True),
            (self.registered, anonymous, False),
            (self.registered, self.nobody, False),
            (self.registered, self.uma, False),  # unverified organisation
            (self.registered, self.charlie, True),
            (self.approved, self.charlie, False),
            (self.approved, self.gary, True),  # the owner holds the data
            (self.approved, self.olivia, False),
            (self.hidden, self.gina, False),
            (self.hidden, self.olivia, False),
        ]
        for dataset, user, allowed in table:
            with self.subTest(dataset=dataset.slug, user=str(user)):
                self.assertIs(
                    selectors.download_decision(user, dataset).allowed, allowed
                )

    def test_approval_opens_the_dataset_to_that_vendor_only(self):
        request = dataset_services.access_request_create(
            dataset=self.approved,
            organisation=self.vendor_b,
            user=self.charlie,
            purpose="Evaluate a hybrid forecaster on the development split.",
        )
        dataset_services.access_request_decide(
            request=request, user=self.gina, approve=True, reason=""
        )
        decision = selectors.download_decision(self.charlie, self.approved)
        self.assertIs(decision.allowed, True)
        self.assertEqual(decision.organisation, self.vendor_b)
        self.assertIs(
            selectors.download_decision(self.alice, self.approved).allowed, False
        )
        dataset_services.access_request_revoke(
            request=request, user=self.gina, reason="Pilot ended."
        )
        self.assertIs(
            selectors.download_decision(self.charlie, self.approved).allowed, False
        )
