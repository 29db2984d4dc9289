"""Submission-to-score latency on the embedded default set-up.

Usage::

    .venv/bin/python bench/submission_latency.py --submissions 10 --layout single \
        --json bench/results/latency_single.json
    .venv/bin/python bench/submission_latency.py --submissions 5 --layout c1
    .venv/bin/python bench/submission_latency.py --submissions 3 --layout c1 --cold

The embedded default: the filesystem broker, a file SQLite database and one
real ``celery -A portal worker -Q default,evaluation --concurrency 1``
process, with the real sandbox, all in a throwaway world (see
``bench/common.py``). This process plays the web server: it submits a
package through ``submission_create`` (intake, storage, the validation run
enqueued on commit), then waits until the hidden run is final, and only then
submits the next one, so every submission meets an idle worker.

Latency is measured from the database: from ``Submission.created_at``
(acceptance, after the intake checks) to the hidden run's ``finished_at``
(scored). The parts: each run's wait (``started_at - enqueued_at``: commit,
broker, worker pick-up and claim) and its work (``finished_at -
started_at``), of which ``resources.wall_seconds`` was spent in sandboxed
calls.

Layouts, on synthetic half-hourly data (``bench.common.synthetic_load``):

* ``single``: one 48-point call per split, 10 weeks of history, no probe:
  the smallest C1-like submission (two sandbox runs in all);
* ``c1``: C1's shape, 3 validation origins and 14 hidden origins, each
  hidden call repeated once by a robustness probe (3 + 28 calls in three
  passes: validation, hidden, probe).

By default the worker runs with the portal's settings: one warm harness per
pass, and the probe pass beside the clean one. ``--cold`` gives every call
a fresh sandbox (``PORTAL_SANDBOX_WARM_HARNESS`` off) and
``--parallel-passes 1`` runs the probe after the clean pass, to measure
what each change is worth.

``--polling-interval`` starts the worker with a different polling interval
of kombu's filesystem transport (the portal sets 0.1 s, kombu's default is
1 s), to measure what that setting costs; it changes nothing in the
portal's settings.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402 - needs ROOT on sys.path
    EXAMPLES,
    World,
    machine_info,
    markdown_table,
    note,
    say,
    setup_django,
    summarize,
    synthetic_load,
    wait_for_quiet,
    write_json,
)

SOLUTIONS = {
    "seasonal-naive": EXAMPLES / "forecasting-seasonal-naive",
    "ridge": EXAMPLES / "forecasting-ridge",
}
START = "2026-01-05"  # a Monday; 12 weeks of data follow
CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [
        {"code": "mape"},
        {"code": "rmse"},
        {"code": "peak_error", "params": {"day": "@day"}},
        {"code": "bias"},
        {"code": "a_rel"},
    ],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 50.0}],
    "limits": {"wall_seconds": 120, "cpu_seconds": 120, "memory_mb": 2048},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 10_000},
}

WORKER_WITH_POLLING = """
import sys
from portal.celery import app

