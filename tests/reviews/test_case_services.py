"""Services of the calculators: business case, social impact, SUS, pilot.

Roles on ``entry_a`` (alice's, Vendor A) of the blind round on gina's
scenario (see tests/reviews/helpers.py): alice writes for the vendor, bob
only reads; gina writes for the scenario owner and chairs; gary is a
read-only owner member; olivia is an operator; rita reviews the entry;
connor is conflicted with it; charlie (Vendor B) and otto are outsiders.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations.models import Run
from portal.accounts.models import Membership, Notification
from reviews import case_services, decision_services, services
from reviews.models import (
    BusinessCase,
    CaseAuthorRole,
    SocialImpact,
    SusResponse,
)
from tests.base import make_user
from tests.evaluations.helpers import make_run
from tests.reviews.helpers import ReviewTestCase

CASE = {
    "basis": "projected",
    "investment": Decimal(100),
    "horizon_years": 5,
    "discount_rate": Decimal("0.08"),
    "unit_label": "",
    "note": "",
}
LINES = [
    {"kind": "benefit", "name": "Avoided penalties", "amount": Decimal(30)},
    {"kind": "cost", "name": "Licence", "amount": Decimal(5)},
]
IMPACT = {
    "basis": "projected",
    "energy_kind": "saved",
    "energy_mwh": Decimal(100),
    "region": "national",
    "factor_year": 2023,
    "calls_per_year": 1_000_000,
    "pue": Decimal(1),
    "method": "Metered baseline",
}
ALL_ANSWERS = [5, 1, 5, 1, 5, 1, 5, 1, 5, 1]  # SUS 100
MIDDLE = [3] * 10  # SUS 50


class CaseTestCase(ReviewTestCase):
    """The round of ReviewTestCase, open, with rita assigned to entry_a and
    connor to entry_b, and a metered hidden run of alice's submission:
    2 Wh and 10 CPU seconds over 100 calls (0.02 Wh, 0.1 s per call)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.metered_run = make_run(
            cls.submission_a,
            split=Run.Split.HIDDEN,
            status=Run.Status.SUCCEEDED,
            finished_at=timezone.now() + timedelta(seconds=5),
            resources={"energy_wh": 2.0, "cpu_seconds": 10.0, "calls": 100},
            passed=True,
        )
        # grace: a second person of the scenario owner who answers the SUS.
        cls.grace = make_user("grace", cls.grid, role=Membership.Role.MEMBER)

    def setUp(self):
        super().setUp()
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.connor_b = self.assign(self.entry_b, self.connor)
        self.open_round()

    def save_case(self, user=None, lines=LINES, **changes):
        return case_services.business_case_save(
            entry=self.entry_a,
            user=user or self.alice,
            data={**CASE, **changes},
            lines=lines,
        )

    def save_impact(self, user=None, items=(), **changes):
        return case_services.impact_save(
            entry=self.entry_a,
            user=user or self.alice,
            data={**IMPACT, **changes},
            items=list(items),
        )

    def invite(self, *people):
        return case_services.sus_invite(
            entry=self.entry_a, user=self.gina, respondents=list(people)
        )

    def decide(self):
        services.round_close(review_round=self.round, user=self.gina)
        decision_services.decision_record(
            entry=self.entry_a,
            user=self.gina,
            outcome="revise",
            reasons="Needs a measured baseline",
            meta_review="",
        )


