"""Build suites, submissions and runs for engine tests (test data only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from evaluations.models import Run, Submission, SuiteVersion, TestSuite
from evaluations.suites import pack_bundle, write_bundle
from portal.accounts.models import Organisation, User
from scenarios.dataset_services import blob_store
from scenarios.models import Blob, Scenario

CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "mae"}, {"code": "mape"}],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 5.0}],
    "limits": {"wall_seconds": 20, "cpu_seconds": 20, "memory_mb": 512},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 3},
}


def make_suite_version(
    scenario: Scenario,
    *,
    config: dict[str, Any] | None = None,
    bundle: Blob | None = None,
    task_kind: str = "forecasting",
) -> SuiteVersion:
    suite = TestSuite.objects.create(
        scenario=scenario,
        slug=f"suite-{TestSuite.objects.count() + 1}",
        title_zh="测试套件",
        title_en="Test suite",
        task_kind=task_kind,
    )
    return SuiteVersion.objects.create(
        suite=suite,
        number=1,
        status=SuiteVersion.Status.PUBLISHED,
        config=config or CONFIG,
        bundle=bundle,
        published_at=timezone.now(),
    )


def make_blob(sha: str = "0" * 64) -> Blob:
    blob, _ = Blob.objects.get_or_create(
        sha256=sha, defaults={"size": 1, "storage_name": f"blobs/{sha}"}
    )
    return blob


def make_submission(
    version: SuiteVersion,
    organisation: Organisation,
    user: User,
    blob: Blob | None = None,
    kind: str = Submission.Kind.PACKAGE,
) -> Submission:
    return Submission.objects.create(
        suite_version=version,
        organisation=organisation,
        submitted_by=user,
        kind=kind,
        blob=blob or make_blob(),
        file_name="solution.zip",
        name="seasonal-naive",
        version_label="1.0",
    )


def make_run(submission: Submission, **fields: Any) -> Run:
    fields.setdefault("split", Run.Split.SAMPLE)
    return Run.objects.create(submission=submission, **fields)


# --- a classification suite that accepts prediction files -------------------------
#
# Made-up test data: cells with a temperature; label 1 means defective. The
# sample has one call of four cells, the hidden test two calls of three.

PREDICTION_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "accuracy"}, {"code": "f1"}],
    "gates": [{"metric": "accuracy", "comparator": ">=", "value": 0.8}],
    "limits": {"wall_seconds": 20, "cpu_seconds": 20, "memory_mb": 512},
    "leaderboard": {"weights": {"f1": 1.0}},
    "quotas": {"per_day": 3},
    "prediction_files": {"allowed": True, "inputs_access": "registered"},
}
PREDICTION_CALLS: dict[str, dict[str, dict[str, int]]] = {
    "sample": {"0001": {"s1": 1, "s2": 0, "s3": 1, "s4": 0}},
    "hidden": {
        "0001": {"h1": 1, "h2": 0, "h3": 0},
        "0002": {"h4": 0, "h5": 1, "h6": 1},
    },
}
# The true label of every id, sample and hidden: a perfect prediction file.
TRUTH = {
    row_id: label
    for calls in PREDICTION_CALLS.values()
    for labels in calls.values()
    for row_id, label in labels.items()
}


def classification_bundle(folder: Path, labels_format: str = "json") -> bytes:
    """Write and pack the bundle of the prediction-file test suite."""
    splits: dict[str, dict[str, dict[str, Any]]] = {}
    for split, calls in PREDICTION_CALLS.items():
        splits[split] = {}
        for call_id, labels in calls.items():
            task = {
                "schema_version": 1,
                "kind": "classification",
                "inputs": "inputs.csv",
                "id_column": "id",
                "image_dir": None,
                "classes": [0, 1],
            }
            rows = "".join(
                f"{row_id},{40 + 30 * label + index}\n"
                for index, (row_id, label) in enumerate(labels.items())
            )
            splits[split][call_id] = {
                "files": {
                    "task.json": json.dumps(task).encode(),
                    "inputs.csv": f"id,temperature_c\n{rows}".encode(),
                },
                "y_true": list(labels.values()),
            }
    write_bundle(
        folder, kind="classification", splits=splits, labels_format=labels_format
    )
    return pack_bundle(folder)


def make_prediction_suite(
    scenario: Scenario,
    folder: Path,
    *,
    config: dict[str, Any] | None = None,
    labels_format: str = "json",
) -> SuiteVersion:
    """A published classification suite version that accepts prediction files.

    Store its bundle with the real blob store (call it with MEDIA_ROOT
    pointing at a temporary folder). ``labels_format="arrow"`` stores the
    labels as ``labels.arrow``, as large suites do.
    """
    bundle = blob_store(
        ContentFile(
            classification_bundle(folder / "bundle", labels_format), name="bundle"
        )
    )
    return make_suite_version(
        scenario,
        config=config or PREDICTION_CONFIG,
        bundle=bundle,
        task_kind="classification",
    )


def prediction_csv(
    values: dict[str, Any] | None = None, header: str = "id,prediction"
) -> bytes:
    values = TRUTH if values is None else values
    rows = "".join(f"{row_id},{value}\n" for row_id, value in values.items())
    return f"{header}\n{rows}".encode()
