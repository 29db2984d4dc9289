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

import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluations.models import Run, Submission, SuiteVersion
from evaluations.runners.base import Limits, Outcome, RunResult, RunSpec
from evaluations.suites import Bundle, extract_bundle
from portal.accounts.models import Organisation, User
from portal.accounts.selectors import AnyUser, organisation_ids_of
from scenarios.dataset_services import blob_store
from scenarios.models import Blob, Scenario

HARNESS_DIR = Path(__file__).resolve().parent / "harness"
LOG_LIMIT = 64 * 1024

FAILURE_BY_OUTCOME = {
    Outcome.RUNTIME_ERROR: Run.Failure.CRASH,
    Outcome.SIGNALLED: Run.Failure.CRASH,
    Outcome.CPU_TIME: Run.Failure.TIMEOUT,
    Outcome.WALL_TIME: Run.Failure.TIMEOUT,
    Outcome.MEMORY: Run.Failure.MEMORY,
    Outcome.OUTPUT_LIMIT: Run.Failure.OUTPUT_LIMIT,
    Outcome.INVALID_OUTPUT: Run.Failure.INVALID_OUTPUT,
}


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lease_seconds() -> int:
    return int(getattr(settings, "EVALUATION_LEASE_SECONDS", 120))


def _heartbeat_seconds() -> float:
    return float(getattr(settings, "EVALUATION_HEARTBEAT_SECONDS", 30))


def _work_dir() -> Path:
    return Path(
        getattr(settings, "EVALUATION_WORK_DIR", settings.VAR_DIR / "evaluation")
    )


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


def submission_create(
    *,
    suite_version: SuiteVersion,
    organisation: Organisation,
    user: AnyUser,
    upload: File[Any],
    file_name: str,
) -> Submission:
    """Check and store a solution package, then queue its validation run.

    1. The user acts for a verified vendor organisation.
    2. The suite version is published and its scenario open.
    3. The daily quota is not used up (platform faults do not count).
    4. The archive passes every intake check (evaluations.intake).
    5. The archive is stored content-addressed; the submission and its
       validation run on the public sample are created; the run is queued.
    """
    from evaluations.intake import IntakeError, inspect_archive

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
    with tempfile.TemporaryDirectory(prefix="intake-") as folder:
        path = Path(folder) / "upload"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            report = inspect_archive(path)
        except IntakeError as exc:
            raise ValidationError({"file": f"{exc.message} ({exc.code})"}) from exc
        with path.open("rb") as handle:
            blob = blob_store(File(handle, name="upload"))
    manifest = report.manifest
    with transaction.atomic():
        submission = Submission.objects.create(
            suite_version=suite_version,
            organisation=organisation,
            submitted_by=user,
            kind=Submission.Kind.PACKAGE,
            blob=blob,
            file_name=Path(file_name).name[:200],
            name=str(manifest.get("name", ""))[:100],
            version_label=str(manifest.get("version", ""))[:40],
            description=str(manifest.get("description", "")),
            manifest=manifest,
        )
        run_create(submission=submission, split=Run.Split.SAMPLE)
    return submission


# --- the run life cycle --------------------------------------------------------------------


def run_create(*, submission: Submission, split: str) -> Run:
    """Create a queued run and enqueue it once the transaction commits."""
    run = Run.objects.create(submission=submission, split=split)
    _enqueue_on_commit(run.pk)
    return run


def _enqueue_on_commit(run_id: int, countdown: int = 0) -> None:
    from evaluations.tasks import evaluation_run as evaluation_run_task

    transaction.on_commit(
        lambda: evaluation_run_task.apply_async(args=(run_id,), countdown=countdown)
    )


def run_claim(*, run_id: int, worker: str, now: datetime | None = None) -> Run | None:
    """Claim a run for ``worker``; return None for a duplicate or stale delivery."""
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
    return (
        _fenced(run_id, worker, attempt).update(
            stage=stage, progress=max(0, min(100, progress))
        )
        == 1
    )


