"""Sandbox overhead: the harness through BubblewrapRunner against the same harness bare.

Usage::

    .venv/bin/python bench/sandbox_overhead.py --runs 50 --c1-runs 20 \
        --json bench/results/sandbox_overhead.json

Cases (each one call of the real harness, ``evaluations/harness/harness.py``,
with the evaluation virtualenv's interpreter):

* ``tiny``: a trivial solution (returns zeros) on 48 points of history and a
  4-point horizon: nearly all of the time is start-up.
* ``c1-naive`` and ``c1-ridge``: a C1-sized call, 10 weeks of synthetic
  half-hourly history (3,360 rows) and a 48-point horizon, with the
  seasonal-naive and ridge example solutions.

Modes, interleaved in a seeded random order after warm-up runs:

* ``bare``: ``subprocess.run([<eval-env>/bin/python3, "-I", harness.py])``
  with the folders named in ``PORTAL_*_DIR``, exactly how the harness finds
  them in the sandbox, and a fresh output folder per run;
* ``local``: the development ``LocalRunner`` (its exec wrapper sets the
  rlimits), for reference;
* ``sandbox``: ``BubblewrapRunner.run()`` with the engine's argv
  (``/venv/bin/python3 -I /harness/harness.py``).

Every time is the caller's wall clock around one run, set-up and teardown
included. ``--breakdown`` also times the runner's phases (by wrapping its
functions in this process only) and start-up probes (``/usr/bin/true``,
``python3 -I -c pass``, ``import pandas``) to show what the overhead is.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402 - needs ROOT on sys.path
    EVAL_ENV,
    EXAMPLES,
    World,
    machine_info,
    markdown_table,
    ms,
    note,
    say,
    setup_django,
    shuffled,
    summarize,
    synthetic_load,
    wait_for_quiet,
    write_json,
)

HARNESS_DIR = ROOT / "evaluations" / "harness"
EVAL_PYTHON = EVAL_ENV / "bin" / "python3"

TRIVIAL_SOLUTION = '''\
"""Returns zeros: the cheapest valid forecast (benchmark only)."""


def predict(history, exogenous, horizon):
    return [0.0] * len(horizon)
'''


@dataclass
class Case:
    name: str
    code_dir: Path
    input_dir: Path
    expected: int  # predictions per call
    argv_tail: tuple[str, ...] = ()  # empty: the harness; else a probe's argv


def _write_trivial(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "solution.toml").write_text(
        'name = "Zeros"\nversion = "0"\nentrypoint = "zeros:predict"\n'
        'task_kind = "forecasting"\n',
        encoding="utf-8",
    )
    (folder / "zeros.py").write_text(TRIVIAL_SOLUTION, encoding="utf-8")
    return folder


def _write_call(folder: Path, frame: Any, origin: str, horizon: int) -> Path:
    """Write one rolling-origin call's input folder (task.json + history)."""
    from evaluations.suites import rolling_origin_calls

    calls, _ = rolling_origin_calls(
        frame,
        origins=[origin],
        horizon=horizon,
        time_column="timestamp",
        target="load_mw",
    )
    (call,) = calls.values()
    folder.mkdir(parents=True)
    for name, content in call["files"].items():
        (folder / name).write_bytes(content)
    return folder


def make_cases(root: Path) -> dict[str, Case]:
    tiny_frame = synthetic_load(2)
    # 10 weeks of history before the origin, plus the forecast day.
    c1_frame = synthetic_load(71)
    tiny_in = _write_call(root / "tiny-in", tiny_frame.head(52), "2026-01-06", 4)
    c1_in = _write_call(root / "c1-in", c1_frame, "2026-03-16", 48)
    return {
        "tiny": Case("tiny", _write_trivial(root / "zeros"), tiny_in, 4),
        "c1-naive": Case(
            "c1-naive", EXAMPLES / "forecasting-seasonal-naive", c1_in, 48
        ),
        "c1-ridge": Case("c1-ridge", EXAMPLES / "forecasting-ridge", c1_in, 48),
    }


# --- the three ways to run one call -----------------------------------------------------


# The cores a bare run is pinned to: the same ones the sandbox pins slot 0
# to (PORTAL_SANDBOX_CPU_CORES, cpuset cgroup), so both do the same work on
# the same resources. Empty: bare runs may use every core.
BARE_CORES: list[int] = []


