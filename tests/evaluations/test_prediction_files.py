"""Prediction-file submissions: configuration, published inputs, intake,
and scoring on the host through the real task.

The suite is made-up classification test data (tests/evaluations/helpers.py):
four sample cells in one call, six hidden cells in two calls.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import SimpleTestCase, override_settings

from evaluations import public_inputs, services
from evaluations.intake import pack_solution
from evaluations.leaderboard import leaderboard_get
from evaluations.models import LeaderboardRow, Run, Submission, SuiteVersion
from evaluations.suites import validate_config, write_bundle
from scenarios.dataset_services import blob_store
from tests.base import PortalTestCase
from tests.evaluations.helpers import (
    CONFIG,
    PREDICTION_CONFIG,
    TRUTH,
    make_prediction_suite,
    make_suite_version,
    prediction_csv,
)
from tests.scenarios.helpers import make_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "solutions"
SAMPLE_IDS = ["s1", "s2", "s3", "s4"]
HIDDEN_IDS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def with_prediction_files(**block: Any) -> dict[str, Any]:
    config = copy.deepcopy(CONFIG)
    config["prediction_files"] = block
    return config


class ConfigTests(SimpleTestCase):
    def refused(self, config: Any, task_kind: str | None) -> list[str]:
        with self.assertRaises(ValidationError) as caught:
            validate_config(config, task_kind=task_kind)
        return caught.exception.messages

    def test_a_classification_or_event_suite_may_allow_prediction_files(self):
        for kind in ("classification", "event_detection"):
            with self.subTest(kind=kind):
                config = with_prediction_files(allowed=True, inputs_access="public")
                self.assertEqual(validate_config(config, task_kind=kind), config)

    def test_a_rolling_origin_forecasting_suite_may_not(self):
        messages = self.refused(with_prediction_files(allowed=True), "forecasting")
        self.assertEqual(len(messages), 1)
        self.assertIn(
            "A rolling-origin forecasting suite cannot allow prediction files",
            messages[0],
        )
        self.assertIn("the future the suite asks them to forecast", messages[0])

    def test_an_unknown_task_kind_may_not(self):
        self.assertEqual(
            self.refused(with_prediction_files(allowed=True), None),
            [
                "Prediction files are allowed, so the suite's task kind is needed "
                "to check them; rolling-origin forecasting suites may not allow them."
            ],
        )

    def test_a_forecasting_suite_may_declare_them_off(self):
        config = with_prediction_files(allowed=False)
        self.assertEqual(validate_config(config, task_kind="forecasting"), config)
        self.assertEqual(validate_config(CONFIG, task_kind="forecasting"), CONFIG)

    def test_the_block_is_checked(self):
        for block, message in (
            ("yes", "prediction_files must be an object."),
            ({"allowed": "true"}, "prediction_files.allowed must be true or false."),
            (
                {"allowed": True, "inputs_access": "approved"},
                "prediction_files.inputs_access must be one of public, registered.",
            ),
            (
                {"allowed": True, "ids": []},
                "Unknown prediction_files key(s): ids.",
            ),
        ):
            with self.subTest(block=block):
                config = copy.deepcopy(CONFIG)
                config["prediction_files"] = block
                self.assertEqual(self.refused(config, "classification"), [message])


class PredictionSuiteTestCase(PortalTestCase):
    """A classification suite accepting prediction files, with real storage."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "PV-QI-CL-001", operator=cls.olivia
        )

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="predfiles-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        overrides = override_settings(
            MEDIA_ROOT=str(self.tmp / "media"),
            EVALUATION_WORK_DIR=self.tmp / "work",
            EVALUATION_HEARTBEAT_SECONDS=3600,
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.version = make_prediction_suite(self.scenario, self.tmp)

    def submit(
        self,
        content: bytes,
        *,
        name: str = "cells.csv",
        labels: services.SolutionLabels | None = None,
        version: SuiteVersion | None = None,
        execute: bool = False,
    ) -> Submission:
        with self.captureOnCommitCallbacks(execute=execute):
            return services.submission_create(
                suite_version=version or self.version,
                organisation=self.vendor_a,
                user=self.alice,
                upload=ContentFile(content, name=name),
                file_name=name,
                labels=labels
                if labels is not None
                else services.SolutionLabels("Threshold rule", "1.0", "Hot is bad."),
            )

    def refusal(self, content: bytes, **kwargs: Any) -> dict[str, list[str]]:
        with self.assertRaises(ValidationError) as caught:
            self.submit(content, **kwargs)
        self.assertEqual(Submission.objects.count(), 0)
        return caught.exception.message_dict


