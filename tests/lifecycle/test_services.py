"""Transitions: roles, gate refusals, ledger entries, plans, regressions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from lifecycle import services
from lifecycle.models import GateConfig, Stage, Transition
from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import ledger_verify
from tests.evaluations.helpers import make_submission
from tests.lifecycle.helpers import LifecycleTestCase


class RegisterTests(LifecycleTestCase):
    def test_it_registers_in_the_released_stage_with_a_ledger_entry(self):
        self.assertEqual(self.solution.stage, Stage.RELEASED)
        self.assertEqual(self.solution.organisation, self.vendor_a)
        entry = LedgerEntry.objects.get(subject=f"solution:{self.solution.pk}")
        self.assertEqual(entry.kind, "lifecycle.transition")
        self.assertEqual(entry.payload["kind"], "register")
        self.assertIn(f"submission:{self.submission_a.pk}", entry.evidence)

    def test_only_the_vendors_writers_register(self):
        for user in (self.alice, self.gina):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.solution_register(submission=self.submission_b, user=user)

    def test_a_submission_is_registered_once(self):
        with self.assertRaisesMessage(ValidationError, "already registered"):
            services.solution_register(submission=self.submission_a, user=self.alice)


class AdvanceTests(LifecycleTestCase):
    def test_the_vendor_moves_to_rnd_and_testing_with_the_gate_recorded(self):
        self.to_testing()
        self.assertEqual(self.solution.stage, Stage.TESTING)
        last = self.solution.transitions.order_by("-pk").first()
        self.assertEqual((last.from_stage, last.to_stage), ("rnd", "testing"))
        self.assertEqual(
            last.evidence, [f"run:{self.sample_run.pk}", f"run:{self.hidden_run.pk}"]
        )
        self.assertIs(last.gate["passed"], True)
        entry = LedgerEntry.objects.get(sequence=last.ledger_sequence)
        self.assertEqual(entry.payload["to"], "testing")
        self.assertEqual(entry.actor, self.alice)
        self.assertIn(f"transition:{last.pk}", entry.evidence)
        # register + two advances, each one entry; the chain verifies.
        self.assertEqual(
            LedgerEntry.objects.filter(kind="lifecycle.transition").count(), 3
        )
        self.assertIs(ledger_verify().ok, True)

    def test_rnd_to_testing_is_refused_without_a_validation_run(self):
        self.sample_run.delete()
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        with self.assertRaisesMessage(
            ValidationError,
            "The gate into Testing and validation is not met. "
            "Validation run succeeded: observed missing, needs True.",
        ):
            services.solution_advance(
                solution=self.refresh(), user=self.alice, to_stage="testing"
            )
        self.assertEqual(self.refresh().stage, Stage.RND)
        self.assertEqual(self.solution.transitions.count(), 2)

    def test_a_stage_cannot_be_skipped(self):
        with self.assertRaisesMessage(ValidationError, "cannot advance to pilot"):
            services.solution_advance(
                solution=self.solution, user=self.olivia, to_stage="pilot"
            )

    def test_wrong_roles_are_refused_at_every_gate(self):
        cases = [
            ("released", "rnd", [self.bob, self.gina, self.charlie]),
            ("rnd", "testing", [self.bob, self.gina]),
            ("testing", "pilot", [self.alice, self.gary, self.otto]),
            ("pilot", "effectiveness", [self.alice, self.gary]),
            ("effectiveness", "scale", [self.alice, self.gina, self.rita]),
        ]
        for stage, target, users in cases:
            self.put_in(stage)
            for user in users:
                with (
                    self.subTest(target=target, user=user.username),
                    self.assertRaises(PermissionDenied),
                ):
                    services.solution_advance(
                        solution=self.solution, user=user, to_stage=target
                    )

    def test_testing_to_pilot_passes_with_the_review_evidence(self):
        self.to_testing()
        decision = self.decide_testing(3)
        row = services.solution_advance(
            solution=self.solution,
            user=self.gina,
            to_stage="pilot",
            run_id=self.hidden_run.pk,
        )
        self.assertEqual(self.refresh().stage, Stage.PILOT)
        self.assertIn(f"decision:{decision.pk}", row.evidence)
        self.assertIn(f"round:{self.round.pk}", row.evidence)
        codes = {c["code"]: c for c in row.gate["criteria"]}
        self.assertEqual(codes["D5"]["observed"], 3.0)
        self.assertEqual(codes["composite"]["threshold"], 3.0)
        self.assertIs(ledger_verify().ok, True)

    def test_testing_to_pilot_is_refused_without_a_review(self):
        self.to_testing()
        with self.assertRaises(ValidationError) as caught:
            services.solution_advance(
                solution=self.solution, user=self.gina, to_stage="pilot"
            )
        message = caught.exception.messages[0]
        for label in (
            "Testing round decision: observed missing, needs advance",
            "D1 technology maturity: observed missing, needs 3.0",
            "D5 safety and controllability: observed missing, needs 3.0",
            "Composite score: observed missing",
        ):
            self.assertIn(label, message)
        self.assertNotIn("Hidden-test thresholds met", message)

    def test_safety_below_the_scenarios_gate_is_refused(self):
        GateConfig.objects.create(
            scenario=self.scenario, config={"pilot": {"safety": 3.5}}
        )
        self.to_testing()
        self.decide_testing(3)
        with self.assertRaisesMessage(
            ValidationError,
            "D5 safety and controllability: observed 3.0, needs 3.5",
        ):
            services.solution_advance(
                solution=self.solution, user=self.gina, to_stage="pilot"
            )

    def test_a_named_failed_hidden_run_is_refused(self):
        from evaluations.models import Run
        from tests.evaluations.helpers import make_run

        failed = make_run(
            self.submission_a,
            split=Run.Split.HIDDEN,
            status=Run.Status.FAILED,
            failure=Run.Failure.THRESHOLD,
            metrics={"mape": 9.0},
            passed=False,
        )
        self.to_testing()
        self.decide_testing(3)
        with self.assertRaisesMessage(
            ValidationError, "Hidden-test thresholds met: observed False"
        ):
            services.solution_advance(
                solution=self.solution,
                user=self.gina,
                to_stage="pilot",
                run_id=failed.pk,
            )

    def test_pilot_to_effectiveness_needs_a_closed_pilot_and_safety_4(self):
        self.to_testing()
        self.decide_testing(3)
        services.solution_advance(
            solution=self.solution, user=self.gina, to_stage="pilot"
        )
        with self.assertRaises(ValidationError) as caught:
            services.solution_advance(
                solution=self.refresh(), user=self.gina, to_stage="effectiveness"
            )
        message = caught.exception.messages[0]
        self.assertIn("Pilot closed: observed missing, needs closed", message)
        self.assertIn("D5 safety and controllability: observed 3.0, needs 4.0", message)

    def test_effectiveness_to_scale_is_refused_without_evidence(self):
        self.put_in("effectiveness")
        with self.assertRaisesMessage(
            ValidationError, "Measured benefit-cost ratio: observed missing, needs 1.0"
        ):
            services.solution_advance(
                solution=self.solution, user=self.olivia, to_stage="scale"
            )

    def test_an_operator_acts_for_someone_as_true_actor(self):
        row = services.solution_advance(
            solution=self.solution,
            user=self.olivia,
            to_stage="rnd",
            on_behalf_of=self.alice,
        )
        self.assertEqual((row.actor, row.true_actor), (self.alice, self.olivia))
        entry = LedgerEntry.objects.get(sequence=row.ledger_sequence)
        self.assertEqual((entry.actor, entry.true_actor), (self.alice, self.olivia))

    def test_only_operators_act_for_someone(self):
        with self.assertRaises(PermissionDenied):
            services.solution_advance(
                solution=self.solution,
                user=self.gina,
                to_stage="rnd",
                on_behalf_of=self.alice,
            )


class SendBackTests(LifecycleTestCase):
    def test_a_send_back_writes_a_plan_of_the_failed_criteria(self):
        self.to_testing()
        row = services.solution_send_back(
            solution=self.solution, user=self.gina, to_stage="rnd", reasons="Not yet."
        )
        self.assertEqual(self.refresh().stage, Stage.RND)
        gaps = list(row.plan.gaps.all())
        self.assertEqual(
            [g.criterion for g in gaps],
            ["testing_decision", "D1", "D2", "D5", "composite"],
        )
        self.assertEqual(gaps[0].tests, "Resubmit to a testing review round.")
        self.assertIs(ledger_verify().ok, True)

    def test_given_gaps_are_kept(self):
        self.to_testing()
        row = services.solution_send_back(
            solution=self.solution,
            user=self.olivia,
            to_stage="rnd",
            reasons="Latency.",
            gaps=[{"gap": "p95 latency 4 s", "tests": "Rerun the latency probe"}],
        )
        gap = row.plan.gaps.get()
        self.assertEqual(
            (gap.gap, gap.tests), ("p95 latency 4 s", "Rerun the latency probe")
        )

    def test_a_solution_at_scale_is_sent_back_to_testing(self):
        self.put_in("scale")
        row = services.solution_send_back(
            solution=self.solution,
            user=self.olivia,
            to_stage="testing",
            reasons="Drift alarm at two sites.",
            gaps=[{"gap": "Drift", "tests": "Regression run on refreshed data"}],
        )
        self.assertEqual(
            (row.from_stage, row.to_stage, row.gate), ("scale", "testing", {})
        )

    def test_it_refuses_forward_targets_readers_and_no_reasons(self):
        self.to_testing()
        with self.assertRaisesMessage(ValidationError, "cannot be sent back to pilot"):
            services.solution_send_back(
                solution=self.solution, user=self.gina, to_stage="pilot", reasons="x"
            )
        for user in (self.alice, self.gary):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.solution_send_back(
                    solution=self.solution, user=user, to_stage="rnd", reasons="x"
                )
        with self.assertRaisesMessage(ValidationError, "Say why"):
            services.solution_send_back(
                solution=self.solution, user=self.gina, to_stage="rnd", reasons=" "
            )


class EndTests(LifecycleTestCase):
    def test_the_vendor_withdraws(self):
        with self.assertRaises(PermissionDenied):
            services.solution_withdraw(
                solution=self.solution, user=self.gina, reasons="x"
            )
        row = services.solution_withdraw(
            solution=self.solution, user=self.alice, reasons="Product retired."
        )
        self.assertEqual((row.kind, self.refresh().stage), ("withdraw", "withdrawn"))
        with self.assertRaisesMessage(ValidationError, "already left the lifecycle"):
            services.solution_reject(
                solution=self.solution, user=self.gina, reasons="x"
            )

    def test_the_owner_rejects_and_the_vendor_cannot(self):
        with self.assertRaises(PermissionDenied):
            services.solution_reject(
                solution=self.solution, user=self.alice, reasons="x"
            )
        services.solution_reject(
            solution=self.solution, user=self.gina, reasons="Unsafe."
        )
        self.assertEqual(self.refresh().stage, Stage.REJECTED)
        self.assertEqual(
            LedgerEntry.objects.filter(
                subject=f"solution:{self.solution.pk}", payload__kind="reject"
            ).count(),
            1,
        )


class RegressionTests(LifecycleTestCase):
    def test_a_new_version_in_the_field_reenters_testing(self):
        self.put_in("pilot")
        newer = make_submission(self.version, self.vendor_a, self.alice)
        row = services.solution_version_register(
            solution=self.solution, submission=newer, user=self.alice
        )
        self.refresh()
        self.assertEqual(
            (row.kind, row.from_stage, row.to_stage), ("regression", "pilot", "testing")
        )
        self.assertEqual(self.solution.submission, newer)
        self.assertEqual(self.solution.field_submission, self.submission_a)

    def test_a_regression_without_evidence_keeps_the_field_version(self):
        self.put_in("pilot")
        newer = make_submission(self.version, self.vendor_a, self.alice)
        services.solution_version_register(
            solution=self.solution, submission=newer, user=self.alice
        )
        with self.assertRaisesMessage(ValidationError, "Hidden-test thresholds met"):
            services.solution_advance(
                solution=self.refresh(), user=self.gina, to_stage="pilot"
            )
        self.assertEqual(self.refresh().field_submission, self.submission_a)
        self.assertEqual(self.solution.stage, Stage.TESTING)

    def test_before_the_field_the_stage_stays(self):
        newer = make_submission(self.version, self.vendor_a, self.alice)
        services.solution_version_register(
            solution=self.solution, submission=newer, user=self.alice
        )
        self.refresh()
        self.assertEqual(self.solution.stage, Stage.RELEASED)
        self.assertIsNone(self.solution.field_submission)

    def test_another_vendors_submission_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "your organisation's"):
            services.solution_version_register(
                solution=self.solution, submission=self.submission_b, user=self.alice
            )
        with self.assertRaises(PermissionDenied):
            services.solution_version_register(
                solution=self.solution, submission=self.submission_b, user=self.bob
            )


class GateConfigTests(LifecycleTestCase):
    def test_the_owner_saves_a_valid_configuration(self):
        row = services.gate_config_save(
            scenario=self.scenario, user=self.gina, config={"pilot": {"composite": 3.4}}
        )
        self.assertEqual(row.config, {"pilot": {"composite": 3.4}})
        with self.assertRaisesMessage(ValidationError, "below the safety floor"):
            services.gate_config_save(
                scenario=self.scenario, user=self.gina, config={"pilot": {"safety": 2}}
            )
        with self.assertRaises(PermissionDenied):
            services.gate_config_save(
                scenario=self.scenario, user=self.alice, config={}
            )

    def test_transition_kinds_are_recorded(self):
        self.assertEqual(
            list(self.solution.transitions.values_list("kind", flat=True)),
            [Transition.Kind.REGISTER],
        )
