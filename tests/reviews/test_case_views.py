"""Pages of the calculators: business case, social impact, user evaluation
and the SUS questionnaire."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from reviews import case_services
from reviews.case_forms import BusinessCaseForm, LineForm
from reviews.models import BusinessCase, PilotLog, SocialImpact, SusResponse
from tests.reviews.test_case_services import MIDDLE, CaseTestCase
from tests.reviews.test_views import VENDOR_A_IDENTITY

HTMX = {"hx-request": "true"}


def business_post(benefit="30", **changes):
    data = {
        "basis": "projected",
        "investment": "100",
        "horizon_years": "5",
        "discount_rate": "8",
        "asset_life_years": "",
        "service_units": "",
        "unit_label": "",
        "calls_per_year": "",
        "tariff_per_kwh": "",
        "pue": "1",
        "cpu_hour_price": "0",
        "note": "Baseline: manual dispatch",
        "cost-TOTAL_FORMS": "1",
        "cost-INITIAL_FORMS": "0",
        "cost-0-name": "Licence",
        "cost-0-amount": "5",
        "cost-0-escalation": "",
        "cost-0-driver": "Vendor quote",
        "benefit-TOTAL_FORMS": "1",
        "benefit-INITIAL_FORMS": "0",
        "benefit-0-name": "Avoided penalties",
        "benefit-0-amount": benefit,
        "benefit-0-escalation": "0",
        "benefit-0-driver": "Forecast deviation penalties, 2025 baseline",
    }
    data.update(changes)
    return data


def impact_post(**changes):
    data = {
        "basis": "projected",
        "energy_kind": "saved",
        "energy_mwh": "100",
        "factor": "national:2023",
        "calls_per_year": "1000000",
        "pue": "1",
        "method": "Metered feeder",
        "item-TOTAL_FORMS": "1",
        "item-INITIAL_FORMS": "0",
        "item-0-name": "Outage minutes avoided",
        "item-0-quantity": "340",
        "item-0-unit": "customer-minutes",
        "item-0-method": "SAIDI before and after",
    }
    data.update(changes)
    return data


class CaseViewTestCase(CaseTestCase):
    def assertContains400(self, response, text, **kwargs):
        self.assertContains(response, text, status_code=400, **kwargs)

    def assert_statuses(self, method, url, expected, data=None, **extra):
        for user, status in expected:
            with self.subTest(user=getattr(user, "username", "anonymous")):
                self.client.logout()
                if user is not None:
                    self.login(user)
                response = getattr(self.client, method)(url, data or {}, **extra)
                if status == "login":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("/accounts/login/", response["Location"])
                else:
                    self.assertEqual(response.status_code, status)


class BusinessCaseViewTests(CaseViewTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("reviews:case_business", args=[self.entry_a.pk])
        self.preview = reverse("reviews:case_business_preview", args=[self.entry_a.pk])

    def test_it_checks_ownership(self):
        self.assert_statuses(
            "get",
            self.url,
            [
                (None, "login"),
                (self.connor, 404),
                (self.charlie, 404),
                (self.otto, 404),
                (self.nobody, 404),
                (self.alice, 200),
                (self.bob, 200),
                (self.gina, 200),
                (self.gary, 200),
                (self.olivia, 200),
                (self.rita, 200),
            ],
        )
        self.assert_statuses(
            "post", self.preview, [(self.connor, 404), (self.charlie, 404)]
        )

    def test_it_requires_write_access(self):
        for url in (self.url, self.preview):
            self.assert_statuses(
                "post",
                url,
                [(self.bob, 403), (self.gary, 403), (self.rita, 403)],
                business_post(),
            )
        self.assertEqual(BusinessCase.objects.count(), 0)

    def test_it_rejects_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.preview).status_code, 405)
        self.assertEqual(self.client.put(self.url).status_code, 405)

    def test_it_saves_a_version_and_shows_the_results(self):
        self.login(self.alice)
        response = self.client.post(self.url, business_post())
        self.assertRedirects(response, self.url)
        case = BusinessCase.objects.get()
        self.assertEqual(case.discount_rate, Decimal("0.0800"))
        self.assertEqual(case.lines.count(), 2)
        response = self.client.get(self.url)
        self.assertContains(response, '<dd id="npv">-0.18 CNY</dd>', html=True)
        self.assertContains(response, "Not within the horizon of 5 years")
        self.assertContains(response, 'value="Avoided penalties"')
        self.assertContains(response, 'value="8.00"')

    def test_htmx_recomputes_the_results_from_the_unsaved_form(self):
        self.login(self.alice)
        response = self.client.post(self.preview, business_post(), headers=HTMX)
        self.assertIn("HX-Request", response["Vary"])
        self.assertTemplateUsed(response, "reviews/_case_business_results.html")
        self.assertTemplateNotUsed(response, "base.html")
        self.assertContains(response, "-0.18 CNY")
        self.assertContains(response, "not saved")
        response = self.client.post(self.preview, business_post("40"), headers=HTMX)
        self.assertContains(response, "39.74 CNY")
        self.assertEqual(BusinessCase.objects.count(), 0)

    def test_htmx_explains_why_there_are_no_results(self):
        self.login(self.alice)
        response = self.client.post(self.preview, business_post("lots"), headers=HTMX)
        self.assertContains(response, "Correct the fields marked in the form")
        response = self.client.post(
            self.preview,
            business_post(calls_per_year="1000"),
            headers=HTMX,
        )
        self.assertContains(response, "Give both the calls per year and the tariff")

    def test_htmx_adds_and_removes_lines_keeping_what_was_typed(self):
        self.login(self.alice)
        response = self.client.post(
            self.preview, {**business_post(), "action": "add-cost"}, headers=HTMX
        )
        self.assertTemplateUsed(response, "reviews/_case_business_form.html")
        self.assertContains(response, 'name="cost-TOTAL_FORMS" value="2"')
        self.assertContains(response, 'value="Licence"')
        self.assertContains(response, "Baseline: manual dispatch")
        response = self.client.post(
            self.preview, {**business_post(), "action": "remove-cost-0"}, headers=HTMX
        )
        self.assertContains(response, 'name="cost-TOTAL_FORMS" value="0"')
        self.assertNotContains(response, 'value="Licence"')
        self.assertContains(response, 'value="Avoided penalties"')
        # Without the licence: 30 × 3.99271 − 100 = 19.78.
        self.assertContains(response, "19.78 CNY")

    def test_validation_errors_lose_nothing(self):
        self.login(self.alice)
        response = self.client.post(
            self.url, business_post(**{"cost-0-amount": "-5", "investment": ""})
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains400(response, "This field is required.")
        self.assertContains400(
            response, "Ensure this value is greater than or equal to 0."
        )
        self.assertContains400(response, 'value="Licence"')
        self.assertContains400(response, 'value="-5"')
        self.assertContains400(response, "Forecast deviation penalties, 2025 baseline")
        self.assertEqual(BusinessCase.objects.count(), 0)

    def test_service_errors_go_next_to_their_field(self):
        self.login(self.alice)
        response = self.client.post(self.url, business_post(basis="measured"))
        self.assertEqual(response.status_code, 400)
        self.assertContains400(
            response, "Only the scenario owner can record a measured"
        )

    def test_blind_round_hides_the_vendor_from_reviewers(self):
        self.save_case()
        self.login(self.rita)
        response = self.client.get(self.url)
        self.assertContains(response, "Entry 1")
        self.assertContains(response, "<td>Vendor</td>", html=True)
        for text in VENDOR_A_IDENTITY:
            self.assertNotContains(response, text)
        self.assertNotContains(response, 'id="case-form"')
        self.login(self.gina)
        response = self.client.get(self.url)
        self.assertContains(response, "alice (Vendor)")
        self.assertContains(response, "alice-special-model")

    def test_the_version_list_costs_the_same_with_more_versions(self):
        self.save_case()
        self.login(self.gina)
        # Session, user, entry, memberships, conflicts (2), decision (2:
        # identity, still open), latest case and its lines, questionnaire
        # link, hidden run, versions, unread notifications.
        with self.assertNumQueries(14):
            self.client.get(self.url)
        self.save_case(user=self.gina)
        self.save_case(user=self.olivia)
        with self.assertNumQueries(14):
            response = self.client.get(self.url)
        self.assertContains(response, "olivia (Operator)")


class ImpactViewTests(CaseViewTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("reviews:case_impact", args=[self.entry_a.pk])
        self.preview = reverse("reviews:case_impact_preview", args=[self.entry_a.pk])

    def test_it_checks_ownership(self):
        self.assert_statuses(
            "get",
            self.url,
            [
                (None, "login"),
                (self.connor, 404),
                (self.charlie, 404),
                (self.nobody, 404),
                (self.bob, 200),
                (self.rita, 200),
                (self.gary, 200),
            ],
        )
        self.assert_statuses("post", self.preview, [(self.connor, 404)])

    def test_it_requires_write_access(self):
        for url in (self.url, self.preview):
            self.assert_statuses(
                "post",
                url,
                [(self.bob, 403), (self.gary, 403), (self.rita, 403)],
                impact_post(),
            )

    def test_it_rejects_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.preview).status_code, 405)
        self.assertEqual(self.client.delete(self.url).status_code, 405)

    def test_it_saves_and_shows_the_result_with_its_factors(self):
        self.login(self.alice)
        self.assertRedirects(self.client.post(self.url, impact_post()), self.url)
        impact = SocialImpact.objects.get()
        self.assertEqual(impact.items.get().unit, "customer-minutes")
        self.login(self.rita)
        response = self.client.get(self.url)
        self.assertContains(response, '<dd id="co2-net">53.049 t</dd>', html=True)
        self.assertContains(response, '<dd id="co2-upper">82.719 t</dd>', html=True)
        self.assertContains(response, "0.5306 kgCO2/kWh")
        self.assertContains(response, "0.8273 kgCO2/kWh")
        self.assertContains(
            response, "https://www.163.com/dy/article/KIQVBKCG05567I2C.html"
        )
        self.assertContains(response, "year 2023")
        self.assertContains(response, "region national")
        self.assertContains(response, "Outage minutes avoided")
        for text in VENDOR_A_IDENTITY:
            self.assertNotContains(response, text)

    def test_htmx_recomputes_and_adds_rows(self):
        self.login(self.gina)
        response = self.client.post(
            self.preview, impact_post(factor="south:2023"), headers=HTMX
        )
        self.assertTemplateUsed(response, "reviews/_case_impact_results.html")
        # 100 × 0.4042 − 0.02 × 0.4042 = 40.412.
        self.assertContains(response, "40.412 t")
        response = self.client.post(
            self.preview, {**impact_post(), "action": "add-item"}, headers=HTMX
        )
        self.assertContains(response, 'name="item-TOTAL_FORMS" value="2"')
        self.assertContains(response, "SAIDI before and after")

    def test_validation_errors_lose_nothing(self):
        self.login(self.alice)
        response = self.client.post(
            self.url, impact_post(**{"item-0-unit": "", "factor": "mars:2023"})
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains400(response, "Select a valid choice.")
        self.assertContains400(response, "SAIDI before and after")
        self.assertContains400(response, 'value="340"')


class UsersViewTests(CaseViewTestCase):
    def setUp(self):
        super().setUp()
        pk = self.entry_a.pk
        self.url = reverse("reviews:case_users", args=[pk])
        self.invite_url = reverse("reviews:case_users_invite", args=[pk])
        self.pilot_url = reverse("reviews:case_users_pilot", args=[pk])

    def test_it_checks_ownership(self):
        self.assert_statuses(
            "get",
            self.url,
            [
                (None, "login"),
                (self.alice, 404),
                (self.bob, 404),
                (self.connor, 404),
                (self.charlie, 404),
                (self.gina, 200),
                (self.gary, 200),
                (self.rita, 200),
            ],
        )
        for url in (self.invite_url, self.pilot_url):
            self.assert_statuses("post", url, [(self.alice, 404), (self.connor, 404)])

    def test_it_requires_write_access(self):
        self.assert_statuses(
            "post",
            self.invite_url,
            [(self.gary, 403), (self.rita, 403)],
            {"respondents": [self.grace.pk]},
        )
        self.assert_statuses(
            "post",
            self.pilot_url,
            [(self.gary, 403), (self.rita, 403)],
            {"recommendations": 1, "accepted": 1, "overridden": 0, "source": "x"},
        )
        self.assertEqual(PilotLog.objects.count(), 0)

    def test_it_rejects_get(self):
        self.login(self.gina)
        self.assertEqual(self.client.get(self.invite_url).status_code, 405)
        self.assertEqual(self.client.get(self.pilot_url).status_code, 405)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_owner_sends_the_questionnaire_and_enters_pilot_counts(self):
        self.login(self.gina)
        response = self.client.post(
            self.invite_url, {"respondents": [self.gary.pk, self.grace.pk]}
        )
        self.assertRedirects(response, self.url)
        response = self.client.post(
            self.pilot_url,
            {
                "recommendations": "200",
                "accepted": "150",
                "overridden": "20",
                "source": "Dispatch logs, March",
            },
        )
        self.assertRedirects(response, self.url)
        response = self.client.get(self.url)
        self.assertContains(response, "150/200 = 0.750")
        self.assertContains(response, "grace")

    def test_invalid_input_is_shown_with_the_form(self):
        self.login(self.gina)
        response = self.client.post(
            self.pilot_url,
            {
                "recommendations": "10",
                "accepted": "8",
                "overridden": "5",
                "source": "Logs",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains400(response, "Accepted plus overridden cannot exceed")
        self.assertContains400(response, 'value="8"')
        response = self.client.post(self.invite_url, {"respondents": [self.alice.pk]})
        self.assertEqual(response.status_code, 400)
        self.assertContains400(response, "Select a valid choice.")

    def test_reviewers_see_the_summary_without_respondents(self):
        gary, grace = self.invite(self.gary, self.grace)
        case_services.sus_respond(invitation=gary, user=self.gary, answers=MIDDLE)
        case_services.sus_respond(
            invitation=grace, user=self.grace, answers=[4, 2, 4, 2, 4, 2, 4, 2, 4, 2]
        )
        self.login(self.rita)
        response = self.client.get(self.url)
        self.assertContains(response, '<dd id="sus-n">2</dd>', html=True)
        self.assertContains(response, '<dd id="sus-mean">62.5</dd>', html=True)
        self.assertNotContains(response, "grace")
        self.assertNotContains(response, 'id="invite-form"')
        for text in VENDOR_A_IDENTITY:
            self.assertNotContains(response, text)

    def test_the_invitation_list_costs_the_same_with_more_people(self):
        self.invite(self.gary)
        self.login(self.gina)
        # Session, user, entry, memberships, conflicts (2), decision (2),
        # questionnaire link, pilot log, SUS answers, invitations, unread
        # notifications, invitable people.
        with self.assertNumQueries(14):
            self.client.get(self.url)
        self.invite(self.grace)
        case_services.sus_respond(
            invitation=self.entry_a.sus_invitations.get(respondent=self.grace),
            user=self.grace,
            answers=MIDDLE,
        )
        with self.assertNumQueries(14):
            self.client.get(self.url)


class QuestionnaireViewTests(CaseViewTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("reviews:case_sus_respond", args=[self.entry_a.pk])
        self.invite(self.gary)

    def answers(self, values):
        return {f"q{n}": str(v) for n, v in enumerate(values, start=1)}

    def test_it_checks_ownership(self):
        self.assert_statuses(
            "get",
            self.url,
            [
                (None, "login"),
                (self.grace, 404),
                (self.gina, 404),
                (self.alice, 404),
                (self.gary, 200),
            ],
        )
        self.assert_statuses(
            "post", self.url, [(self.gina, 404), (self.rita, 404)], self.answers(MIDDLE)
        )

    def test_it_requires_write_access(self):
        """A respondent who joined the vendor may no longer answer."""
        self.vendor_a.memberships.create(user=self.gary, role="member")
        self.login(self.gary)
        response = self.client.post(self.url, self.answers(MIDDLE))
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_get(self):
        self.login(self.gary)
        self.assertEqual(self.client.put(self.url).status_code, 405)

    def test_it_shows_the_ten_statements_and_records_one_answer(self):
        self.login(self.gary)
        response = self.client.get(self.url)
        self.assertContains(
            response, "I think that I would like to use this system frequently."
        )
        self.assertContains(response, 'type="radio"', count=50)
        response = self.client.post(self.url, self.answers(MIDDLE))
        self.assertRedirects(response, self.url)
        self.assertEqual(SusResponse.objects.get().score, 50.0)
        response = self.client.get(self.url)
        self.assertContains(response, "You have answered this questionnaire.")
        self.assertNotContains(response, 'id="sus-form"')
        response = self.client.post(self.url, self.answers(MIDDLE))
        self.assertEqual(response.status_code, 400)
        self.assertContains400(
            response, "You have already answered this questionnaire."
        )
        self.assertEqual(SusResponse.objects.count(), 1)

    def test_it_needs_every_statement(self):
        self.login(self.gary)
        data = self.answers(MIDDLE)
        del data["q7"]
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 400)
        self.assertContains400(response, "Answer this statement.")
        self.assertContains400(response, " checked>", count=9)


class VendorEntryLinkTests(CaseViewTestCase):
    def test_the_vendor_page_links_the_calculators(self):
        self.login(self.alice)
        response = self.client.get(
            reverse("reviews:vendor_entry", args=[self.entry_a.pk])
        )
        self.assertContains(
            response, reverse("reviews:case_business", args=[self.entry_a.pk])
        )
        self.assertContains(
            response, reverse("reviews:case_impact", args=[self.entry_a.pk])
        )


class ChineseTests(CaseViewTestCase):
    def test_the_pages_render_in_chinese(self):
        self.save_case(calls_per_year=1000, tariff_per_kwh=Decimal(1))
        self.save_impact()
        self.invite(self.gary)
        pk = self.entry_a.pk
        self.client = self.client_class(headers={"accept-language": "zh-hans"})
        # LocaleMiddleware leaves the request's language active in the
        # thread; later tests read English messages outside requests.
        self.addCleanup(translation.activate, "en")
        for user, name, text in (
            (self.gina, "reviews:case_business", "净现值（NPV）"),
            (self.gina, "reviews:case_impact", "年净二氧化碳减排量"),
            (self.gina, "reviews:case_users", "系统可用性量表（SUS）"),
            (self.gary, "reviews:case_sus_respond", "我认为这个系统容易使用。"),
        ):
            with self.subTest(name=name):
                self.login(user)
                self.assertContains(self.client.get(reverse(name, args=[pk])), text)


class LineEditingTests(CaseViewTestCase):
    def test_a_line_emptied_by_hand_is_dropped(self):
        self.save_case()
        url = reverse("reviews:case_business", args=[self.entry_a.pk])
        self.login(self.alice)
        response = self.client.get(url)
        self.assertContains(response, 'name="cost-INITIAL_FORMS" value="0"')
        self.assertContains(response, 'name="cost-TOTAL_FORMS" value="1"')
        data = business_post(
            **{"cost-0-name": "", "cost-0-amount": "", "cost-0-driver": ""}
        )
        self.assertRedirects(self.client.post(url, data), url)
        latest = BusinessCase.objects.get(version=2)
        self.assertEqual(
            [line.name for line in latest.lines.all()], ["Avoided penalties"]
        )

    def test_the_form_takes_back_what_it_shows(self):
        case = self.save_case(
            discount_rate=Decimal("0.0725"),
            lines=[{**LINES_GROWING[0]}, *LINES_GROWING[1:]],
        )
        initial = BusinessCaseForm.initial_from(case)
        self.assertEqual(initial["discount_rate"], Decimal("7.25"))
        form = BusinessCaseForm(
            {k: "" if v is None else str(v) for k, v in initial.items()}
        )
        self.assertIs(form.is_valid(), True, form.errors)
        line = LineForm.initial_from(case.lines.get(name="Avoided penalties"))
        self.assertEqual(line["escalation"], Decimal("2.50"))
        self.assertIs(LineForm({k: str(v) for k, v in line.items()}).is_valid(), True)
        self.login(self.rita)
        response = self.client.get(
            reverse("reviews:case_business", args=[self.entry_a.pk])
        )
        self.assertContains(response, "<dd>7.25 %</dd>", html=True)
        self.assertContains(response, "<td>2.50</td>", html=True)


LINES_GROWING = [
    {
        "kind": "benefit",
        "name": "Avoided penalties",
        "amount": Decimal(30),
        "escalation": Decimal("0.025"),
    },
    {"kind": "cost", "name": "Licence", "amount": Decimal(5)},
]
