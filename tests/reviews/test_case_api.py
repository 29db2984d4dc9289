"""API of the calculators: business case, social impact, SUS."""

from __future__ import annotations

import json

from rest_framework.test import APIClient

from reviews import case_services
from reviews.models import BusinessCase, SocialImpact, SusResponse
from tests.reviews.test_case_services import ALL_ANSWERS, MIDDLE, CaseTestCase
from tests.reviews.test_views import VENDOR_A_IDENTITY

CASE_BODY = {
    "investment": 100,
    "horizon_years": 5,
    "discount_rate": 0.08,
    "lines": [
        {"kind": "benefit", "name": "Avoided penalties", "amount": 30},
        {"kind": "cost", "name": "Licence", "amount": 5, "driver": "Quote"},
    ],
}
IMPACT_BODY = {
    "energy_mwh": 100,
    "region": "national",
    "factor_year": 2023,
    "calls_per_year": 1_000_000,
    "items": [
        {
            "name": "Hazardous field-work hours removed",
            "quantity": 120,
            "unit": "h",
            "method": "Patrol logs",
        }
    ],
}


class CaseApiTestCase(CaseTestCase):
    def setUp(self):
        super().setUp()
        self.api = APIClient(headers={"accept-language": "en"})
        pk = self.entry_a.pk
        self.case_url = f"/api/v1/reviews/entries/{pk}/business-case/"
        self.impact_url = f"/api/v1/reviews/entries/{pk}/impact/"
        self.users_url = f"/api/v1/reviews/entries/{pk}/usability/"
        self.sus_url = f"/api/v1/reviews/entries/{pk}/usability/responses/"

    def as_user(self, user):
        self.api.logout()
        if user is not None:
            self.api.force_authenticate(user)

    def statuses(self, method, url, expected, data=None):
        for user, code in expected:
            with self.subTest(user=getattr(user, "username", "anonymous")):
                self.as_user(user)
                response = getattr(self.api, method)(url, data, format="json")
                self.assertEqual(response.status_code, code)