def _pin_bare() -> None:
    os.sched_setaffinity(0, BARE_CORES)


def run_bare(case: Case, scratch: Path) -> tuple[float, float, bytes]:
    """Run the harness directly; return (wall, cpu, predictions.json)."""
    out = Path(tempfile.mkdtemp(dir=scratch))
    tmp = Path(tempfile.mkdtemp(dir=scratch))
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PORTAL_IN_DIR": str(case.input_dir),
        "PORTAL_CODE_DIR": str(case.code_dir),
        "PORTAL_HARNESS_DIR": str(HARNESS_DIR),
        "PORTAL_OUT_DIR": str(out),
    }
    tail = case.argv_tail or (str(HARNESS_DIR / "harness.py"),)
    argv = [str(EVAL_PYTHON), "-I", *tail]
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - fixed argv
        argv,
        env=env,
        cwd=tmp,
        capture_output=True,
        check=False,
        # The bench is single-threaded, so preexec_fn is safe here.
        preexec_fn=_pin_bare if BARE_CORES else None,
    )
    data = b""
    if not case.argv_tail:
        data = (out / "predictions.json").read_bytes()
    wall = time.perf_counter() - started
    after = os.times()
    shutil.rmtree(out)
    shutil.rmtree(tmp)
    if done.returncode != 0:
        raise RuntimeError(f"bare run failed: {done.stderr.decode()[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, data


def _spec(case: Case, *, local: bool) -> Any:
    from evaluations.runners.base import Limits, RunSpec

    python = str(EVAL_PYTHON) if local else "/venv/bin/python3"
    if case.argv_tail:
        argv = [python, "-I", *case.argv_tail]
    else:
        argv = [python, "-I", "/harness/harness.py"]
    return RunSpec(
        run_id=f"bench-{case.name}",
        code_dir=case.code_dir,
        input_dir=case.input_dir,
        harness_dir=HARNESS_DIR,
        argv=argv,
        expected_outputs=[] if case.argv_tail else ["predictions.json"],
        limits=Limits(wall_seconds=60, cpu_seconds=60, memory_bytes=2 * 1024**3),
    )


def run_runner(runner: Any, case: Case, *, local: bool) -> tuple[float, float, bytes]:
    from evaluations.runners.base import Outcome

    spec = _spec(case, local=local)
    started = time.perf_counter()
    result = runner.run(spec)
    wall = time.perf_counter() - started
    if result.outcome != Outcome.OK:
        raise RuntimeError(
            f"{runner.name} run failed: {result.outcome} {result.message} "
            f"{result.stderr.decode()[-2000:]}"
        )
    return wall, result.cpu_seconds, result.outputs.get("predictions.json", b"")


# --- phases of BubblewrapRunner.run -------------------------------------------------------


class PhaseTimer:
    """Time named functions of the runner; nested calls count once, outermost."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.runs: list[dict[str, float]] = []
        self._depth = 0

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.current[name] += time.perf_counter() - started

        return timed

    def next_run(self, total: float) -> None:
        record = dict(self.current)
        record["total"] = total
        record["other"] = total - sum(self.current.values())
        self.runs.append(record)
        self.current = defaultdict(float)


@contextlib.contextmanager
def instrumented(timer: PhaseTimer) -> Iterator[None]:
    """Wrap the runner's steps in this process; restore them afterwards."""
    from evaluations.runners.bubblewrap import runner as module
    from evaluations.runners.bubblewrap.cgroups import RunCgroups
    from evaluations.runners.bubblewrap.supervisor import Supervisor

    functions = [
        ("checks (_problems)", "_problems"),
        ("layout", "_ensure_layout"),
        ("slot lock", "_acquire_slot"),
        ("slot cleanup (_clean_slot)", "_clean_slot"),
        ("run folder: copy + /out tmpfs", "_prepare_run_dir"),
        ("seccomp", "seccomp_program"),
        ("kill sweep (_sweep_run)", "_sweep_run"),
        ("read outputs", "read_outputs"),
        ("final kill_uid", "kill_uid"),
        ("unmount /out", "_unmount"),
        ("remove run folder", "_remove_run_dir"),
    ]
    saved: list[tuple[Any, str, Any]] = []
    for label, name in functions:
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, timer.wrap(label, getattr(module, name)))
    create = RunCgroups.__dict__["create"]
    saved.append((RunCgroups, "create", create))
    RunCgroups.create = classmethod(  # type: ignore[method-assign,assignment]
        timer.wrap("cgroups: create", create.__func__)
    )
    for label, name in [
        ("cgroups: stats", "stats"),
        ("cgroups: kill", "kill_all"),
        ("cgroups: remove", "remove"),
    ]:
        saved.append((RunCgroups, name, getattr(RunCgroups, name)))
        setattr(RunCgroups, name, timer.wrap(label, getattr(RunCgroups, name)))
    saved.append((Supervisor, "run", Supervisor.run))
    Supervisor.run = timer.wrap(  # type: ignore[method-assign]
        "launch + program (Supervisor.run)", Supervisor.run
    )
    try:
        yield
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


