"""The run life cycle: claim, lease, heartbeat, fenced finish, sweep."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from evaluations import execution, services
from evaluations.models import Run
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_scenario


class RunLifeCycleTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(scenario)
        cls.submission = make_submission(cls.version, cls.vendor_a, cls.alice)

    def test_a_claim_succeeds_once(self):
        run = make_run(self.submission)
        first = services.run_claim(run_id=run.pk, worker="w1")
        second = services.run_claim(run_id=run.pk, worker="w2")
        self.assertIsNotNone(first)
        self.assertIsNone(second)
        run.refresh_from_db()
        self.assertEqual(
            (run.status, run.attempt, run.lease_owner), ("running", 1, "w1")
        )

    def test_a_claim_records_the_worker_node(self):
        first, second = make_run(self.submission), make_run(self.submission)
        services.run_claim(run_id=first.pk, worker="host1:42", node="eval@host1")
        # No node name (eager mode): the host part of the lease owner.
        services.run_claim(run_id=second.pk, worker="host2:7")
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.worker, second.worker), ("eval@host1", "host2"))

    def test_an_expired_lease_can_be_claimed_again(self):
        run = make_run(self.submission)
        services.run_claim(run_id=run.pk, worker="w1")
        later = timezone.now() + timedelta(seconds=services._lease_seconds() + 1)
        claimed = services.run_claim(run_id=run.pk, worker="w2", now=later)
        self.assertIsNotNone(claimed)
        self.assertEqual((claimed.attempt, claimed.lease_owner), (2, "w2"))
        # The first worker lost its lease: its heartbeat and result are refused.
        self.assertIs(
            services.run_heartbeat(run_id=run.pk, worker="w1", attempt=1), False
        )
        written = services.run_finish(
            run_id=run.pk,
            worker="w1",
            attempt=1,
            evaluation=services.Evaluation(status=Run.Status.SUCCEEDED),
        )
        self.assertIs(written, False)
        run.refresh_from_db()
        self.assertEqual(run.status, Run.Status.RUNNING)

    def test_no_claim_after_the_last_attempt(self):
        run = make_run(self.submission, attempt=3, max_attempts=3)
        self.assertIsNone(services.run_claim(run_id=run.pk, worker="w1"))

    def test_a_heartbeat_extends_the_lease(self):
        run = make_run(self.submission)
        claimed = services.run_claim(run_id=run.pk, worker="w1")
        before = claimed.lease_expires_at
        with override_settings(EVALUATION_LEASE_SECONDS=3600):
            self.assertIs(
                services.run_heartbeat(run_id=run.pk, worker="w1", attempt=1), True
            )
        run.refresh_from_db()
        self.assertGreater(run.lease_expires_at, before)

    def test_a_successful_validation_queues_the_hidden_run(self):
        run = make_run(self.submission)
        services.run_claim(run_id=run.pk, worker="w1")
        with (
            mock.patch("evaluations.tasks.evaluation_run.apply_async") as enqueue,
            self.captureOnCommitCallbacks(execute=True),
        ):
            services.run_finish(
                run_id=run.pk,
                worker="w1",
                attempt=1,
                evaluation=services.Evaluation(
                    status=Run.Status.SUCCEEDED, metrics={"mape": 1.2}, passed=True
                ),
            )
        hidden = Run.objects.get(submission=self.submission, split=Run.Split.HIDDEN)
        self.assertEqual(hidden.status, Run.Status.QUEUED)
        enqueue.assert_called_once_with(args=(hidden.pk,), countdown=0)
        run.refresh_from_db()
        self.assertEqual(
            (run.status, run.metrics, run.progress), ("succeeded", {"mape": 1.2}, 100)
        )

    def test_a_failed_validation_queues_nothing(self):
        run = make_run(self.submission)
        services.run_claim(run_id=run.pk, worker="w1")
        services.run_finish(
            run_id=run.pk,
            worker="w1",
            attempt=1,
            evaluation=services.Evaluation(
                status=Run.Status.FAILED,
                failure=Run.Failure.TIMEOUT,
                message="Too slow.",
            ),
        )
        self.assertIs(Run.objects.filter(split=Run.Split.HIDDEN).exists(), False)

    def test_a_platform_fault_requeues_then_fails_after_the_last_attempt(self):
        run = make_run(self.submission, max_attempts=2)
        with mock.patch("evaluations.tasks.evaluation_run.apply_async"):
            services.run_claim(run_id=run.pk, worker="w1")
            services.run_release_after_fault(
                run_id=run.pk, worker="w1", attempt=1, message="storage down"
            )
            run.refresh_from_db()
            self.assertEqual((run.status, run.attempt), (Run.Status.QUEUED, 1))
            services.run_claim(run_id=run.pk, worker="w1")
            services.run_release_after_fault(
                run_id=run.pk, worker="w1", attempt=2, message="storage down"
            )
        run.refresh_from_db()
        self.assertEqual(run.status, Run.Status.PLATFORM_ERROR)
        self.assertEqual(run.failure, Run.Failure.PLATFORM)

    def test_the_sweeper_requeues_expired_leases_and_fails_exhausted_runs(self):
        alive = make_run(self.submission)
        dead = make_run(self.submission)
        exhausted = make_run(self.submission, max_attempts=1)
        for run in (alive, dead, exhausted):
            services.run_claim(run_id=run.pk, worker="w1")
        past = timezone.now() - timedelta(seconds=1)
        Run.objects.filter(pk__in=[dead.pk, exhausted.pk]).update(lease_expires_at=past)
        with (
            mock.patch("evaluations.tasks.evaluation_run.apply_async") as enqueue,
            self.captureOnCommitCallbacks(execute=True),
        ):
            report = services.runs_sweep()
            again = services.runs_sweep()
        self.assertEqual(report.requeued, [dead.pk])
        self.assertEqual(report.failed, [exhausted.pk])
        self.assertEqual((again.requeued, again.failed), ([], []))
        enqueue.assert_called_once_with(args=(dead.pk,), countdown=0)
        statuses = dict(Run.objects.values_list("pk", "status"))
        self.assertEqual(statuses[alive.pk], Run.Status.RUNNING)
        self.assertEqual(statuses[dead.pk], Run.Status.QUEUED)
        self.assertEqual(statuses[exhausted.pk], Run.Status.PLATFORM_ERROR)

    def test_the_sweeper_reenqueues_runs_queued_too_long(self):
        run = make_run(self.submission)
        Run.objects.filter(pk=run.pk).update(
            enqueued_at=timezone.now() - timedelta(hours=1)
        )
        with (
            mock.patch("evaluations.tasks.evaluation_run.apply_async") as enqueue,
            self.captureOnCommitCallbacks(execute=True),
        ):
            report = services.runs_sweep()
        self.assertEqual(report.reenqueued, [run.pk])
        enqueue.assert_called_once()

    def test_queue_position(self):
        first = make_run(self.submission)
        second = make_run(self.submission)
        self.assertEqual(services.queue_position(first), 1)
        self.assertEqual(services.queue_position(second), 2)
        services.run_claim(run_id=first.pk, worker="w1")
        second.refresh_from_db()
        self.assertEqual(services.queue_position(second), 1)

    def test_cancel_needs_the_vendors_write_access(self):
        run = make_run(self.submission)
        with self.assertRaises(services.PermissionDenied):
            services.run_cancel(run=run, user=self.bob)
        with self.assertRaises(services.PermissionDenied):
            services.run_cancel(run=run, user=self.charlie)
        services.run_cancel(run=run, user=self.alice)
        self.assertEqual(run.status, Run.Status.CANCELLED)
        self.assertIsNone(services.run_claim(run_id=run.pk, worker="w1"))


class EnergyTests(PortalTestCase):
    def _domain(self, root, name, energy, max_range=10_000_000):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "energy_uj").write_text(str(energy))
        (folder / "max_energy_range_uj").write_text(str(max_range))

    def test_it_measures_with_rapl_where_readable(self):
        import tempfile
        from pathlib import Path

        root = Path(tempfile.mkdtemp())
        self._domain(root, "intel-rapl:0", 100_000, max_range=10_000_000)
        self._domain(root, "intel-rapl:0:0", 5)  # a sub-domain: not counted twice
        start = execution.rapl_read(root)
        self._domain(root, "intel-rapl:0", 2_800_000)
        end = execution.rapl_read(root)
        energy = execution._energy(10.0, start, end)
        self.assertEqual(energy["energy_method"], "measured")
        # 2,700,000 µJ = 2.7 J = 0.00075 Wh
        self.assertAlmostEqual(energy["energy_wh"], 2.7 / 3600, places=6)

    def test_it_handles_a_wrapped_counter(self):
        start = execution.RaplReading({"intel-rapl:0": 900}, {"intel-rapl:0": 1000})
        end = execution.RaplReading({"intel-rapl:0": 100}, {"intel-rapl:0": 1000})
        self.assertAlmostEqual(execution._rapl_joules(start, end), 200 / 1e6)

    def test_it_estimates_without_rapl(self):
        from pathlib import Path

        self.assertIsNone(execution.rapl_read(Path("/nonexistent-powercap")))
        with override_settings(EVALUATION_WATTS_PER_CORE=18.0):
            energy = execution._energy(3600.0)
        self.assertEqual(energy["energy_method"], "estimated")
        self.assertAlmostEqual(energy["energy_wh"], 18.0)
        # 18 Wh × 0.5306 kg/kWh = 9.5508 g
        self.assertAlmostEqual(energy["co2e_g"], 9.5508, places=4)


class ScoringTests(PortalTestCase):
    def test_a_metric_without_a_finite_value_is_stored_as_none_and_fails_its_gate(self):
        import json

        from evaluations import scoring

        config = {
            "metrics": [
                {"code": "mae"},
                {"code": "detection_lead_time", "params": {"time_unit_hours": 1.0}},
            ],
            "gates": [
                {"metric": "detection_lead_time", "comparator": "<=", "value": 24}
            ],
        }
        labels = {"calls": {"0001": {"y_true": [0, 0, 1, 1, 0], "columns": {}}}}
        predictions = {"0001": [0, 0, 0, 0, 0]}  # nothing detected: no lead time
        result = scoring.score(config, labels, predictions)
        self.assertIsNone(result.metrics["detection_lead_time"])
        self.assertIs(result.passed, False)
        json.dumps(result.metrics, allow_nan=False)  # storable as JSON

    def test_probe_gates_hold_on_the_probe_figure_or_its_delta(self):
        from evaluations import scoring

        config = {
            "metrics": [{"code": "mae"}],
            "gates": [
                {"metric": "mae", "comparator": "<=", "value": 1.0},
                {"metric": "mae", "probe": "noisy", "comparator": "<=", "value": 2.5},
                {
                    "metric": "mae",
                    "probe": "noisy",
                    "delta": True,
                    "comparator": "<=",
                    "value": 1.0,
                },
                {"metric": "mae", "probe": "other", "comparator": "<=", "value": 9},
            ],
        }
        labels = {"calls": {"0001": {"y_true": [0.0, 0.0], "columns": {}}}}
        clean = scoring.score(config, labels, {"0001": [0.5, 0.5]})
        # The clean score checks only the gates without a probe.
        self.assertEqual([g.get("probe") for g in clean.gates], [None])
        probed = scoring.score(config, labels, {"0001": [2.0, 2.0]})
        gates = scoring.probe_gates(config, "noisy", clean, probed)
        self.assertEqual(
            [(g["observed"], g["delta"], g["passed"]) for g in gates],
            [(2.0, False, True), (1.5, True, False)],
        )
        self.assertEqual({g["probe"] for g in gates}, {"noisy"})
        # A probe whose run failed fails its gates, with nothing observed.
        failed = scoring.probe_gates(config, "other", clean, None)
        self.assertEqual(
            [(g["observed"], g["passed"]) for g in failed], [(None, False)]
        )

    def test_probe_gate_declarations_are_validated(self):
        from django.core.exceptions import ValidationError

        from evaluations.suites import validate_config

        base = {
            "schema_version": 1,
            "metrics": [{"code": "mae"}],
            "limits": {},
        }
        validate_config(
            {
                **base,
                "gates": [
                    {
                        "metric": "mae",
                        "probe": "p",
                        "delta": True,
                        "comparator": "<=",
                        "value": 1,
                    }
                ],
            }
        )
        for gate, message in [
            ({"probe": ""}, "names no probe"),
            ({"delta": True}, "only on a probe gate"),
            ({"probe": "p", "delta": "yes"}, "delta must be true or false"),
        ]:
            config = {
                **base,
                "gates": [{"metric": "mae", "comparator": "<=", "value": 1, **gate}],
            }
            with self.assertRaises(ValidationError) as raised:
                validate_config(config)
            self.assertIn(message, " ".join(raised.exception.messages))
