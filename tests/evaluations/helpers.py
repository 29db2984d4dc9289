"""Build suites, submissions and runs for engine tests (test data only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from evaluations.models import Run, Submission, SuiteVersion, TestSuite
from portal.accounts.models import Organisation, User
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
) -> SuiteVersion:
    suite = TestSuite.objects.create(
        scenario=scenario,
        slug=f"suite-{TestSuite.objects.count() + 1}",
        title_zh="测试套件",
        title_en="Test suite",
        task_kind="forecasting",
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
) -> Submission:
    return Submission.objects.create(
        suite_version=version,
        organisation=organisation,
        submitted_by=user,
        kind=Submission.Kind.PACKAGE,
        blob=blob or make_blob(),
        file_name="solution.zip",
        name="seasonal-naive",
        version_label="1.0",
    )


def make_run(submission: Submission, **fields: Any) -> Run:
    fields.setdefault("split", Run.Split.SAMPLE)
    return Run.objects.create(submission=submission, **fields)