# --- measuring ----------------------------------------------------------------------------


def measure(
    cases: list[Case],
    modes: list[str],
    runs: int,
    warmup: int,
    scratch: Path,
    timer: PhaseTimer | None = None,
) -> dict[str, dict[str, dict[str, list[float]]]]:
    from evaluations.runners.bubblewrap import BubblewrapRunner
    from evaluations.runners.local import LocalRunner

    sandbox = BubblewrapRunner()
    local = LocalRunner() if "local" in modes else None
    results: dict[str, dict[str, dict[str, list[float]]]] = {}
    for case in cases:
        per_mode: dict[str, dict[str, list[float]]] = {
            mode: {"wall": [], "cpu": []} for mode in modes
        }
        reference: bytes | None = None
        for index in range(warmup + runs):
            for mode in shuffled(modes, seed=index):
                if mode == "bare":
                    wall, cpu, data = run_bare(case, scratch)
                elif mode == "local":
                    wall, cpu, data = run_runner(local, case, local=True)
                elif timer is not None and index >= warmup:
                    with instrumented(timer):
                        wall, cpu, data = run_runner(sandbox, case, local=False)
                    timer.next_run(wall)
                else:
                    wall, cpu, data = run_runner(sandbox, case, local=False)
                if not case.argv_tail:
                    predictions = json.loads(data)["predictions"]
                    if len(predictions) != case.expected:
                        raise RuntimeError(f"{case.name}/{mode}: wrong output")
                    if reference is None:
                        reference = json.dumps(predictions).encode()
                    elif json.dumps(predictions).encode() != reference:
                        raise RuntimeError(f"{case.name}/{mode}: outputs differ")
                if index >= warmup:
                    per_mode[mode]["wall"].append(wall)
                    per_mode[mode]["cpu"].append(cpu)
        results[case.name] = per_mode
        line = ", ".join(
            f"{mode} {ms(summarize(v['wall'])['median'])} ms"
            for mode, v in per_mode.items()
        )
        note(f"  {case.name}: median {line}")
    return results


def report(results: dict[str, Any]) -> str:
    rows = []
    for name, per_mode in results.items():
        bare_walls = per_mode["bare"]["wall"]
        bare = summarize(bare_walls)
        for mode, values in per_mode.items():
            stats = summarize(values["wall"])
            cpu = summarize(values["cpu"])["median"]
            # Run i of each mode ran back to back with run i of the others,
            # so paired differences cancel most of the machine's drift.
            paired = summarize(
                a - b for a, b in zip(values["wall"], bare_walls, strict=True)
            )
            rows.append(
                [
                    name,
                    mode,
                    stats["n"],
                    ms(stats["median"]),
                    ms(stats["p90"]),
                    ms(cpu),
                    "" if mode == "bare" else ms(stats["median"] - bare["median"]),
                    "" if mode == "bare" else ms(paired["median"]),
                    "" if mode == "bare" else f"{stats['median'] / bare['median']:.3f}",
                ]
            )
    return markdown_table(
        [
            "case",
            "mode",
            "n",
            "median ms",
            "p90 ms",
            "CPU ms (median)",
            "median − bare ms",
            "paired diff. median ms",
            "ratio to bare",
        ],
        rows,
    )


