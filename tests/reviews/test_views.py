from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from reviews import decision_services, services
from reviews.models import Assignment, Conflict, ReviewRound, ReviewVersion
from tests.reviews.helpers import JUSTIFIED, ReviewTestCase

# Strings that identify alice's entry: none may reach a reviewer of a blind
# round before the decision.
VENDOR_A_IDENTITY = [
    "Vendor A",
    "vendor-a",
    "alice",
    "secret-vendor-a.zip",
    "alice-special-model",
]


def form_data(score=3, *, evidence="", action=None):
    data = {"comment": "Solid"}
    for dim in ("maturity", "fit", "economics", "social", "safety", "user"):
        data[f"{dim}_score"] = str(score)
        data[f"{dim}_confidence"] = "2"
        data[f"{dim}_evidence"] = evidence
        data[f"{dim}_justification"] = JUSTIFIED
    if action:
        data["action"] = action
    return data


class ViewTestCase(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.rosa_a = self.assign(self.entry_a, self.rosa)
        self.rita_b = self.assign(self.entry_b, self.rita)
        self.connor_b = self.assign(self.entry_b, self.connor)
        self.open_round()

    def assert_statuses(self, method, url, expected, data=None):
        for user, status in expected:
            with self.subTest(user=getattr(user, "username", "anonymous")):
                self.client.logout()
                if user is not None:
                    self.login(user)
                response = getattr(self.client, method)(url, data or {})
                if status == "login":
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("/accounts/login/", response["Location"])
                else:
                    self.assertEqual(response.status_code, status)


class QueueTests(ViewTestCase):
    def test_it_lists_my_assignments_with_deadline(self):
        self.login(self.rita)
        response = self.client.get(reverse("reviews:queue"))
        self.assertContains(response, reverse("reviews:review", args=[self.rita_a.pk]))
        deadline = timezone.localtime(self.round.deadline).strftime("%Y-%m-%d %H:%M")
        self.assertContains(response, deadline)
        for text in VENDOR_A_IDENTITY:
            self.assertNotContains(response, text)

    def test_it_shows_rounds_to_managers_and_entries_to_vendors(self):
        self.login(self.gina)
        response = self.client.get(reverse("reviews:queue"))
        self.assertContains(response, self.round.get_absolute_url())
        self.assertContains(
            response, reverse("reviews:round_create", args=[self.scenario.code])
        )
        self.login(self.alice)
        response = self.client.get(reverse("reviews:queue"))
        self.assertContains(
            response, reverse("reviews:vendor_entry", args=[self.entry_a.pk])
        )
        self.assertNotContains(
            response, reverse("reviews:vendor_entry", args=[self.entry_b.pk])
        )

    def test_it_needs_login(self):
        self.assert_statuses("get", reverse("reviews:queue"), [(None, "login")])

    def test_it_rejects_post(self):
        self.login(self.rita)
        self.assertEqual(self.client.post(reverse("reviews:queue")).status_code, 405)

    def test_query_count_does_not_grow_with_assignments(self):
        self.login(self.rita)
        url = reverse("reviews:queue")
        self.client.get(url)  # warm the session and the user's memberships
        # Session, user; assignments with their rounds, the user's
        # conflicts and profile; memberships; rounds; unread count: a fixed
        # number whatever the number of assignments.
        with self.assertNumQueries(8):
            self.client.get(url)
        self.assign(self.entry_b, self.ravi)
        self.assign(self.entry_a, self.ravi)
        self.login(self.ravi)
        self.client.get(url)
        with self.assertNumQueries(8):
            self.client.get(url)


class ReviewFormTests(ViewTestCase):
    def test_it_checks_ownership(self):
        url = reverse("reviews:review", args=[self.rita_a.pk])
        self.assert_statuses(
            "get",
            url,
            [
                (None, "login"),
                (self.rosa, 404),
                (self.connor, 404),
                (self.alice, 404),
                (self.charlie, 404),
                (self.gina, 404),
                (self.otto, 404),
                (self.rita, 200),
            ],
        )

    def test_it_rejects_other_methods(self):
        self.login(self.rita)
        url = reverse("reviews:review", args=[self.rita_a.pk])
        self.assertEqual(self.client.put(url).status_code, 405)
        self.assertEqual(self.client.delete(url).status_code, 405)

    def test_a_conflicted_reviewer_gets_404_even_when_assigned(self):
        Conflict.objects.create(
            reviewer=self.rita,
            organisation=self.vendor_a,
            source=Conflict.Source.VENDOR,
            reason="x",
        )
        self.login(self.rita)
        for url in (
            reverse("reviews:review", args=[self.rita_a.pk]),
            reverse("reviews:entry", args=[self.entry_a.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(
                reverse("reviews:comment", args=[self.entry_a.pk]), {"body": "x"}
            ).status_code,
            404,
        )

    def test_it_shows_thresholds_evidence_and_descriptors_without_vendor_identity(self):
        self.login(self.rita)
        response = self.client.get(reverse("reviews:review", args=[self.rita_a.pk]))
        self.assertContains(response, "MAPE")
        self.assertContains(response, f"run:{self.hidden_run.pk}")
        self.assertContains(response, "3.2100")
        self.assertContains(response, "0.42 Wh")
        self.assertContains(response, "Concept or proof of principle")
        self.assertContains(response, 'hx-trigger="change delay:800ms"')
        self.assertContains(response, 'id="blind-note"')
        for text in VENDOR_A_IDENTITY:
            self.assertNotContains(response, text)

    def test_open_rounds_show_the_vendor(self):
        ReviewRound.objects.filter(pk=self.round.pk).update(blind=False)
        self.login(self.rita)
        response = self.client.get(reverse("reviews:review", args=[self.rita_a.pk]))
        self.assertContains(response, "Vendor A")

    def test_htmx_autosave_returns_the_status_partial(self):
        self.login(self.rita)
        url = reverse("reviews:review", args=[self.rita_a.pk])
        response = self.client.post(url, form_data(2), headers={"hx-request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="autosave-ok"')
        self.assertNotContains(response, "<html")
        self.assertIn("HX-Request", response["Vary"])
        self.client.post(url, form_data(3), headers={"hx-request": "true"})
        versions = ReviewVersion.objects.filter(review__assignment=self.rita_a)
        self.assertEqual(
            sorted(versions.values_list("number", "is_submitted")),
            [(1, False), (2, False)],
        )
        self.rita_a.refresh_from_db()
        self.assertEqual(self.rita_a.status, Assignment.Status.ASSIGNED)

    def test_htmx_autosave_shows_why_a_draft_was_refused(self):
        self.login(self.rita)
        url = reverse("reviews:review", args=[self.rita_a.pk])
        services.round_close(review_round=self.round, user=self.gina)
        response = self.client.post(url, form_data(2), headers={"hx-request": "true"})
        # 200, so that htmx swaps the message in.
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="autosave-error"')
        self.assertContains(response, "The round is not open for reviews.")

    def test_submit_validates_and_keeps_versions(self):
        self.login(self.rita)
        url = reverse("reviews:review", args=[self.rita_a.pk])
        response = self.client.post(url, form_data(5, action="submit"))
        self.assertContains(response, "needs an evidence link", status_code=400)
        response = self.client.post(
            url, form_data(5, evidence=f"run:{self.hidden_run.pk}", action="submit")
        )
        self.assertRedirects(response, url)
        self.rita_a.refresh_from_db()
        self.assertEqual(self.rita_a.status, Assignment.Status.SUBMITTED)
        response = self.client.get(url)
        self.assertContains(response, "Submit the revision")
        self.assertContains(response, 'id="versions"')

    def test_decline(self):
        url = reverse("reviews:decline", args=[self.rita_a.pk])
        self.assert_statuses("post", url, [(self.rosa, 404), (self.gina, 404)])
        self.login(self.rita)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(
            self.client.post(url, {"reason": "Busy"}), reverse("reviews:queue")
        )
        self.assertEqual(
            self.client.get(
                reverse("reviews:review", args=[self.rita_a.pk])
            ).status_code,
            404,
        )


class EntryTests(ViewTestCase):
    def test_it_checks_ownership(self):
        url = reverse("reviews:entry", args=[self.entry_a.pk])
        self.assert_statuses(
            "get",
            url,
            [
                (None, "login"),
                (self.alice, 404),
                (self.charlie, 404),
                (self.otto, 404),
                (self.ravi, 404),
                (self.connor, 404),
                (self.rita, 200),
                (self.gina, 200),
                (self.gary, 200),
                (self.olivia, 200),
            ],
        )

    def test_reviews_are_shown_after_submitting_ones_own(self):
        self.submit(self.rosa_a, 2)
        self.login(self.rita)
        url = reverse("reviews:entry", args=[self.entry_a.pk])
        response = self.client.get(url)
        self.assertContains(
            response, "Other reviews are shown once you have submitted yours."
        )
        self.submit(self.rita_a, 3)
        response = self.client.get(url)
        self.assertContains(response, "Reviewer 2")
        self.assertNotContains(response, "rosa")
        for text in VENDOR_A_IDENTITY:
            self.assertNotContains(response, text)

    def test_comments_by_htmx(self):
        self.login(self.rita)
        url = reverse("reviews:comment", args=[self.entry_a.pk])
        response = self.client.post(
            url, {"body": "Spread on safety"}, headers={"hx-request": "true"}
        )
        self.assertContains(response, "Spread on safety")
        self.assertContains(response, 'id="discussion"')
        self.assertNotContains(response, "<html")
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_read_only_owner_members_read_the_reviews_with_names(self):
        self.submit(self.rosa_a, 2)
        self.login(self.gary)
        response = self.client.get(reverse("reviews:entry", args=[self.entry_a.pk]))
        self.assertContains(response, "rosa")

    def test_read_only_owner_members_cannot_comment(self):
        self.login(self.gary)
        response = self.client.post(
            reverse("reviews:comment", args=[self.entry_a.pk]), {"body": "x"}
        )
        self.assertEqual(response.status_code, 403)

    def test_only_the_chair_decides(self):
        services.round_close(review_round=self.round, user=self.gina)
        url = reverse("reviews:decide", args=[self.entry_a.pk])
        data = {"outcome": "revise", "reasons": "Meets thresholds"}
        self.assert_statuses(
            "post",
            url,
            [(self.alice, 404), (self.ravi, 404), (self.rita, 403), (self.gary, 403)],
            data,
        )
        self.login(self.gina)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(
            self.client.post(url, data),
            reverse("reviews:entry", args=[self.entry_a.pk]),
        )
        # The decision reveals the vendor to reviewers of a blind round.
        self.login(self.rita)
        response = self.client.get(reverse("reviews:entry", args=[self.entry_a.pk]))
        self.assertContains(response, "Vendor A")


class RoundPageTests(ViewTestCase):
    def test_it_checks_ownership(self):
        url = reverse("reviews:round", args=[self.round.pk])
        self.assert_statuses(
            "get",
            url,
            [
                (None, "login"),
                (self.alice, 404),
                (self.rita, 404),
                (self.otto, 404),
                (self.gary, 200),
                (self.gina, 200),
                (self.olivia, 200),
            ],
        )

    def test_it_shows_raw_scores_and_missing_reviews(self):
        self.submit(self.rita_a, 2)
        self.submit(self.rosa_a, 5, evidence=["run:1"])
        self.login(self.gina)
        response = self.client.get(reverse("reviews:round", args=[self.round.pk]))
        self.assertContains(response, "3.5 / 3.5")
        self.assertContains(response, "Δ3")
        self.assertContains(response, "2 reviews missing")
        self.assertContains(response, 'id="assign"')

    def test_owner_members_who_review_in_the_round_do_not_see_it(self):
        from tests.reviews.helpers import make_reviewer

        insider = make_reviewer(
            "insider", self.grid, sectors=["grid"], task_types=["forecasting"]
        )
        url = reverse("reviews:round", args=[self.round.pk])
        self.login(insider)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assign(self.entry_b, insider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.get(f"/api/v1/reviews/rounds/{self.round.pk}/").status_code,
            404,
        )

    def test_read_only_members_see_no_management_forms(self):
        self.login(self.gary)
        response = self.client.get(reverse("reviews:round", args=[self.round.pk]))
        self.assertNotContains(response, 'id="assign"')

    def test_query_count_does_not_grow_with_entries(self):
        self.login(self.gary)
        url = reverse("reviews:round", args=[self.round.pk])
        self.client.get(url)
        # Session, user, round, memberships, whether the viewer reviews in
        # the round; entries with their decisions and responses,
        # assignments with reviews; the viewer's conflicts and profile; the
        # reviewers' conflicts and memberships; for the scorecard's evidence
        # bands, the entries' runs, their latest business cases (two queries
        # and their lines), latest impacts (two), SUS answers and pilot logs;
        # unread count. Independent of the number of entries and reviewers.
        with self.assertNumQueries(17):
            self.client.get(url)
        from tests.evaluations.helpers import make_submission

        more = make_submission(self.version, self.vendor_b, self.charlie)
        entry = services.round_entries_add(
            review_round=self.round, user=self.gina, submissions=[more]
        )[0]
        self.assign(entry, self.ravi)
        self.submit(Assignment.objects.get(entry=entry), 3)
        with self.assertNumQueries(17):
            self.client.get(url)

    def test_management_actions_require_write_access(self):
        for name in (
            "round_close",
            "round_auto_assign",
            "round_detect",
            "round_entries",
            "round_assign",
        ):
            url = reverse(f"reviews:{name}", args=[self.round.pk])
            with self.subTest(name=name):
                self.assert_statuses("post", url, [(self.otto, 404), (self.rita, 404)])
                self.login(self.gary)
                self.assertEqual(self.client.post(url).status_code, 403)
                self.login(self.gina)
                self.assertEqual(self.client.get(url).status_code, 405)

    def test_open_and_edit_need_a_manager(self):
        draft = services.round_create(
            scenario=self.scenario,
            user=self.gina,
            data={
                "title": "Draft",
                "stage": "testing",
                "deadline": self.round.deadline,
            },
        )
        edit = reverse("reviews:round_edit", args=[draft.pk])
        self.assert_statuses(
            "get", edit, [(self.otto, 404), (self.gary, 403), (self.gina, 200)]
        )
        self.login(self.gina)
        self.assertEqual(self.client.delete(edit).status_code, 405)
        response = self.client.post(
            edit,
            {
                "title": "Draft 2",
                "stage": "testing",
                "deadline": "2030-01-01T10:00",
                "reviewers_per_entry": 2,
                "reviewer_cap": 4,
                "response_limit": 1000,
                "chair": self.gina.pk,
                "weight_maturity": 50,
                "weight_fit": 10,
                "weight_economics": 10,
                "weight_social": 10,
                "weight_safety": 10,
                "weight_user": 5,
            },
        )
        self.assertContains(
            response, "The weights must add up to 100.", status_code=400
        )
        open_url = reverse("reviews:round_open", args=[draft.pk])
        self.assert_statuses("post", open_url, [(self.otto, 404), (self.gary, 403)])

    def test_create_a_round(self):
        url = reverse("reviews:round_create", args=[self.scenario.code])
        self.assert_statuses(
            "get", url, [(self.gary, 403), (self.alice, 403), (self.gina, 200)]
        )
        self.login(self.gina)
        response = self.client.post(
            url,
            {
                "title": "Effectiveness",
                "stage": "effectiveness",
                "deadline": "2030-01-01T10:00",
                "reviewers_per_entry": 3,
                "reviewer_cap": 8,
                "response_limit": 3000,
                "blind": "on",
                "chair": self.olivia.pk,
            },
        )
        created = ReviewRound.objects.get(title="Effectiveness")
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual(created.weights["user"], 15)
        self.assertEqual(created.chair, self.olivia)


class VendorPageTests(ViewTestCase):
    def test_it_checks_ownership(self):
        url = reverse("reviews:vendor_entry", args=[self.entry_a.pk])
        self.assert_statuses(
            "get",
            url,
            [
                (None, "login"),
                (self.charlie, 404),
                (self.rita, 404),
                (self.gina, 404),
                (self.bob, 200),
                (self.alice, 200),
            ],
        )

    def test_vendors_see_the_decision_never_the_reviews(self):
        self.submit(self.rita_a, 2)
        decision_services.comment_post(
            entry=self.entry_a, user=self.rita, body="Internal remark"
        )
        services.round_close(review_round=self.round, user=self.gina)
        decision_services.decision_record(
            entry=self.entry_a,
            user=self.gina,
            outcome="revise",
            reasons="Add pilot data",
            meta_review="Reviewers split",
        )
        self.login(self.alice)
        response = self.client.get(
            reverse("reviews:vendor_entry", args=[self.entry_a.pk])
        )
        self.assertContains(response, "Add pilot data")
        self.assertContains(response, "Revise and resubmit")
        self.assertNotContains(response, "Internal remark")
        self.assertNotContains(response, "Reviewers split")
        self.assertNotContains(response, "rita")

    def test_response_needs_write_access_and_one_only(self):
        url = reverse("reviews:vendor_response", args=[self.entry_a.pk])
        self.assert_statuses(
            "post", url, [(self.charlie, 404), (self.bob, 403)], {"body": "x"}
        )
        self.login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertRedirects(
            self.client.post(url, {"body": "Our answer"}),
            reverse("reviews:vendor_entry", args=[self.entry_a.pk]),
        )
        response = self.client.post(url, {"body": "Again"})
        self.assertContains(response, "already has its response", status_code=400)

    def test_vendor_declares_a_conflict(self):
        url = reverse("reviews:vendor_conflict", args=[self.entry_a.pk])
        self.assert_statuses("post", url, [(self.charlie, 404), (self.bob, 403)], {})
        self.login(self.alice)
        self.client.post(
            url, {"reviewer": self.rosa.pk, "reason": "Competitor's advisor"}
        )
        self.rosa_a.refresh_from_db()
        self.assertEqual(self.rosa_a.status, Assignment.Status.DECLINED)


class ConflictPageTests(ViewTestCase):
    def test_a_reviewer_declares_a_conflict(self):
        url = reverse("reviews:conflicts")
        self.assert_statuses("get", url, [(None, "login")])
        self.login(self.rita)
        self.assertEqual(self.client.delete(url).status_code, 405)
        response = self.client.post(
            url, {"organisation": self.vendor_a.pk, "reason": "Advisor"}
        )
        self.assertRedirects(response, url)
        self.assertEqual(
            self.client.get(
                reverse("reviews:review", args=[self.rita_a.pk])
            ).status_code,
            404,
        )
        self.assertContains(self.client.get(url), "Advisor")


class ChineseTests(ViewTestCase):
    def test_the_review_form_speaks_chinese(self):
        self.login(self.rita)
        response = self.client.get(
            reverse("reviews:review", args=[self.rita_a.pk]),
            headers={"accept-language": "zh-hans"},
        )
        self.assertContains(response, "技术成熟度")
        self.assertContains(response, "概念或原理验证")
        self.assertContains(response, "盲审：作出决定前不显示厂商。")
