"""Executing one claimed run: prepare its data, call the sandbox once per
call of each split and probe, parse and score the outputs, measure the cost.
A prediction file runs no code: it is checked and scored on the host.

Nothing here writes to the database; ``services.run_execute`` claims the run,
calls ``evaluate`` and records what it returns.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from evaluations.intake import (
    DEFAULT_LIMITS,
    DEFAULT_PREDICTION_LIMITS,
    IntakeLimits,
    PredictionFileLimits,
)
from evaluations.models import Run, Submission, SuiteVersion
from evaluations.runners.base import Limits, Outcome, RunResult, RunSpec
from evaluations.runners.session import SessionSpec
from evaluations.suites import Bundle, extract_bundle
from scenarios.models import Blob

if TYPE_CHECKING:
    from evaluations.public_inputs import SuiteIdArrays
    from evaluations.scoring import Score
    from evaluations.suites import LabelArrays

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


def _blob_path(blob: Blob, target: Path) -> Path:
    """Copy a stored blob to a local file (storage may be remote)."""
    with (
        default_storage.open(blob.storage_name, "rb") as source,
        target.open("wb") as out,
    ):
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            out.write(chunk)
    return target


def bundle_for(suite_version: SuiteVersion) -> Bundle:
    """Extract the version's bundle once per worker machine (cached by hash)."""
    import fcntl

    if suite_version.bundle is None:
        raise RuntimeError(f"Suite version {suite_version.pk} has no data bundle.")
    cache = work_dir() / "bundles"
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


def package_limits() -> IntakeLimits:
    """The archive checks' limits, with the upload cap from the settings."""
    return replace(
        DEFAULT_LIMITS,
        archive_bytes=int(
            getattr(
                settings, "EVALUATION_PACKAGE_MAX_BYTES", DEFAULT_LIMITS.archive_bytes
            )
        ),
    )


def prediction_file_limits(expected_rows: int = 0) -> PredictionFileLimits:
    """The prediction-file checks' limits, with the caps from the settings.

    A file may have as many rows as the settings allow, or as the suite has
    ids where that is more: a suite's own size never refuses a correct file.
    """
    rows = int(
        getattr(
            settings,
            "EVALUATION_PREDICTION_FILE_MAX_ROWS",
            DEFAULT_PREDICTION_LIMITS.rows,
        )
    )
    return replace(
        DEFAULT_PREDICTION_LIMITS,
        file_bytes=int(
            getattr(
                settings,
                "EVALUATION_PREDICTION_FILE_MAX_BYTES",
                DEFAULT_PREDICTION_LIMITS.file_bytes,
            )
        ),
        rows=max(rows, expected_rows),
    )


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
    flags: bool = False,
) -> tuple[dict[str, list[Any]], list[RunResult], Evaluation | None]:
    """Run the pass's calls; stop at the first failure.

    Several calls are served by one warm harness (``runner.run_session``)
    when the runner has sessions and ``PORTAL_SANDBOX_WARM_HARNESS`` is on
    (the default); otherwise each call gets a fresh harness.
    """
    from evaluations.outputs import InvalidOutput, parse_predictions

    predictions: dict[str, list[Any]] = {}
    results: list[RunResult] = []
    warm = (
        getattr(settings, "PORTAL_SANDBOX_WARM_HARNESS", True)
        and len(inputs) > 1
        and hasattr(runner, "run_session")
    )
    if warm:
        # The session reports each answer as it comes.
        call_results: Iterable[RunResult] = runner.run_session(
            SessionSpec(
                run_id=f"{run.pk}-{run.attempt}-session",
                code_dir=code_dir,
                harness_dir=HARNESS_DIR,
                argv=_harness_argv(runner),
                calls=[input_dir for _call_id, input_dir, _expected in inputs],
                limits=limits,
            ),
            on_call,
        )
    else:
        call_results = _fresh_call_results(
            runner=runner, run=run, code_dir=code_dir, inputs=inputs, limits=limits
        )
    for index, result in enumerate(call_results):
        call_id, _input_dir, expected = inputs[index]
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
                flags=flags,
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
        if not warm:
            on_call(index + 1)
    if len(predictions) < len(inputs):
        raise RuntimeError(
            f"The sandbox answered {len(predictions)} of {len(inputs)} calls."
        )
    return predictions, results, None