@dataclass
class Evaluation:
    """What an evaluation produced, before it is written."""

    status: str
    failure: str = ""
    message: str = ""
    metrics: dict[str, float | None] = field(default_factory=dict)
    gates: list[dict[str, Any]] = field(default_factory=list)
    probes: dict[str, dict[str, float | None]] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    passed: bool | None = None
    log: str = ""


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
        run = Run.objects.select_related("submission").get(pk=run_id)
        if run.split == Run.Split.SAMPLE and run.status == Run.Status.SUCCEEDED:
            run_create(submission=run.submission, split=Run.Split.HIDDEN)
        if run.split == Run.Split.HIDDEN and (
            run.status == Run.Status.SUCCEEDED or run.failure == Run.Failure.THRESHOLD
        ):
            from evaluations.leaderboard import ensure_leaderboard_row

            ensure_leaderboard_row(run.submission_id)
    return True


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
                if not run_heartbeat(
                    run_id=self.run_id, worker=self.worker, attempt=self.attempt
                ):
                    self.lost.set()
                    return
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _blob_path(blob: Blob, target: Path) -> Path:
    """Copy a stored blob to a local file (storage may be remote)."""
    with (
        default_storage.open(blob.storage_name, "rb") as source,
        target.open("wb") as out,
    ):
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            out.write(chunk)
    return target


