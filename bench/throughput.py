"""Throughput of a queue of C1-shaped submissions, and what a worker costs.

Usage::

    .venv/bin/python bench/throughput.py --submissions 100 --wait-quiet 1.0 \
        --json /tmp/throughput.json
    .venv/bin/python bench/throughput.py --submissions 10   # a quick look

For each worker set-up in turn (``--concurrency``, default ``1 2``), in one
throwaway world (``bench/common.py``):

1. this process accepts ``--submissions`` submissions through
   ``submission_create`` (the C1 layout of ``submission_latency.py``) while
   no worker runs, so every validation run waits on the broker;
2. one ``celery -A portal worker -Q default,evaluation --concurrency C``
   starts and drains the queue: each validation run that passes queues its
   hidden run, so the drain is 2 × N runs; beat sends the sweeper every
   ``--sweep-seconds``;
3. the drain's wall time comes from the database: the first run's
   ``started_at`` to the last run's ``finished_at``.

Two worker processes are one worker with ``--concurrency 2``: that is what
``docs/deploy.md`` deploys on a machine (one worker per machine, concurrency
at most its cores). Two workers with different node names on two machines
are what ``tests/evaluations/test_scale_out.py`` checks.

Every run sets ``PORTAL_EVALUATION_PARALLEL_PASSES=1``: with as many runs as
cores, a probe pass beside the clean one would only take a core from the
other run.

What the sweeper and the heartbeat cost: the worker is started through a
small wrapper (``TIMED_WORKER`` below) that times every ``runs_sweep`` and
every ``run_heartbeat`` call in the worker's processes and appends the
figure to a file; nothing in the portal changes. Their sum is compared with
the worker's time: the drain's wall time × the pool's processes. The
benchmark's defaults beat and sweep far more often than production (1 s
and 2 s, against 30 s and 60 s), so the figure is an upper bound.

Memory: after every finished run the benchmark reads ``VmRSS`` and
``VmHWM`` from ``/proc/PID/status`` of the worker's main process and of its
pool processes, and fits a least-squares line (KiB per run) through each.

``--stack postgres`` runs the same on a private PostgreSQL cluster and a
private Redis (production's stack) instead of the embedded default (a file
SQLite database and kombu's filesystem broker).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402 - needs ROOT on sys.path
    World,
    machine_info,
    markdown_table,
    note,
    say,
    setup_django,
    summarize,
    wait_for_quiet,
    write_json,
)
from bench.submission_latency import (  # noqa: E402
    CONFIG,
    SOLUTIONS,
    bundle_maker,
)

TIMED_WORKER = """
import os, sys, time

import django

django.setup()
from evaluations import services
from portal.celery import app

LOG = os.environ["BENCH_TIMING_LOG"]


