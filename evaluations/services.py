"""Submissions and runs: intake, queueing, claiming, evaluating, sweeping.

The row of a ``Run`` is the source of truth. The life of a run:

1. ``run_create`` stores it as QUEUED and enqueues its id on commit.
2. ``run_execute`` (the Celery task's body) claims it with one conditional
   UPDATE (QUEUED, or RUNNING with an expired lease, and attempts left),
   holds a lease that a heartbeat thread renews, evaluates, and writes the
   result only while it still holds that lease and attempt (fencing), so a
   duplicate or stale delivery can never overwrite a newer attempt.
3. ``runs_sweep`` (beat, and at worker start) re-queues runs whose lease
   expired and re-enqueues runs queued for too long; after the last attempt
   a run ends as a platform error, which never counts against a quota.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import close_old_connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluations.execution import LOG_LIMIT, Evaluation
from evaluations.models import Run, Submission, SuiteVersion
from portal.accounts.models import Organisation, User
from portal.accounts.selectors import AnyUser, organisation_ids_of
from portal.ledger.services import ledger_append
from portal.lib.db import (
    DATABASE_OUTAGE,
    discard_broken_connection,
    retry_through_outage,
)
from scenarios.dataset_services import blob_store
from scenarios.models import Scenario

logger = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease_seconds() -> int:
    return int(getattr(settings, "EVALUATION_LEASE_SECONDS", 120))


def _heartbeat_seconds() -> float:
    return float(getattr(settings, "EVALUATION_HEARTBEAT_SECONDS", 30))


# --- submissions -------------------------------------------------------------------------


def _count_against_quota(
    suite_version: SuiteVersion, organisation: Organisation
) -> int:
    """Submissions in the last 24 hours, not counting platform faults."""
    since = timezone.now() - timedelta(days=1)
    return (
        Submission.objects.filter(
            suite_version=suite_version,
            organisation=organisation,
            created_at__gte=since,
        )
        .exclude(runs__status=Run.Status.PLATFORM_ERROR)
        .distinct()
        .count()
    )


# Longest name, version and description: the sizes of the Submission fields.
NAME_LIMIT, VERSION_LIMIT, DESCRIPTION_LIMIT = 100, 40, 5000


@dataclass(frozen=True)
class SolutionLabels:
    """What the vendor typed: the solution's name, version and description."""

    name: str = ""
    version_label: str = ""
    description: str = ""


def _labels_checked(labels: SolutionLabels) -> SolutionLabels:
    labels = SolutionLabels(
        labels.name.strip(), labels.version_label.strip(), labels.description.strip()
    )
    errors: dict[str, Any] = {}
    for field_name, value, limit in (
        ("name", labels.name, NAME_LIMIT),
        ("version_label", labels.version_label, VERSION_LIMIT),
        ("description", labels.description, DESCRIPTION_LIMIT),
    ):
        if len(value) > limit:
            errors[field_name] = format_lazy(
                _("At most {n} characters, please (this has {length})."),
                n=limit,
                length=len(value),
            )
    if errors:
        raise ValidationError(errors)
    return labels


def _is_archive(path: Path) -> bool:
    """Judge by content, as the intake checks do: zip, gzip or plain tar."""
    with path.open("rb") as handle:
        head = handle.read(512)
    return (
        head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
        or head[:2] == b"\x1f\x8b"
        or head[257:262] == b"ustar"
    )


def _looks_like_prediction_file(path: Path, file_name: str) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4)
    return head == b"PAR1" or file_name.lower().endswith((".csv", ".parquet"))


