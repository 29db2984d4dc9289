"""A warm session: the calls of one pass served by one sandboxed harness.

A rolling-origin suite makes many calls per pass (C1: 3 validation calls,
14 hidden ones, 14 per probe). Started afresh for each call, the harness
pays the interpreter, pandas and the solution's import every time: about
half a second, which dwarfs a fast solution's work. A session starts the
harness once per pass (``harness.py --session R,W``) and feeds it calls:

1. The host copies call n's inputs into ``/in/<n>`` (a read-only bind of
   a host folder, so the copy appears inside) and writes ``call <n>`` to
   the command pipe.
2. The harness runs the call, writes ``/out/predictions-<n>.json`` and
   answers ``done <n>`` on the reply pipe.
3. The host reads that file, deletes it, removes ``/in/<n>`` and only then
   stages call n+1. So a solution never sees a later origin's data while it
   can still change an earlier forecast; what it remembers of earlier
   calls is past data, which it was given anyway.

Every pass is its own session: a validation pass, the hidden pass and each
robustness probe get a fresh sandbox, so a probe's perturbed inputs can
never be compared with the clean ones in one process.

Limits per call, as for a fresh sandbox: the wall clock runs from the
command to the answer (the first call's includes start-up), and the CPU
time of each call is polled from the run's CPU accounting and the run is
killed when one call passes the budget. The process-wide rlimits and the
stdout and stderr caps are scaled by the number of calls
(``session_limits``). A solution that answers for the harness gains
nothing: the host reads only the predictions file, whose content the
solution controls in any case, and stages the next call only after that.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from evaluations.runners.base import Limits, Outcome, RunResult
from evaluations.runners.reader import read_outputs

PREDICTIONS_FILE = "predictions.json"
# How long the harness may take to exit after its last call's answer.
EXIT_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class SessionSpec:
    """The calls of one pass, served by one harness.

    ``argv`` is the harness command without ``--session``; the runner adds
    it. ``calls`` are the host folders of the calls' inputs, in order.
    ``limits`` apply to each call.
    """

    run_id: str
    code_dir: Path
    harness_dir: Path
    argv: list[str]
    calls: list[Path]
    limits: Limits = field(default_factory=Limits)


def session_limits(limits: Limits, calls: int) -> Limits:
    """The process-wide budget of a session of ``calls`` calls."""
    calls = max(calls, 1)
    return replace(
        limits,
        cpu_seconds=limits.cpu_seconds * calls,
        wall_seconds=limits.wall_seconds * calls,
        stdout_bytes=limits.stdout_bytes * calls,
        stderr_bytes=limits.stderr_bytes * calls,
    )


def output_name(index: int) -> str:
    return f"predictions-{index}.json"


def stage_inputs(
    source: Path,
    input_root: Path,
    index: int,
    *,
    copy_tree: Callable[[Path, Path], object],
) -> None:
    """Place call ``index``'s inputs at ``input_root/<index>``; drop the last."""
    copy_tree(source, input_root / str(index))
    if index > 0:
        shutil.rmtree(input_root / str(index - 1), ignore_errors=True)


