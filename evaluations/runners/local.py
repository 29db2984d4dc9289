"""An unsandboxed runner for local development only.

It runs the command as the worker's own user, with the worker's view of
the filesystem and the network: vendor code could read labels, secrets and
anything else the worker can. It is therefore refused unless *both*
``settings.DEBUG`` and ``settings.PORTAL_ALLOW_UNSANDBOXED`` are True:
construction raises ``ImproperlyConfigured``, and ``run()`` re-checks and
returns ``PLATFORM_ERROR`` in case the settings changed since.

What it still does: rlimits (CPU, file size, open files, core, and the
address space as the memory limit) through the same exec wrapper as the
bubblewrap runner, the wall-clock kill of the process group, the stdout
and stderr caps, and the safe output reader. The sandbox paths ``/in``,
``/code``, ``/harness`` and ``/out`` at the start of an argv element are
rewritten to the real folders, and ``PORTAL_IN_DIR``, ``PORTAL_CODE_DIR``,
``PORTAL_HARNESS_DIR`` and ``PORTAL_OUT_DIR`` name them, as they do (with
the sandbox paths) inside the bubblewrap sandbox.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from evaluations.runners.base import Outcome, RunResult, RunSpec
from evaluations.runners.bubblewrap import (
    CODE_DIR,
    HARNESS_DIR,
    HOST_PATH,
    IN_DIR,
    OUT_DIR,
    CgroupStats,
    LaunchPlan,
    Supervisor,
    judge,
    platform_error,
    rlimits_for,
    sandbox_env,
    spec_problem,
)
from evaluations.runners.reader import read_outputs
from evaluations.runners.session import (
    CallDriver,
    SessionSpec,
    session_limits,
    session_results,
    stage_inputs,
)

logger = logging.getLogger(__name__)

NOT_ALLOWED = (
    "The local runner runs vendor code without any sandbox; it needs "
    "PORTAL_ALLOW_UNSANDBOXED = True, for local development only."
)
NOT_DEBUG = (
    "The local runner runs vendor code without any sandbox and is refused "
    "when DEBUG is False."
)


def refusal() -> str | None:
    """Return why the local runner may not run here, or None."""
    if not getattr(settings, "PORTAL_ALLOW_UNSANDBOXED", False):
        return NOT_ALLOWED
    if not settings.DEBUG:
        return NOT_DEBUG
    return None


def _launcher_python() -> str:
    return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


class LocalRunner:
    """Run the command directly on the host; see the module docstring."""

    name = "local"

    def __init__(self) -> None:
        problem = refusal()
        if problem is not None:
            raise ImproperlyConfigured(problem)

    def check(self) -> list[str]:
        problem = refusal()
        return [] if problem is None else [problem]

    def run(self, spec: RunSpec) -> RunResult:
        return self._start(spec, None)[0]

    def run_session(
        self,
        spec: SessionSpec,
        on_call: Callable[[int], object] | None = None,
    ) -> list[RunResult]:
        """Serve ``spec.calls`` from one harness, as the bubblewrap runner does."""
        if not spec.calls:
            return [
                platform_error("A session needs at least one call.", sandboxed=False)
            ]
        run_spec = RunSpec(
            run_id=spec.run_id,
            code_dir=spec.code_dir,
            input_dir=None,
            harness_dir=spec.harness_dir,
            argv=spec.argv,
            expected_outputs=[],
            limits=session_limits(spec.limits, len(spec.calls)),
        )
        return self._start(run_spec, (spec, on_call))

    def _start(
        self,
        spec: RunSpec,
        session: tuple[SessionSpec, Callable[[int], object] | None] | None,
    ) -> list[RunResult]:
        problem = refusal() or spec_problem(spec)
        if problem is not None:
            return [platform_error(problem, sandboxed=False)]
        scratch = Path(tempfile.mkdtemp(prefix="portal-local-run-"))
        try:
            return self._run(spec, scratch, session)
        except OSError as exc:
            logger.exception("local run %s failed", spec.run_id)
            return [platform_error(f"The local runner failed: {exc}", sandboxed=False)]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _run(
        self,
        spec: RunSpec,
        scratch: Path,
        session: tuple[SessionSpec, Callable[[int], object] | None] | None,
    ) -> list[RunResult]:
        limits = spec.limits
        out_dir = scratch / "out"
        tmp_dir = scratch / "tmp"
        out_dir.mkdir()
        tmp_dir.mkdir()
        if spec.input_dir is None:
            in_dir = scratch / "in"
            in_dir.mkdir()
        else:
            in_dir = Path(spec.input_dir).resolve()
        mapping = {
            IN_DIR: str(in_dir),
            CODE_DIR: str(Path(spec.code_dir).resolve()),
            HARNESS_DIR: str(Path(spec.harness_dir).resolve()),
            OUT_DIR: str(out_dir),
        }
        argv = [_rewrite(arg, mapping) for arg in spec.argv]
        env = sandbox_env(
            {
                "tmp": str(tmp_dir),
                "in": mapping[IN_DIR],
                "code": mapping[CODE_DIR],
                "harness": mapping[HARNESS_DIR],
                "out": mapping[OUT_DIR],
            }
        )
        if not os.path.isabs(argv[0]):
            found = shutil.which(argv[0], path=HOST_PATH)
            if found is None:
                return [platform_error(f"{argv[0]} was not found.", sandboxed=False)]
            argv[0] = found
        error_r, error_w = os.pipe()
        child_fds = [error_w]
        host_fds = [error_r]
        driver: CallDriver | None = None
        pid: list[int] = []
        try:
            if session is not None:
                session_spec, on_call = session
                command_r, command_w = os.pipe()
                reply_r, reply_w = os.pipe()
                child_fds += [command_r, reply_w]
                host_fds.append(reply_r)
                argv += ["--session", f"{command_r},{reply_w}"]
                calls = session_spec.calls
                driver = CallDriver(
                    calls=len(calls),
                    limits=session_spec.limits,
                    out_dir=out_dir,
                    command_fd=command_w,
                    reply_fd=reply_r,
                    stage=lambda index: stage_inputs(
                        calls[index], in_dir, index, copy_tree=_copy_tree
                    ),
                    cpu_now=lambda: _process_cpu_seconds(pid[0]) if pid else None,
                    on_call=on_call,
                )
            plan = LaunchPlan(
                argv=argv,
                env=env,
                error_fd=error_w,
                rlimits=rlimits_for(limits, address_space=True, nproc=False),
            )
            started = time.monotonic()
            proc = subprocess.Popen(  # noqa: S603 - development-only runner
                plan.command(_launcher_python()),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                close_fds=True,
                pass_fds=child_fds,
                start_new_session=True,
                env={"PATH": HOST_PATH},
                cwd=tmp_dir,
            )
            pid.append(proc.pid)
            for fd in child_fds:
                os.close(fd)
            child_fds = []
            supervision = Supervisor(
                proc, limits, started=started, error_fd=error_r, session=driver
            ).run()
        finally:
            for fd in [*child_fds, *host_fds]:
                os.close(fd)
            if driver is not None:
                driver.close()
        status = supervision.exit_status
        # The program's own code, in bwrap's convention (128 + n for signal n).
        exit_code = status if status >= 0 else 128 - status
        judged_limits, stats = limits, CgroupStats()
        if driver is not None and session is not None:
            judged_limits = replace(
                session[0].limits,
                stdout_bytes=limits.stdout_bytes,
                stderr_bytes=limits.stderr_bytes,
            )
            stats = CgroupStats(cpu_seconds=driver.call_cpu_seconds())
        verdict = judge(
            supervision,
            judged_limits,
            exit_code=exit_code,
            stats=stats,
            output_full=False,
        )
        result = RunResult(
            outcome=verdict.outcome,
            message=verdict.message,
            exit_code=verdict.exit_code,
            signal=verdict.signal,
            wall_seconds=supervision.wall_seconds,
            cpu_seconds=supervision.cpu_seconds,
            peak_memory_bytes=supervision.max_rss_bytes,
            stdout=supervision.stdout,
            stderr=supervision.stderr,
            stdout_truncated=supervision.stdout_truncated,
            stderr_truncated=supervision.stderr_truncated,
            sandboxed=False,
        )
        if driver is not None:
            return session_results(
                driver,
                verdict=result,
                peak_memory_bytes=result.peak_memory_bytes,
                stdout=result.stdout,
                stderr=result.stderr,
                stdout_truncated=result.stdout_truncated,
                stderr_truncated=result.stderr_truncated,
                sandboxed=False,
            )
        if result.outcome is Outcome.OK:
            read = read_outputs(
                out_dir, spec.expected_outputs, max_bytes=limits.output_bytes
            )
            result.outputs = read.files
            if read.problems:
                result.outcome = Outcome.INVALID_OUTPUT
                result.message = "Invalid output: " + "; ".join(read.problems) + "."
        return [result]


def _copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)


def _process_cpu_seconds(pid: int) -> float | None:
    """User and system time of ``pid`` and its reaped children, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def _rewrite(arg: str, mapping: dict[str, str]) -> str:
    for sandbox_path, host_path in mapping.items():
        if arg == sandbox_path or arg.startswith(sandbox_path + "/"):
            return host_path + arg[len(sandbox_path) :]
    return arg