def _fresh_call_results(
    *,
    runner: Any,
    run: Run,
    code_dir: Path,
    inputs: list[tuple[str, Path, int]],
    limits: Limits,
) -> Iterator[RunResult]:
    """Run each call in a fresh sandbox; stop after the first that is not OK."""
    for index, (_call_id, input_dir, _expected) in enumerate(inputs):
        result = runner.run(
            RunSpec(
                run_id=f"{run.pk}-{run.attempt}-{index}",
                code_dir=code_dir,
                input_dir=input_dir,
                harness_dir=HARNESS_DIR,
                argv=_harness_argv(runner),
                expected_outputs=["predictions.json"],
                limits=limits,
            )
        )
        yield result
        if result.outcome is not Outcome.OK:
            return


def evaluate(
    run: Run, *, runner: Any, progress: Callable[[str, int], object]
) -> Evaluation:
    """Evaluate one claimed run and return what to record (no writes)."""
    from evaluations import scoring
    from evaluations.intake import extract_archive, inspect_archive

    suite_version = run.submission.suite_version
    config = suite_version.config
    bundle = bundle_for(suite_version)
    split = run.split
    work = work_dir() / "runs" / f"{run.pk}-{run.attempt}"
    work.mkdir(parents=True, exist_ok=True, mode=0o700)
    if run.submission.kind == Submission.Kind.PREDICTIONS:
        try:
            return _evaluate_prediction_file(
                run,
                work=work,
                config=config,
                labels=bundle.label_arrays(split),
                progress=progress,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    labels = bundle.labels(split)
    limits = limits_for(config)
    try:
        archive = _blob_path(run.submission.blob, work / "solution.archive")
        report = inspect_archive(archive, limits=package_limits())
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
        if split == Run.Split.HIDDEN:
            _check_probe_gates(config, probe_names)
        total = len(calls) * (1 + len(probe_names))
        progress("running", 0)
        started = time.monotonic()
        rapl_start = rapl_read()

        def run_pass(
            inputs: list[tuple[str, Path, int]], on_call: Callable[[int], object]
        ) -> tuple[dict[str, list[Any]], list[RunResult], Evaluation | None]:
            return _run_calls(
                runner=runner,
                run=run,
                code_dir=code_dir,
                inputs=inputs,
                limits=limits,
                kind=bundle.kind,
                flags=bundle.flags_only,
                on_call=on_call,
            )

        probe_inputs = {
            probe: [
                (call_id, bundle.probe_input_dir(probe, call_id), expected)
                for call_id, _dir, expected in calls
            ]
            for probe in probe_names
        }
        with _PassPool(_parallel_passes(), probe_names) as pool:
            # Probe passes start at once on spare cores (each in a sandbox of
            # its own); the clean pass runs here, reporting progress.
            for probe in pool.early:
                pool.submit(probe, run_pass, probe_inputs[probe], _ignore_progress)
            predictions, results, failed = run_pass(
                calls,
                lambda done: progress("running", int(90 * done / max(total, 1))),
            )
            log = ""
            if split == Run.Split.SAMPLE:
                log = "\n".join(
                    (r.stdout + r.stderr).decode("utf-8", errors="replace")
                    for r in results
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
            gates = list(score.gates)
            for offset, probe in enumerate(probe_names, start=1):
                if probe in pool.early:
                    probe_predictions, probe_results, probe_failed = pool.result(probe)
                    progress(
                        f"probe {probe}",
                        int(90 * (offset + 1) / (1 + len(probe_names))),
                    )
                else:
                    probe_predictions, probe_results, probe_failed = run_pass(
                        probe_inputs[probe],
                        _probe_progress(progress, probe, offset, len(calls), total),
                    )
                results.extend(probe_results)
                if probe_failed is not None:
                    probes[probe] = {"failed": 1.0}
                    gates.extend(scoring.probe_gates(config, probe, score, None))
                    continue
                probed = scoring.score(config, labels, probe_predictions)
                probes[probe] = scoring.probe_deltas(score, probed)
                gates.extend(scoring.probe_gates(config, probe, score, probed))
        points = sum(expected for _c, _d, expected in calls)
        resources = _resources(results, time.monotonic() - started, points, rapl_start)
        return _scored(
            split, score, gates=gates, probes=probes, resources=resources, log=log
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _parallel_passes() -> int:
    return max(1, int(getattr(settings, "PORTAL_EVALUATION_PARALLEL_PASSES", 2)))


def _ignore_progress(done: int) -> None:
    """Probe passes on other threads report nothing: progress is a database
    write, and those stay on the worker's own thread."""


_PassResult = tuple[dict[str, list[Any]], list[RunResult], "Evaluation | None"]


class _PassPool:
    """Threads for the probe passes that may run beside the clean pass.

    With ``parallel`` passes at once, the first ``parallel - 1`` probes
    start with the clean pass (``early``); the rest run after it, in turn.
    Leaving the block cancels what has not started and waits for the rest,
    so no pass outlives the run's folder.
    """

    def __init__(self, parallel: int, probes: list[str]) -> None:
        self.early = probes[: max(parallel - 1, 0)]
        self._pool = (
            ThreadPoolExecutor(max_workers=len(self.early), thread_name_prefix="pass")
            if self.early
            else None
        )
        self._futures: dict[str, Future[_PassResult]] = {}

    def submit(
        self, probe: str, function: Callable[..., _PassResult], *args: Any
    ) -> None:
        if self._pool is None:
            raise RuntimeError(f"the probe {probe} does not start early")
        self._futures[probe] = self._pool.submit(function, *args)

    def result(self, probe: str) -> _PassResult:
        return self._futures[probe].result()

    def __enter__(self) -> _PassPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _check_probe_gates(config: dict[str, Any], probe_names: list[str]) -> None:
    """A gate on a probe the bundle lacks is the suite's fault, not the vendor's."""
    named = {gate["probe"] for gate in config.get("gates", []) if gate.get("probe")}
    missing = sorted(named - set(probe_names))
    if missing:
        from evaluations.scoring import ScoringError

        raise ScoringError(
            f"The suite gates on probes its data bundle lacks: {', '.join(missing)}."
        )


def _scored(
    split: str,
    score: Score,
    *,
    gates: list[dict[str, Any]],
    probes: dict[str, dict[str, float | None]],
    resources: dict[str, Any],
    log: str,
) -> Evaluation:
    """The evaluation of a split whose predictions were scored.

    ``gates`` are the clean run's gates and any on its probes.
    """
    gates_hold = all(gate["passed"] for gate in gates)
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
        gates=gates,
        probes=probes,
        resources=resources,
        passed=gates_hold,
        log=log,
    )


def _evaluate_prediction_file(
    run: Run,
    *,
    work: Path,
    config: dict[str, Any],
    labels: LabelArrays,
    progress: Callable[[str, int], object],
) -> Evaluation:
    """Score a prediction file on the host: it is data, so no sandbox runs.

    1. Copy the stored file and check it still has its SHA-256.
    2. Check it again like at intake, against the ids of both splits, and
       score this run's split (``score_prediction_file``).
    Probes and resource figures do not apply: no code runs. They stay
    empty, and the pages and the API say "not applicable".
    """
    from evaluations.intake import IntakeError
    from evaluations.public_inputs import suite_id_arrays

    submission = run.submission
    ids = suite_id_arrays(submission.suite_version)
    path = _blob_path(submission.blob, work / "predictions")
    if _sha256_of(path) != submission.blob.sha256:
        raise RuntimeError("The stored prediction file does not match its SHA-256.")
    progress("checking", 10)
    try:
        score = score_prediction_file(
            path,
            ids=ids,
            split=run.split,
            kind=submission.suite_version.suite.task_kind,
            config=config,
            labels=labels,
        )
    except IntakeError as exc:
        return Evaluation(
            status=Run.Status.FAILED,
            failure=Run.Failure.INVALID_OUTPUT,
            message=f"{exc.message} ({exc.code})",
        )
    return _scored(run.split, score, gates=score.gates, probes={}, resources={}, log="")


def score_prediction_file(
    path: Path,
    *,
    ids: SuiteIdArrays,
    split: str,
    kind: str,
    config: dict[str, Any],
    labels: LabelArrays,
) -> Score:
    """Check a prediction file and score one split of it (no database).

    1. Read the file in chunks into arrays aligned to every expected id
       (``read_prediction_file``: raise ``IntakeError`` if it is refused).
    2. Take the split's rows, call by call in the labels' order (a view of
       the values when the orders agree), and score them with the labels'
       arrays. Memory stays within the bound in docs/metrics.md.
    """
    from evaluations import scoring
    from evaluations.intake import read_prediction_file

    values = read_prediction_file(
        path,
        expected=ids.expected,
        kind=kind,
        limits=prediction_file_limits(len(ids.expected)),
    )
    y_pred = ids.split_values(values.values, split, labels.calls)
    return scoring.score_arrays(config, labels.y_true, y_pred, labels.columns)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


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


def work_dir() -> Path:
    return Path(
        getattr(settings, "EVALUATION_WORK_DIR", settings.VAR_DIR / "evaluation")
    )
