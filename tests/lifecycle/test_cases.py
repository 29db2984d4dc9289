"""Benchmark cases: who drafts and publishes, the evidence snapshot, the
ledger entry, and the public pages.

Roles on alice's solution (see tests/lifecycle/helpers.py): alice writes
for the vendor, bob only reads; gina writes for the scenario owner, gary
only reads; olivia is an operator; charlie and otto are outsiders.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lifecycle import case_selectors, case_services, services
from lifecycle.models import BenchmarkCase, PilotKpi
from portal.ledger.models import LedgerEntry
from reviews import case_services as review_case_services
from reviews import services as review_services
from tests.lifecycle.helpers import LifecycleTestCase

ZH = "基于深度学习的短期负荷预测，已在三个地市推广。"
EN = "Deep-learning short-term load forecasting, rolled out in three cities."


class CaseTestCase(LifecycleTestCase):
    """alice's solution with a pilot at Site A (mape measured, uptime not),
    then at scale rollout."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.solution.stage = "pilot"
        cls.solution.save(update_fields=["stage"])
        cls.pilot = services.pilot_create(
            solution=cls.solution,
            user=cls.gina,
            site="Site A substation",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 31),
            mode="shadow",
        )
        cls.mape = services.pilot_kpi_add(
            pilot=cls.pilot,
            user=cls.gina,
            name="mape",
            unit="%",
            target=5.0,
            comparator=PilotKpi.Comparator.AT_MOST,
            tolerance_pct=20,
        )
        services.pilot_kpi_add(
            pilot=cls.pilot,
            user=cls.gina,
            name="uptime",
            unit="%",
            target=99.0,
            comparator=PilotKpi.Comparator.AT_LEAST,
            tolerance_pct=5,
            sandbox_value=99.5,
        )
        for value in (3.0, 3.4):
            services.pilot_measurement_add(
                kpi=cls.mape,
                user=cls.gina,
                measured_at=datetime(
                    2026, 2, 1, tzinfo=timezone.get_current_timezone()
                ),
                value=value,
            )
        cls.solution.stage = "scale"
        cls.solution.save(update_fields=["stage"])

    def save(self, user=None, zh=ZH, en=EN):
        return case_services.benchmark_case_save(
            solution=self.refresh(),
            user=user or self.alice,
            summary_zh=zh,
            summary_en=en,
        )

    def publish(self, user=None, case=None):
        return case_services.benchmark_case_publish(
            case=case or self.save(), user=user or self.gina
        )


class CaseServiceTests(CaseTestCase):
    def test_the_owner_publishes_with_the_vendors_consent(self):
        case = self.publish()
        self.assertEqual(case.status, BenchmarkCase.Status.PUBLISHED)
        self.assertEqual(case.published_by, self.gina)
        self.assertEqual(case.slug, f"grid-po-fc-001-{self.solution.pk}")

    def test_publication_appends_to_the_ledger(self):
        case = self.publish()
        entry = LedgerEntry.objects.get(kind="lifecycle.case_published")
        self.assertEqual(case.ledger_sequence, entry.sequence)
        self.assertEqual(case.ledger_hash, entry.entry_hash)
        self.assertEqual(entry.subject, f"solution:{self.solution.pk}")
        self.assertEqual(entry.payload["snapshot"], case.evidence)
        self.assertIn(f"pilot:{self.pilot.pk}", entry.evidence)

    def test_it_is_refused_outside_scale_rollout(self):
        case = self.save()
        for stage in ("effectiveness", "pilot", "withdrawn"):
            with self.subTest(stage=stage):
                self.put_in(stage)
                with self.assertRaisesMessage(
                    ValidationError, "Only a solution at scale rollout"
                ):
                    case_services.benchmark_case_publish(case=case, user=self.olivia)
        with self.assertRaisesMessage(ValidationError, "Only a solution at scale"):
            self.save()
        self.assertFalse(LedgerEntry.objects.filter(kind__startswith="lifecycle.case"))

    def test_it_is_refused_to_the_wrong_roles(self):
        case = self.save()
        for user in (self.alice, self.bob, self.gary, self.charlie, self.otto):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(PermissionDenied, "Your role may not publish"),
            ):
                self.publish(user, case)

    def test_readers_and_outsiders_may_not_draft(self):
        for user in (self.bob, self.gary, self.charlie, self.otto):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(PermissionDenied, "may not edit"),
            ):
                self.save(user)

    def test_it_is_refused_with_an_empty_summary(self):
        case = self.save(zh=ZH, en="  ")
        with self.assertRaisesMessage(
            ValidationError, "Write the solution summary in Chinese and in English"
        ):
            self.publish(self.olivia, case)

    def test_the_owner_needs_the_vendors_consent_to_the_text(self):
        self.save()
        # gina rewrites the summary: alice's consent no longer covers it.
        case = self.save(self.gina, en=EN + " Revised.")
        self.assertIsNone(case.vendor_consent_at)
        with self.assertRaisesMessage(ValidationError, "has not consented"):
            self.publish(self.gina, case)
        # alice saves the text as it stands, which is her consent.
        case = self.save(self.alice, en=EN + " Revised.")
        self.assertEqual(case.vendor_consent_by, self.alice)
        self.assertEqual(self.publish(self.gina, case).status, "published")

    def test_an_operator_publishes_without_consent(self):
        case = self.save(self.olivia)
        self.assertIsNone(case.vendor_consent_at)
        self.assertEqual(self.publish(self.olivia, case).status, "published")

    def test_withdrawal_needs_a_reason_and_is_recorded(self):
        case = self.publish()
        with self.assertRaisesMessage(ValidationError, "Give the reason"):
            case_services.benchmark_case_withdraw(case=case, user=self.alice, reason="")
        with self.assertRaisesMessage(PermissionDenied, "may not withdraw"):
            case_services.benchmark_case_withdraw(
                case=case, user=self.bob, reason="No."
            )
        case = case_services.benchmark_case_withdraw(
            case=case, user=self.alice, reason="Consent withdrawn."
        )
        self.assertEqual(case.status, "withdrawn")
        entry = LedgerEntry.objects.get(kind="lifecycle.case_withdrawn")
        self.assertEqual(entry.payload["reason"], "Consent withdrawn.")

    def test_a_published_case_cannot_change(self):
        self.publish()
        with self.assertRaisesMessage(ValidationError, "withdraw it first"):
            self.save()