def timed(kind, func):
    def call(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            line = f"{kind} {os.getpid()} {time.perf_counter() - start:.6f}\\n"
            fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(fd, line.encode())
            os.close(fd)
    return call


# The heartbeat thread and the sweep task look both up in the module.
services.run_heartbeat = timed("heartbeat", services.run_heartbeat)
services.runs_sweep = timed("sweep", services.runs_sweep)
app.worker_main(sys.argv[1:])
"""

FINAL = ("succeeded", "failed", "platform_error", "cancelled")


# --- processes and memory ----------------------------------------------------------------


def _status_kib(pid: int) -> dict[str, int] | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def _children(pid: int) -> list[int]:
    """The pool processes: the worker's direct children."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces: fields start after the last ")".
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            kids.append(int(entry))
    return sorted(kids)


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    # guest and guest_nice are already counted in user and nice.
    total = sum(fields[:8])
    return (total - idle) / tick, total / tick


def _tree_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the worker's main process, of its pool processes, and
    of their waited-for children (bwrap and everything in the sandbox)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {"main": 0.0, "pool": 0.0, "children": 0.0}
    for each in [pid, *_children(pid)]:
        try:
            stat = Path(f"/proc/{each}/stat").read_text()
        except OSError:
            continue
        fields = [int(v) for v in stat.rpartition(")")[2].split()[11:15]]
        found["main" if each == pid else "pool"] += (fields[0] + fields[1]) / tick
        found["children"] += (fields[2] + fields[3]) / tick
    return found


def _sample(pid: int, done: int) -> dict[str, Any]:
    sample: dict[str, Any] = {"runs": done, "main": _status_kib(pid), "pool": {}}
    for child in _children(pid):
        status = _status_kib(child)
        if status is not None:
            sample["pool"][str(child)] = status
    return sample


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    n = len(points)
    if n < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return sxy / sxx if sxx else float("nan")


def memory_series(samples: list[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    """(runs done, VmRSS KiB) per process: "main", and each pool process."""
    series: dict[str, list[tuple[int, int]]] = {"main": []}
    for sample in samples:
        if sample["main"]:
            series["main"].append((sample["runs"], sample["main"]["VmRSS"]))
        for pid in sorted(sample["pool"], key=int):
            series.setdefault(f"pool {pid}", []).append(
                (sample["runs"], sample["pool"][pid]["VmRSS"])
            )
    return series


def memory_rows(samples: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for name, points in memory_series(samples).items():
        values = [kib for _, kib in points]
        first = summarize(values[:10])["median"]
        last = summarize(values[-10:])["median"]
        hwm = max(
            (
                s["main"]["VmHWM"]
                if name == "main"
                else s["pool"].get(name.split()[-1], {}).get("VmHWM", 0)
            )
            for s in samples
            if s["main"]
        )
        rows.append(
            [
                name,
                str(len(points)),
                f"{first / 1024:.1f}",
                f"{last / 1024:.1f}",
                f"{(last - first) / 1024:+.1f}",
                f"{slope([(float(x), float(y)) for x, y in points]):+.2f}",
                f"{hwm / 1024:.1f}",
            ]
        )
    return rows


# --- the benchmark -----------------------------------------------------------------------


def _accept(count: int, solution: Path) -> list[int]:
    from tests.evaluations.worker_support import submit

    made = []
    for index in range(count):
        made.append(submit(solution)["submission"])
        if (index + 1) % 20 == 0:
            note(f"    accepted {index + 1}")
    return made


def _phase_runs(submissions: list[int]) -> list[Any]:
    from evaluations.models import Run

    return list(
        Run.objects.filter(submission_id__in=submissions).values(
            "pk",
            "split",
            "status",
            "attempt",
            "started_at",
            "finished_at",
            "lease_owner",
            "resources",
        )
    )


def _start_worker(world: World, name: str, concurrency: int) -> Any:
    return world.start(
        name,
        [
            sys.executable, "-c", TIMED_WORKER,
            "worker", "-Q", "default,evaluation", "--concurrency", str(concurrency),
            "-l", "info", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
        ],
    )  # fmt: skip


def _timings(log: Path) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = {}
    if not log.exists():
        return totals
    for line in log.read_text().splitlines():
        kind, _pid, seconds = line.split()
        entry = totals.setdefault(kind, {"calls": 0, "seconds": 0.0, "max": 0.0})
        entry["calls"] += 1
        entry["seconds"] += float(seconds)
        entry["max"] = max(entry["max"], float(seconds))
    return totals


def drain(
    world: World, args: argparse.Namespace, concurrency: int, solution: Path
) -> dict[str, Any]:
    """Accept the submissions, then drain them with one worker."""
    from django.db import close_old_connections

    # Quiet first: runs queued for EVALUATION_QUEUED_STALE_SECONDS would be
    # sent again by the sweeper.
    wait_for_quiet(args.wait_quiet, max_wait=args.quiet_timeout)
    note(f"  concurrency {concurrency}: accepting {args.submissions} submissions")
    submissions = _accept(args.submissions, solution)
    expected = 2 * len(submissions)
    timing_log = world.root / "logs" / f"timing-{concurrency}.log"
    world.env["BENCH_TIMING_LOG"] = str(timing_log)
    load_before = os.getloadavg()
    cpu_before = _machine_cpu()
    worker = _start_worker(world, f"drain{concurrency}", concurrency)
    beat = world.start_beat()
    samples: list[dict[str, Any]] = []
    done = 0
    deadline = time.monotonic() + args.timeout
    try:
        while done < expected:
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out: {done} of {expected} runs final")
            if not worker.alive():
                raise RuntimeError("worker exited:\n" + worker.text()[-3000:])
            close_old_connections()
            runs = _phase_runs(submissions)
            now_done = sum(1 for r in runs if r["status"] in FINAL)
            failed = [r for r in runs if r["status"] in FINAL[1:]]
            if failed:
                raise RuntimeError(f"a run did not succeed: {failed[0]}")
            if now_done > done:
                done = now_done
                samples.append(_sample(worker.popen.pid, done))
                if done % 20 == 0:
                    note(f"    {done} / {expected} runs")
            time.sleep(0.05)
        load_after = os.getloadavg()
        cpu_after = _machine_cpu()
        our_cpu = _tree_cpu(worker.popen.pid)
    finally:
        beat.kill(signal.SIGTERM)
        worker.kill(signal.SIGTERM, wait=60)
    runs = _phase_runs(submissions)
    first = min(r["started_at"] for r in runs)
    last = max(r["finished_at"] for r in runs)
    wall = (last - first).total_seconds()
    work = sum((r["finished_at"] - r["started_at"]).total_seconds() for r in runs)
    log = worker.text()
    return {
        "concurrency": concurrency,
        "submissions": len(submissions),
        "runs": len(runs),
        "attempts": sum(r["attempt"] for r in runs),
        "wall_seconds": wall,
        "runs_per_second": len(runs) / wall,
        "run_work_seconds": work,
        "worker_seconds": wall * concurrency,
        "sandbox_cpu_seconds": sum(r["resources"]["cpu_seconds"] for r in runs),
        "sandbox_wall_seconds": sum(r["resources"]["wall_seconds"] for r in runs),
        # The whole machine over the drain (with the worker's start-up and
        # shutdown around it), and the worker's own share.
        "machine_busy_seconds": cpu_after[0] - cpu_before[0],
        "machine_seconds": cpu_after[1] - cpu_before[1],
        "worker_cpu_seconds": sum(our_cpu.values()),
        "worker_cpu_split": our_cpu,
        "timings": _timings(timing_log),
        "memory": samples,
        "per_pool_process": dict(Counter(r["lease_owner"] for r in runs)),
        "locked": log.count("database is locked"),
        "heartbeat_failed": log.count("heartbeat failed"),
        "load_before": load_before,
        "load_after": load_after,
    }


def _warm_up(world: World, solution: Path) -> None:
    """One submission first: the worker extracts the bundle into its cache."""
    world.env["BENCH_TIMING_LOG"] = str(world.root / "logs" / "timing-warmup.log")
    worker = _start_worker(world, "warmup", 1)
    try:
        world.wait_ready(worker)
        (submission,) = _accept(1, solution)
        world.wait_for(
            lambda: (
                sum(1 for r in _phase_runs([submission]) if r["status"] in FINAL) == 2
            ),
            timeout=120,
            what="the warm-up submission",
            watch=[worker],
        )
    finally:
        worker.kill(signal.SIGTERM, wait=60)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    extra_env = {
        "PORTAL_EVALUATION_PARALLEL_PASSES": "1",
        "PORTAL_EVALUATION_HEARTBEAT_SECONDS": str(args.heartbeat_seconds),
        "PORTAL_EVALUATION_SWEEP_SECONDS": str(args.sweep_seconds),
    }
    cluster = template = None
    world = None
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-throughput-"))
    try:
        if args.stack == "postgres":
            from tests.evaluations.worker_support import (
                PostgresCluster,
                migrate_template,
            )

            cluster = PostgresCluster.create()
            template = migrate_template(folder, postgres=cluster.server)
        world = World.create(
            template=template,
            slots=2,
            prefix="portal-bench-throughput-",
            extra_env=extra_env,
        )
        if args.stack == "postgres":
            world.start_redis()
        setup_django(world)
        from django.core.management import call_command

        from tests.evaluations.worker_support import ensure_suite_version

        if template is None:
            call_command("migrate", verbosity=0)
        ensure_suite_version(CONFIG, bundle_maker("c1"))
        solution = SOLUTIONS[args.solution]
        _warm_up(world, solution)
        phases = [drain(world, args, c, solution) for c in args.concurrency]
        return {"phases": phases}
    finally:
        if world is not None:
            world.close()
        if template is not None:
            template.drop()
        if cluster is not None:
            cluster.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def report(phases: list[dict[str, Any]]) -> str:
    base = phases[0]
    rows = []
    for phase in phases:
        rows.append(
            [
                str(phase["concurrency"]),
                str(phase["runs"]),
                f"{phase['wall_seconds']:.1f}",
                f"{phase['runs_per_second']:.3f}",
                f"{base['wall_seconds'] / phase['wall_seconds']:.2f}",
                f"{phase['run_work_seconds'] / phase['runs']:.3f}",
                ", ".join(f"{n}" for _, n in sorted(phase["per_pool_process"].items())),
                f"{phase['load_before'][0]:.2f} / {phase['load_after'][0]:.2f}",
            ]
        )
    parts = [
        markdown_table(
            [
                "worker processes",
                "runs",
                "drain s",
                "runs/s",
                "speed-up",
                "run work s (mean)",
                "runs per pool process",
                "load 1 min before / after",
            ],
            rows,
        )
    ]
    rows = []
    for phase in phases:
        busy, seconds = phase["machine_busy_seconds"], phase["machine_seconds"]
        ours = phase["worker_cpu_seconds"]
        rows.append(
            [
                str(phase["concurrency"]),
                f"{phase['sandbox_cpu_seconds'] / phase['runs']:.3f}",
                f"{phase['sandbox_wall_seconds'] / phase['runs']:.3f}",
                " / ".join(
                    f"{value / phase['runs']:.3f}"
                    for value in phase["worker_cpu_split"].values()
                ),
                f"{busy:.0f} of {seconds:.0f} ({busy / seconds * 100:.0f} %)",
                f"{ours:.0f}",
                f"{max(busy - ours, 0.0):.0f}",
            ]
        )
    parts.append(
        markdown_table(
            [
                "worker processes",
                "sandbox CPU s per run",
                "sandbox wall s per run",
                "worker CPU s per run: main / pool / their children (sandbox)",
                "machine CPU s busy",
                "of which the worker",
                "of which other work",
            ],
            rows,
        )
    )
    rows = []
    for phase in phases:
        timings = phase["timings"]
        for kind in ("sweep", "heartbeat"):
            entry = timings.get(kind, {"calls": 0, "seconds": 0.0, "max": 0.0})
            share = entry["seconds"] / phase["worker_seconds"]
            rows.append(
                [
                    str(phase["concurrency"]),
                    kind,
                    str(int(entry["calls"])),
                    f"{entry['seconds'] * 1000:.1f}",
                    f"{entry['seconds'] / max(entry['calls'], 1) * 1000:.2f}",
                    f"{entry['max'] * 1000:.1f}",
                    f"{share * 100:.3f} %",
                ]
            )
        rows.append(
            [
                str(phase["concurrency"]),
                "'database is locked' / 'heartbeat failed' in the log",
                f"{phase['locked']} / {phase['heartbeat_failed']}",
                "",
                "",
                "",
                "",
            ]
        )
    parts.append(
        markdown_table(
            [
                "worker processes",
                "call",
                "calls",
                "total ms",
                "mean ms",
                "max ms",
                "of worker time",
            ],
            rows,
        )
    )
    for phase in phases:
        parts.append(
            f"memory, worker with {phase['concurrency']} pool process(es), "
            "VmRSS after each run:\n\n"
            + markdown_table(
                [
                    "process",
                    "samples",
                    "first 10 median MiB",
                    "last 10 median MiB",
                    "change MiB",
                    "slope KiB/run",
                    "VmHWM MiB",
                ],
                memory_rows(phase["memory"]),
            )
        )
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 2],
        help="the pool sizes to drain with, in turn (default: 1 2)",
    )
    parser.add_argument(
        "--solution", choices=sorted(SOLUTIONS), default="seasonal-naive"
    )
    parser.add_argument("--stack", choices=["embedded", "postgres"], default="embedded")
    parser.add_argument(
        "--heartbeat-seconds",
        type=int,
        default=1,
        help="PORTAL_EVALUATION_HEARTBEAT_SECONDS (production: 30)",
    )
    parser.add_argument(
        "--sweep-seconds",
        type=int,
        default=2,
        help="PORTAL_EVALUATION_SWEEP_SECONDS, beat's interval (production: 60)",
    )
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--wait-quiet",
        type=float,
        metavar="LOAD",
        help="before each drain, wait until the 1-minute load average is below LOAD",
    )
    parser.add_argument(
        "--quiet-timeout",
        type=float,
        default=600,
        help="wait at most this long for --wait-quiet (seconds)",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    started = time.monotonic()
    result = measure(args)
    say(
        f"\n{args.submissions} C1-shaped submissions ({args.solution}) per drain, "
        f"stack {args.stack}, parallel passes 1, heartbeat every "
        f"{args.heartbeat_seconds} s, sweep every {args.sweep_seconds} s\n"
    )
    say(report(result["phases"]))
    write_json(
        args.json,
        {
            "machine": machine_info(),
            "argv": sys.argv,
            "elapsed_seconds": time.monotonic() - started,
            **result,
        },
    )


if __name__ == "__main__":
    main()