class BusinessCaseApiTests(CaseApiTestCase):
    def test_it_checks_ownership(self):
        self.statuses(
            "get",
            self.case_url,
            [
                (None, 401),
                (self.connor, 404),
                (self.charlie, 404),
                (self.otto, 404),
                (self.bob, 200),
                (self.rita, 200),
                (self.gary, 200),
            ],
        )
        self.statuses("put", self.case_url + "update/", [(self.connor, 404)], CASE_BODY)

    def test_it_requires_write_access(self):
        self.statuses(
            "put",
            self.case_url + "update/",
            [(self.bob, 403), (self.gary, 403), (self.rita, 403)],
            CASE_BODY,
        )
        self.assertEqual(BusinessCase.objects.count(), 0)

    def test_it_rejects_other_methods(self):
        self.statuses("post", self.case_url, [(self.alice, 405)], CASE_BODY)
        self.statuses("get", self.case_url + "update/", [(self.alice, 405)])

    def test_it_saves_versions_and_returns_the_appraisal(self):
        self.as_user(self.alice)
        response = self.api.put(
            self.case_url + "update/",
            {**CASE_BODY, "calls_per_year": 1_000_000, "tariff_per_kwh": 0.6},
            format="json",
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        current = body["current"]
        self.assertEqual(current["version"], 1)
        self.assertEqual(current["discount_rate"], 0.08)
        self.assertEqual(
            [(li["name"], li["is_compute"]) for li in current["lines"]],
            [
                ("Avoided penalties", False),
                ("Licence", False),
                ("Compute (sandbox)", True),
            ],
        )
        # Benefits 30, costs 5 + 12 of compute: 13 × 3.99271 − 100.
        self.assertAlmostEqual(current["appraisal"]["npv"], -48.095, places=2)
        self.assertEqual(current["appraisal"]["irr_reason"], "found")
        self.assertLess(current["appraisal"]["irr"], 0)
        self.assertEqual(current["compute_run"], self.metered_run.pk)
        self.as_user(self.gina)
        response = self.api.put(self.case_url + "update/", CASE_BODY, format="json")
        self.assertEqual([v["version"] for v in response.json()["versions"]], [2, 1])
        self.assertAlmostEqual(
            response.json()["current"]["appraisal"]["npv"], -0.18, places=2
        )

    def test_it_answers_400_with_the_field(self):
        self.as_user(self.alice)
        response = self.api.put(
            self.case_url + "update/", {**CASE_BODY, "basis": "measured"}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only the scenario owner", response.json()["basis"][0])
        response = self.api.put(
            self.case_url + "update/",
            {**CASE_BODY, "lines": [{"kind": "cost", "name": "x", "amount": -1}]},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("amount", response.json()["lines"][0])

    def test_blind_round_sends_no_vendor_identity_to_reviewers(self):
        self.save_case()
        self.as_user(self.rita)
        body = self.api.get(self.case_url).json()
        self.assertIsNone(body["entry"]["vendor"])
        self.assertIsNone(body["entry"]["solution"])
        self.assertEqual(body["versions"][0]["author"], "Vendor")
        text = json.dumps(body, ensure_ascii=False)
        for identity in VENDOR_A_IDENTITY:
            self.assertNotIn(identity, text)
        self.as_user(self.gina)
        body = self.api.get(self.case_url).json()
        self.assertEqual(body["entry"]["vendor"], "Vendor A")
        self.assertEqual(body["versions"][0]["author"], "alice (Vendor)")


class ImpactApiTests(CaseApiTestCase):
    def test_it_checks_ownership(self):
        self.statuses(
            "get",
            self.impact_url,
            [(None, 401), (self.connor, 404), (self.charlie, 404), (self.rita, 200)],
        )

    def test_it_requires_write_access(self):
        self.statuses(
            "put",
            self.impact_url + "update/",
            [(self.bob, 403), (self.rita, 403), (self.gary, 403)],
            IMPACT_BODY,
        )
        self.assertEqual(SocialImpact.objects.count(), 0)

    def test_it_rejects_other_methods(self):
        self.statuses("put", self.impact_url, [(self.alice, 405)], IMPACT_BODY)
        self.statuses("post", self.impact_url + "update/", [(self.alice, 405)])

    def test_it_saves_and_returns_co2_with_its_factors(self):
        self.as_user(self.alice)
        response = self.api.put(self.impact_url + "update/", IMPACT_BODY, format="json")
        self.assertEqual(response.status_code, 200)
        carbon = response.json()["current"]["carbon"]
        self.assertAlmostEqual(carbon["net_t"], 53.049388, places=6)
        self.assertAlmostEqual(carbon["net_upper_t"], 82.719388, places=6)
        self.assertEqual(
            {k: carbon["factor"][k] for k in ("region", "year", "kg_per_kwh")},
            {"region": "national", "year": 2023, "kg_per_kwh": 0.5306},
        )
        self.assertTrue(carbon["factor"]["url"].startswith("https://"))
        self.assertIn("生态环境部", carbon["factor"]["source"])
        self.assertEqual(carbon["upper_factor"]["kind"], "fossil")
        self.assertEqual(response.json()["current"]["items"][0]["unit"], "h")

    def test_it_rejects_an_unknown_factor(self):
        self.as_user(self.alice)
        response = self.api.put(
            self.impact_url + "update/",
            {**IMPACT_BODY, "region": "north", "factor_year": 2021},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["region"], ["Choose a grid emission factor from the table."]
        )


class UsabilityApiTests(CaseApiTestCase):
    def test_it_checks_ownership(self):
        self.statuses(
            "get",
            self.users_url,
            [
                (None, 401),
                (self.alice, 404),
                (self.bob, 404),
                (self.connor, 404),
                (self.gina, 200),
                (self.rita, 200),
            ],
        )
        self.invite(self.gary)
        self.statuses(
            "post",
            self.sus_url,
            [(self.grace, 404), (self.gina, 404), (self.alice, 404)],
            {"answers": MIDDLE},
        )

    def test_it_requires_write_access(self):
        """Nobody answers for someone else, nor a vendor for its own entry."""
        self.invite(self.gary)
        self.vendor_a.memberships.create(user=self.gary, role="member")
        self.statuses("post", self.sus_url, [(self.gary, 403)], {"answers": MIDDLE})
        self.assertEqual(SusResponse.objects.count(), 0)

    def test_it_rejects_other_methods(self):
        self.statuses("post", self.users_url, [(self.gina, 405)])
        self.invite(self.gary)
        self.statuses("get", self.sus_url, [(self.gary, 405)])

    def test_a_respondent_answers_once_and_the_summary_follows(self):
        self.invite(self.gary, self.grace)
        self.as_user(self.gary)
        response = self.api.post(self.sus_url, {"answers": ALL_ANSWERS}, format="json")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["score"], 100.0)
        response = self.api.post(self.sus_url, {"answers": MIDDLE}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["non_field_errors"],
            ["You have already answered this questionnaire."],
        )
        self.as_user(self.grace)
        response = self.api.post(self.sus_url, {"answers": [3] * 9}, format="json")
        self.assertEqual(response.status_code, 400)
        self.api.post(self.sus_url, {"answers": MIDDLE}, format="json")
        case_services.pilot_counts_record(
            entry=self.entry_a,
            user=self.gina,
            recommendations=100,
            accepted=80,
            overridden=5,
            source="Pilot logs",
        )
        self.as_user(self.rita)
        body = self.api.get(self.users_url).json()
        self.assertEqual(body["sus"]["n"], 2)
        self.assertEqual(body["sus"]["mean"], 75.0)
        self.assertEqual(body["sus"]["adjective"], "good")
        self.assertEqual(body["acceptance"]["rate"], 0.8)
        self.assertLess(body["acceptance"]["low"], 0.8)
        self.assertEqual(body["override"]["successes"], 5)
        self.assertIsNone(body["entry"]["vendor"])
        text = json.dumps(body, ensure_ascii=False)
        for identity in [*VENDOR_A_IDENTITY, "grace", "gary"]:
            self.assertNotIn(identity, text)
