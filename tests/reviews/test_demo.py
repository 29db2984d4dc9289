from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from evaluations.models import Submission
from portal.accounts.models import Membership, Organisation
from reviews.demo import DEMO_ROUND_TITLE, DEMO_SCENARIO
from reviews.models import Assignment, Conflict, ReviewRound
from scenarios.models import Scenario
from tests.evaluations.helpers import make_submission, make_suite_version


@override_settings(DEMO_MODE=True)
class LoadDemoReviewsTests(TestCase):
    def test_it_opens_one_round_on_the_demo_scenario_once(self):
        call_command("load_demo", stdout=StringIO())
        scenario = Scenario.objects.get(code=DEMO_SCENARIO)
        version = make_suite_version(scenario)
        for slug in ("hengchuan-ai", "qingqiong-vision"):
            vendor = Organisation.objects.get(slug=slug)
            owner = Membership.objects.filter(organisation=vendor).first().user
            make_submission(version, vendor, owner)
        call_command("load_demo_reviews", stdout=StringIO())
        review_round = ReviewRound.objects.get(title=DEMO_ROUND_TITLE)
        self.assertEqual(review_round.status, ReviewRound.Status.OPEN)
        self.assertEqual(review_round.entries.count(), 2)
        self.assertTrue(Assignment.objects.filter(entry__round=review_round).exists())
        # reviewer_li declared a collaboration with hengchuan-ai.
        self.assertTrue(
            Conflict.objects.filter(
                reviewer__username="reviewer_li", organisation__slug="hengchuan-ai"
            ).exists()
        )
        self.assertFalse(
            Assignment.objects.filter(
                reviewer__username="reviewer_li",
                entry__submission__organisation__slug="hengchuan-ai",
            ).exists()
        )
        out = StringIO()
        call_command("load_demo_reviews", stdout=out)
        self.assertIn("already present", out.getvalue())
        self.assertEqual(ReviewRound.objects.count(), 1)
        self.assertEqual(Submission.objects.count(), 2)

    @override_settings(DEMO_MODE=False)
    def test_it_refuses_outside_demo_mode(self):
        with self.assertRaisesMessage(CommandError, "PORTAL_DEMO_MODE=true"):
            call_command("load_demo_reviews", stdout=StringIO())
