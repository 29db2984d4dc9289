"""A whole pass of a demo suite: one warm harness against a fresh sandbox per call.

Usage::

    .venv/bin/python bench/warm_harness.py --suite c2a --solution wind-lightgbm \
        --cold-calls 20 --json /tmp/warm_c2a.json
    .venv/bin/python bench/warm_harness.py --suite c1 --solution forecasting-seasonal-naive

It builds the demo suite's data bundle (``evaluations.demo_suites``), takes
the hidden split's calls and runs the example solution over them through
``BubblewrapRunner`` twice:

* ``warm``: ``run_session`` over every call (how the engine runs a pass);
* ``cold``: ``run`` once per call, a fresh sandbox and interpreter each time
  (the engine before the warm harness, or with
  ``PORTAL_SANDBOX_WARM_HARNESS`` off), over the first ``--cold-calls``
  calls only, since it is slow; the total for the whole pass is that mean
  times the number of calls.

Both use the suite's declared limits and the engine's harness command. The
time is the caller's wall clock around the pass: sandbox set-up, every call
and teardown. Scoring is left out: it is the same in both modes. The runs
happen in a throwaway world (its own sandbox folder and uids).
"""

from __future__ import annotations

import argparse
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
    wait_for_quiet,
    write_json,
)

HARNESS_ARGV = ["/venv/bin/python3", "-I", "/harness/harness.py"]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    world = World.create(slots=1, prefix="portal-bench-warm-")
    try:
        setup_django(world)
        from evaluations.demo_suites.loader import get_demo_suite
        from evaluations.execution import (
            HARNESS_DIR,
            extract_bundle_existing,
            limits_for,
        )
        from evaluations.runners.base import Outcome, RunSpec
        from evaluations.runners.bubblewrap import BubblewrapRunner
        from evaluations.runners.session import SessionSpec

        suite = get_demo_suite(args.suite)
        folder = world.root / "bundle"
        note(f"building the {args.suite} bundle")
        suite.build_bundle(folder)
        bundle = extract_bundle_existing(folder)
        calls = [bundle.call_input_dir("hidden", c) for c in bundle.calls("hidden")]
        limits = limits_for(suite.make_config())
        code = EXAMPLES / args.solution
        runner = BubblewrapRunner()

        note(f"warm: {len(calls)} calls in one session")
        started = time.monotonic()
        warm = runner.run_session(
            SessionSpec("bench-warm", code, HARNESS_DIR, HARNESS_ARGV, calls, limits)
        )
        warm_seconds = time.monotonic() - started
        if len(warm) != len(calls) or any(r.outcome is not Outcome.OK for r in warm):
            raise RuntimeError(f"the warm pass failed: {warm[-1].message}")

        cold_calls = calls[: args.cold_calls]
        note(f"cold: {len(cold_calls)} calls, a fresh sandbox each")
        cold_times = []
        for index, call in enumerate(cold_calls):
            started = time.monotonic()
            result = runner.run(
                RunSpec(
                    f"bench-cold-{index}",
                    code,
                    call,
                    HARNESS_DIR,
                    HARNESS_ARGV,
                    ["predictions.json"],
                    limits,
                )
            )
            cold_times.append(time.monotonic() - started)
            if result.outcome is not Outcome.OK:
                raise RuntimeError(f"a cold call failed: {result.message}")
        return {
            "suite": args.suite,
            "solution": args.solution,
            "calls": len(calls),
            "warm_seconds": warm_seconds,
            "warm_call_seconds": [r.wall_seconds for r in warm],
            "cold_call_seconds": cold_times,
            "machine": machine_info(),
        }
    finally:
        world.close()


def report(result: dict[str, Any]) -> str:
    calls = result["calls"]
    warm = result["warm_seconds"]
    cold = result["cold_call_seconds"]
    cold_mean = sum(cold) / len(cold)
    first = result["warm_call_seconds"][0]
    rest = result["warm_call_seconds"][1:]
    rows = [
        ("warm: one session", f"{warm:.2f}", f"{warm / calls:.3f}", "measured"),
        (
            "cold: a fresh sandbox per call",
            f"{cold_mean * calls:.1f}",
            f"{cold_mean:.3f}",
            f"mean of {len(cold)} calls × {calls}",
        ),
    ]
    table = markdown_table(
        [f"hidden pass, {calls} calls", "seconds", "per call", "how"], rows
    )
    detail = (
        f"\nwarm session: first call (start-up, imports) {first:.3f} s, "
        f"later calls median {sorted(rest)[len(rest) // 2] if rest else 0:.3f} s; "
        f"cold ÷ warm = {cold_mean * calls / warm:.1f}"
    )
    return table + detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=["c1", "c2a", "c2b"], default="c2a")
    parser.add_argument("--solution", default="wind-lightgbm")
    parser.add_argument("--cold-calls", type=int, default=20)
    parser.add_argument(
        "--wait-quiet",
        type=float,
        metavar="LOAD",
        help="first wait until the 1-minute load average is below LOAD",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    wait_for_quiet(args.wait_quiet)
    result = measure(args)
    say(f"\nsuite {args.suite}, solution {args.solution}\n")
    say(report(result))
    write_json(args.json, {"argv": sys.argv, **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
