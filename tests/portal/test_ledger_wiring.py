"""The services that append to the ledger: one entry per event that happened."""

from __future__ import annotations

from django.test import override_settings

from evaluations import services as run_services
from evaluations import suite_services
from evaluations.models import Run, SuiteVersion
from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import ledger_verify
from scenarios import dataset_services
from scenarios import services as scenario_services
from scenarios.models import AccessRequest, DatasetFile
from tests.base import PortalTestCase
from tests.evaluations.helpers import (
    make_run,
    make_submission,
    make_suite_version,
    prediction_csv,
)
from tests.evaluations.test_prediction_files import PredictionSuiteTestCase
from tests.evaluations.test_suite_services import MEDIA_ROOT, SuiteServiceTestCase
from tests.scenarios.helpers import make_dataset, make_scenario


class LedgerAssertions:
    def entries(self, kind: str) -> list[LedgerEntry]:
        return list(LedgerEntry.objects.filter(kind=kind).order_by("sequence"))

    def assertOneEntry(self, kind: str, subject: str) -> LedgerEntry:
        entries = self.entries(kind)
        self.assertEqual([e.subject for e in entries], [subject])
        self.assertIs(ledger_verify().ok, True)
        return entries[0]


class ScenarioEventTests(LedgerAssertions, PortalTestCase):
    def test_publishing_appends_one_entry(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", status="submitted"
        )
        self.assertEqual(LedgerEntry.objects.count(), 0)
        scenario_services.scenario_publish(scenario=scenario, user=self.olivia)
        entry = self.assertOneEntry("scenario.published", f"scenario:{scenario.pk}")
        version = scenario.versions.get()
        self.assertEqual(
            entry.payload,
            {"code": "GRID-PO-FC-001", "version": 1, "status": "published"},
        )
        self.assertEqual(entry.evidence, [f"scenario_version:{version.pk}"])
        self.assertEqual((entry.actor, entry.organisation), (self.olivia, self.grid))

    def test_a_refused_publication_appends_nothing(self):
        scenario = make_scenario(self.gina, self.grid, "GRID-PO-FC-001", status="draft")
        with self.assertRaisesMessage(Exception, "not possible while"):
            scenario_services.scenario_publish(scenario=scenario, user=self.olivia)
        self.assertEqual(LedgerEntry.objects.count(), 0)

    def test_a_revision_appends_one_entry(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia
        )
        version = scenario_services.scenario_revise(
            scenario=scenario,
            user=self.gina,
            data={"replicable_sites": 40},
            thresholds=None,
            change_notes="More sites.",
        )
        entry = self.assertOneEntry("scenario.revised", f"scenario:{scenario.pk}")
        self.assertEqual(entry.payload, {"code": "GRID-PO-FC-001", "version": 2})
        self.assertEqual(entry.evidence, [f"scenario_version:{version.pk}"])

    def test_closing_reopening_and_archiving_append_one_entry_each(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia
        )
        scenario_services.scenario_close(scenario=scenario, user=None, reason="Late.")
        closed = self.assertOneEntry("scenario.closed", f"scenario:{scenario.pk}")
        self.assertIsNone(closed.actor)
        self.assertEqual(closed.payload["by_deadline"], True)
        scenario_services.scenario_reopen(scenario=scenario, user=self.gina)
        self.assertOneEntry("scenario.reopened", f"scenario:{scenario.pk}")
        scenario_services.scenario_close(scenario=scenario, user=self.gina)
        scenario_services.scenario_archive(scenario=scenario, user=self.gina)
        archived = self.assertOneEntry("scenario.archived", f"scenario:{scenario.pk}")
        self.assertEqual(archived.payload["status"], "archived")
        self.assertEqual(len(self.entries("scenario.closed")), 2)

    def test_publishing_a_high_value_list_appends_one_entry(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia
        )
        hv_list = scenario_services.high_value_list_create(
            user=self.olivia,
            year=2026,
            batch=1,
            data={"title_zh": "2026年第一批", "title_en": "2026 batch 1"},
        )
        scenario_services.high_value_list_add(
            hv_list=hv_list, user=self.olivia, scenario=scenario
        )
        scenario_services.high_value_list_publish(hv_list=hv_list, user=self.olivia)
        entry = self.assertOneEntry(
            "high_value_list.published", f"high_value_list:{hv_list.pk}"
        )
        self.assertEqual(entry.payload["slug"], "2026-batch-1")
        self.assertEqual(
            [(e["scenario"], e["rank"]) for e in entry.payload["entries"]],
            [("GRID-PO-FC-001", 1)],
        )
        self.assertIsInstance(entry.payload["entries"][0]["score"], str)
        self.assertEqual(entry.evidence, [f"scenario:{scenario.pk}"])


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class DataAccessEventTests(LedgerAssertions, PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.dataset = make_dataset(cls.gina, cls.scenario, "grid-load")

    def request_access(self) -> AccessRequest:
        return dataset_services.access_request_create(
            dataset=self.dataset,
            organisation=self.vendor_a,
            user=self.alice,
            purpose="Train a day-ahead load forecasting model.",
        )

    def test_a_decision_appends_one_entry(self):
        request = self.request_access()
        self.assertFalse(LedgerEntry.objects.filter(kind__startswith="access").exists())
        dataset_services.access_request_decide(
            request=request, user=self.gina, approve=True, reason=""
        )
        entry = self.assertOneEntry(
            "access_request.decided", f"access_request:{request.pk}"
        )
        self.assertEqual(
            entry.payload,
            {"dataset": "grid-load", "requester": "vendor-a", "status": "approved"},
        )
        self.assertEqual((entry.actor, entry.organisation), (self.gina, self.grid))
        # Deciding twice is refused and appends nothing more.
        with self.assertRaisesMessage(Exception, "already been decided"):
            dataset_services.access_request_decide(
                request=request, user=self.gina, approve=False, reason="No."
            )
        self.assertEqual(len(self.entries("access_request.decided")), 1)

    def test_a_revocation_appends_one_entry(self):
        request = self.request_access()
        dataset_services.access_request_decide(
            request=request, user=self.gina, approve=True, reason=""
        )
        dataset_services.access_request_revoke(
            request=request, user=self.gina, reason="The project ended."
        )
        entry = self.assertOneEntry(
            "access_request.revoked", f"access_request:{request.pk}"
        )
        self.assertEqual(entry.payload["status"], "withdrawn")
        self.assertNotIn("The project ended.", str(entry.payload))

    def test_a_download_appends_one_entry_without_the_address(self):
        dataset_file = DatasetFile.objects.get(version__dataset=self.dataset)
        log = dataset_services.dataset_file_download_log(
            dataset_file=dataset_file,
            user=self.alice,
            organisation=self.vendor_a,
            ip_address="192.0.2.7",
            via_api=True,
        )
        entry = self.assertOneEntry(
            "dataset.downloaded", f"dataset_file:{dataset_file.pk}"
        )
        self.assertEqual(entry.payload, {"file": "load.csv", "via_api": True})
        self.assertEqual(
            entry.evidence,
            [f"blob:sha256:{dataset_file.blob.sha256}", f"download:{log.pk}"],
        )
        self.assertNotIn("192.0.2.7", str(entry.payload) + str(entry.evidence))


class SuiteVersionEventTests(LedgerAssertions, SuiteServiceTestCase):
    def test_publishing_appends_one_entry_and_retires_the_previous(self):
        suite = self.make_suite()
        first = suite_services.suite_version_publish(
            version=self.make_draft(suite), user=self.gina
        )
        entry = self.assertOneEntry(
            "suite_version.published", f"suite_version:{first.pk}"
        )
        self.assertEqual(
            entry.payload,
            {
                "scenario": "GRID-PO-FC-001",
                "suite": "day-ahead",
                "number": 1,
                "status": "published",
                "bundle_sha256": first.bundle.sha256,
                "retired": [],
            },
        )
        self.assertIn(f"blob:sha256:{first.bundle.sha256}", entry.evidence)
        second = suite_services.suite_version_publish(
            version=self.make_draft(suite, quotas={"per_day": 2}), user=self.gina
        )
        retired = self.assertOneEntry(
            "suite_version.retired", f"suite_version:{first.pk}"
        )
        self.assertEqual(
            (retired.payload["status"], retired.payload["replaced_by"]), ("retired", 2)
        )
        self.assertEqual(len(self.entries("suite_version.published")), 2)
        self.assertEqual(
            self.entries("suite_version.published")[1].payload["retired"], [1]
        )
        self.assertEqual(second.status, SuiteVersion.Status.PUBLISHED)

    def test_retiring_appends_one_entry(self):
        version = suite_services.suite_version_publish(
            version=self.make_draft(self.make_suite()), user=self.gina
        )
        suite_services.suite_version_retire(version=version, user=self.gina)
        entry = self.assertOneEntry(
            "suite_version.retired", f"suite_version:{version.pk}"
        )
        self.assertIsNone(entry.payload["replaced_by"])
        with self.assertRaisesMessage(Exception, "Only a published version"):
            suite_services.suite_version_retire(version=version, user=self.gina)
        self.assertEqual(len(self.entries("suite_version.retired")), 1)


class SubmissionEventTests(LedgerAssertions, PredictionSuiteTestCase):
    def test_a_submission_appends_one_entry(self):
        submission = self.submit(prediction_csv())
        entry = self.assertOneEntry("submission.created", f"submission:{submission.pk}")
        self.assertEqual(entry.payload["sha256"], submission.blob.sha256)
        self.assertEqual(entry.payload["kind"], "predictions")
        self.assertEqual((entry.actor, entry.organisation), (self.alice, self.vendor_a))
        self.assertEqual(
            entry.evidence,
            [
                f"blob:sha256:{submission.blob.sha256}",
                f"suite_version:{self.version.pk}",
            ],
        )

    def test_a_refused_submission_appends_nothing(self):
        self.assertTrue(self.refusal(b"not,a\nprediction,file\n"))
        self.assertFalse(LedgerEntry.objects.filter(kind="submission.created").exists())


class RunScoredEventTests(LedgerAssertions, PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(scenario)
        cls.submission = make_submission(cls.version, cls.vendor_a, cls.alice)

    def finish(self, run: Run, worker: str = "w1", **evaluation) -> bool:
        return run_services.run_finish(
            run_id=run.pk,
            worker=worker,
            attempt=1,
            evaluation=run_services.Evaluation(**evaluation),
        )

    def hidden_run(self) -> Run:
        run = make_run(self.submission, split=Run.Split.HIDDEN)
        run_services.run_claim(run_id=run.pk, worker="w1")
        return run

    def test_a_hidden_score_appends_one_entry_once(self):
        run = self.hidden_run()
        gates = [
            {
                "metric": "mape",
                "comparator": "<=",
                "value": 5.0,
                "observed": 1.2,
                "passed": True,
            }
        ]
        result = {
            "status": Run.Status.SUCCEEDED,
            "metrics": {"mape": 1.2, "mae": None},
            "gates": gates,
            "passed": True,
            "log": "secret output",
        }
        self.assertIs(self.finish(run, **result), True)
        # A duplicate delivery, or a worker that lost its lease, writes nothing.
        self.assertIs(self.finish(run, **result), False)
        self.assertIs(self.finish(run, worker="w2", **result), False)
        entry = self.assertOneEntry("run.scored", f"run:{run.pk}")
        self.assertEqual(entry.payload["metrics"], {"mae": None, "mape": 1.2})
        self.assertEqual(entry.payload["passed"], True)
        self.assertEqual(entry.payload["gates"][0]["observed"], 1.2)
        self.assertNotIn("secret output", str(entry.payload))
        self.assertEqual(entry.organisation, self.vendor_a)
        self.assertIn(f"submission:{self.submission.pk}", entry.evidence)

    def test_a_threshold_failure_is_a_published_score(self):
        run = self.hidden_run()
        self.finish(
            run,
            status=Run.Status.FAILED,
            failure=Run.Failure.THRESHOLD,
            metrics={"mape": 9.0},
            passed=False,
        )
        entry = self.assertOneEntry("run.scored", f"run:{run.pk}")
        self.assertEqual(
            (entry.payload["status"], entry.payload["failure"]), ("failed", "threshold")
        )

    def test_validation_runs_and_crashes_append_nothing(self):
        sample = make_run(self.submission)
        run_services.run_claim(run_id=sample.pk, worker="w1")
        self.finish(sample, status=Run.Status.SUCCEEDED, metrics={"mape": 1.0})
        crashed = self.hidden_run()
        self.finish(crashed, status=Run.Status.FAILED, failure=Run.Failure.CRASH)
        self.assertFalse(LedgerEntry.objects.filter(kind="run.scored").exists())