class CaseSnapshotTests(CaseTestCase):
    def test_missing_evidence_stays_missing(self):
        snapshot = case_selectors.case_snapshot(self.refresh())
        self.assertIsNone(snapshot["economics"])
        self.assertIsNone(snapshot["carbon"])
        # The testing round exists but nobody has scored it yet.
        self.assertEqual(
            snapshot["maturity"],
            {"round": self.round.pk, "stage": "testing", "d1": None, "composite": None},
        )
        results = {row["kpi"]: row for row in snapshot["results"]}
        self.assertEqual(results["mape"]["field_mean"], 3.2)
        self.assertEqual(results["mape"]["sandbox"], 3.21)
        self.assertIs(results["mape"]["target_met"], True)
        self.assertIsNone(results["uptime"]["field_mean"])
        self.assertEqual(results["uptime"]["measurements"], 0)
        self.assertEqual(
            snapshot["sites"][0],
            {
                "pilot": self.pilot.pk,
                "site": "Site A substation",
                "starts_on": "2026-01-01",
                "ends_on": "2026-03-31",
                "mode": "shadow",
                "status": "planned",
            },
        )

    def test_it_takes_the_business_case_of_the_effectiveness_entry(self):
        effectiveness = review_services.round_create(
            scenario=self.scenario,
            user=self.gina,
            data={
                "title": "Effectiveness round",
                "stage": "effectiveness",
                "deadline": timezone.now() + timedelta(days=14),
                "reviewers_per_entry": 2,
                "reviewer_cap": 5,
                "blind": False,
            },
        )
        (entry,) = review_services.round_entries_add(
            review_round=effectiveness, user=self.gina, submissions=[self.submission_a]
        )
        review_case_services.business_case_save(
            entry=entry,
            user=self.gina,
            data={
                "basis": "measured",
                "investment": Decimal(100),
                "horizon_years": 5,
                "discount_rate": Decimal("0.08"),
                "unit_label": "",
                "note": "",
            },
            lines=[
                {"kind": "benefit", "name": "Avoided penalties", "amount": Decimal(30)},
                {"kind": "cost", "name": "Licence", "amount": Decimal(5)},
            ],
        )
        snapshot = case_selectors.case_snapshot(self.refresh())
        economics = snapshot["economics"]
        self.assertEqual(economics["basis"], "measured")
        # 25 a year for 5 years at 8 % is 99.82; less the 100 invested.
        self.assertEqual(economics["npv"], -0.18)
        self.assertEqual(snapshot["maturity"]["stage"], "effectiveness")