class SuiteVersionModelTests(PredictionSuiteTestCase):
    def test_it_accepts_prediction_files_only_with_a_kind_that_allows_them(self):
        self.assertIs(self.version.accepts_prediction_files, True)
        forecasting = make_suite_version(
            self.scenario, config=with_prediction_files(allowed=True)
        )
        # Saved without validation, the configuration still opens nothing.
        self.assertIs(forecasting.accepts_prediction_files, False)
        with self.assertRaises(ValidationError) as caught:
            forecasting.full_clean()
        self.assertIn("config", caught.exception.message_dict)
        self.version.full_clean()


class PublicInputsTests(PredictionSuiteTestCase):
    def test_it_reads_the_ids_in_the_scorers_order(self):
        ids = public_inputs.suite_ids(self.version)
        self.assertEqual(ids.sample.calls, {"0001": SAMPLE_IDS})
        self.assertEqual(
            ids.hidden.calls,
            {"0001": ["h1", "h2", "h3"], "0002": ["h4", "h5", "h6"]},
        )
        self.assertEqual(ids.expected, SAMPLE_IDS + HIDDEN_IDS)
        # Cached beside the extracted bundle, keyed by the bundle's hash: one
        # text column, read back as one Arrow array with the calls' spans.
        import pyarrow as pa

        name = f"{self.version.bundle.sha256}.ids.arrow"
        cache = pa.ipc.open_file(self.tmp / "work" / "bundles" / name).read_all()
        self.assertEqual(cache.column("id").to_pylist(), SAMPLE_IDS + HIDDEN_IDS)
        arrays = public_inputs.suite_id_arrays(self.version)
        self.assertEqual(
            arrays.calls,
            {"sample": [("0001", 0, 4)], "hidden": [("0001", 4, 7), ("0002", 7, 10)]},
        )
        self.assertEqual(public_inputs.suite_ids(self.version), ids)

    def test_the_inputs_zip_holds_the_ids_and_the_call_inputs_but_no_labels(self):
        path = public_inputs.inputs_archive(self.version, "hidden")
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            self.assertEqual(
                names,
                [
                    "ids.csv",
                    "calls/0001/inputs.csv",
                    "calls/0001/task.json",
                    "calls/0002/inputs.csv",
                    "calls/0002/task.json",
                ],
            )
            self.assertEqual(
                archive.read("ids.csv").decode(), "id\n" + "\n".join(HIDDEN_IDS) + "\n"
            )
            self.assertEqual(
                archive.read("calls/0002/inputs.csv").decode(),
                "id,temperature_c\nh4,40\nh5,71\nh6,72\n",
            )
            task = json.loads(archive.read("calls/0001/task.json"))
            self.assertEqual(task["kind"], "classification")
        self.assertNotIn(b"y_true", path.read_bytes())

    def test_the_inputs_zip_is_deterministic(self):
        first = public_inputs.inputs_archive(self.version, "sample").read_bytes()
        public_inputs.inputs_archive(self.version, "sample").unlink()
        second = public_inputs.inputs_archive(self.version, "sample").read_bytes()
        self.assertEqual(first, second)

    def test_a_suite_that_does_not_accept_prediction_files_publishes_nothing(self):
        closed = make_suite_version(
            self.scenario,
            config=PREDICTION_CONFIG | {"prediction_files": {"allowed": False}},
            bundle=self.version.bundle,
            task_kind="classification",
        )
        for call in (
            lambda: public_inputs.suite_ids(closed),
            lambda: public_inputs.inputs_archive(closed, "hidden"),
        ):
            with self.assertRaisesMessage(
                public_inputs.InputsError,
                "This suite version does not accept prediction files.",
            ):
                call()

    def test_a_bundle_of_another_kind_than_its_suite_publishes_nothing(self):
        events = make_suite_version(
            self.scenario,
            config=PREDICTION_CONFIG,
            bundle=self.version.bundle,
            task_kind="event_detection",
        )
        with self.assertRaisesMessage(
            public_inputs.InputsError,
            "The bundle holds classification data and the suite's task kind is "
            "event_detection; its inputs are not published.",
        ):
            public_inputs.inputs_archive(events, "sample")

    def test_ids_shared_by_the_sample_and_the_test_are_refused(self):
        call = {
            "files": {
                "task.json": json.dumps(
                    {"kind": "classification", "inputs": "x.csv", "id_column": "id"}
                ).encode(),
                "x.csv": b"id,v\na,1\nb,2\n",
            },
            "y_true": [0, 1],
        }
        folder = write_bundle(
            self.tmp / "overlap",
            kind="classification",
            splits={"sample": {"0001": call}, "hidden": {"0001": call}},
        )
        from evaluations.suites import pack_bundle

        blob = blob_store(ContentFile(pack_bundle(folder), name="bundle"))
        version = make_suite_version(
            self.scenario,
            config=PREDICTION_CONFIG,
            bundle=blob,
            task_kind="classification",
        )
        with self.assertRaisesMessage(
            public_inputs.InputsError,
            "2 ids are in both the sample and the hidden test, for example 'a'.",
        ):
            public_inputs.suite_ids(version)


