"""Run every benchmark, one after another, with the arguments behind docs/PERFORMANCE.md.

Usage::

    .venv/bin/python bench/run_all.py                 # the full set (about 1.5 hours)
    .venv/bin/python bench/run_all.py --quick         # small sizes, a few minutes
    .venv/bin/python bench/run_all.py --only metric_kernels --only http_load
    make bench                                         # the same as the first line

Each benchmark's table goes to stdout and its raw figures to
``OUT/<name>.json`` (default ``var/bench/``). Benchmarks measure wall-clock
time, so each one first waits for a quiet machine (``--wait-quiet``, the
1-minute load average). A failing benchmark is reported and the others
still run; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import say  # noqa: E402 - needs ROOT on sys.path

# name -> (full arguments, --quick arguments). The full ones are those the
# figures in docs/PERFORMANCE.md were measured with. Every benchmark takes
# --json; those that time something also take --wait-quiet.
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "sandbox_overhead": (
        ["--runs", "50", "--c1-runs", "20", "--no-local"],
        ["--runs", "5", "--c1-runs", "3", "--no-local"],
    ),
    "submission_latency": (
        ["--submissions", "5", "--layout", "c1"],
        ["--submissions", "2", "--layout", "single"],
    ),
    "warm_harness": (
        ["--suite", "c2a", "--solution", "wind-lightgbm", "--cold-calls", "20"],
        ["--suite", "c2a", "--solution", "wind-lightgbm", "--cold-calls", "3"],
    ),
    "throughput": (
        ["--submissions", "100", "--quiet-timeout", "600"],
        ["--submissions", "4", "--quiet-timeout", "60"],
    ),
    "metric_kernels": (
        ["--rows", "10000000", "--repeat", "5"],
        ["--rows", "100000", "--repeat", "2"],
    ),
    "prediction_file_memory": (
        ["--rows", "10000000"],
        ["--rows", "200000"],
    ),
    "web_pages": (
        ["--repeat", "15", "--warmup", "3"],
        ["--repeat", "2", "--warmup", "1"],
    ),
    "http_load": (
        ["--data", "large", "--duration", "20"],
        ["--data", "small", "--duration", "3", "--warmup", "1"],
    ),
}
# Measured in bytes, not seconds: no need to wait for a quiet machine.
NOT_TIMED = {"prediction_file_memory"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="repeatable"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.8,
        help="1-minute load average to wait for before each benchmark",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    for name, (full, quick) in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        command = [
            sys.executable,
            str(ROOT / "bench" / f"{name}.py"),
            *(quick if args.quick else full),
            *([] if name in NOT_TIMED else ["--wait-quiet", str(args.wait_quiet)]),
            "--json",
            str(args.out / f"{name}.json"),
        ]
        say(f"\n## {name}\n\n$ {' '.join(command[1:])}\n")
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603
        took = time.monotonic() - started
        status = "ok" if done.returncode == 0 else f"FAILED ({done.returncode})"
        say(f"\n[{name}: {status} in {took:.0f} s]")
        if done.returncode != 0:
            failed.append(name)
    if failed:
        say(f"\nfailed: {', '.join(failed)}")
        return 1
    say(f"\nall benchmarks finished; raw figures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