def phase_report(timer: PhaseTimer) -> str:
    names = sorted(
        {key for run in timer.runs for key in run} - {"total", "other"},
        key=lambda key: -summarize(run.get(key, 0.0) for run in timer.runs)["median"],
    )
    rows = [
        [name, ms(summarize(run.get(name, 0.0) for run in timer.runs)["median"])]
        for name in [*names, "other", "total"]
    ]
    launch = "launch + program (Supervisor.run)"
    host = summarize(run["total"] - run.get(launch, 0.0) for run in timer.runs)
    rows.append(
        ["set-up and teardown on the host (total − Supervisor.run)", ms(host["median"])]
    )
    return markdown_table(["phase of BubblewrapRunner.run", "median ms"], rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="runs of the tiny case")
    parser.add_argument("--c1-runs", type=int, default=20, help="runs per C1 case")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--probe-runs", type=int, default=30)
    parser.add_argument("--no-local", action="store_true", help="skip LocalRunner")
    parser.add_argument("--breakdown", action="store_true", help="phases and probes")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        metavar="LOAD",
        help="first wait until the 1-minute load average is below LOAD",
    )
    parser.add_argument(
        "--bare-unpinned",
        action="store_true",
        help="let bare runs use every core (the sandbox pins each run)",
    )
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args(argv)

    wait_for_quiet(args.wait_quiet)
    world = World.create(slots=1, prefix="portal-bench-")
    try:
        # LocalRunner is refused unless DEBUG and PORTAL_ALLOW_UNSANDBOXED.
        setup_django(world, DJANGO_DEBUG="true", PORTAL_ALLOW_UNSANDBOXED="true")
        from evaluations.runners.bubblewrap import BubblewrapRunner

        problems = BubblewrapRunner().check()
        if problems:
            raise SystemExit("sandbox unusable: " + "; ".join(problems))
        if not args.bare_unpinned:
            from django.conf import settings

            from evaluations.runners.bubblewrap.cgroups import cores_for_slot

            BARE_CORES[:] = cores_for_slot(
                sorted(os.sched_getaffinity(0)), 0, settings.PORTAL_SANDBOX_CPU_CORES
            )
            note(f"bare runs pinned to cores {BARE_CORES} (as the sandbox's slot 0)")
        modes = ["bare", "sandbox"] if args.no_local else ["bare", "local", "sandbox"]
        scratch = world.root / "tmp"
        cases = make_cases(world.root / "cases")
        load_before = os.getloadavg()
        note(f"measuring ... (load average {load_before[0]:.2f})")
        results = measure(
            [cases["tiny"]], modes, args.runs, args.warmup, scratch
        ) | measure(
            [cases["c1-naive"], cases["c1-ridge"]],
            modes,
            args.c1_runs,
            args.warmup,
            scratch,
        )
        output: dict[str, Any] = {
            "machine": machine_info(),
            "argv": sys.argv,
            "load_before": load_before,
            "results": results,
        }
        say("\n" + report(results))
        if args.breakdown:
            timer = PhaseTimer()
            measure([cases["tiny"]], ["sandbox"], args.runs, 1, scratch, timer)
            output["phases"] = timer.runs
            say("\n" + phase_report(timer))
            output["probes"] = run_probes(cases["tiny"], scratch, args.probe_runs)
            say("\n" + probe_report(output["probes"]))
            output["pieces"] = pieces(world.uid_base, args.probe_runs)
            say("\n" + pieces_report(output["pieces"]))
            output["timeline"] = timeline(cases["tiny"], scratch, args.probe_runs)
            say("\n" + timeline_report(output["timeline"]))
            output["one_blas_thread"] = one_blas_thread(
                cases, scratch, args.runs, args.c1_runs
            )
            say("\n" + report(output["one_blas_thread"]))
        output["load_after"] = os.getloadavg()
        say(
            f"\nload average: {load_before[0]:.2f} before, "
            f"{output['load_after'][0]:.2f} after (1-minute)"
        )
        write_json(args.json, output)
    finally:
        world.close()


PROBES = {
    "python3 -I -c pass": ("-c", "pass"),
    "python3 -I -c 'import pandas'": ("-c", "import pandas"),
    "python3 -I -S -c pass": ("-S", "-c", "pass"),
}