def _bundle_for(suite_version: SuiteVersion) -> Bundle:
    """Extract the version's bundle once per worker machine (cached by hash)."""
    import fcntl

    if suite_version.bundle is None:
        raise RuntimeError(f"Suite version {suite_version.pk} has no data bundle.")
    cache = _work_dir() / "bundles"
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    sha = suite_version.bundle.sha256
    target = cache / sha
    with (cache / f"{sha}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "manifest.json").exists():
            with default_storage.open(suite_version.bundle.storage_name, "rb") as data:
                return extract_bundle(cast(BinaryIO, data), target)
    return extract_bundle_existing(target)


def extract_bundle_existing(target: Path) -> Bundle:
    import json

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return Bundle(root=target, manifest=manifest)


def limits_for(config: dict[str, Any]) -> Limits:
    declared = config.get("limits", {})
    defaults = Limits()
    mib = 1024 * 1024
    return Limits(
        wall_seconds=float(declared.get("wall_seconds", defaults.wall_seconds)),
        cpu_seconds=int(declared.get("cpu_seconds", defaults.cpu_seconds)),
        memory_bytes=int(declared.get("memory_mb", defaults.memory_bytes // mib)) * mib,
        processes=int(declared.get("processes", defaults.processes)),
        tmp_bytes=int(declared.get("disk_mb", defaults.tmp_bytes // mib)) * mib,
        output_bytes=int(declared.get("output_mb", defaults.output_bytes // mib)) * mib,
    )


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


POWERCAP_ROOT = Path("/sys/class/powercap")


@dataclass(frozen=True)
class RaplReading:
    """Energy counters of the top-level RAPL domains (CPU packages)."""

    microjoules: dict[str, int]
    ranges: dict[str, int]


def rapl_read(root: Path | None = None) -> RaplReading | None:
    """Read the package energy counters, or None where they are unreadable."""
    root = root or POWERCAP_ROOT
    counters: dict[str, int] = {}
    ranges: dict[str, int] = {}
    try:
        domains = sorted(p for p in root.glob("intel-rapl:*") if p.name.count(":") == 1)
        for domain in domains:
            counters[domain.name] = int((domain / "energy_uj").read_text())
            ranges[domain.name] = int((domain / "max_energy_range_uj").read_text())
    except (OSError, ValueError):
        return None
    return RaplReading(counters, ranges) if counters else None


def _rapl_joules(start: RaplReading, end: RaplReading) -> float:
    total = 0
    for name, before in start.microjoules.items():
        after = end.microjoules.get(name, before)
        delta = after - before
        if delta < 0:  # the counter wrapped around
            delta += start.ranges.get(name, 0)
        total += delta
    return total / 1e6


def _energy(
    cpu_seconds: float,
    rapl_start: RaplReading | None = None,
    rapl_end: RaplReading | None = None,
) -> dict[str, Any]:
    """Energy of a run: measured from RAPL where readable, else estimated.

    RAPL counts the whole CPU package, so a measurement includes whatever
    else the machine did during the run; the label says so.
    """
    watts = float(getattr(settings, "EVALUATION_WATTS_PER_CORE", 15.0))
    factor = float(getattr(settings, "EVALUATION_GRID_FACTOR_KG_PER_KWH", 0.5306))
    if rapl_start is not None and rapl_end is not None:
        energy_wh = _rapl_joules(rapl_start, rapl_end) / 3600
        method, model = (
            "measured",
            "RAPL package counters, whole machine during the run",
        )
    else:
        energy_wh = cpu_seconds * watts / 3600
        method, model = "estimated", f"{watts:g} W per busy core"
    return {
        "energy_wh": round(energy_wh, 6),
        "energy_method": method,
        "energy_model": model,
        "co2e_g": round(energy_wh / 1000 * factor * 1000, 6),
        "grid_factor_kg_per_kwh": factor,
        "grid_factor_source": str(
            getattr(
                settings,
                "EVALUATION_GRID_FACTOR_SOURCE",
                "China national average, 2023",
            )
        ),
    }


def _probe_progress(
    progress: Callable[[str, int], object],
    probe: str,
    offset: int,
    calls: int,
    total: int,
) -> Callable[[int], None]:
    def report(done: int) -> None:
        progress(f"probe {probe}", int(90 * (offset * calls + done) / max(total, 1)))

    return report


def _harness_argv(runner: Any) -> list[str]:
    """The harness command: the evaluation virtualenv's Python when one is
    bound at /venv; the worker's own interpreter for the local runner."""
    import sys

    if getattr(runner, "name", "") == "local":
        python = sys.executable
    elif getattr(settings, "PORTAL_SANDBOX_EVAL_VENV", None):
        python = "/venv/bin/python3"
    else:
        python = "/usr/bin/python3"
    return [python, "-I", "/harness/harness.py"]


def _run_calls(
    *,
    runner: Any,
    run: Run,
    code_dir: Path,
    inputs: list[tuple[str, Path, int]],
    limits: Limits,
    kind: str,
    on_call: Callable[[int], object],
) -> tuple[dict[str, list[Any]], list[RunResult], Evaluation | None]:
    """Run the harness once per call; stop at the first failure."""
    from evaluations.outputs import InvalidOutput, parse_predictions

    predictions: dict[str, list[Any]] = {}
    results: list[RunResult] = []
    for index, (call_id, input_dir, expected) in enumerate(inputs):
        spec = RunSpec(
            run_id=f"{run.pk}-{run.attempt}-{index}",
            code_dir=code_dir,
            input_dir=input_dir,
            harness_dir=HARNESS_DIR,
            argv=_harness_argv(runner),
            expected_outputs=["predictions.json"],
            limits=limits,
        )
        result = runner.run(spec)
        results.append(result)
        if result.outcome == Outcome.PLATFORM_ERROR:
            raise RuntimeError(result.message or "The sandbox failed to run.")
        if result.outcome != Outcome.OK:
            failure = FAILURE_BY_OUTCOME.get(result.outcome, Run.Failure.CRASH)
            return (
                predictions,
                results,
                Evaluation(
                    status=Run.Status.FAILED,
                    failure=failure,
                    message=result.message or str(Run.Failure(failure).label),
                ),
            )
        try:
            parsed = parse_predictions(
                result.outputs.get("predictions.json", b""),
                expected=expected,
                kind=kind,
            )
        except InvalidOutput as exc:
            return (
                predictions,
                results,
                Evaluation(
                    status=Run.Status.FAILED,
                    failure=Run.Failure.INVALID_OUTPUT,
                    message=str(exc),
                ),
            )
        predictions[call_id] = list(parsed.values)
        on_call(index + 1)
    return predictions, results, None


def evaluate(
    run: Run, *, runner: Any, progress: Callable[[str, int], object]
) -> Evaluation:
    """Evaluate one claimed run and return what to record (no writes)."""
    from evaluations import scoring
    from evaluations.intake import extract_archive, inspect_archive

    suite_version = run.submission.suite_version
    config = suite_version.config
    bundle = _bundle_for(suite_version)
    split = run.split
    labels = bundle.labels(split)
    limits = limits_for(config)
    work = _work_dir() / "runs" / f"{run.pk}-{run.attempt}"
    work.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        archive = _blob_path(run.submission.blob, work / "solution.archive")
        report = inspect_archive(archive)
        code_dir = work / "code"
        extract_archive(archive, code_dir, report)
        calls = [
            (
                call_id,
                bundle.call_input_dir(split, call_id),
                len(labels["calls"][call_id]["y_true"]),
            )
            for call_id in bundle.calls(split)
        ]
        probe_names = bundle.probe_names() if split == Run.Split.HIDDEN else []
        total = len(calls) * (1 + len(probe_names))
        progress("running", 0)
        started = time.monotonic()
        rapl_start = rapl_read()
        predictions, results, failed = _run_calls(
            runner=runner,
            run=run,
            code_dir=code_dir,
            inputs=calls,
            limits=limits,
            kind=bundle.kind,
            on_call=lambda done: progress("running", int(90 * done / max(total, 1))),
        )
        log = ""
        if split == Run.Split.SAMPLE:
            log = "\n".join(
                (r.stdout + r.stderr).decode("utf-8", errors="replace") for r in results
            )
        if failed is not None:
            failed.log = log
            failed.resources = _resources(
                results, time.monotonic() - started, 0, rapl_start
            )
            return failed
        progress("scoring", 90)
        score = scoring.score(config, labels, predictions)
        probes: dict[str, dict[str, float | None]] = {}
        for offset, probe in enumerate(probe_names, start=1):
            probe_calls = [
                (call_id, bundle.probe_input_dir(probe, call_id), expected)
                for call_id, _dir, expected in calls
            ]
            probe_predictions, probe_results, probe_failed = _run_calls(
                runner=runner,
                run=run,
                code_dir=code_dir,
                inputs=probe_calls,
                limits=limits,
                kind=bundle.kind,
                on_call=_probe_progress(progress, probe, offset, len(calls), total),
            )
            results.extend(probe_results)
            if probe_failed is not None:
                probes[probe] = {"failed": 1.0}
                continue
            probed = scoring.score(config, labels, probe_predictions)
            probes[probe] = scoring.probe_deltas(score, probed)
        points = sum(expected for _c, _d, expected in calls)
        resources = _resources(results, time.monotonic() - started, points, rapl_start)
        gates_hold = score.passed
        if split == Run.Split.SAMPLE:
            # The sample checks that a solution runs and returns valid
            # output; only the hidden split's gates decide pass or fail.
            status, failure = Run.Status.SUCCEEDED, ""
        elif gates_hold:
            status, failure = Run.Status.SUCCEEDED, ""
        else:
            status, failure = Run.Status.FAILED, Run.Failure.THRESHOLD
        return Evaluation(
            status=status,
            failure=failure,
            message=""
            if gates_hold or split == Run.Split.SAMPLE
            else str(_("At least one threshold was not met.")),
            metrics=score.metrics,
            gates=score.gates,
            probes=probes,
            resources=resources,
            passed=gates_hold,
            log=log,
        )
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def _resources(
    results: list[RunResult],
    wall: float,
    points: int,
    rapl_start: RaplReading | None = None,
) -> dict[str, Any]:
    cpu = sum(r.cpu_seconds for r in results)
    latencies = [r.wall_seconds for r in results]
    peaks = [r.peak_memory_bytes for r in results if r.peak_memory_bytes]
    return {
        "wall_seconds": round(wall, 4),
        "cpu_seconds": round(cpu, 4),
        "peak_memory_bytes": max(peaks) if peaks else None,
        "calls": len(results),
        "latency_p50_seconds": round(_percentile(latencies, 0.5), 4),
        "latency_p95_seconds": round(_percentile(latencies, 0.95), 4),
        "throughput_points_per_second": round(points / wall, 2) if wall > 0 else None,
        "sandboxed": all(r.sandboxed for r in results) if results else None,
        **_energy(cpu, rapl_start, rapl_read() if rapl_start is not None else None),
    }


def run_execute(*, run_id: int) -> None:
    """The evaluation task's body: claim, evaluate, finish (idempotent)."""
    from evaluations.runners import get_runner

    worker = worker_id()
    run = run_claim(run_id=run_id, worker=worker)
    if run is None:
        return  # a duplicate delivery, or someone else holds the lease
    attempt = run.attempt
    heartbeat = _Heartbeat(run_id, worker, attempt)
    heartbeat.start()
    try:
        runner = get_runner()
        evaluation = evaluate(
            run,
            runner=runner,
            progress=lambda stage, pct: run_progress(
                run_id=run_id, worker=worker, attempt=attempt, stage=stage, progress=pct
            ),
        )
    except Exception as exc:
        heartbeat.stop()
        run_release_after_fault(
            run_id=run_id,
            worker=worker,
            attempt=attempt,
            message=f"{type(exc).__name__}: {exc}",
        )
        return
    heartbeat.stop()
    if heartbeat.lost.is_set():
        return  # the sweeper gave the run to someone else; write nothing
    run_finish(run_id=run_id, worker=worker, attempt=attempt, evaluation=evaluation)