def _check_package(
    path: Path, labels: SolutionLabels
) -> tuple[SolutionLabels, dict[str, Any]]:
    """Run the archive intake checks; the manifest fills in empty labels."""
    from evaluations.execution import package_limits
    from evaluations.intake import IntakeError, inspect_archive

    try:
        report = inspect_archive(path, limits=package_limits())
    except IntakeError as exc:
        raise ValidationError({"file": f"{exc.message} ({exc.code})"}) from exc
    manifest = report.manifest
    return (
        SolutionLabels(
            labels.name or str(manifest.get("name", ""))[:NAME_LIMIT],
            labels.version_label or str(manifest.get("version", ""))[:VERSION_LIMIT],
            labels.description or str(manifest.get("description", "")),
        ),
        manifest,
    )


def _check_prediction_file(
    path: Path, suite_version: SuiteVersion, labels: SolutionLabels
) -> dict[str, Any]:
    """Check a prediction file against the ids of the sample and the test.

    The file covers both splits: the validation run scores its sample
    rows, and only if that succeeds does the hidden run score the rest.
    Return what the submission records about the file.
    """
    from evaluations.execution import prediction_file_limits
    from evaluations.intake import IntakeCode, IntakeError, read_prediction_file
    from evaluations.public_inputs import InputsError, suite_id_arrays

    # Every problem at once: the missing labels and the file's first one.
    errors: dict[str, Any] = {}
    if not labels.name:
        errors["name"] = _("Name the solution: a prediction file has no manifest.")
    if not labels.version_label:
        errors["version_label"] = _(
            "Give the solution a version: a prediction file has no manifest."
        )
    try:
        ids = suite_id_arrays(suite_version)
    except InputsError as exc:
        raise ValidationError(
            _(
                "This suite's test inputs cannot be read, so it cannot take "
                "prediction files at the moment. Please tell the suite's owner."
            )
        ) from exc
    sample_rows = ids.split_slice(Run.Split.SAMPLE)[1]
    hidden_rows = len(ids.expected) - sample_rows
    values = None
    try:
        # The same streaming check as the worker's: memory stays within the
        # bound of docs/metrics.md, whatever the file holds.
        values = read_prediction_file(
            path,
            expected=ids.expected,
            kind=suite_version.suite.task_kind,
            limits=prediction_file_limits(len(ids.expected)),
        )
    except IntakeError as exc:
        message = f"{exc.message} ({exc.code})"
        if exc.code in (IntakeCode.MISSING_IDS, IntakeCode.UNEXPECTED_IDS):
            message = f"{message} " + str(
                format_lazy(
                    _(
                        "A prediction file covers the {sample} ids of the public "
                        "sample and the {hidden} ids of the hidden test: the "
                        "ids.csv of both inputs downloads."
                    ),
                    sample=sample_rows,
                    hidden=hidden_rows,
                )
            )
        errors["file"] = message
    if errors or values is None:
        raise ValidationError(errors)
    return {
        "format": values.file_format,
        "rows": len(values),
        "sample_rows": sample_rows,
        "hidden_rows": hidden_rows,
        "values": "labels" if values.are_labels else "numbers",
    }


