"""case_evidence and case_links: what the scorecard and the entry page get."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from reviews import case_selectors, case_services
from reviews.evidence import evidence_bands, validate_summary
from tests.reviews.test_case_services import ALL_ANSWERS, MIDDLE, CaseTestCase


class CaseEvidenceTests(CaseTestCase):
    def test_it_is_empty_without_data(self):
        self.assertEqual(case_selectors.case_evidence(self.entry_a), {})

    def test_a_known_case_is_not_cost_effective(self):
        """C₀ = 100, benefits 30 a year, costs 5, 5 years at 8 %:
        NPV = 25 × 3.99271 − 100 = −0.18, BCR = 119.78 / 119.96 < 1, and
        the investment is not repaid within the horizon."""
        self.save_case()
        evidence = case_selectors.case_evidence(self.entry_a)
        self.assertEqual(
            set(evidence),
            {
                "business_case",
                "npv",
                "bcr",
                "discounted_payback_within_horizon",
                "npv_robust",
            },
        )
        self.assertIs(evidence["business_case"], True)
        self.assertAlmostEqual(evidence["npv"], -0.18, places=2)
        self.assertAlmostEqual(evidence["bcr"], 0.99850, places=4)
        self.assertIs(evidence["discounted_payback_within_horizon"], False)
        self.assertIs(evidence["npv_robust"], False)
        validate_summary(evidence)
        economics = evidence_bands(evidence)["economics"]
        self.assertEqual(economics.high, 2)
        self.assertIn("not_cost_effective", [r.code for r in economics.reasons])

    def test_the_latest_version_counts(self):
        self.save_case()
        self.save_case(user=self.gina, lines=LINES_40)
        evidence = case_selectors.case_evidence(self.entry_a)
        # 35 × 3.99271 − 100 = 39.74.
        self.assertAlmostEqual(evidence["npv"], 39.745, places=2)
        self.assertIs(evidence["discounted_payback_within_horizon"], True)

    def test_it_reports_net_co2_and_sus(self):
        self.save_impact()
        gary, grace = self.invite(self.gary, self.grace)
        case_services.sus_respond(invitation=gary, user=self.gary, answers=ALL_ANSWERS)
        case_services.sus_respond(invitation=grace, user=self.grace, answers=MIDDLE)
        evidence = case_selectors.case_evidence(self.entry_a)
        # 100 MWh × 0.5306 − 0.02 MWh × 0.5306.
        self.assertAlmostEqual(evidence["co2_net_t"], 53.049388, places=6)
        self.assertEqual(evidence["sus_n"], 2)
        self.assertEqual(evidence["sus_mean"], 75.0)
        self.assertNotIn("pilot_data", evidence)

    def test_pilot_data_needs_a_measured_case_or_pilot_counts(self):
        self.save_case()
        self.assertNotIn("pilot_data", case_selectors.case_evidence(self.entry_a))
        self.save_case(user=self.gina, basis="measured")
        self.assertIs(case_selectors.case_evidence(self.entry_a)["pilot_data"], True)
        self.assertNotIn("pilot_data", case_selectors.case_evidence(self.entry_b))
        case_services.pilot_counts_record(
            entry=self.entry_b,
            user=self.gina,
            recommendations=10,
            accepted=7,
            overridden=1,
            source="Pilot logs",
        )
        self.assertIs(case_selectors.case_evidence(self.entry_b)["pilot_data"], True)


LINES_40 = [
    {"kind": "benefit", "name": "Avoided penalties", "amount": Decimal(40)},
    {"kind": "cost", "name": "Licence", "amount": Decimal(5)},
]


class CaseLinksTests(CaseTestCase):
    def urls(self, user):
        return [url for _, url in case_selectors.case_links(self.entry_a, user)]

    def test_it_links_what_each_role_may_open(self):
        pk = self.entry_a.pk
        business = reverse("reviews:case_business", args=[pk])
        impact = reverse("reviews:case_impact", args=[pk])
        users = reverse("reviews:case_users", args=[pk])
        for user, expected in (
            (self.alice, [business, impact]),
            (self.bob, [business, impact]),
            (self.gina, [business, impact, users]),
            (self.gary, [business, impact, users]),
            (self.olivia, [business, impact, users]),
            (self.rita, [business, impact, users]),
            (self.connor, []),
            (self.charlie, []),
            (self.otto, []),
            (self.nobody, []),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.urls(user), expected)

    def test_it_links_the_questionnaire_until_answered(self):
        questionnaire = reverse("reviews:case_sus_respond", args=[self.entry_a.pk])
        invitation = self.invite(self.grace)[0]
        self.assertIn(questionnaire, self.urls(self.grace))
        case_services.sus_respond(
            invitation=invitation, user=self.grace, answers=MIDDLE
        )
        self.assertNotIn(questionnaire, self.urls(self.grace))
        with translation.override("en"):
            links = case_selectors.case_links(self.entry_a, self.gina)
        labels = [label for label, _ in links]
        self.assertEqual(labels, ["Business case", "Social impact", "User evaluation"])


class BatchedEvidenceTests(CaseTestCase):
    """The round page reads every entry's evidence in one go."""

    def test_the_batch_matches_entry_by_entry(self):
        self.save_case()
        self.save_case(user=self.gina, lines=LINES_40)
        self.save_impact()
        batch = case_selectors.case_evidence_by_entry([self.entry_a, self.entry_b])
        self.assertEqual(
            batch[self.entry_a.pk], case_selectors.case_evidence(self.entry_a)
        )
        self.assertEqual(batch[self.entry_b.pk], {})
        self.assertAlmostEqual(batch[self.entry_a.pk]["npv"], 39.745, places=2)

    def test_the_scorecard_bands_use_the_business_case(self):
        from reviews.scorecard_selectors import entry_bands

        self.assertEqual(entry_bands(self.entry_a)["economics"].high, 1)
        self.save_case()  # saved, but not cost-effective: at most 2
        self.assertEqual(entry_bands(self.entry_a)["economics"].high, 2)
