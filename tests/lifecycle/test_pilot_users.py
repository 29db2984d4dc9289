"""Pilot users: usage counts and rates, fallbacks, the SUS questionnaire;
the business case recomputed from field data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lifecycle import pilot_selectors, pilot_services, selectors, services
from lifecycle.models import KpiBenefit, PilotUsage
from portal.accounts.models import Notification
from portal.ledger.models import LedgerEntry
from reviews import case_selectors, case_services, economics
from reviews import services as review_services
from reviews.models import BusinessCase, CaseBasis, SusInvitation
from tests.lifecycle.test_pilots import PilotTestCase

CASE_DATA = {
    "basis": CaseBasis.PROJECTED,
    "investment": Decimal("200000"),
    "horizon_years": 5,
    "discount_rate": Decimal("0.08"),
    "note": "Vendor's projection.",
}
CASE_LINES = [
    {"kind": "benefit", "name": "Balancing cost avoided", "amount": Decimal("100000")},
    {"kind": "benefit", "name": "Staff time", "amount": Decimal("10000")},
    {"kind": "cost", "name": "Operation", "amount": Decimal("20000")},
]


class UsageTests(PilotTestCase):
    def record(self, user=None, **counts):
        data = {"presented": 200, "accepted": 150, "overridden": 30, **counts}
        return pilot_services.pilot_usage_record(
            pilot=self.pilot,
            user=user or self.gina,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            source="SCADA operator log",
            **data,
        )

    def test_it_sums_the_periods_and_computes_the_rates(self):
        self.record()
        self.record(presented=100, accepted=50, overridden=10)
        services.pilot_incident_record(
            pilot=self.pilot,
            user=self.gina,
            occurred_at=datetime(2026, 3, 5, tzinfo=UTC),
            severity="minor",
            description="Model timed out; the operator took over.",
            fallback_activated=True,
        )
        services.pilot_incident_record(
            pilot=self.pilot,
            user=self.gina,
            occurred_at=datetime(2026, 3, 6, tzinfo=UTC),
            severity="minor",
            description="Late data.",
            fallback_activated=False,
        )
        summary = pilot_selectors.usage_summary(self.pilot)
        self.assertEqual((summary.presented, summary.accepted), (300, 200))
        self.assertAlmostEqual(summary.rates.acceptance.rate, 200 / 300)
        self.assertAlmostEqual(summary.rates.override.rate, 40 / 300)
        self.assertEqual((summary.fallbacks, summary.incidents), (1, 2))
        self.assertAlmostEqual(summary.fallback_share.rate, 0.5)
        self.assertAlmostEqual(summary.fallbacks_per_1000, 1000 / 300)
        self.assertEqual(
            LedgerEntry.objects.filter(kind="lifecycle.pilot_usage").count(), 2
        )

    def test_it_has_no_rates_without_counts(self):
        summary = pilot_selectors.usage_summary(self.pilot)
        self.assertIsNone(summary.rates)
        self.assertIsNone(summary.fallback_share)
        self.assertIsNone(summary.fallbacks_per_1000)

    def test_it_refuses_impossible_counts_and_periods(self):
        with self.assertRaisesMessage(ValidationError, "cannot exceed"):
            self.record(accepted=180, overridden=30)
        with self.assertRaisesMessage(ValidationError, "within the pilot's period"):
            pilot_services.pilot_usage_record(
                pilot=self.pilot,
                user=self.gina,
                period_start=date(2026, 2, 1),
                period_end=date(2026, 3, 1),
                presented=1,
                accepted=1,
                overridden=0,
            )
        self.assertIs(PilotUsage.objects.exists(), False)

    def test_only_owner_writers_and_operators_record(self):
        for user in (self.gary, self.alice, self.otto):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.record(user=user)
        self.record(user=self.olivia)


class SusTests(PilotTestCase):
    def test_the_owner_sends_the_questionnaire_of_the_review_entry(self):
        created = pilot_services.pilot_sus_invite(
            pilot=self.pilot, user=self.gina, respondents=[self.gary]
        )
        (invitation,) = created
        # No effectiveness entry yet: the testing entry's questionnaire.
        self.assertEqual(invitation.entry, self.entry_a)
        notification = Notification.objects.get(user=self.gary, category="reviews")
        self.assertEqual(
            notification.url,
            reverse("reviews:case_sus_respond", args=[self.entry_a.pk]),
        )
        case_services.sus_respond(
            invitation=invitation, user=self.gary, answers=[5, 1] * 5
        )
        panel = pilot_selectors.sus_panel(self.solution)
        self.assertEqual((panel.summary.n, panel.summary.mean), (1, 100.0))
        self.assertEqual(panel.invited, 1)

    def test_it_refuses_vendor_people_and_readers(self):
        with self.assertRaisesMessage(ValidationError, "not in the scenario owner"):
            pilot_services.pilot_sus_invite(
                pilot=self.pilot, user=self.gina, respondents=[self.alice]
            )
        with self.assertRaises(PermissionDenied):
            pilot_services.pilot_sus_invite(
                pilot=self.pilot, user=self.gary, respondents=[self.gina]
            )
        self.assertIs(SusInvitation.objects.exists(), False)

    def test_the_effectiveness_entry_comes_first(self):
        entry = EffectivenessMixin.make_effectiveness_entry(self)
        self.assertEqual(pilot_selectors.review_entry(self.solution), entry)


class EffectivenessMixin:
    def make_effectiveness_entry(self):
        review_round = review_services.round_create(
            scenario=self.scenario,
            user=self.gina,
            data={
                "title": "Effectiveness round 1",
                "stage": "effectiveness",
                "deadline": timezone.now() + timedelta(days=14),
                "reviewers_per_entry": 2,
                "reviewer_cap": 5,
                "blind": False,
            },
        )
        (entry,) = review_services.round_entries_add(
            review_round=review_round, user=self.gina, submissions=[self.submission_a]
        )
        return entry


class FieldCaseTests(EffectivenessMixin, PilotTestCase):
    def setUp(self) -> None:
        super().setUp()
        case_services.business_case_save(
            entry=self.entry_a, user=self.alice, data=CASE_DATA, lines=CASE_LINES
        )
        # Balancing cost falls by 40,000 CNY a year per point of MAPE below 6.
        pilot_services.kpi_benefit_set(
            kpi=self.mape,
            user=self.gina,
            line_name="Balancing cost avoided",
            baseline=6.0,
            benefit_per_unit=40000.0,
        )
        for day, value in ((1, 4.0), (2, 5.0)):
            services.pilot_measurement_add(
                kpi=self.mape,
                user=self.gina,
                measured_at=datetime(2026, 3, day, tzinfo=UTC),
                value=value,
            )

    def expected(self, benefit: float) -> economics.Appraisal:
        return economics.appraise(
            economics.BusinessCase(
                investment=200000,
                costs=(economics.Line("Operation", 20000),),
                benefits=(
                    economics.Line("Balancing cost avoided", benefit),
                    economics.Line("Staff time", 10000),
                ),
                horizon=5,
                discount_rate=0.08,
            )
        )

    def test_it_shows_sandbox_and_field_side_by_side(self):
        result = pilot_selectors.field_case(self.pilot)
        self.assertEqual(result.problems, [])
        (line,) = result.mapped
        # Sandbox: (6 − 3.21) × 40,000 = 111,600; field: (6 − 4.5) × 40,000.
        self.assertAlmostEqual(line.sandbox_amount, 111600.0)
        self.assertAlmostEqual(line.field_amount, 60000.0)
        self.assertAlmostEqual(line.base_amount, 100000.0)
        self.assertAlmostEqual(result.sandbox.npv, self.expected(111600.0).npv)
        self.assertAlmostEqual(result.field.bcr, self.expected(60000.0).bcr)
        self.assertIsNone(result.entry)

    def test_it_saves_a_measured_version_on_the_effectiveness_entry(self):
        entry = self.make_effectiveness_entry()
        case = pilot_services.business_case_from_field(pilot=self.pilot, user=self.gina)
        self.assertEqual((case.entry, case.version), (entry, 1))
        self.assertEqual(case.basis, CaseBasis.MEASURED)
        self.assertEqual(case.investment, Decimal("200000.00"))
        amounts = {li.name: li.amount for li in case.lines.all()}
        self.assertEqual(amounts["Balancing cost avoided"], Decimal("60000.00"))
        self.assertEqual(amounts["Staff time"], Decimal("10000.00"))
        self.assertAlmostEqual(
            case_selectors.appraisal_of(case).bcr, self.expected(60000.0).bcr
        )
        # The scale gate reads it as the measured business case.
        evidence = selectors.gate_evidence(self.solution)
        self.assertEqual(evidence["measured_case"]["id"], case.pk)
        self.assertIs(
            LedgerEntry.objects.filter(kind="lifecycle.field_business_case").exists(),
            True,
        )

    def test_it_refuses_without_an_effectiveness_entry(self):
        with self.assertRaisesMessage(ValidationError, "no effectiveness review entry"):
            pilot_services.business_case_from_field(pilot=self.pilot, user=self.gina)

    def test_it_refuses_a_mapping_to_a_missing_line_or_an_unmeasured_kpi(self):
        self.make_effectiveness_entry()
        pilot_services.kpi_benefit_set(
            kpi=self.availability,
            user=self.gina,
            line_name="Outage penalties",
            baseline=99.0,
            benefit_per_unit=1000.0,
        )
        with self.assertRaises(ValidationError) as caught:
            pilot_services.business_case_from_field(pilot=self.pilot, user=self.gina)
        self.assertEqual(
            caught.exception.messages,
            [
                "KPI availability has no field measurement yet.",
                "The business case has no benefit line “Outage penalties”.",
            ],
        )
        self.assertIs(BusinessCase.objects.filter(basis="measured").exists(), False)

    def test_a_worse_field_value_gives_no_benefit(self):
        mapping = KpiBenefit.objects.get(kpi=self.mape)
        self.assertEqual(mapping.amount(7.0), 0.0)

    def test_only_owner_writers_map_and_save(self):
        self.make_effectiveness_entry()
        for user in (self.gary, self.alice):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    pilot_services.kpi_benefit_set(
                        kpi=self.mape,
                        user=user,
                        line_name="x",
                        baseline=1,
                        benefit_per_unit=1,
                    )
                with self.assertRaises(PermissionDenied):
                    pilot_services.business_case_from_field(pilot=self.pilot, user=user)


class PilotUserViewTests(EffectivenessMixin, PilotTestCase):
    def url(self, name: str, *args) -> str:
        return reverse(name, args=[self.pilot.pk, *args])

    def posts(self):
        return [
            (self.url("lifecycle:pilot_usage_add"), {}),
            (self.url("lifecycle:pilot_sus_invite"), {}),
            (self.url("lifecycle:pilot_business_case_create"), {}),
            (self.url("lifecycle:pilot_kpi_benefit", self.mape.pk), {}),
        ]

    def test_the_pilot_page_shows_usage_and_sus(self):
        pilot_services.pilot_usage_record(
            pilot=self.pilot,
            user=self.gina,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            presented=200,
            accepted=150,
            overridden=30,
        )
        self.login(self.gina)
        response = self.client.get(self.url("lifecycle:pilot"))
        self.assertContains(response, "Acceptance rate")
        self.assertContains(response, "75 %")
        self.assertContains(response, "Send the questionnaire to pilot users")
        self.assertContains(
            response, reverse("reviews:case_users", args=[self.entry_a.pk])
        )

    def test_the_owner_records_usage_and_sends_sus(self):
        self.login(self.gina)
        response = self.client.post(
            self.url("lifecycle:pilot_usage_add"),
            {
                "period_start": "2026-03-01",
                "period_end": "2026-03-31",
                "presented": "10",
                "accepted": "7",
                "overridden": "2",
            },
        )
        self.assertRedirects(
            response, self.url("lifecycle:pilot"), fetch_redirect_response=False
        )
        self.assertEqual(PilotUsage.objects.get().accepted, 7)
        self.client.post(
            self.url("lifecycle:pilot_sus_invite"), {"respondents": [self.gary.pk]}
        )
        self.assertEqual(SusInvitation.objects.get().respondent, self.gary)

    def test_the_business_case_page_maps_and_saves(self):
        case_services.business_case_save(
            entry=self.entry_a, user=self.alice, data=CASE_DATA, lines=CASE_LINES
        )
        services.pilot_measurement_add(
            kpi=self.mape,
            user=self.gina,
            measured_at=datetime(2026, 3, 1, tzinfo=UTC),
            value=4.5,
        )
        self.make_effectiveness_entry()
        self.login(self.gina)
        prefix = f"kpi{self.mape.pk}"
        self.client.post(
            self.url("lifecycle:pilot_kpi_benefit", self.mape.pk),
            {
                f"{prefix}-line_name": "Balancing cost avoided",
                f"{prefix}-baseline": "6",
                f"{prefix}-benefit_per_unit": "40000",
            },
        )
        response = self.client.get(self.url("lifecycle:pilot_business_case"))
        self.assertContains(response, "Sandbox-based")
        self.assertContains(response, "111600.00")
        self.assertContains(response, "60000.00")
        response = self.client.post(self.url("lifecycle:pilot_business_case_create"))
        self.assertRedirects(
            response,
            self.url("lifecycle:pilot_business_case"),
            fetch_redirect_response=False,
        )
        self.assertEqual(BusinessCase.objects.filter(basis="measured").count(), 1)

    def test_the_vendor_reads_the_business_case_page_without_forms(self):
        self.login(self.alice)
        response = self.client.get(self.url("lifecycle:pilot_business_case"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Save the mapping")

    def test_it_checks_ownership(self):
        for user in (self.charlie, self.otto):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url("lifecycle:pilot_business_case"))
                self.assertEqual(response.status_code, 404)
                for url, data in self.posts():
                    self.assertEqual(self.client.post(url, data).status_code, 404)

    def test_it_checks_the_kpi_belongs_to_the_pilot(self):
        other = services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site="Other",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 4, 1),
            mode="shadow",
        )
        self.login(self.gina)
        url = reverse("lifecycle:pilot_kpi_benefit", args=[other.pk, self.mape.pk])
        self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_it_requires_write_access(self):
        for user in (self.gary, self.alice):
            with self.subTest(user=user.username):
                self.login(user)
                for url, data in self.posts():
                    self.assertEqual(self.client.post(url, data).status_code, 403)

    def test_it_rejects_get(self):
        self.login(self.gina)
        for url, _data in self.posts():
            self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(
            self.client.post(self.url("lifecycle:pilot_business_case")).status_code,
            405,
        )
