from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.accounts.models import Notification
from reviews import decision_services, selectors, services
from reviews.models import (
    Assignment,
    Conflict,
    Decision,
    ReviewRound,
    ReviewVersion,
    RoundEvent,
)
from tests.reviews.helpers import ReviewTestCase, full_scores, make_reviewer


class RoundLifecycleTests(ReviewTestCase):
    def test_it_defaults_weights_to_the_stage(self):
        self.assertEqual(self.round.weights["safety"], 25)
        self.assertEqual(self.round.weights["user"], 0)
        self.assertEqual(self.round.chair, self.gina)
        self.assertEqual(self.round.status, ReviewRound.Status.DRAFT)

    def test_it_refuses_weights_not_adding_up_to_100(self):
        weights = dict(self.round.weights, user=5)
        with self.assertRaisesMessage(
            ValidationError, "The weights must add up to 100."
        ):
            services.round_update(
                review_round=self.round, user=self.gina, data={"weights": weights}
            )

    def test_it_refuses_unknown_dimensions(self):
        with self.assertRaisesMessage(ValidationError, "whole-number weight"):
            services.round_update(
                review_round=self.round,
                user=self.gina,
                data={"weights": {"maturity": 100}},
            )

    def test_only_owner_writers_and_operators_manage_rounds(self):
        for user in (self.gary, self.otto, self.alice, self.rita, self.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.round_update(
                    review_round=self.round, user=user, data={"title": "x"}
                )
        services.round_update(
            review_round=self.round, user=self.olivia, data={"title": "Renamed"}
        )

    def test_opening_freezes_the_weights(self):
        self.open_round()
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, ReviewRound.Status.OPEN)
        self.assertIsNotNone(self.round.opened_at)
        with self.assertRaisesMessage(ValidationError, "while the round is “Open”"):
            services.round_update(
                review_round=self.round,
                user=self.gina,
                data={"weights": dict(self.round.weights, maturity=20, fit=30)},
            )

    def test_opening_needs_entries_and_a_future_deadline(self):
        empty = services.round_create(
            scenario=self.scenario,
            user=self.gina,
            data={
                "title": "Empty",
                "stage": "effectiveness",
                "deadline": timezone.now() + timedelta(days=1),
            },
        )
        with self.assertRaisesMessage(ValidationError, "Add at least one entry"):
            services.round_open(review_round=empty, user=self.gina)
        services.round_update(
            review_round=self.round,
            user=self.gina,
            data={"deadline": timezone.now() - timedelta(hours=1)},
        )
        with self.assertRaisesMessage(ValidationError, "The deadline has passed."):
            self.open_round()

    def test_entries_come_from_the_rounds_scenario(self):
        from tests.evaluations.helpers import make_submission, make_suite_version

        other = make_submission(
            make_suite_version(self.other_scenario), self.vendor_a, self.alice
        )
        with self.assertRaisesMessage(ValidationError, "this round's scenario"):
            services.round_entries_add(
                review_round=self.round, user=self.gina, submissions=[other]
            )
        again = services.round_entries_add(
            review_round=self.round, user=self.gina, submissions=[self.submission_a]
        )
        self.assertEqual(again, [])

    def test_closing_and_the_audit_trail(self):
        self.open_round()
        services.round_close(review_round=self.round, user=self.gina)
        actions = list(
            RoundEvent.objects.filter(round=self.round).values_list("action", flat=True)
        )
        self.assertEqual(
            sorted(actions), sorted(["created", "entries_added", "opened", "closed"])
        )