def run_probes(
    tiny: Case, scratch: Path, runs: int
) -> dict[str, dict[str, list[float]]]:
    """Start-up probes: the same argv bare and sandboxed."""
    results: dict[str, dict[str, list[float]]] = {}
    for label, tail in PROBES.items():
        case = Case(label, tiny.code_dir, tiny.input_dir, 0, tail)
        measured = measure([case], ["bare", "sandbox"], runs, 2, scratch)
        results[label] = {mode: v["wall"] for mode, v in measured[label].items()}
    results["bwrap machinery (/usr/bin/true)"] = _true_probe(tiny, scratch, runs)
    return results


def _true_probe(tiny: Case, scratch: Path, runs: int) -> dict[str, list[float]]:
    from evaluations.runners.base import Limits, RunSpec
    from evaluations.runners.bubblewrap import BubblewrapRunner

    runner = BubblewrapRunner()
    spec = RunSpec(
        run_id="bench-true",
        code_dir=tiny.code_dir,
        input_dir=tiny.input_dir,
        harness_dir=HARNESS_DIR,
        argv=["/usr/bin/true"],
        expected_outputs=[],
        limits=Limits(),
    )
    bare, sandbox = [], []
    for index in range(runs + 2):
        started = time.perf_counter()
        subprocess.run(["/usr/bin/true"], check=True)
        bare_wall = time.perf_counter() - started
        started = time.perf_counter()
        runner.run(spec)
        sandbox_wall = time.perf_counter() - started
        if index >= 2:
            bare.append(bare_wall)
            sandbox.append(sandbox_wall)
    return {"bare": bare, "sandbox": sandbox}


# Runs the harness's main() after noting the wall clock (CLOCK_REALTIME,
# which namespaces do not change) at the interpreter's first statement, and
# notes it again when main() returns.
TIMED_HARNESS = """\
import os, runpy, sys, time
first = time.time()
harness = runpy.run_path(os.environ["PORTAL_HARNESS_DIR"] + "/harness.py")
code = harness["main"]([])
sys.stderr.write("TIMELINE %r %r\\n" % (first, time.time()))
sys.stderr.flush()
os._exit(code)
"""


# The proposed fix, tried from inside the program: BLAS with one thread, to
# match the sandbox's one-core CPU quota (see docs/PERFORMANCE.md).
ONE_BLAS_THREAD = (
    'import os\nos.environ["OPENBLAS_NUM_THREADS"] = "1"\n'
    'os.environ["OMP_NUM_THREADS"] = "1"\n' + TIMED_HARNESS
)


def one_blas_thread(
    cases: dict[str, Case], scratch: Path, runs: int, c1_runs: int
) -> dict[str, Any]:
    """The three cases again, with one BLAS thread in both modes."""
    results: dict[str, Any] = {}
    for name, count in (("tiny", runs), ("c1-naive", c1_runs), ("c1-ridge", c1_runs)):
        case = cases[name]
        variant = Case(
            f"{name}, 1 BLAS thread",
            case.code_dir,
            case.input_dir,
            case.expected,
            ("-c", ONE_BLAS_THREAD),
        )
        results |= measure([variant], ["bare", "sandbox"], count, 2, scratch)
    return results


def timeline(tiny: Case, scratch: Path, runs: int) -> dict[str, dict[str, list[float]]]:
    """Split one harness run into start-up, program and exit, per mode.

    Start-up is from the caller's spawn to the program's first statement
    (the interpreter's own start is in both modes), program is the harness
    itself, exit is from the harness's end until the caller has the result.
    """
    import re

    from evaluations.runners.bubblewrap import BubblewrapRunner

    runner = BubblewrapRunner()
    case = Case("timeline", tiny.code_dir, tiny.input_dir, 0, ("-c", TIMED_HARNESS))
    parts: dict[str, dict[str, list[float]]] = {
        mode: {"start-up": [], "program": [], "exit": []}
        for mode in ("bare", "sandbox")
    }
    for index in range(runs + 2):
        for mode in shuffled(["bare", "sandbox"], seed=index):
            started = time.time()
            if mode == "bare":
                done = subprocess.run(  # noqa: S603 - fixed argv
                    [str(EVAL_PYTHON), "-I", "-c", TIMED_HARNESS],
                    env={
                        "PATH": "/usr/bin:/bin",
                        "LANG": "C.UTF-8",
                        "PYTHONDONTWRITEBYTECODE": "1",
                        "PORTAL_IN_DIR": str(tiny.input_dir),
                        "PORTAL_CODE_DIR": str(tiny.code_dir),
                        "PORTAL_HARNESS_DIR": str(HARNESS_DIR),
                        "PORTAL_OUT_DIR": tempfile.mkdtemp(dir=scratch),
                    },
                    capture_output=True,
                    check=True,
                )
                stderr = done.stderr
            else:
                stderr = runner.run(_spec(case, local=False)).stderr
            ended = time.time()
            found = re.search(rb"TIMELINE ([\d.]+) ([\d.]+)", stderr)
            if found is None:
                raise RuntimeError(f"timeline {mode}: {stderr[-2000:]!r}")
            first, last = float(found[1]), float(found[2])
            if index >= 2:
                parts[mode]["start-up"].append(first - started)
                parts[mode]["program"].append(last - first)
                parts[mode]["exit"].append(ended - last)
    return parts


