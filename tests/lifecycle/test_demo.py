from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from evaluations.models import Run
from lifecycle.models import Solution, Transition
from portal.accounts.models import Membership, Organisation
from portal.ledger.selectors import ledger_verify
from scenarios.models import Scenario
from tests.evaluations.helpers import make_run, make_submission, make_suite_version


@override_settings(DEMO_MODE=True)
class LoadDemoLifecycleTests(TestCase):
    def test_it_moves_solutions_only_as_far_as_their_runs_allow(self):
        call_command("load_demo", stdout=StringIO())
        scenario = Scenario.objects.get(code="GRID-PO-FC-001")
        version = make_suite_version(scenario)
        version.suite.is_demo = True
        version.suite.save(update_fields=["is_demo"])
        submissions = []
        for slug in ("hengchuan-ai", "qingqiong-vision"):
            vendor = Organisation.objects.get(slug=slug)
            owner = Membership.objects.filter(organisation=vendor).first().user
            submissions.append(make_submission(version, vendor, owner))
        tested = submissions[0]
        for split in (Run.Split.SAMPLE, Run.Split.HIDDEN):
            make_run(
                tested,
                split=split,
                status=Run.Status.SUCCEEDED,
                finished_at=timezone.now(),
                metrics={"mape": 4.0},
                passed=True,
            )
        out = StringIO()
        call_command("load_demo_lifecycle", stdout=out)
        stages = {s.submission_id: s.stage for s in Solution.objects.all()}
        # The first has its runs: R&D, then testing; it has no review
        # decision, so it stops there. The second has no run: R&D.
        self.assertEqual(stages, {tested.pk: "testing", submissions[1].pk: "rnd"})
        self.assertIs(all(s.is_demo for s in Solution.objects.all()), True)
        self.assertIn("stays in testing", out.getvalue())
        count = Transition.objects.count()
        call_command("load_demo_lifecycle", stdout=StringIO())
        self.assertEqual(Transition.objects.count(), count)
        self.assertEqual(Solution.objects.count(), 2)
        self.assertIs(ledger_verify().ok, True)

    @override_settings(DEMO_MODE=False)
    def test_it_refuses_outside_demo_mode(self):
        with self.assertRaisesMessage(CommandError, "PORTAL_DEMO_MODE=true"):
            call_command("load_demo_lifecycle", stdout=StringIO())