def submission_create(
    *,
    suite_version: SuiteVersion,
    organisation: Organisation,
    user: AnyUser,
    upload: File[Any],
    file_name: str,
    labels: SolutionLabels | None = None,
) -> Submission:
    """Check and store a solution package or prediction file, then queue its
    validation run.

    1. The user acts for a verified vendor organisation.
    2. The suite version is published and its scenario open.
    3. The daily quota is not used up (platform faults do not count).
    4. The upload is a package (zip or tar.gz, judged by content) that passes
       every archive check, or, where the suite allows them, a prediction
       file whose ids are exactly those of the sample and the hidden test.
       The typed name, version and description label the submission; for a
       package, empty ones come from its manifest.
    5. The file is stored content-addressed; the submission and its
       validation run on the public sample are created; the run is queued.
    """
    if not isinstance(user, User) or organisation.pk not in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR
    ):
        raise PermissionDenied
    if suite_version.status != SuiteVersion.Status.PUBLISHED:
        raise ValidationError(_("This suite version does not accept submissions."))
    if suite_version.suite.scenario.status != Scenario.Status.PUBLISHED:
        raise ValidationError(_("The scenario is not open for submissions."))
    per_day = int(suite_version.config.get("quotas", {}).get("per_day", 10))
    if _count_against_quota(suite_version, organisation) >= per_day:
        raise ValidationError(
            format_lazy(
                _(
                    "Your organisation has used its {n} submissions for the last 24 hours."
                ),
                n=per_day,
            )
        )
    labels = _labels_checked(labels or SolutionLabels())
    with tempfile.TemporaryDirectory(prefix="intake-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        if _is_archive(path):
            kind = Submission.Kind.PACKAGE
            labels, manifest = _check_package(path, labels)
        elif suite_version.accepts_prediction_files:
            kind = Submission.Kind.PREDICTIONS
            manifest = _check_prediction_file(path, suite_version, labels)
        elif _looks_like_prediction_file(path, file_name):
            raise ValidationError(
                {
                    "file": _(
                        "This suite takes solution packages only (.zip or "
                        ".tar.gz); it does not accept prediction files."
                    )
                }
            )
        else:
            labels, manifest = _check_package(path, labels)  # refuses it
            kind = Submission.Kind.PACKAGE
        with path.open("rb") as handle:
            blob = blob_store(File(handle, name="upload"))
    with transaction.atomic():
        submission = Submission.objects.create(
            suite_version=suite_version,
            organisation=organisation,
            submitted_by=user,
            kind=kind,
            blob=blob,
            file_name=Path(file_name).name[:200],
            name=labels.name,
            version_label=labels.version_label,
            description=labels.description,
            manifest=manifest,
        )
        run_create(submission=submission, split=Run.Split.SAMPLE)
        ledger_append(
            kind="submission.created",
            actor=user,
            organisation=organisation,
            subject=f"submission:{submission.pk}",
            payload={
                "suite_version": suite_version.pk,
                "kind": kind,
                "sha256": blob.sha256,
                "name": submission.name,
                "version_label": submission.version_label,
            },
            evidence=[
                f"blob:sha256:{blob.sha256}",
                f"suite_version:{suite_version.pk}",
            ],
        )
    return submission


# --- the run life cycle --------------------------------------------------------------------


def run_create(*, submission: Submission, split: str) -> Run:
    """Create a queued run and enqueue it once the transaction commits."""
    run = Run.objects.create(submission=submission, split=split)
    _enqueue_on_commit(run.pk)
    return run


def _enqueue_on_commit(run_id: int, countdown: int = 0) -> None:
    transaction.on_commit(lambda: _enqueue(run_id, countdown))


def _enqueue(run_id: int, countdown: int) -> None:
    """Send the run's task; a broker that stays away is not the caller's fault.

    The run is committed as QUEUED, so nothing is lost when the message is
    not sent: ``runs_sweep`` sends it again once it has been queued for
    ``EVALUATION_QUEUED_STALE_SECONDS``. Raising here would turn a stored
    submission into an error page.
    """
    from kombu.exceptions import OperationalError as BrokerError

    from evaluations.tasks import evaluation_run as evaluation_run_task

    try:
        evaluation_run_task.apply_async(args=(run_id,), countdown=countdown)
    except BrokerError as exc:
        logger.warning(
            "run %s: the broker is unreachable (%s); the sweeper will send it",
            run_id,
            exc,
        )


def run_claim(
    *, run_id: int, worker: str, node: str = "", now: datetime | None = None
) -> Run | None:
    """Claim a run for ``worker``; return None for a duplicate or stale delivery.

    ``worker`` (host and pid) owns the lease; ``node``, the Celery node name
    of the worker, is recorded in ``Run.worker`` for operators (the host
    name when there is none, as in eager mode).
    """
    now = now or timezone.now()
    claimable = Q(status=Run.Status.QUEUED) | Q(
        status=Run.Status.RUNNING, lease_expires_at__lt=now
    )
    updated = (
        Run.objects.filter(claimable, pk=run_id, attempt__lt=F("max_attempts"))
        .filter(submission__isnull=False)
        .update(
            status=Run.Status.RUNNING,
            attempt=F("attempt") + 1,
            lease_owner=worker,
            worker=(node or worker.partition(":")[0])[:200],
            lease_expires_at=now + timedelta(seconds=_lease_seconds()),
            heartbeat_at=now,
            started_at=now,
            stage="starting",
            progress=0,
        )
    )
    if updated != 1:
        return None
    return Run.objects.select_related(
        "submission__suite_version__suite",
        "submission__blob",
        "submission__suite_version__bundle",
    ).get(pk=run_id)


def _fenced(run_id: int, worker: str, attempt: int) -> QuerySet[Run]:
    return Run.objects.filter(
        pk=run_id, lease_owner=worker, attempt=attempt, status=Run.Status.RUNNING
    )


def run_heartbeat(*, run_id: int, worker: str, attempt: int) -> bool:
    """Extend the lease; False means the lease was lost (stop working)."""
    now = timezone.now()
    return (
        _fenced(run_id, worker, attempt).update(
            heartbeat_at=now, lease_expires_at=now + timedelta(seconds=_lease_seconds())
        )
        == 1
    )


def run_progress(
    *, run_id: int, worker: str, attempt: int, stage: str, progress: int
) -> bool:
    """Show how far the run is; False if it was not written.

    Progress is for the pages only, so a database that is briefly away
    must not stop the evaluation: the error is logged and the run goes on.
    """
    try:
        return (
            _fenced(run_id, worker, attempt).update(
                stage=stage, progress=max(0, min(100, progress))
            )
            == 1
        )
    except DATABASE_OUTAGE as exc:
        logger.warning("run %s: progress not written (%s)", run_id, exc)
        discard_broken_connection()
        return False


def run_finish(
    *, run_id: int, worker: str, attempt: int, evaluation: Evaluation
) -> bool:
    """Write the result if this worker still holds this attempt's lease.

    A hidden run is queued when a validation run succeeds; both writes happen
    in one transaction, so a crash cannot leave one without the other.
    """
    with transaction.atomic():
        written = _fenced(run_id, worker, attempt).update(
            status=evaluation.status,
            failure=evaluation.failure,
            message=evaluation.message[:5000],
            metrics=evaluation.metrics,
            gates=evaluation.gates,
            probes=evaluation.probes,
            resources=evaluation.resources,
            passed=evaluation.passed,
            log=evaluation.log[:LOG_LIMIT],
            finished_at=timezone.now(),
            stage="finished",
            progress=100,
            lease_expires_at=None,
        )
        if written != 1:
            return False
        run = Run.objects.select_related(
            "submission__organisation", "submission__blob"
        ).get(pk=run_id)
        if run.split == Run.Split.SAMPLE and run.status == Run.Status.SUCCEEDED:
            run_create(submission=run.submission, split=Run.Split.HIDDEN)
        if run.split == Run.Split.HIDDEN and (
            run.status == Run.Status.SUCCEEDED or run.failure == Run.Failure.THRESHOLD
        ):
            from evaluations.leaderboard import ensure_leaderboard_row

            ensure_leaderboard_row(run.submission_id)
            # Only the fenced write above reaches this point, once per run:
            # a duplicate delivery wrote nothing and returned.
            _ledger_run_scored(run)
    return True


def _finite_or_none(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _ledger_run_scored(run: Run) -> None:
    """Append a hidden run's published score to the ledger (可追溯).

    Metrics are aggregate numbers; no prediction, label or log goes in.
    """
    submission = run.submission
    ledger_append(
        kind="run.scored",
        actor=None,
        organisation=submission.organisation,
        subject=f"run:{run.pk}",
        payload={
            "submission": submission.pk,
            "suite_version": submission.suite_version_id,
            "split": run.split,
            "status": run.status,
            "failure": run.failure,
            "passed": run.passed,
            "metrics": {
                str(name): _finite_or_none(value)
                for name, value in sorted(run.metrics.items())
            },
            "gates": [
                {
                    "metric": gate.get("metric"),
                    "probe": gate.get("probe"),
                    "comparator": gate.get("comparator"),
                    "value": _finite_or_none(gate.get("value")),
                    "observed": _finite_or_none(gate.get("observed")),
                    "passed": bool(gate.get("passed")),
                }
                for gate in run.gates
                if isinstance(gate, dict)
            ],
        },
        evidence=[
            f"submission:{submission.pk}",
            f"suite_version:{submission.suite_version_id}",
            f"blob:sha256:{submission.blob.sha256}",
        ],
    )


def run_release_after_fault(
    *, run_id: int, worker: str, attempt: int, message: str
) -> None:
    """A platform fault: queue again if attempts remain, else fail as platform."""
    with transaction.atomic():
        run = _fenced(run_id, worker, attempt).select_for_update().first()
        if run is None:
            return
        if run.attempt < run.max_attempts:
            _fenced(run_id, worker, attempt).update(
                status=Run.Status.QUEUED,
                lease_owner="",
                lease_expires_at=None,
                enqueued_at=timezone.now(),
                stage="requeued",
                message=message[:5000],
            )
            _enqueue_on_commit(run_id, countdown=5 * run.attempt)
        else:
            run_finish(
                run_id=run_id,
                worker=worker,
                attempt=attempt,
                evaluation=Evaluation(
                    status=Run.Status.PLATFORM_ERROR,
                    failure=Run.Failure.PLATFORM,
                    message=message,
                ),
            )


def run_cancel(*, run: Run, user: AnyUser) -> Run:
    """The submitting organisation cancels a run that has not finished."""
    if run.submission.organisation_id not in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, write=True
    ):
        raise PermissionDenied
    changed = Run.objects.filter(
        pk=run.pk, status__in=[Run.Status.QUEUED, Run.Status.RUNNING]
    ).update(
        status=Run.Status.CANCELLED, finished_at=timezone.now(), lease_expires_at=None
    )
    if not changed:
        raise ValidationError(_("This run has already finished."))
    run.refresh_from_db()
    return run


@dataclass
class SweepReport:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    reenqueued: list[int] = field(default_factory=list)


def runs_sweep(*, now: datetime | None = None) -> SweepReport:
    """Recover runs whose worker vanished or whose message was lost.

    1. RUNNING with an expired lease and attempts left → QUEUED, enqueued.
    2. RUNNING with an expired lease and no attempt left → platform error.
    3. QUEUED for longer than ``EVALUATION_QUEUED_STALE_SECONDS`` → enqueued
       again (a claim makes duplicates harmless).
    Each change is a conditional update, so sweepers on several machines
    never act twice on one run.
    """
    now = now or timezone.now()
    report = SweepReport()
    expired = Run.objects.filter(status=Run.Status.RUNNING, lease_expires_at__lt=now)
    for run in expired.only("pk", "attempt", "max_attempts", "lease_expires_at"):
        base = Run.objects.filter(
            pk=run.pk,
            status=Run.Status.RUNNING,
            attempt=run.attempt,
            lease_expires_at=run.lease_expires_at,
        )
        if run.attempt < run.max_attempts:
            with transaction.atomic():
                if base.update(
                    status=Run.Status.QUEUED,
                    lease_owner="",
                    lease_expires_at=None,
                    enqueued_at=now,
                    stage="requeued",
                ):
                    _enqueue_on_commit(run.pk)
                    report.requeued.append(run.pk)
        elif base.update(
            status=Run.Status.PLATFORM_ERROR,
            failure=Run.Failure.WORKER_LOST,
            message=str(_("The worker running this evaluation was lost.")),
            finished_at=now,
            lease_expires_at=None,
        ):
            report.failed.append(run.pk)
    stale_after = int(getattr(settings, "EVALUATION_QUEUED_STALE_SECONDS", 600))
    stale = Run.objects.filter(
        status=Run.Status.QUEUED, enqueued_at__lt=now - timedelta(seconds=stale_after)
    )
    for run_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            if Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).update(
                enqueued_at=now
            ):
                _enqueue_on_commit(run_id)
                report.reenqueued.append(run_id)
    return report