class BusinessCaseSaveTests(CaseTestCase):
    def test_it_keeps_every_version(self):
        first = self.save_case()
        second = self.save_case(user=self.gina, investment=Decimal(80))
        self.assertEqual((first.version, second.version), (1, 2))
        first.refresh_from_db()
        self.assertEqual(first.investment, Decimal(100))
        self.assertEqual(first.lines.count(), 2)
        self.assertEqual(
            list(BusinessCase.objects.values_list("author_role", flat=True)),
            [CaseAuthorRole.OWNER, CaseAuthorRole.VENDOR],
        )
        self.assertEqual(second.author, self.gina)

    def test_it_lets_writers_of_vendor_and_owner_and_operators_save(self):
        for user, role in (
            (self.alice, CaseAuthorRole.VENDOR),
            (self.gina, CaseAuthorRole.OWNER),
            (self.olivia, CaseAuthorRole.OPERATOR),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.save_case(user=user).author_role, role)

    def test_it_refuses_readers_and_outsiders(self):
        for user in (
            self.bob,
            self.gary,
            self.rita,
            self.connor,
            self.charlie,
            self.otto,
            self.nobody,
        ):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.save_case(user=user)
        self.assertEqual(BusinessCase.objects.count(), 0)

    def test_vendors_propose_projected_figures_only(self):
        with self.assertRaisesMessage(
            ValidationError, "Only the scenario owner can record a measured basis"
        ):
            self.save_case(basis="measured")
        self.assertEqual(
            self.save_case(user=self.gina, basis="measured").basis, "measured"
        )

    def test_it_fills_the_compute_line_from_the_latest_hidden_run(self):
        case = self.save_case(
            calls_per_year=1_000_000, tariff_per_kwh=Decimal("0.6"), pue=Decimal(1)
        )
        line = case.lines.get(is_compute=True)
        # 0.02 Wh × 1e6 calls = 20 kWh × 0.6 CNY/kWh = 12 CNY.
        self.assertEqual(line.amount, Decimal("12.00"))
        self.assertEqual(line.kind, "cost")
        self.assertIn(f"run {self.metered_run.pk}", line.driver)
        self.assertEqual(case.compute_run, self.metered_run)

    def test_it_needs_both_volume_and_tariff(self):
        with self.assertRaisesMessage(
            ValidationError, "Give both the calls per year and the tariff"
        ):
            self.save_case(calls_per_year=1000)

    def test_it_needs_a_metered_run_for_the_compute_line(self):
        self.metered_run.resources = {"energy_wh": 2.0}
        self.metered_run.save(update_fields=["resources"])
        with self.assertRaisesMessage(
            ValidationError, "no finished hidden-test run with metered energy"
        ):
            self.save_case(calls_per_year=1000, tariff_per_kwh=Decimal(1))

    def test_it_rejects_duplicate_and_reserved_line_names(self):
        for name in ("Licence", "investment", case_services.COMPUTE_LINE_NAME):
            with (
                self.subTest(name=name),
                self.assertRaisesMessage(
                    ValidationError, "is used more than once or reserved"
                ),
            ):
                self.save_case(
                    lines=[*LINES, {"kind": "cost", "name": name, "amount": 1}]
                )

    def test_nothing_changes_after_the_decision(self):
        self.save_case()
        self.decide()
        with self.assertRaisesMessage(ValidationError, "The entry has a decision"):
            self.save_case(user=self.gina)


class ImpactSaveTests(CaseTestCase):
    def test_it_stores_the_scaled_compute_energy_and_items(self):
        impact = self.save_impact(
            items=[
                {
                    "name": "Hazardous field-work hours removed",
                    "quantity": Decimal(120),
                    "unit": "h",
                    "method": "Patrol logs 2025",
                }
            ]
        )
        # 0.02 Wh per call × 1e6 calls = 0.02 MWh.
        self.assertEqual(impact.compute_mwh, Decimal("0.020000"))
        self.assertEqual(impact.compute_run, self.metered_run)
        self.assertEqual(impact.items.get().unit, "h")
        again = self.save_impact(user=self.gina, energy_mwh=Decimal(50))
        self.assertEqual(again.version, 2)
        self.assertEqual(SocialImpact.objects.count(), 2)

    def test_it_takes_factors_from_the_table_only(self):
        with self.assertRaisesMessage(
            ValidationError, "Choose a grid emission factor from the table."
        ):
            self.save_impact(region="north", factor_year=2022)

    def test_it_needs_the_annual_volume(self):
        with self.assertRaisesMessage(
            ValidationError, "Give the annual volume of calls"
        ):
            self.save_impact(calls_per_year=None)

    def test_it_refuses_readers(self):
        for user in (self.bob, self.gary, self.rita, self.connor, self.charlie):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.save_impact(user=user)