class CaseFormViewTests(CaseTestCase):
    def url(self, name):
        return reverse(name, args=[self.solution.pk])

    def test_the_solution_page_offers_the_vendor_consent(self):
        self.login(self.alice)
        response = self.client.get(self.url("lifecycle:solution"))
        self.assertContains(response, "Save and consent to publication")
        self.assertNotContains(response, self.url("lifecycle:case_publish"))

    def test_the_owner_saves_and_publishes(self):
        self.save()
        self.login(self.gina)
        response = self.client.post(self.url("lifecycle:case_publish"))
        case = BenchmarkCase.objects.get()
        self.assertRedirects(response, case.get_absolute_url())

    def test_it_checks_ownership(self):
        self.save()
        self.login(self.charlie)
        for name in ("case_save", "case_publish", "case_withdraw"):
            with self.subTest(name=name):
                response = self.client.post(self.url(f"lifecycle:{name}"))
                self.assertEqual(response.status_code, 404)

    def test_it_requires_write_access(self):
        self.save()
        self.login(self.bob)
        for name in ("case_save", "case_publish"):
            with self.subTest(name=name):
                response = self.client.post(
                    self.url(f"lifecycle:{name}"), {"summary_zh": ZH}
                )
                self.assertEqual(response.status_code, 403)
        self.publish()
        response = self.client.post(
            self.url("lifecycle:case_withdraw"), {"reason": "No."}
        )
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_get(self):
        self.login(self.alice)
        for name in ("case_save", "case_publish", "case_withdraw"):
            with self.subTest(name=name):
                self.assertEqual(
                    self.client.get(self.url(f"lifecycle:{name}")).status_code, 405
                )

    def test_a_refusal_is_a_message(self):
        self.save(zh="")
        self.login(self.gina)
        response = self.client.post(self.url("lifecycle:case_publish"), follow=True)
        self.assertContains(response, "Write the solution summary in Chinese")


class PublicCasePageTests(CaseTestCase):
    def test_anonymous_visitors_read_a_published_case(self):
        case = self.publish()
        response = self.client.get(case.get_absolute_url())
        self.assertContains(response, EN)
        self.assertContains(response, "Site A substation")
        self.assertContains(response, "Vendor A")
        self.assertContains(response, f"ledger entry {case.ledger_sequence}")
        # No business case, no impact, an unscored round, an unmeasured KPI.
        self.assertContains(response, "not measured", count=5)

    def test_it_reads_chinese(self):
        case = self.publish()
        response = self.client.get(
            case.get_absolute_url(), headers={"accept-language": "zh-hans"}
        )
        self.assertContains(response, ZH)

    def test_an_unpublished_case_is_404(self):
        case = self.save()
        self.assertEqual(self.client.get(case.get_absolute_url()).status_code, 404)
        case = self.publish(case=case)
        case_services.benchmark_case_withdraw(case=case, user=self.gina, reason="Old.")
        self.assertEqual(self.client.get(case.get_absolute_url()).status_code, 404)

    def test_a_case_whose_solution_left_scale_is_404(self):
        case = self.publish()
        self.put_in("testing")
        self.assertEqual(self.client.get(case.get_absolute_url()).status_code, 404)

    def test_the_pages_reject_post(self):
        case = self.publish()
        self.assertEqual(self.client.post(reverse("cases:index")).status_code, 405)
        self.assertEqual(self.client.post(case.get_absolute_url()).status_code, 405)

    def test_the_list_filters_by_sector(self):
        case = self.publish()
        url = reverse("cases:index")
        self.assertEqual(list(self.client.get(url).context["cases"]), [case])
        response = self.client.get(url, {"sector": "hydro"})
        self.assertEqual(list(response.context["cases"]), [])
        response = self.client.get(reverse("cases:index_results"), {"sector": "grid"})
        self.assertTemplateUsed(response, "lifecycle/_case_results.html")
        self.assertEqual(list(response.context["cases"]), [case])

    def test_the_list_query_count_does_not_grow_with_cases(self):
        self.publish()
        url = reverse("cases:index")
        # cases with solution, scenario and vendor (one join).
        with self.assertNumQueries(1):
            self.client.get(url)
        charlie = services.solution_register(
            submission=self.submission_b, user=self.charlie
        )
        charlie.stage = "scale"
        charlie.save(update_fields=["stage"])
        case = case_services.benchmark_case_save(
            solution=charlie, user=self.olivia, summary_zh=ZH, summary_en=EN
        )
        case_services.benchmark_case_publish(case=case, user=self.olivia)
        with self.assertNumQueries(1):
            response = self.client.get(url)
        self.assertEqual(len(response.context["cases"]), 2)
