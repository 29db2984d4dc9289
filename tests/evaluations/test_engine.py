"""End to end through the engine: submit a package, run it in the real
sandbox via the Celery task, score it, queue and score the hidden run.

The series is synthetic test data made here: a daily shape plus a weekday
offset, so "same time last week" forecasts it exactly.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.test import override_settings

from evaluations import services
from evaluations.intake import pack_solution
from evaluations.models import Run
from evaluations.suites import pack_bundle, rolling_origin_calls, write_bundle
from scenarios.dataset_services import blob_store
from tests.base import PortalTestCase
from tests.evaluations.helpers import make_suite_version
from tests.evaluations.sandbox_fixtures import bwrap_problems
from tests.scenarios.helpers import make_scenario

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "solutions"
EVAL_ENV = Path(os.environ.get("PORTAL_SANDBOX_EVAL_VENV") or ROOT / "var" / "eval-env")

CONFIG = {
    "schema_version": 1,
    "metrics": [
        {"code": "mae"},
        {"code": "mape"},
        {"code": "peak_error", "params": {"day": "@day"}},
    ],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 1.0}],
    "limits": {"wall_seconds": 60, "cpu_seconds": 60, "memory_mb": 1024},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 5},
}


def _series() -> pd.DataFrame:
    times = pd.date_range("2026-03-02", periods=28 * 48, freq="30min")
    slot = times.hour * 2 + times.minute // 30
    shape = (
        1000
        + 300 * pd.Series(slot).map(lambda s: math.sin(math.pi * s / 48)).to_numpy()
    )
    weekday = (times.day_of_week < 5) * 150.0
    return pd.DataFrame({"timestamp": times, "load_mw": shape + weekday})


def _bundle(folder: Path) -> bytes:
    frame = _series()
    sample, _ = rolling_origin_calls(
        frame,
        origins=["2026-03-16"],
        horizon=48,
        time_column="timestamp",
        target="load_mw",
    )
    hidden, probe = rolling_origin_calls(
        frame,
        origins=["2026-03-24", "2026-03-25"],
        horizon=48,
        time_column="timestamp",
        target="load_mw",
        perturb=lambda history: history.assign(load_mw=history["load_mw"] * 1.02),
    )
    write_bundle(
        folder,
        kind="forecasting",
        splits={"sample": sample, "hidden": hidden},
        probes={"scaled_history": probe},
    )
    return pack_bundle(folder)


def _sandbox_ready() -> None:
    problems = bwrap_problems()
    if not (EVAL_ENV / "bin" / "python3").exists():
        problems.append(
            f"no evaluation environment at {EVAL_ENV} (scripts/lib.sh ensure_eval_env)"
        )
    if problems:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("; ".join(problems))
        pytest.skip("; ".join(problems))


class EngineEndToEndTests(PortalTestCase):
    def setUp(self):
        super().setUp()
        _sandbox_ready()
        self.scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-001", operator=self.olivia
        )
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="engine-test-"))
        bundle_blob = blob_store(
            ContentFile(_bundle(self.tmp / "bundle"), name="bundle")
        )
        self.version = make_suite_version(
            self.scenario, config=CONFIG, bundle=bundle_blob
        )
        self.settings_override = override_settings(
            PORTAL_SANDBOX_EVAL_VENV=str(EVAL_ENV),
            EVALUATION_WORK_DIR=self.tmp / "work",
            EVALUATION_HEARTBEAT_SECONDS=3600,
        )
        self.settings_override.enable()

    def tearDown(self):
        import shutil

        self.settings_override.disable()
        shutil.rmtree(self.tmp, ignore_errors=True)
        super().tearDown()

    def _submit(self, example: str) -> Run:
        archive = self.tmp / f"{example}.zip"
        pack_solution(EXAMPLES / example, archive)
        with archive.open("rb") as handle, self.captureOnCommitCallbacks(execute=True):
            submission = services.submission_create(
                suite_version=self.version,
                organisation=self.vendor_a,
                user=self.alice,
                upload=File(handle, name=archive.name),
                file_name=archive.name,
            )
        return submission

    def test_a_package_is_validated_then_scored_on_the_hidden_split(self):
        submission = self._submit("forecasting-seasonal-naive")
        sample = submission.runs.get(split=Run.Split.SAMPLE)
        self.assertEqual(sample.status, Run.Status.SUCCEEDED, sample.message)
        self.assertAlmostEqual(sample.metrics["mape"], 0.0, places=9)
        self.assertIs(sample.resources["sandboxed"], True)
        self.assertEqual(sample.resources["energy_method"], "estimated")

        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertEqual(hidden.status, Run.Status.SUCCEEDED, hidden.message)
        self.assertIs(hidden.passed, True)
        self.assertEqual(hidden.gates[0]["metric"], "mape")
        self.assertEqual(hidden.log, "")
        self.assertEqual(hidden.resources["calls"], 4)  # 2 origins + 2 probe calls
        # Scaling the history by 2 % moves a seasonal-naive forecast by 2 %.
        self.assertAlmostEqual(hidden.probes["scaled_history"]["mape"], 2.0, places=6)
        self.assertEqual(hidden.attempt, 1)

    def test_warm_sessions_and_parallel_passes_change_no_result(self):
        """The same submission scored four ways: one process per call or per
        pass, probes beside the clean pass or after it. Only speed differs."""
        seen = []
        for warm in (False, True):
            for parallel in (1, 2):
                with override_settings(
                    PORTAL_SANDBOX_WARM_HARNESS=warm,
                    PORTAL_EVALUATION_PARALLEL_PASSES=parallel,
                ):
                    submission = self._submit("forecasting-ridge")
                hidden = submission.runs.get(split=Run.Split.HIDDEN)
                self.assertEqual(hidden.status, Run.Status.SUCCEEDED, hidden.message)
                self.assertEqual(hidden.resources["calls"], 4)
                seen.append((hidden.metrics, hidden.probes, hidden.gates))
        self.assertTrue(all(result == seen[0] for result in seen), seen)

    def test_a_crashing_package_fails_validation_with_its_log(self):
        broken = self.tmp / "broken"
        broken.mkdir()
        (broken / "solution.toml").write_text(
            'name = "broken"\nversion = "0.1"\nentrypoint = "model:predict"\n'
            'description = "raises"\n',
            encoding="utf-8",
        )
        (broken / "model.py").write_text(
            "def predict(history, exogenous, horizon):\n    raise RuntimeError('boom')\n",
            encoding="utf-8",
        )
        archive = self.tmp / "broken.zip"
        pack_solution(broken, archive)
        with archive.open("rb") as handle, self.captureOnCommitCallbacks(execute=True):
            submission = services.submission_create(
                suite_version=self.version,
                organisation=self.vendor_a,
                user=self.alice,
                upload=File(handle, name="broken.zip"),
                file_name="broken.zip",
            )
        sample = submission.runs.get()
        self.assertEqual(sample.status, Run.Status.FAILED)
        self.assertEqual(sample.failure, Run.Failure.CRASH)
        self.assertIn("boom", sample.log)
        self.assertIs(submission.runs.filter(split=Run.Split.HIDDEN).exists(), False)

    def test_the_task_does_nothing_on_a_duplicate_delivery(self):
        submission = self._submit("forecasting-seasonal-naive")
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        from evaluations.tasks import evaluation_run

        evaluation_run(hidden.pk)  # delivered again after it finished
        hidden.refresh_from_db()
        self.assertEqual((hidden.status, hidden.attempt), (Run.Status.SUCCEEDED, 1))

    def test_gates_on_a_probe_decide_pass_or_fail(self):
        self.version.config = {
            **CONFIG,
            "gates": [
                *CONFIG["gates"],
                # The 2 % scaled history moves MAPE by 2 points: more than 1.
                {
                    "metric": "mape",
                    "probe": "scaled_history",
                    "delta": True,
                    "comparator": "<=",
                    "value": 1.0,
                },
            ],
        }
        self.version.save(update_fields=["config"])
        submission = self._submit("forecasting-seasonal-naive")
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertEqual(hidden.status, Run.Status.FAILED)
        self.assertEqual(hidden.failure, Run.Failure.THRESHOLD)
        self.assertIs(hidden.passed, False)
        probe_gate = [g for g in hidden.gates if g.get("probe")]
        self.assertEqual(len(probe_gate), 1)
        self.assertAlmostEqual(probe_gate[0]["observed"], 2.0, places=6)
        self.assertIs(probe_gate[0]["passed"], False)
        self.assertIs(hidden.gates[0]["passed"], True)  # the clean gate held

    def test_a_gate_on_a_probe_the_bundle_lacks_is_a_platform_error(self):
        self.version.config = {
            **CONFIG,
            "gates": [
                {
                    "metric": "mape",
                    "probe": "no_such_probe",
                    "comparator": "<=",
                    "value": 5.0,
                }
            ],
        }
        self.version.save(update_fields=["config"])
        submission = self._submit("forecasting-seasonal-naive")
        hidden = submission.runs.get(split=Run.Split.HIDDEN)
        self.assertIn(hidden.status, {Run.Status.QUEUED, Run.Status.PLATFORM_ERROR})
        self.assertIn("probes its data bundle lacks: no_such_probe", hidden.message)
        self.assertIsNone(hidden.passed)