class AssignmentTests(ReviewTestCase):
    def test_manual_assignment_notifies_once_the_round_opens(self):
        assignment = self.assign(self.entry_b, self.rita)
        self.assertEqual(assignment.source, Assignment.Source.MANUAL)
        self.assertFalse(Notification.objects.filter(user=self.rita).exists())
        self.open_round()
        self.assertEqual(Notification.objects.filter(user=self.rita).count(), 1)
        self.assign(self.entry_b, self.rosa)
        self.assertEqual(Notification.objects.filter(user=self.rosa).count(), 1)

    def test_it_never_assigns_a_conflicted_reviewer(self):
        with self.assertRaisesMessage(ValidationError, "conflict of interest"):
            self.assign(self.entry_a, self.connor)
        self.assign(self.entry_b, self.connor)

    def test_it_refuses_people_without_a_reviewer_profile(self):
        with self.assertRaisesMessage(ValidationError, "no reviewer profile"):
            self.assign(self.entry_a, self.nobody)

    def test_automatic_assignment_matches_expertise_and_avoids_conflicts(self):
        report = services.assignments_auto(review_round=self.round, user=self.gina)
        pairs = {(a.entry_id, a.reviewer.username) for a in report.created}
        # hugo's expertise does not match; connor is conflicted with Vendor A.
        self.assertNotIn("hugo", {name for _, name in pairs})
        self.assertNotIn((self.entry_a.pk, "connor"), pairs)
        self.assertIn((self.entry_a.pk, "rita"), pairs)
        self.assertEqual(report.shortfalls, {})

    def test_automatic_assignment_creates_an_anchor_everyone_reviews(self):
        report = services.assignments_auto(review_round=self.round, user=self.gina)
        # entry_b has four eligible reviewers (rita, ravi, rosa, connor),
        # entry_a three; capacity is plenty, so entry_b is the anchor.
        self.assertEqual(report.anchor, self.entry_b)
        anchor_reviewers = set(
            Assignment.objects.filter(entry=self.entry_b, is_anchor=True).values_list(
                "reviewer__username", flat=True
            )
        )
        self.assertEqual(anchor_reviewers, {"rita", "ravi", "rosa", "connor"})
        # entry_a gets the two least-loaded, best-matching reviewers.
        self.assertEqual(
            Assignment.objects.filter(entry=self.entry_a).count(),
            self.round.reviewers_per_entry,
        )

    def test_automatic_assignment_respects_the_cap_and_balances_load(self):
        services.round_update(
            review_round=self.round,
            user=self.gina,
            data={"reviewer_cap": 1, "reviewers_per_entry": 2},
        )
        report = services.assignments_auto(review_round=self.round, user=self.gina)
        loads = {}
        for a in Assignment.objects.filter(entry__round=self.round):
            loads[a.reviewer_id] = loads.get(a.reviewer_id, 0) + 1
        self.assertEqual(max(loads.values()), 1)
        self.assertIsNone(report.anchor)
        self.assertEqual(len(report.created), 4)
        self.assertEqual(report.shortfalls, {})

    def test_automatic_assignment_reports_shortfalls(self):
        services.round_update(
            review_round=self.round,
            user=self.gina,
            data={"reviewer_cap": 1, "reviewers_per_entry": 3},
        )
        report = services.assignments_auto(review_round=self.round, user=self.gina)
        self.assertEqual(sum(report.shortfalls.values()), 2)

    def test_automatic_assignment_is_repeatable(self):
        services.assignments_auto(review_round=self.round, user=self.gina)
        count = Assignment.objects.count()
        report = services.assignments_auto(review_round=self.round, user=self.gina)
        self.assertEqual(report.created, [])
        self.assertEqual(Assignment.objects.count(), count)

    def test_reviewers_can_decline(self):
        assignment = self.assign(self.entry_b, self.rita)
        self.open_round()
        with self.assertRaises(PermissionDenied):
            services.assignment_decline(assignment=assignment, user=self.rosa)
        services.assignment_decline(
            assignment=assignment, user=self.rita, reason="Travelling"
        )
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.DECLINED)
        self.assertEqual(selectors.assignment_list_for(self.rita), [])
        # A decliner is not assigned again automatically.
        services.assignments_auto(review_round=self.round, user=self.gina)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.DECLINED)


class ConflictTests(ReviewTestCase):
    def test_detection_covers_membership_affiliation_and_collaboration(self):
        make_reviewer(
            "carla",
            self.review_body,
            sectors=["grid"],
            task_types=[],
            collaborations=["  vendor-b "],
        )
        from tests.base import make_user

        insider = make_user("insider", self.vendor_b)
        from portal.accounts.models import ReviewerProfile

        ReviewerProfile.objects.create(user=insider, sectors=["grid"])
        created = services.conflicts_detect(review_round=self.round, user=self.gina)
        found = {(c.reviewer.username, c.organisation.slug) for c in created}
        self.assertEqual(
            found,
            {("connor", "vendor-a"), ("carla", "vendor-b"), ("insider", "vendor-b")},
        )
        self.assertEqual(
            services.conflicts_detect(review_round=self.round, user=self.gina), []
        )

    def test_a_reviewer_declares_a_conflict_and_is_withdrawn(self):
        assignment = self.assign(self.entry_b, self.rita)
        services.conflict_declare(
            user=self.rita,
            reviewer=self.rita,
            organisation=self.vendor_b,
            reason="Former employer",
        )
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.DECLINED)
        self.assertIs(selectors.is_conflicted(self.rita, self.entry_b), True)
        with self.assertRaisesMessage(ValidationError, "conflict of interest"):
            self.assign(self.entry_b, self.rita)

    def test_a_vendor_declares_a_conflict_with_a_reviewer(self):
        conflict = services.conflict_declare(
            user=self.alice, reviewer=self.rosa, entry=self.entry_a, reason="Competitor"
        )
        self.assertEqual(conflict.source, Conflict.Source.VENDOR)
        self.assertIs(selectors.is_conflicted(self.rosa, self.entry_a), True)
        self.assertIs(selectors.is_conflicted(self.rosa, self.entry_b), False)

    def test_only_the_vendors_writers_declare_for_it(self):
        for user in (self.bob, self.charlie, self.gina):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.conflict_declare(
                    user=user, reviewer=self.rosa, entry=self.entry_a, reason="x"
                )


