"""Verdicts: map how a run ended to an ``Outcome``; refuse bad specs."""

from __future__ import annotations

import signal
from dataclasses import dataclass

from evaluations.runners.base import KIB, MIB, Limits, Outcome, RunResult, RunSpec
from evaluations.runners.bubblewrap.cgroups import CgroupStats
from evaluations.runners.bubblewrap.supervisor import Supervision
from evaluations.runners.reader import output_name_problem


def describe_size(value: int) -> str:
    if value >= MIB and value % MIB == 0:
        return f"{value // MIB} MiB"
    if value >= KIB and value % KIB == 0:
        return f"{value // KIB} KiB"
    return f"{value} bytes"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _ends_with_memory_error(stderr: bytes) -> bool:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return bool(lines) and lines[-1].startswith("MemoryError")


@dataclass
class Verdict:
    outcome: Outcome
    message: str
    exit_code: int | None = None
    signal: int | None = None


def judge(
    supervision: Supervision,
    limits: Limits,
    *,
    exit_code: int | None,
    stats: CgroupStats,
    output_full: bool,
) -> Verdict:
    """Map how a run ended to an ``Outcome`` (outputs not yet read).

    ``exit_code`` is the program's code as bwrap reported it (128 + n for
    signal n), or None when bwrap never ran the program.
    """
    killed = supervision.killed_for
    cpu_seconds = (
        stats.cpu_seconds if stats.cpu_seconds is not None else supervision.cpu_seconds
    )
    if supervision.launcher_error:
        return Verdict(
            Outcome.PLATFORM_ERROR,
            f"The sandbox launcher failed: {supervision.launcher_error}",
        )
    if killed in {"stdout", "stderr"}:
        cap = limits.stdout_bytes if killed == "stdout" else limits.stderr_bytes
        return Verdict(
            Outcome.OUTPUT_LIMIT,
            f"The program wrote more than {describe_size(cap)} to {killed} and was stopped.",
            signal=signal.SIGKILL,
        )
    if killed == "wall":
        return Verdict(
            Outcome.WALL_TIME,
            f"The program ran longer than the wall-clock limit of "
            f"{limits.wall_seconds:g} s and was stopped.",
            signal=signal.SIGKILL,
        )
    if killed == "cpu":
        return Verdict(
            Outcome.CPU_TIME,
            f"The program used more than its CPU time limit of "
            f"{limits.cpu_seconds} s in one call and was stopped.",
            signal=signal.SIGKILL,
        )
    memory = f"The program exceeded its memory limit of {describe_size(limits.memory_bytes)}."
    if stats.oom_kills > 0:
        return Verdict(Outcome.MEMORY, memory, signal=signal.SIGKILL)
    if exit_code is None:
        detail = supervision.stderr.decode("utf-8", "replace").strip()
        return Verdict(
            Outcome.PLATFORM_ERROR,
            "The sandbox could not start the program"
            + (f": {detail[:500]}" if detail else "."),
        )
    if exit_code > 128:
        number = exit_code - 128
        if number == signal.SIGKILL and stats.memory_failcnt > 0:
            return Verdict(Outcome.MEMORY, memory, signal=number)
        if number == signal.SIGXCPU or (
            number == signal.SIGKILL and cpu_seconds >= limits.cpu_seconds * 0.95
        ):
            return Verdict(
                Outcome.CPU_TIME,
                f"The program used more than its CPU time limit of "
                f"{limits.cpu_seconds} s.",
                signal=number,
            )
        if output_full:
            return Verdict(
                Outcome.OUTPUT_LIMIT, _output_full_message(limits), signal=number
            )
        return Verdict(
            Outcome.SIGNALLED,
            f"The program was killed by {_signal_name(number)}.",
            signal=number,
        )
    if exit_code != 0:
        if _ends_with_memory_error(supervision.stderr):
            return Verdict(Outcome.MEMORY, memory, exit_code=exit_code)
        if output_full:
            return Verdict(
                Outcome.OUTPUT_LIMIT, _output_full_message(limits), exit_code=exit_code
            )
        return Verdict(
            Outcome.RUNTIME_ERROR,
            f"The program exited with status {exit_code}.",
            exit_code=exit_code,
        )
    if output_full:
        return Verdict(Outcome.OUTPUT_LIMIT, _output_full_message(limits), exit_code=0)
    return Verdict(Outcome.OK, "", exit_code=0)


def _output_full_message(limits: Limits) -> str:
    return (
        f"The output folder is full (at most {describe_size(limits.output_bytes)} "
        f"in {limits.output_files} files)."
    )


def spec_problem(spec: RunSpec) -> str | None:
    """Return why ``spec`` cannot be run at all, or None."""
    if not spec.argv or not all(isinstance(arg, str) and arg for arg in spec.argv):
        return "the command (argv) is empty or has an empty argument"
    if any("\0" in arg for arg in spec.argv):
        return "the command (argv) contains a NUL character"
    for name in spec.expected_outputs:
        problem = output_name_problem(name)
        if problem is not None:
            return problem
    limits = spec.limits
    numbers = (
        limits.wall_seconds,
        limits.cpu_seconds,
        limits.memory_bytes,
        limits.processes,
        limits.file_size_bytes,
        limits.open_files,
        limits.tmp_bytes,
        limits.output_bytes,
        limits.output_files,
        limits.stdout_bytes,
        limits.stderr_bytes,
    )
    if any(number <= 0 for number in numbers):
        return "every limit must be positive"
    return None


def platform_error(message: str, *, sandboxed: bool = True) -> RunResult:
    return RunResult(
        outcome=Outcome.PLATFORM_ERROR, message=message, sandboxed=sandboxed
    )