class SusTests(CaseTestCase):
    def test_it_invites_owner_people_and_notifies_them_once(self):
        created = self.invite(self.gary, self.grace)
        self.assertEqual(len(created), 2)
        self.assertEqual(
            Notification.objects.filter(user__in=[self.gary, self.grace]).count(), 2
        )
        note = Notification.objects.get(user=self.gary)
        self.assertEqual(note.url, f"/reviews/entries/{self.entry_a.pk}/questionnaire/")
        self.assertEqual(self.invite(self.gary), [])
        self.assertEqual(Notification.objects.filter(user=self.gary).count(), 1)

    def test_only_managers_send_it(self):
        for user in (self.alice, self.gary, self.rita, self.otto):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                case_services.sus_invite(
                    entry=self.entry_a, user=user, respondents=[self.grace]
                )

    def test_it_refuses_people_outside_the_owner_and_the_vendor(self):
        Membership.objects.create(
            user=self.grace, organisation=self.vendor_a, role="member"
        )
        for person in (self.alice, self.rita, self.grace):
            with (
                self.subTest(person=person.username),
                self.assertRaisesMessage(
                    ValidationError, "is not in the scenario owner's organisation"
                ),
            ):
                self.invite(person)

    def test_a_respondent_answers_once(self):
        invitation = self.invite(self.gary)[0]
        response = case_services.sus_respond(
            invitation=invitation, user=self.gary, answers=ALL_ANSWERS
        )
        self.assertEqual(response.score, 100.0)
        with self.assertRaisesMessage(
            ValidationError, "You have already answered this questionnaire."
        ):
            case_services.sus_respond(
                invitation=invitation, user=self.gary, answers=MIDDLE
            )
        self.assertEqual(SusResponse.objects.count(), 1)

    def test_nobody_answers_for_another(self):
        invitation = self.invite(self.gary)[0]
        for user in (self.gina, self.grace, self.alice):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                case_services.sus_respond(
                    invitation=invitation, user=user, answers=MIDDLE
                )

    def test_vendors_never_answer_for_their_own_entry(self):
        invitation = self.invite(self.grace)[0]
        # grace joins Vendor A after being invited.
        Membership.objects.create(
            user=self.grace, organisation=self.vendor_a, role="member"
        )
        with self.assertRaises(PermissionDenied):
            case_services.sus_respond(
                invitation=invitation, user=self.grace, answers=MIDDLE
            )

    def test_it_checks_the_answers(self):
        invitation = self.invite(self.gary)[0]
        for answers in ([3] * 9, [0] * 10, [6] * 10):
            with (
                self.subTest(answers=answers),
                self.assertRaisesMessage(
                    ValidationError,
                    "Answer all ten statements with a value from 1 to 5.",
                ),
            ):
                case_services.sus_respond(
                    invitation=invitation, user=self.gary, answers=answers
                )
        self.assertEqual(SusResponse.objects.count(), 0)


class PilotCountsTests(CaseTestCase):
    def test_it_records_counts_for_managers_only(self):
        log = case_services.pilot_counts_record(
            entry=self.entry_a,
            user=self.gina,
            recommendations=200,
            accepted=150,
            overridden=20,
            source="Dispatch logs, site 1, March",
        )
        self.assertEqual(log.author, self.gina)
        for user in (self.alice, self.gary, self.rita):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                case_services.pilot_counts_record(
                    entry=self.entry_a,
                    user=user,
                    recommendations=1,
                    accepted=1,
                    overridden=0,
                    source="x",
                )

    def test_it_rejects_counts_that_do_not_add_up(self):
        with self.assertRaisesMessage(
            ValidationError, "Accepted plus overridden cannot exceed"
        ):
            case_services.pilot_counts_record(
                entry=self.entry_a,
                user=self.gina,
                recommendations=10,
                accepted=8,
                overridden=5,
                source="logs",
            )
