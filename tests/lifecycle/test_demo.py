from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from evaluations.models import Run
from lifecycle.models import Solution, Transition
from portal.accounts.models import Membership, Organisation
from portal.ledger.selectors import ledger_verify
from reviews.models import BusinessCaseLine, ReviewRound
from scenarios.models import Scenario
from tests.evaluations.helpers import make_run, make_submission, make_suite_version


@override_settings(DEMO_MODE=True)
class LoadDemoLifecycleTests(TestCase):
    @override_settings(DEMO_MODE=False)
    def test_it_refuses_outside_demo_mode(self):
        with self.assertRaisesMessage(CommandError, "PORTAL_DEMO_MODE=true"):
            call_command("load_demo_lifecycle", stdout=StringIO())


@override_settings(DEMO_MODE=True)
class DemoStoryTests(TestCase):
    """Three solutions whose (made-up, test-only) hidden runs met every
    threshold and probe and three whose runs did not: the demo shows a
    solution in each of the six stages."""

    def test_every_stage_is_reached_through_the_gates(self):
        call_command("load_demo", stdout=StringIO())
        call_command("load_demo_reviews", stdout=StringIO())
        scenario = Scenario.objects.get(code="WIND-OM-AD-001")
        version = make_suite_version(scenario)
        version.suite.is_demo = True
        version.suite.save(update_fields=["is_demo"])
        vendors = [
            Organisation.objects.get(slug=slug)
            for slug in ("hengchuan-ai", "qingqiong-vision")
        ]
        submissions = []
        for n in range(6):
            vendor = vendors[n % 2]
            owner = Membership.objects.filter(organisation=vendor).first().user
            submission = make_submission(version, vendor, owner)
            submission.name = f"detector-{n}"
            submission.save(update_fields=["name"])
            submissions.append(submission)
            passed = n < 3
            make_run(
                submission,
                split=Run.Split.SAMPLE,
                status=Run.Status.SUCCEEDED,
                finished_at=timezone.now(),
                metrics={"mape": 4.0},
                passed=True,
            )
            make_run(
                submission,
                split=Run.Split.HIDDEN,
                status=Run.Status.SUCCEEDED,
                finished_at=timezone.now(),
                metrics={"mape": 4.0 if passed else 9.0},
                gates=[
                    {
                        "metric": "mape",
                        "comparator": "<=",
                        "value": 5.0,
                        "observed": 4.0 if passed else 9.0,
                        "passed": passed,
                    }
                ],
                probes={"noise": {"mape": 0.1}},
                resources={
                    "wall_seconds": 1.0,
                    "cpu_seconds": 1.0,
                    "calls": 2,
                    "energy_wh": 0.01,
                    "sandboxed": True,
                },
                passed=passed,
            )
        out = StringIO()
        call_command("load_demo_lifecycle", stdout=out)
        stages = {
            s.submission.name: s.stage
            for s in Solution.objects.select_related("submission")
        }
        self.assertEqual(
            stages,
            {
                "detector-0": "scale",
                "detector-1": "effectiveness",
                "detector-2": "pilot",
                "detector-3": "testing",
                "detector-4": "rnd",
                "detector-5": "released",
            },
            out.getvalue(),
        )
        case = Solution.objects.get(submission=submissions[0]).benchmark_case
        self.assertEqual(case.status, "published")
        self.assertIs(case.is_demo, True)
        self.assertIn("Demo case (fictional)", case.summary_en)
        self.assertIsNotNone(case.ledger_sequence)
        running = Solution.objects.get(submission=submissions[2]).pilots.get()
        self.assertEqual(running.usage.count(), 1)
        self.assertEqual(running.status, "running")
        self.assertIs(running.is_demo, True)
        self.assertIn("演示", running.site)
        self.assertIs(ledger_verify().ok, True)
        # The suite is a forecasting one: the fictional case speaks of
        # forecast-deviation penalties, not of faults found earlier.
        names = set(
            BusinessCaseLine.objects.filter(
                case__entry__submission=submissions[0]
            ).values_list("name", flat=True)
        )
        self.assertIn("Lower forecast-deviation penalties (demo)", names)
        self.assertNotIn("Avoided lost production (demo)", names)
        # Idempotent: a second load adds nothing.
        counts = (Transition.objects.count(), ReviewRound.objects.count())
        call_command("load_demo_lifecycle", stdout=StringIO())
        self.assertEqual(
            (Transition.objects.count(), ReviewRound.objects.count()), counts
        )

    def test_a_failed_run_never_gets_a_panel(self):
        call_command("load_demo", stdout=StringIO())
        scenario = Scenario.objects.get(code="WIND-OM-AD-001")
        version = make_suite_version(scenario)
        version.suite.is_demo = True
        version.suite.save(update_fields=["is_demo"])
        vendor = Organisation.objects.get(slug="hengchuan-ai")
        owner = Membership.objects.filter(organisation=vendor).first().user
        submission = make_submission(version, vendor, owner)
        for split, passed in ((Run.Split.SAMPLE, True), (Run.Split.HIDDEN, False)):
            make_run(
                submission,
                split=split,
                status=Run.Status.SUCCEEDED,
                finished_at=timezone.now(),
                metrics={"mape": 9.0},
                passed=passed,
            )
        call_command("load_demo_lifecycle", stdout=StringIO())
        self.assertEqual(Solution.objects.get().stage, "testing")
        self.assertFalse(ReviewRound.objects.filter(scenario=scenario).exists())