class ReviewSaveTests(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.assignment = self.assign(self.entry_a, self.rita)
        self.open_round()

    def test_every_save_adds_a_version_and_none_is_overwritten(self):
        first = services.review_save(
            assignment=self.assignment,
            user=self.rita,
            scores={"maturity": {"score": 2}},
        )
        second = services.review_save(
            assignment=self.assignment,
            user=self.rita,
            scores={"maturity": {"score": 3}},
        )
        submitted = self.submit(self.assignment, 3)
        revised = self.submit(self.assignment, 2)
        numbers = list(
            ReviewVersion.objects.filter(review__assignment=self.assignment)
            .order_by("number")
            .values_list("number", "is_submitted")
        )
        self.assertEqual(numbers, [(1, False), (2, False), (3, True), (4, True)])
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.scores["maturity"]["score"], 2)
        self.assertEqual(second.scores["maturity"]["score"], 3)
        review = self.assignment.review
        review.refresh_from_db()
        self.assertEqual(review.submitted, revised)
        self.assertNotEqual(review.submitted, submitted)
        self.assignment.refresh_from_db()
        self.assertEqual(self.assignment.status, Assignment.Status.SUBMITTED)

    def test_submitting_needs_every_dimension(self):
        scores = full_scores(3)
        del scores["safety"]
        with self.assertRaisesMessage(
            ValidationError,
            "Safety and controllability: give a score and a confidence.",
        ):
            services.review_save(
                assignment=self.assignment, user=self.rita, scores=scores, submit=True
            )

    def test_high_scores_need_evidence(self):
        with self.assertRaisesMessage(
            ValidationError,
            "Technology maturity: a score of 4 or 5 needs an evidence link.",
        ):
            self.submit(self.assignment, 4)
        self.submit(self.assignment, 4, evidence=[f"run:{self.hidden_run.pk}"])

    def test_scores_out_of_range_are_refused(self):
        with self.assertRaisesMessage(ValidationError, "Choose a value from 1 to 5."):
            services.review_save(
                assignment=self.assignment,
                user=self.rita,
                scores={"fit": {"score": 6}},
            )

    def test_revising_stops_when_the_round_closes(self):
        self.submit(self.assignment, 3)
        services.round_close(review_round=self.round, user=self.gina)
        with self.assertRaisesMessage(ValidationError, "The round is not open"):
            self.submit(self.assignment, 2)

    def test_only_the_assigned_reviewer_saves(self):
        with self.assertRaises(PermissionDenied):
            services.review_save(assignment=self.assignment, user=self.rosa, scores={})

    def test_a_reviewer_conflicted_after_assignment_cannot_save(self):
        Conflict.objects.create(
            reviewer=self.rita,
            entry=self.entry_a,
            source=Conflict.Source.DETECTED,
            reason="x",
        )
        with self.assertRaises(PermissionDenied):
            self.submit(self.assignment, 3)