def timeline_report(parts: dict[str, dict[str, list[float]]]) -> str:
    rows = []
    for part in ("start-up", "program", "exit"):
        bare = summarize(parts["bare"][part])["median"]
        sandbox = summarize(parts["sandbox"][part])["median"]
        rows.append([part, ms(bare), ms(sandbox), ms(sandbox - bare)])
    return markdown_table(
        ["tiny harness run", "bare median ms", "sandbox median ms", "difference ms"],
        rows,
    )


BWRAP_MINIMAL = [
    "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
    "--new-session", "--cap-drop", "ALL", "--clearenv",
    "--ro-bind", "/usr", "/usr",
    "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
    "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/",
    "--", "/usr/bin/true",
]  # fmt: skip


def pieces(uid: int, runs: int) -> dict[str, list[float]]:
    """Time the parts of the fixed cost one at a time, on an idle slot uid."""
    from evaluations.runners.bubblewrap import kill_uid
    from evaluations.runners.bubblewrap.cgroups import cgroup_parents

    bwrap = "/usr/bin/bwrap"
    no_net = [
        "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-uts",
        "--unshare-cgroup", *BWRAP_MINIMAL[1:],
    ]  # fmt: skip
    as_slot = {"user": uid, "group": uid, "extra_groups": []}
    commands: dict[str, Callable[[], object]] = {
        "a Python exec wrapper: /usr/bin/python3 -I -S -c pass": functools.partial(
            subprocess.run, ["/usr/bin/python3", "-I", "-S", "-c", "pass"], check=True
        ),
        "bwrap alone, minimal mounts, as the slot user": functools.partial(
            subprocess.run, [bwrap, *BWRAP_MINIMAL], check=True, **as_slot
        ),
        "the same without a network namespace": functools.partial(
            subprocess.run, [bwrap, *no_net], check=True, **as_slot
        ),
        "kill_uid(): one scan of /proc": functools.partial(kill_uid, uid),
        "cgroup_parents(): mountinfo + cgroup lookup": cgroup_parents,
    }
    results: dict[str, list[float]] = {label: [] for label in commands}
    for index in range(runs + 2):
        for label in shuffled(list(commands), seed=index):
            started = time.perf_counter()
            commands[label]()
            if index >= 2:
                results[label].append(time.perf_counter() - started)
            _reap_orphans()
    return results


def _reap_orphans() -> None:
    """Reap orphans adopted by this process.

    The runner made this process a child subreaper, so the pid 1 of a bwrap
    started directly above ends up here as a zombie, and zombies count
    against the slot user's RLIMIT_NPROC.
    """
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] != 0:
            pass


def pieces_report(results: dict[str, list[float]]) -> str:
    rows = [
        [label, ms(summarize(values)["median"]), ms(summarize(values)["p90"])]
        for label, values in results.items()
    ]
    return markdown_table(["piece", "median ms", "p90 ms"], rows)


def probe_report(probes: dict[str, dict[str, list[float]]]) -> str:
    rows = []
    for label, per_mode in probes.items():
        bare = summarize(per_mode["bare"])["median"]
        sandbox = summarize(per_mode["sandbox"])["median"]
        rows.append([label, ms(bare), ms(sandbox), ms(sandbox - bare)])
    return markdown_table(
        ["start-up probe", "bare median ms", "sandbox median ms", "difference ms"],
        rows,
    )


if __name__ == "__main__":
    main()
