"""``BubblewrapRunner``: one run from slot to teardown, and its checks."""

from __future__ import annotations

import functools
import logging
import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from evaluations.runners.base import Limits, Outcome, RunResult, RunSpec
from evaluations.runners.bubblewrap.cgroups import RunCgroups
from evaluations.runners.bubblewrap.config import (
    _NOBODY,
    HOST_PATH,
    SandboxConfig,
    SandboxError,
)
from evaluations.runners.bubblewrap.launcher import (
    LaunchPlan,
    _memfd,
    launcher_problems,
    rlimits_for,
    spawn_gated,
)
from evaluations.runners.bubblewrap.mounts import _unmount, become_subreaper
from evaluations.runners.bubblewrap.rundir import (
    _bwrap_options,
    _copy_tree,
    _output_folder_full,
    _prepare_run_dir,
)
from evaluations.runners.bubblewrap.seccomp import seccomp_program
from evaluations.runners.bubblewrap.slots import (
    Slot,
    _acquire_slot,
    _ensure_layout,
    _layout_problems,
    _slot_prefix,
)
from evaluations.runners.bubblewrap.supervisor import (
    Supervisor,
    kill_uid,
    kill_uid_until_clear,
)
from evaluations.runners.bubblewrap.sweep import _clean_slot, _remove_run_dir
from evaluations.runners.bubblewrap.verdict import (
    describe_size,
    judge,
    platform_error,
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

BWRAP_MISSING = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
NOT_ROOT = (
    "the bubblewrap runner must run as root: it mounts the output folder, "
    "creates cgroups and switches to per-slot user ids"
)

_OOM_SCORE_ADJ = 1000
_SMOKE_TIMEOUT_SECONDS = 20.0


@dataclass(frozen=True)
class RunTrace:
    """Where a run lived on the host, for tests and the operator's log."""

    slot: int
    uid: int
    run_dir: Path
    cgroup_dirs: tuple[Path, ...]
    limits_in_force: tuple[str, ...]
    degraded: tuple[str, ...]


_smoke_lock = threading.Lock()
_smoke_passed: set[tuple[str, str]] = set()


class BubblewrapRunner:
    """The default runner; see the module docstring."""

    name = "bubblewrap"

    def __init__(self) -> None:
        self.last_trace: RunTrace | None = None

    def check(self) -> list[str]:
        """Return the problems that stop this runner from working here."""
        try:
            config = SandboxConfig.from_settings()
        except ImproperlyConfigured as exc:
            return [str(exc)]
        return _problems(config)

    def run(self, spec: RunSpec) -> RunResult:
        """Run ``spec`` in a fresh sandbox and return its result."""
        return self._run(spec, None)[0]

    def run_session(
        self,
        spec: SessionSpec,
        on_call: Callable[[int], object] | None = None,
    ) -> list[RunResult]:
        """Serve ``spec.calls`` from one warm harness in one fresh sandbox.

        Returns one result per call that ran, stopping at the first that is
        not OK (see ``evaluations.runners.session``). ``on_call(n)`` is told
        when n calls have answered.
        """
        if not spec.calls:
            return [platform_error("A session needs at least one call.")]
        run_spec = RunSpec(
            run_id=spec.run_id,
            code_dir=spec.code_dir,
            input_dir=None,
            harness_dir=spec.harness_dir,
            argv=spec.argv,
            expected_outputs=[],
            limits=session_limits(spec.limits, len(spec.calls)),
        )
        return self._run(run_spec, _Session(spec.calls, spec.limits, on_call))

    def _run(self, spec: RunSpec, session: _Session | None) -> list[RunResult]:
        try:
            config = SandboxConfig.from_settings()
        except ImproperlyConfigured as exc:
            return [platform_error(str(exc))]
        problems = _problems(config)
        if problems:
            return [platform_error("; ".join(problems))]
        problem = spec_problem(spec)
        if problem is not None:
            return [platform_error(f"The run cannot start: {problem}.")]
        try:
            _ensure_layout(config)
            slot = _acquire_slot(config)
        except (OSError, SandboxError) as exc:
            return [platform_error(f"The sandbox folder is not usable: {exc}")]
        if slot is None:
            return [
                platform_error(
                    f"No sandbox slot became free within "
                    f"{config.slot_wait_seconds:g} s."
                )
            ]
        try:
            return self._run_in_slot(config, spec, slot, session)
        except SandboxError as exc:
            return [platform_error(str(exc))]
        except Exception as exc:
            # The contract: run() reports, it does not raise. Anything here
            # is a runner bug or a host problem, never the program's doing.
            logger.exception("sandbox run %s failed", spec.run_id)
            return [platform_error(f"The sandbox runner failed: {exc!r}")]
        finally:
            slot.release()

    def _run_in_slot(
        self,
        config: SandboxConfig,
        spec: RunSpec,
        slot: Slot,
        session: _Session | None,
    ) -> list[RunResult]:
        if not slot.was_left_clean():
            _clean_slot(config, slot.index)
        slot.mark_dirty()
        name = f"{_slot_prefix(slot.uid)}{secrets.token_hex(8)}"
        run_dir = config.runs_dir / name
        cgroups = RunCgroups()
        try:
            _prepare_run_dir(run_dir, spec, slot)
            cgroups = RunCgroups.create(
                name, spec.limits, slot_index=slot.index, cpu_cores=config.cpu_cores
            )
            degraded = list(cgroups.notes)
            in_force = [
                "namespaces",
                f"slot uid {slot.uid}",
                "rlimits",
                f"/out tmpfs {describe_size(spec.limits.output_bytes)}",
                *cgroups.active,
            ]
            program: bytes | None = None
            if config.seccomp != "off":
                program, why = seccomp_program(config.python)
                if program is None:
                    degraded.append(f"seccomp off: {why}")
                else:
                    in_force.append("seccomp")
            else:
                degraded.append("seccomp off: PORTAL_SANDBOX_SECCOMP is False")
            address_space = config.address_space_limit or not cgroups.has_memory
            if address_space:
                in_force.append("RLIMIT_AS")
            self.last_trace = RunTrace(
                slot=slot.index,
                uid=slot.uid,
                run_dir=run_dir,
                cgroup_dirs=tuple(cgroups.dirs.values()),
                limits_in_force=tuple(in_force),
                degraded=tuple(degraded),
            )
            results = self._spawn(
                config, spec, slot, run_dir, cgroups, program, address_space, session
            )
            if degraded:
                note = f"(sandbox degraded: {'; '.join(degraded)})"
                for result in results:
                    result.message = f"{result.message} {note}".strip()
            return results
        finally:
            cgroups.kill_all()
            _killed, no_process_left = kill_uid_until_clear(slot.uid)
            unmounted = _unmount(run_dir / "out") if run_dir.exists() else True
            if unmounted and os.path.lexists(run_dir):
                _remove_run_dir(run_dir)
            cgroups_removed = cgroups.remove()
            if (
                no_process_left
                and unmounted
                and not os.path.lexists(run_dir)
                and cgroups_removed
            ):
                slot.mark_clean()

    def _spawn(
        self,
        config: SandboxConfig,
        spec: RunSpec,
        slot: Slot,
        run_dir: Path,
        cgroups: RunCgroups,
        seccomp: bytes | None,
        address_space: bool,
        session: _Session | None,
    ) -> list[RunResult]:
        limits = spec.limits
        to_close: list[int] = []
        argv = list(spec.argv)
        driver: CallDriver | None = None
        try:
            status_r, status_w = os.pipe()
            to_close += [status_r, status_w]
            pass_fds = [status_w]
            if session is not None:
                command_r, command_w = os.pipe()
                reply_r, reply_w = os.pipe()
                to_close += [command_r, command_w, reply_r, reply_w]
                pass_fds += [command_r, reply_w]
                argv += ["--session", f"{command_r},{reply_w}"]
                driver = session.driver(
                    run_dir=run_dir,
                    command_fd=command_w,
                    reply_fd=reply_r,
                    cpu_now=cgroups.cpu_seconds,
                )
                # The driver closes the command pipe's write end itself.
                to_close.remove(command_w)
            seccomp_fd = None
            if seccomp is not None:
                seccomp_fd = _memfd("portal-seccomp", seccomp)
                to_close.append(seccomp_fd)
            options = _bwrap_options(
                run_dir, limits, config, status_fd=status_w, seccomp_fd=seccomp_fd
            )
            args_fd = _memfd(
                "portal-bwrap-args", b"".join(o.encode() + b"\0" for o in options)
            )
            to_close.append(args_fd)
            plan = LaunchPlan(
                argv=[config.bwrap, "--args", str(args_fd), "--", *argv],
                env={"PATH": HOST_PATH},
                error_fd=-1,
                rlimits=rlimits_for(limits, address_space=address_space, nproc=True),
                cgroup_procs=cgroups.procs_files(),
                oom_score_adj=_OOM_SCORE_ADJ,
                uid=slot.uid,
                gid=slot.uid,
            )
            pass_fds.append(args_fd)
            if seccomp_fd is not None:
                pass_fds.append(seccomp_fd)
            become_subreaper()
            started = time.monotonic()
            proc = spawn_gated(plan, pass_fds=pass_fds)
            # Only the child may hold the write end: its end of file is how
            # the supervisor learns that bwrap is gone.
            for fd in pass_fds:
                os.close(fd)
                to_close.remove(fd)
            supervisor = Supervisor(
                proc,
                limits,
                started=started,
                status_fd=status_r,
                extra_kill=functools.partial(_sweep_run, cgroups, slot.uid),
                session=driver,
            )
            supervision = supervisor.run()
        finally:
            for fd in to_close:
                os.close(fd)
            if driver is not None:
                driver.close()
        # Nothing of the run may still write to /out while it is read.
        _sweep_run(cgroups, slot.uid)
        stats = cgroups.stats()
        out_dir = run_dir / "out"
        judged_limits, judged_stats = limits, stats
        if driver is not None and session is not None:
            # The call in progress is judged against one call's budget.
            judged_limits = replace(
                session.limits,
                stdout_bytes=limits.stdout_bytes,
                stderr_bytes=limits.stderr_bytes,
            )
            judged_stats = replace(stats, cpu_seconds=driver.call_cpu_seconds())
        verdict = judge(
            supervision,
            judged_limits,
            exit_code=supervision.reported_exit_code(),
            stats=judged_stats,
            output_full=_output_folder_full(out_dir),
        )
        result = RunResult(
            outcome=verdict.outcome,
            message=verdict.message,
            exit_code=verdict.exit_code,
            signal=verdict.signal,
            wall_seconds=supervision.wall_seconds,
            cpu_seconds=(
                stats.cpu_seconds
                if stats.cpu_seconds is not None
                else supervision.cpu_seconds
            ),
            peak_memory_bytes=stats.peak_memory_bytes or supervision.max_rss_bytes,
            stdout=supervision.stdout,
            stderr=supervision.stderr,
            stdout_truncated=supervision.stdout_truncated,
            stderr_truncated=supervision.stderr_truncated,
        )
        if stats.pids_limit_hits and result.outcome is not Outcome.OK:
            result.message += (
                f" The process limit ({limits.processes}) was reached "
                f"{stats.pids_limit_hits} time(s)."
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
                sandboxed=True,
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


@dataclass(frozen=True)
class _Session:
    """What ``run_session`` hands to the spawn: the calls and their budget."""

    calls: list[Path]
    limits: Limits
    on_call: Callable[[int], object] | None

    def driver(
        self,
        *,
        run_dir: Path,
        command_fd: int,
        reply_fd: int,
        cpu_now: Callable[[], float | None],
    ) -> CallDriver:
        input_root = run_dir / "in"
        return CallDriver(
            calls=len(self.calls),
            limits=self.limits,
            out_dir=run_dir / "out",
            command_fd=command_fd,
            reply_fd=reply_fd,
            stage=lambda index: stage_inputs(
                self.calls[index], input_root, index, copy_tree=_copy_tree
            ),
            cpu_now=cpu_now,
            on_call=self.on_call,
        )


def _sweep_run(cgroups: RunCgroups, uid: int) -> None:
    """Kill what is left of the run before its outputs are read.

    Every process of the run is in its cgroups (membership is inherited and
    an unprivileged process cannot leave), so with cgroups that is enough;
    without them, every process of the slot user. The final clean-up scans
    by user in any case.
    """
    cgroups.kill_all()
    if not cgroups.dirs:
        kill_uid(uid)


def _problems(config: SandboxConfig) -> list[str]:
    if not os.path.isfile(config.bwrap) or not os.access(config.bwrap, os.X_OK):
        return [BWRAP_MISSING]
    problems = []
    if os.geteuid() != 0:
        problems.append(NOT_ROOT)
    if not os.path.isfile(config.python) or not os.access(config.python, os.X_OK):
        problems.append(
            f"{config.python} is missing: the sandbox launcher needs Debian's "
            "python3 (apt-get install python3)"
        )
    problems += launcher_problems()
    problems += _layout_problems(config)
    if config.eval_venv is not None:
        venv = config.eval_venv
        if not (venv / "pyvenv.cfg").is_file():
            problems.append(f"the evaluation virtualenv {venv} has no pyvenv.cfg")
        elif not all(os.stat(part).st_mode & 0o001 for part in [*venv.parents, venv]):
            problems.append(
                f"the evaluation virtualenv {venv} must be readable by any user "
                "(every folder on its path needs o+x)"
            )
    if config.seccomp == "on" and not problems:
        program, why = seccomp_program(config.python)
        if program is None:
            problems.append(f"PORTAL_SANDBOX_SECCOMP is True but {why}")
    if not problems:
        smoke = _smoke_test(config)
        if smoke is not None:
            problems.append(smoke)
    return problems


def _smoke_test(config: SandboxConfig) -> str | None:
    """Start one trivial sandbox as an unprivileged user; cache success."""
    key = (config.bwrap, config.python)
    with _smoke_lock:
        if key in _smoke_passed:
            return None
        error_r, error_w = os.pipe()
        argv = [
            config.bwrap,
            "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--clearenv",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc", "--dev", "/dev",
            "--remount-ro", "/",
            "--", "/usr/bin/true",
        ]  # fmt: skip
        plan = LaunchPlan(
            argv=argv,
            env={"PATH": HOST_PATH},
            error_fd=error_w,
            uid=_NOBODY,
            gid=_NOBODY,
        )
        try:
            with subprocess.Popen(  # noqa: S603 - fixed launcher, list argv
                plan.command(config.python),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                close_fds=True,
                pass_fds=[error_w],
                start_new_session=True,
                env={"PATH": HOST_PATH},
                cwd="/",
            ) as proc:
                os.close(error_w)
                error_w = -1
                try:
                    _, stderr = proc.communicate(timeout=_SMOKE_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.communicate()
                    return "bubblewrap did not finish a trivial sandbox in time"
            os.set_blocking(error_r, False)
            try:
                launcher = os.read(error_r, 4096).decode("utf-8", "replace")
            except BlockingIOError:
                launcher = ""
        finally:
            os.close(error_r)
            if error_w != -1:
                os.close(error_w)
        if proc.returncode != 0:
            detail = launcher or stderr.decode("utf-8", "replace").strip()
            return f"bubblewrap cannot create a sandbox here: {detail[:300]}"
        _smoke_passed.add(key)
        return None