class DiscussionResponseDecisionTests(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.assignment = self.assign(self.entry_a, self.rita)
        self.open_round()

    def test_comments_by_reviewers_and_chair_only(self):
        decision_services.comment_post(
            entry=self.entry_a, user=self.rita, body="Spread is wide"
        )
        decision_services.comment_post(
            entry=self.entry_a, user=self.gina, body="Discuss"
        )
        from django.http import Http404

        for user in (self.rosa, self.alice, self.connor):
            with self.subTest(user=user.username), self.assertRaises(Http404):
                decision_services.comment_post(entry=self.entry_a, user=user, body="x")

    def test_one_vendor_response_within_the_limit_and_window(self):
        with self.assertRaisesMessage(ValidationError, "Keep the response to 3000"):
            decision_services.vendor_response_submit(
                entry=self.entry_a, user=self.alice, body="x" * 3001
            )
        decision_services.vendor_response_submit(
            entry=self.entry_a, user=self.alice, body="Our pilot data are attached."
        )
        self.assertTrue(
            Notification.objects.filter(
                user=self.gina, url=f"/reviews/entries/{self.entry_a.pk}/"
            ).exists()
        )
        with self.assertRaisesMessage(ValidationError, "already has its response"):
            decision_services.vendor_response_submit(
                entry=self.entry_a, user=self.alice, body="Again"
            )
        with self.assertRaises(PermissionDenied):
            decision_services.vendor_response_submit(
                entry=self.entry_a, user=self.bob, body="x"
            )
        services.round_close(review_round=self.round, user=self.gina)
        with self.assertRaisesMessage(ValidationError, "response window is closed"):
            decision_services.vendor_response_submit(
                entry=self.entry_b, user=self.charlie, body="Late"
            )

    def test_decisions_need_a_closed_round_the_chair_and_reasons(self):
        with self.assertRaisesMessage(ValidationError, "while the round is “Open”"):
            decision_services.decision_record(
                entry=self.entry_a, user=self.gina, outcome="revise", reasons="Good"
            )
        services.round_close(review_round=self.round, user=self.gina)
        for user in (self.rita, self.alice, self.otto):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                decision_services.decision_record(
                    entry=self.entry_a, user=user, outcome="revise", reasons="Good"
                )
        with self.assertRaisesMessage(ValidationError, "Write the reasons"):
            decision_services.decision_record(
                entry=self.entry_a, user=self.gina, outcome="revise", reasons=" "
            )
        decision_services.decision_record(
            entry=self.entry_a, user=self.gina, outcome="revise", reasons="Good"
        )
        self.assertTrue(Notification.objects.filter(user=self.alice).exists())
        self.assertTrue(Notification.objects.filter(user=self.bob).exists())
        self.assertFalse(Notification.objects.filter(user=self.charlie).exists())
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, ReviewRound.Status.CLOSED)
        with self.assertRaisesMessage(ValidationError, "already has a decision"):
            decision_services.decision_record(
                entry=self.entry_a, user=self.gina, outcome="reject", reasons="x"
            )
        decision_services.decision_record(
            entry=self.entry_b, user=self.olivia, outcome="reject", reasons="Weak"
        )
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, ReviewRound.Status.DECIDED)
        self.assertEqual(Decision.objects.count(), 2)


class VisibilityTests(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.rosa_a = self.assign(self.entry_a, self.rosa)
        self.open_round()

    def test_reviewers_see_other_reviews_only_after_submitting(self):
        self.submit(self.rosa_a, 2)
        access = selectors.get_entry_for_user(self.rita, self.entry_a.pk)
        self.assertEqual(selectors.entry_review_list(access), [])
        self.submit(self.rita_a, 4, evidence=["run:1"])
        access = selectors.get_entry_for_user(self.rita, self.entry_a.pk)
        reviews = selectors.entry_review_list(access)
        self.assertEqual(len(reviews), 2)
        self.assertEqual({r.reviewer for r in reviews}, {None})

    def test_the_chair_table_has_raw_scores_mean_and_median(self):
        self.submit(self.rosa_a, 2)
        self.submit(self.rita_a, 5, evidence=["run:1"])
        rows = selectors.round_table(self.round, self.gina)
        row = next(r for r in rows if r.entry == self.entry_a)
        self.assertEqual(row.dimensions["fit"].scores, [5, 2])
        self.assertEqual(row.dimensions["fit"].mean, 3.5)
        self.assertEqual(row.dimensions["fit"].median, 3.5)
        self.assertEqual(row.dimensions["fit"].spread, 3)
        other = next(r for r in rows if r.entry == self.entry_b)
        self.assertEqual(other.dimensions["fit"].mean, None)

    def test_conflicted_viewers_get_no_row_and_conflicted_reviews_do_not_count(self):
        self.submit(self.rosa_a, 2)
        Conflict.objects.create(
            reviewer=self.rosa,
            organisation=self.vendor_a,
            source=Conflict.Source.VENDOR,
            reason="x",
        )
        rows = selectors.round_table(self.round, self.gina)
        row = next(r for r in rows if r.entry == self.entry_a)
        self.assertEqual(row.dimensions["fit"].scores, [])
        # A chair who is conflicted with an entry does not see its row.
        Conflict.objects.create(
            reviewer=self.gina,
            entry=self.entry_a,
            source=Conflict.Source.REVIEWER,
            reason="x",
        )
        rows = selectors.round_table(self.round, self.gina)
        self.assertEqual([r.entry for r in rows], [self.entry_b])

    def test_blind_identity_is_revealed_by_the_decision(self):
        self.assertIs(selectors.identity_visible(self.rita, self.entry_a), False)
        self.assertIs(selectors.identity_visible(self.gina, self.entry_a), True)
        services.round_close(review_round=self.round, user=self.gina)
        decision_services.decision_record(
            entry=self.entry_a, user=self.gina, outcome="revise", reasons="More data"
        )
        self.assertIs(selectors.identity_visible(self.rita, self.entry_a), True)

    def test_the_queue_lists_open_assignments_only(self):
        self.assertEqual(selectors.assignment_list_for(self.rita), [self.rita_a])
        self.assertEqual(selectors.assignment_list_for(self.connor), [])