def queue_position(run: Run) -> int | None:
    """1-based position among queued runs, or None when not queued."""
    if run.status != Run.Status.QUEUED:
        return None
    ahead = Run.objects.filter(status=Run.Status.QUEUED).filter(
        Q(enqueued_at__lt=run.enqueued_at)
        | Q(enqueued_at=run.enqueued_at, pk__lt=run.pk)
    )
    return ahead.count() + 1


# --- executing a run -----------------------------------------------------------------------


class _Heartbeat(threading.Thread):
    """Renews the lease while the run works; notes when the lease is lost."""

    def __init__(self, run_id: int, worker: str, attempt: int) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{run_id}")
        self.run_id, self.worker, self.attempt = run_id, worker, attempt
        self.stopped = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(_heartbeat_seconds()):
                try:
                    held = run_heartbeat(
                        run_id=self.run_id, worker=self.worker, attempt=self.attempt
                    )
                except DATABASE_OUTAGE as exc:
                    # Keep beating: if the database returns before the lease
                    # runs out, nothing was lost. If it does not, the fenced
                    # write in run_finish or the sweeper settles the run.
                    logger.warning("run %s: heartbeat failed (%s)", self.run_id, exc)
                    discard_broken_connection()
                    continue
                if not held:
                    self.lost.set()
                    return
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def run_execute(*, run_id: int, node: str = "") -> None:
    """The evaluation task's body: claim, evaluate, finish (idempotent).

    ``node`` is the Celery node name of the worker, recorded on the run.
    """
    from evaluations.execution import evaluate
    from evaluations.runners import get_runner

    worker = worker_id()
    run = run_claim(run_id=run_id, worker=worker, node=node)
    if run is None:
        return  # a duplicate delivery, or someone else holds the lease
    attempt = run.attempt
    heartbeat = _Heartbeat(run_id, worker, attempt)
    heartbeat.start()
    try:
        # A prediction file is data, scored on the host: no sandbox.
        is_package = run.submission.kind == Submission.Kind.PACKAGE
        runner = get_runner() if is_package else None
        evaluation = evaluate(
            run,
            runner=runner,
            progress=lambda stage, pct: run_progress(
                run_id=run_id, worker=worker, attempt=attempt, stage=stage, progress=pct
            ),
        )
    except Exception as exc:
        heartbeat.stop()
        message = f"{type(exc).__name__}: {exc}"
        retry_through_outage(
            lambda: run_release_after_fault(
                run_id=run_id, worker=worker, attempt=attempt, message=message
            ),
            budget_seconds=_outage_budget(),
            what=f"run {run_id}: release",
        )
        return
    heartbeat.stop()
    if heartbeat.lost.is_set():
        return  # the sweeper gave the run to someone else; write nothing
    # The result is in hand: wait for a database that is briefly away rather
    # than throw the evaluation away. run_finish is fenced and atomic, so a
    # repeat after a failed commit writes nothing twice.
    retry_through_outage(
        lambda: run_finish(
            run_id=run_id, worker=worker, attempt=attempt, evaluation=evaluation
        ),
        budget_seconds=_outage_budget(),
        what=f"run {run_id}: finish",
    )


def _outage_budget() -> float:
    """How long a worker waits for the database with a result in hand: one
    lease, after which the sweeper may have given the run to another worker
    anyway (at least a minute)."""
    return float(max(_lease_seconds(), 60))