class IntakeTests(PredictionSuiteTestCase):
    def test_a_prediction_file_is_stored_and_its_validation_run_queued(self):
        submission = self.submit(prediction_csv())
        self.assertEqual(submission.kind, Submission.Kind.PREDICTIONS)
        self.assertEqual(
            (submission.name, submission.version_label, submission.description),
            ("Threshold rule", "1.0", "Hot is bad."),
        )
        self.assertEqual(submission.file_name, "cells.csv")
        self.assertEqual(
            submission.manifest,
            {
                "format": "csv",
                "rows": 10,
                "sample_rows": 4,
                "hidden_rows": 6,
                "values": "numbers",
            },
        )
        with default_storage.open(submission.blob.storage_name, "rb") as stored:
            self.assertEqual(stored.read(), prediction_csv())
        self.assertEqual(
            list(submission.runs.values_list("split", "status")),
            [(Run.Split.SAMPLE, Run.Status.QUEUED)],
        )

    def test_identical_files_are_stored_once(self):
        first = self.submit(prediction_csv())
        second = self.submit(prediction_csv())
        self.assertEqual(first.blob_id, second.blob_id)

    def test_a_parquet_file_is_accepted(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {"prediction": [float(v) for v in TRUTH.values()], "id": list(TRUTH)}
        )
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        submission = self.submit(buffer.getvalue(), name="cells.parquet")
        self.assertEqual(submission.manifest["format"], "parquet")

    def test_the_file_must_cover_the_sample_and_the_test(self):
        hidden_only = {i: TRUTH[i] for i in HIDDEN_IDS}
        errors = self.refusal(prediction_csv(hidden_only))
        self.assertEqual(
            errors,
            {
                "file": [
                    "4 of 10 ids have no prediction, for example 's1', 's2', 's3', "
                    "'s4'. (missing_ids) A prediction file covers the 4 ids of the "
                    "public sample and the 6 ids of the hidden test: the ids.csv of "
                    "both inputs downloads."
                ]
            },
        )

    def test_each_check_refuses_with_its_code_before_anything_is_stored(self):
        extra = dict(TRUTH, x9=1)
        for content, code in (
            (prediction_csv(extra), "unexpected_ids"),
            (prediction_csv() + b"s1,1\n", "duplicate_ids"),
            (prediction_csv(dict(TRUTH, h3="nan")), "not_finite"),
            (prediction_csv(dict(TRUTH, h3="")), "missing_value"),
            (prediction_csv(header="id,score"), "wrong_columns"),
            (prediction_csv(header="prediction,id,note"), "wrong_columns"),
            (b"", "corrupt_file"),
            ("id,prediction\nß,1\n".encode("latin-1"), "bad_encoding"),
            (b"PAR1 not really parquet", "corrupt_file"),
        ):
            with self.subTest(code=code, content=content[:30]):
                errors = self.refusal(content)
                self.assertEqual(list(errors), ["file"])
                self.assertIn(f"({code})", errors["file"][0])
        self.assertEqual(Run.objects.count(), 0)

    @override_settings(EVALUATION_PREDICTION_FILE_MAX_BYTES=63)
    def test_the_size_cap_comes_from_the_settings(self):
        errors = self.refusal(prediction_csv())
        self.assertEqual(
            errors,
            {
                "file": [
                    "The upload is 64 bytes; the limit is 63 bytes. (file_too_large)"
                ]
            },
        )

    def test_name_and_version_are_required_for_a_prediction_file(self):
        errors = self.refusal(prediction_csv(), labels=services.SolutionLabels())
        self.assertEqual(
            errors,
            {
                "name": ["Name the solution: a prediction file has no manifest."],
                "version_label": [
                    "Give the solution a version: a prediction file has no manifest."
                ],
            },
        )

    def test_missing_labels_and_a_bad_file_are_reported_together(self):
        errors = self.refusal(
            prediction_csv(header="id,score"),
            labels=services.SolutionLabels("Named", "", ""),
        )
        self.assertEqual(sorted(errors), ["file", "version_label"])
        self.assertIn("(wrong_columns)", errors["file"][0])

    def test_labels_longer_than_the_fields_are_refused(self):
        errors = self.refusal(
            prediction_csv(), labels=services.SolutionLabels("n" * 101, "1", "")
        )
        self.assertEqual(
            errors, {"name": ["At most 100 characters, please (this has 101)."]}
        )

    def test_a_package_only_suite_refuses_a_prediction_file_clearly(self):
        forecasting = make_suite_version(self.scenario)
        errors = self.refusal(prediction_csv(), version=forecasting)
        self.assertEqual(
            errors,
            {
                "file": [
                    "This suite takes solution packages only (.zip or .tar.gz); it "
                    "does not accept prediction files."
                ]
            },
        )

    def test_a_package_still_works_and_its_labels_may_replace_the_manifests(self):
        archive = self.tmp / "solution.zip"
        pack_solution(EXAMPLES / "classification-logistic", archive)
        plain = self.submit(archive.read_bytes(), name="solution.zip", labels=None)
        labelled = self.submit(
            archive.read_bytes(),
            name="solution.zip",
            labels=services.SolutionLabels("", "2.0-rc1", ""),
        )
        self.assertEqual(plain.kind, Submission.Kind.PACKAGE)
        manifest = plain.manifest
        self.assertEqual(plain.version_label, "1.0")  # the manifest's
        self.assertEqual(
            (labelled.name, labelled.version_label, labelled.description),
            (manifest["name"], "2.0-rc1", manifest["description"]),
        )

    def test_packages_and_prediction_files_share_the_quota(self):
        archive = self.tmp / "solution.zip"
        pack_solution(EXAMPLES / "classification-logistic", archive)
        self.submit(archive.read_bytes(), name="solution.zip")
        self.submit(prediction_csv())
        self.submit(prediction_csv())
        with self.assertRaisesMessage(
            ValidationError,
            "Your organisation has used its 3 submissions for the last 24 hours.",
        ):
            self.submit(prediction_csv())

    def test_unreadable_suite_inputs_refuse_the_file_without_details(self):
        with (
            self.settings(EVALUATION_WORK_DIR=self.tmp / "other-work"),
            self.assertRaisesMessage(
                ValidationError, "This suite's test inputs cannot be read"
            ),
        ):
            # A bundle whose task.json names no id column.
            broken = self.tmp / "broken"
            write_bundle(
                broken,
                kind="classification",
                splits={
                    split: {
                        "0001": {
                            "files": {"task.json": b'{"inputs": "x.csv"}'},
                            "y_true": [1],
                        }
                    }
                    for split in ("sample", "hidden")
                },
            )
            from evaluations.suites import pack_bundle

            blob = blob_store(ContentFile(pack_bundle(broken), name="bundle"))
            version = make_suite_version(
                self.scenario,
                config=PREDICTION_CONFIG,
                bundle=blob,
                task_kind="classification",
            )
            self.submit(prediction_csv(), version=version)