options = dict(app.conf.broker_transport_options or {})
options["polling_interval"] = float(sys.argv[1])
app.conf.broker_transport_options = options
app.worker_main(sys.argv[2:])
"""


def _days(start: str, first: int, count: int) -> tuple[str, ...]:
    import pandas as pd

    base = pd.Timestamp(start)
    return tuple(
        (base + pd.Timedelta(days=day)).date().isoformat()
        for day in range(first, first + count)
    )


def bundle_maker(layout: str) -> Any:
    """Return ``make_bundle(folder) -> bytes`` for the layout."""
    from tests.evaluations.worker_support import build_bundle

    frame = synthetic_load(84, start=START)

    def make(folder: Path) -> bytes:
        if layout == "single":
            # Day 70 is the first after 10 full weeks of history.
            return build_bundle(
                folder,
                frame=frame.head(71 * 48),
                sample_origins=_days(START, 69, 1),
                hidden_origins=_days(START, 70, 1),
            )
        # Like C1: weeks 1-9 history, 3 validation days ending week 10,
        # the last 14 days hidden, each with a probe.
        return build_bundle(
            folder,
            frame=frame,
            sample_origins=_days(START, 67, 3),
            hidden_origins=_days(START, 70, 14),
            probe=True,
        )

    return make


def start_worker(world: World, polling_interval: float | None) -> Any:
    if polling_interval is None:
        return world.start_worker("bench")
    python = sys.executable
    return world.start(
        "bench",
        [
            python, "-c", WORKER_WITH_POLLING, str(polling_interval),
            "worker", "-Q", "default,evaluation", "--concurrency", "1",
            "-l", "info", "-n", "bench@%h", "--without-gossip", "--without-mingle",
        ],
    )  # fmt: skip


def measure(args: argparse.Namespace) -> dict[str, Any]:
    # Two slots, one per core, as the portal's default (8) allows; the
    # switches below are the portal's settings, left at their defaults
    # unless given.
    extra_env = {}
    if args.parallel_passes is not None:
        extra_env["PORTAL_EVALUATION_PARALLEL_PASSES"] = str(args.parallel_passes)
    if args.cold:
        extra_env["PORTAL_SANDBOX_WARM_HARNESS"] = "false"
    world = World.create(slots=2, prefix="portal-bench-latency-", extra_env=extra_env)
    try:
        setup_django(world)
        from django.core.management import call_command

        from evaluations.models import Run, Submission
        from tests.evaluations.worker_support import ensure_suite_version, submit

        call_command("migrate", verbosity=0)
        ensure_suite_version(CONFIG, bundle_maker(args.layout))
        worker = start_worker(world, args.polling_interval)
        world.wait_ready(worker)
        solution = SOLUTIONS[args.solution]
        # One unmeasured submission first: it extracts the bundle into the
        # worker's cache and warms the page cache, as on a running portal.
        records = []
        for index in range(args.warmup + args.submissions):
            made = submit(solution)
            submission = Submission.objects.get(pk=made["submission"])

            def scored(submission: Submission = submission) -> list[Run] | None:
                runs = list(submission.runs.order_by("pk"))
                if len(runs) == 2 and all(run.is_final for run in runs):
                    return runs
                failed = [r for r in runs if r.is_final and r.status != "succeeded"]
                if failed:
                    raise RuntimeError(f"run failed: {failed[0].message}")
                return None

            sample, hidden = world.wait_for(
                scored,
                timeout=args.timeout,
                what=f"submission {submission.pk} to be scored",
                watch=[worker],
                interval=0.02,
            )
            if index < args.warmup:
                continue
            record = {
                "submission": submission.pk,
                "latency": (hidden.finished_at - submission.created_at).total_seconds(),
                "sample_wait": (sample.started_at - sample.enqueued_at).total_seconds(),
                "sample_work": (sample.finished_at - sample.started_at).total_seconds(),
                "sample_sandbox": sample.resources["wall_seconds"],
                "hidden_wait": (hidden.started_at - hidden.enqueued_at).total_seconds(),
                "hidden_work": (hidden.finished_at - hidden.started_at).total_seconds(),
                "hidden_sandbox": hidden.resources["wall_seconds"],
                "calls": sample.resources["calls"] + hidden.resources["calls"],
                "call_p50": hidden.resources["latency_p50_seconds"],
            }
            records.append(record)
            note(
                f"  submission {index - args.warmup + 1}: "
                f"{record['latency']:.2f} s ({record['calls']} sandbox runs)"
            )
        return {"records": records, "load": os.getloadavg()}
    finally:
        world.close()


def report(records: list[dict[str, Any]]) -> str:
    labels = {
        "latency": "accepted → hidden run scored",
        "sample_wait": "validation run: wait (commit, broker, pick-up, claim)",
        "sample_work": "validation run: work",
        "sample_sandbox": "  of which calls + scoring (resources.wall_seconds)",
        "hidden_wait": "hidden run: wait",
        "hidden_work": "hidden run: work",
        "hidden_sandbox": "  of which calls + scoring (resources.wall_seconds)",
        "call_p50": "one sandboxed call (hidden run's median)",
    }
    rows = []
    for key, label in labels.items():
        stats = summarize(record[key] for record in records)
        rows.append(
            [
                label,
                f"{stats['median']:.3f}",
                f"{stats['p95']:.3f}",
                f"{stats['max']:.3f}",
            ]
        )
    return markdown_table(["seconds", "p50", "p95", "max"], rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--layout", choices=["single", "c1"], default="single")
    parser.add_argument(
        "--solution", choices=sorted(SOLUTIONS), default="seasonal-naive"
    )
    parser.add_argument("--polling-interval", type=float, default=None)
    parser.add_argument(
        "--parallel-passes",
        type=int,
        default=None,
        help="PORTAL_EVALUATION_PARALLEL_PASSES for the worker (default: the setting's)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="a fresh sandbox per call (PORTAL_SANDBOX_WARM_HARNESS off)",
    )
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument(
        "--wait-quiet",
        type=float,
        metavar="LOAD",
        help="first wait until the 1-minute load average is below LOAD",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    wait_for_quiet(args.wait_quiet)
    started = time.monotonic()
    result = measure(args)
    say(
        f"\nlayout {args.layout}, solution {args.solution}, "
        f"{len(result['records'])} submissions, polling interval "
        f"{args.polling_interval if args.polling_interval is not None else 'the setting (CELERY_BROKER_POLLING_MS, default 100 ms)'}, "
        f"parallel passes {args.parallel_passes or 'the setting (default 2)'}, "
        f"{'a fresh sandbox per call' if args.cold else 'warm harness per pass'}\n"
    )
    say(report(result["records"]))
    say(f"\nload average during the run (1, 5, 15 min): {result['load']}")
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
