"""A database or broker that is briefly away loses no run.

The worlds of test_faults.py stop real servers; these tests pin the same
behaviour in-process, with every query failing (``execute_wrapper``) or a
service raising once.
"""

from __future__ import annotations

import contextlib
from unittest import mock

from django.db import OperationalError, connection
from kombu.exceptions import OperationalError as BrokerError

from evaluations import services
from evaluations.models import Run
from evaluations.tasks import evaluation_run
from portal.lib.db import is_database_outage, retry_through_outage
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_scenario


def _refuse(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@contextlib.contextmanager
def database_away():
    with connection.execute_wrapper(_refuse):
        yield


class OutageTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(scenario)
        cls.submission = make_submission(cls.version, cls.vendor_a, cls.alice)

    def test_it_keeps_evaluating_when_a_progress_write_fails(self):
        run = make_run(self.submission)
        services.run_claim(run_id=run.pk, worker="w1")
        with database_away(), self.assertLogs("evaluations.services", "WARNING"):
            written = services.run_progress(
                run_id=run.pk, worker="w1", attempt=1, stage="running", progress=5
            )
        self.assertIs(written, False)

    def test_it_writes_the_result_once_the_database_is_back(self):
        run = make_run(self.submission)
        real_finish = services.run_finish
        calls = []

        def finish_after_an_outage(**kwargs):
            calls.append(kwargs["attempt"])
            if len(calls) == 1:
                raise OperationalError("the database system is shutting down")
            return real_finish(**kwargs)

        with (
            mock.patch("evaluations.runners.get_runner"),
            mock.patch(
                "evaluations.execution.evaluate",
                return_value=services.Evaluation(
                    status=Run.Status.FAILED, failure=Run.Failure.CRASH
                ),
            ),
            mock.patch.object(services, "run_finish", finish_after_an_outage),
            mock.patch("portal.lib.db.time.sleep"),
            self.assertLogs("portal.lib.db", "WARNING"),
        ):
            services.run_execute(run_id=run.pk)

        self.assertEqual(calls, [1, 1])
        run.refresh_from_db()
        self.assertEqual((run.status, run.failure, run.attempt), ("failed", "crash", 1))

    def test_the_task_retries_a_claim_that_meets_an_outage(self):
        run = make_run(self.submission)
        real_claim = services.run_claim
        calls = []

        def claim_after_an_outage(**kwargs):
            calls.append(kwargs["run_id"])
            if len(calls) == 1:
                raise OperationalError("connection refused")
            return real_claim(**kwargs)

        with (
            mock.patch.object(services, "run_claim", claim_after_an_outage),
            mock.patch("evaluations.runners.get_runner"),
            mock.patch(
                "evaluations.execution.evaluate",
                return_value=services.Evaluation(
                    status=Run.Status.FAILED, failure=Run.Failure.CRASH
                ),
            ),
        ):
            # Eager mode runs the retry at once instead of after the backoff.
            evaluation_run.apply(args=(run.pk,))

        self.assertEqual(calls, [run.pk, run.pk])
        run.refresh_from_db()
        self.assertEqual((run.status, run.attempt), ("failed", 1))

    def test_a_stored_submission_survives_an_unreachable_broker(self):
        with (
            mock.patch(
                "evaluations.tasks.evaluation_run.apply_async",
                side_effect=BrokerError("Error 111 connecting to 127.0.0.1:6379."),
            ) as enqueue,
            self.assertLogs("evaluations.services", "WARNING") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            run = services.run_create(submission=self.submission, split="sample")

        enqueue.assert_called_once()
        self.assertIn("the sweeper will send it", logs.output[0])
        run.refresh_from_db()
        self.assertEqual(run.status, Run.Status.QUEUED)


class RetryThroughOutageTests(PortalTestCase):
    def test_it_retries_with_backoff_then_returns(self):
        results = iter([OperationalError("down"), OperationalError("down"), 7])
        waits = []

        def call():
            value = next(results)
            if isinstance(value, Exception):
                raise value
            return value

        with self.assertLogs("portal.lib.db", "WARNING"):
            got = retry_through_outage(
                call, budget_seconds=60, what="test", sleep=waits.append
            )
        self.assertEqual((got, waits), (7, [0.5, 1.0]))

    def test_it_gives_up_after_its_budget(self):
        def call():
            raise OperationalError("down")

        with self.assertRaisesMessage(OperationalError, "down"):
            retry_through_outage(call, budget_seconds=0, what="test", sleep=print)

    def test_it_recognises_a_wrapped_outage(self):
        try:
            try:
                raise OperationalError("down")
            except OperationalError as inner:
                raise RuntimeError("evaluation failed") from inner
        except RuntimeError as exc:
            self.assertIs(is_database_outage(exc), True)
        self.assertIs(is_database_outage(ValueError("no")), False)