class ScoringTests(PredictionSuiteTestCase):
    """Through the real Celery task (eager in tests), without a sandbox."""

    def test_the_sample_is_scored_first_then_the_hidden_test(self):
        with self.settings(PORTAL_SANDBOX_RUNNER="no-such-runner"):
            # No runner is needed: a prediction file runs no code.
            submission = self.submit(prediction_csv(), execute=True)
        sample = submission.runs.get(split=Run.Split.SAMPLE)
        self.assertEqual(sample.status, Run.Status.SUCCEEDED, sample.message)
        self.assertEqual(sample.metrics, {"accuracy": 1.0, "f1": 1.0})
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertEqual(hidden.status, Run.Status.SUCCEEDED, hidden.message)
        self.assertIs(hidden.passed, True)
        self.assertEqual(hidden.metrics, {"accuracy": 1.0, "f1": 1.0})
        self.assertEqual(
            hidden.gates,
            [
                {
                    "metric": "accuracy",
                    "comparator": ">=",
                    "value": 0.8,
                    "observed": 1.0,
                    "passed": True,
                }
            ],
        )
        # Not applicable, so not recorded (and never zeros).
        self.assertEqual((hidden.probes, hidden.resources), ({}, {}))
        row = LeaderboardRow.objects.get(suite_version=self.version)
        self.assertEqual((row.run_id, row.rank, row.passed), (hidden.pk, 1, True))

    def test_each_split_is_scored_on_its_own_rows(self):
        # Wrong on two hidden cells of the second call, right everywhere else.
        values = dict(TRUTH, h5=0, h6=0)
        submission = self.submit(prediction_csv(values), execute=True)
        sample = submission.runs.get(split=Run.Split.SAMPLE)
        self.assertEqual(sample.metrics["accuracy"], 1.0)
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertAlmostEqual(hidden.metrics["accuracy"], 4 / 6)
        self.assertAlmostEqual(hidden.metrics["f1"], 2 * 1 / (3 + 1))
        self.assertEqual(
            (hidden.status, hidden.failure, hidden.passed),
            (Run.Status.FAILED, Run.Failure.THRESHOLD, False),
        )
        self.assertEqual(hidden.message, "At least one threshold was not met.")
        # A threshold failure still has scores, so it still ranks.
        board = leaderboard_get(self.version)
        self.assertEqual([r.row.run_id for r in board.rows], [hidden.pk])
        self.assertEqual(board.rows[0].row.run.submission.kind, "predictions")

    def test_labels_in_an_arrow_file_are_scored_alike(self):
        version = make_prediction_suite(
            self.scenario, self.tmp / "arrow", labels_format="arrow"
        )
        bundle = self.tmp / "arrow" / "bundle"
        self.assertEqual(
            sorted(p.name for p in bundle.rglob("labels.*")),
            ["labels.arrow", "labels.arrow"],
        )
        values = dict(TRUTH, h5=0, h6=0)
        submission = self.submit(prediction_csv(values), version=version, execute=True)
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertAlmostEqual(hidden.metrics["accuracy"], 4 / 6)
        self.assertAlmostEqual(hidden.metrics["f1"], 2 * 1 / (3 + 1))
        sample = submission.runs.get(split=Run.Split.SAMPLE)
        self.assertEqual(sample.metrics["accuracy"], 1.0)

    def test_probabilities_are_scored_like_a_packages(self):
        config = copy.deepcopy(PREDICTION_CONFIG)
        config["metrics"] = [{"code": "roc_auc"}]
        config["gates"] = [{"metric": "roc_auc", "comparator": ">=", "value": 0.9}]
        config["leaderboard"] = {"weights": {"roc_auc": 1.0}}
        version = make_prediction_suite(self.scenario, self.tmp / "auc", config=config)
        scores = {row_id: 0.2 + 0.6 * label for row_id, label in TRUTH.items()}
        submission = self.submit(prediction_csv(scores), version=version, execute=True)
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertEqual(hidden.metrics, {"roc_auc": 1.0})

    def test_a_changed_stored_file_is_a_platform_fault_not_a_score(self):
        submission = self.submit(prediction_csv())
        storage_name = submission.blob.storage_name
        default_storage.delete(storage_name)
        default_storage.save(storage_name, ContentFile(prediction_csv({"s1": 1})))
        run = submission.runs.get()
        from evaluations.tasks import evaluation_run

        for _attempt in range(run.max_attempts):
            # Each fault re-queues the run; deliver it again by hand.
            with self.captureOnCommitCallbacks(execute=False):
                evaluation_run(run.pk)
        run.refresh_from_db()
        self.assertEqual(
            (run.status, run.failure), (Run.Status.PLATFORM_ERROR, Run.Failure.PLATFORM)
        )
        self.assertIn("does not match its SHA-256", run.message)
        self.assertEqual(run.metrics, {})

    def test_the_task_does_nothing_on_a_duplicate_delivery(self):
        submission = self.submit(prediction_csv(), execute=True)
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        from evaluations.tasks import evaluation_run

        evaluation_run(hidden.pk)
        hidden.refresh_from_db()
        self.assertEqual((hidden.status, hidden.attempt), (Run.Status.SUCCEEDED, 1))
        self.assertEqual(submission.runs.count(), 2)