class CallDriver:
    """The host's side of a session's protocol; the supervisor drives it.

    ``stage(n)`` places call n's inputs; ``cpu_now()`` returns the CPU
    seconds the run has used so far, or None when it cannot be read.
    """

    def __init__(
        self,
        *,
        calls: int,
        limits: Limits,
        out_dir: Path,
        command_fd: int,
        reply_fd: int,
        stage: Callable[[int], None],
        cpu_now: Callable[[], float | None],
        on_call: Callable[[int], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.calls = calls
        self.limits = limits
        self.out_dir = out_dir
        self.command_fd: int | None = command_fd
        self.reply_fd = reply_fd
        self._stage = stage
        self._cpu_now = cpu_now
        self._on_call = on_call
        self._clock = clock
        self.results: list[RunResult] = []
        self.failure: RunResult | None = None
        self.pending: int | None = None
        self._call_started = 0.0
        self._call_cpu: float | None = None
        self._closed_at: float | None = None
        self._buffer = b""

    # -- What the supervisor asks -----------------------------------------

    def start(self) -> None:
        self._send(0)

    def deadline(self) -> float:
        """When the current call (or the exit after the last) must be over."""
        if self.pending is not None:
            return self._call_started + self.limits.wall_seconds
        if self._closed_at is not None:
            return self._closed_at + EXIT_GRACE_SECONDS
        return self._clock() + EXIT_GRACE_SECONDS

    @property
    def finished(self) -> bool:
        """True once every call answered or one failed."""
        return self.failure is not None or len(self.results) == self.calls

    def poll(self) -> str | None:
        """Return ``"cpu"`` when the current call has used up its CPU time."""
        if self.pending is None or self._call_cpu is None:
            return None
        now = self._cpu_now()
        if now is not None and now - self._call_cpu > self.limits.cpu_seconds:
            return "cpu"
        return None

    def call_cpu_seconds(self) -> float | None:
        """The CPU time of the call in progress so far."""
        if self._call_cpu is None:
            return None
        now = self._cpu_now()
        return None if now is None else max(now - self._call_cpu, 0.0)

    def call_wall_seconds(self) -> float:
        return self._clock() - self._call_started

    def feed(self, chunk: bytes) -> None:
        """Take what the harness wrote on the reply pipe."""
        self._buffer += chunk
        while b"\n" in self._buffer and not self.finished:
            line, self._buffer = self._buffer.split(b"\n", 1)
            self._answer(line)
        if len(self._buffer) > 64 and not self.finished:
            self._fail("The harness sent an unreadable answer.")

    def close(self) -> None:
        if self.command_fd is not None:
            os.close(self.command_fd)
            self.command_fd = None
            self._closed_at = self._clock()

    # -- Steps --------------------------------------------------------------

    def _answer(self, line: bytes) -> None:
        index = self.pending
        if index is None or line != f"done {index}".encode("ascii"):
            self._fail("The harness answered out of turn; the session was stopped.")
            return
        wall = self.call_wall_seconds()
        cpu = self.call_cpu_seconds()
        self.pending = None
        read = read_outputs(
            self.out_dir, [output_name(index)], max_bytes=self.limits.output_bytes
        )
        _unlink_output(self.out_dir, output_name(index))
        if read.problems:
            self._fail("Invalid output: " + "; ".join(read.problems) + ".")
            return
        self.results.append(
            RunResult(
                outcome=Outcome.OK,
                wall_seconds=wall,
                cpu_seconds=cpu or 0.0,
                outputs={PREDICTIONS_FILE: read.files[output_name(index)]},
            )
        )
        if self._on_call is not None:
            self._on_call(index + 1)
        if index + 1 < self.calls:
            self._send(index + 1)
        else:
            self.close()

    def _send(self, index: int) -> None:
        self._stage(index)
        self.pending = index
        self._call_cpu = self._cpu_now()
        self._call_started = self._clock()
        if self.command_fd is None:
            return
        try:
            os.write(self.command_fd, f"call {index}\n".encode("ascii"))
        except OSError:
            # The harness is gone; the supervisor sees it exit and the
            # pending call takes the verdict.
            self.close()

    def _fail(self, message: str) -> None:
        self.pending = None
        self.failure = RunResult(
            outcome=Outcome.INVALID_OUTPUT,
            message=message,
            wall_seconds=self.call_wall_seconds(),
        )
        self.close()


def _unlink_output(out_dir: Path, name: str) -> None:
    """Delete a read output so the next call starts without it."""
    try:
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def session_results(
    driver: CallDriver,
    *,
    verdict: RunResult,
    peak_memory_bytes: int | None,
    stdout: bytes,
    stderr: bytes,
    stdout_truncated: bool,
    stderr_truncated: bool,
    sandboxed: bool,
) -> list[RunResult]:
    """One result per call that ran; the session's logs go on the last.

    ``verdict`` is how the harness process ended, judged with the limits of
    one call and the CPU time of the call in progress. It is the pending
    call's result; after the last call, a failed verdict (an output cap, say)
    fails the last call.
    """
    results = list(driver.results)
    if driver.failure is not None:
        results.append(driver.failure)
    elif driver.pending is not None:
        if verdict.outcome is Outcome.OK:
            verdict.outcome = Outcome.INVALID_OUTPUT
            verdict.message = (
                f"The program ended during call {driver.pending + 1} without "
                "returning its predictions."
            )
        verdict.wall_seconds = driver.call_wall_seconds()
        results.append(verdict)
    elif results and verdict.outcome is not Outcome.OK:
        last = results[-1]
        last.outcome, last.message = verdict.outcome, verdict.message
        last.exit_code, last.signal = verdict.exit_code, verdict.signal
        last.outputs = {}
    elif not results:
        results.append(verdict)
    for result in results:
        result.peak_memory_bytes = peak_memory_bytes
        result.sandboxed = sandboxed
    last = results[-1]
    last.stdout, last.stderr = stdout, stderr
    last.stdout_truncated, last.stderr_truncated = stdout_truncated, stderr_truncated
    return results
