"""The runners around the sandbox: configuration, refusals, slots, sweeping."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from evaluations.runners import get_runner
from evaluations.runners.base import Outcome
from evaluations.runners.bubblewrap import (
    BWRAP_MISSING,
    BubblewrapRunner,
    cgroup_parents,
    hold_slot,
    mounts_under,
    sweep_stale,
)
from evaluations.runners.local import NOT_ALLOWED, NOT_DEBUG, LocalRunner
from tests.evaluations.sandbox_fixtures import (
    SMALL,
    Sandbox,
    primary,
    processes_of_uid,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
# A base folder and uid range of their own, so these tests never touch the
# slots that concurrent tests (other xdist workers) are using.
PRIVATE_UID_BASE = 61900


@pytest.fixture
def private_base(settings: Any) -> Iterator[Path]:
    base = Path(f"/tmp/portal-sandbox-test-{secrets.token_hex(6)}")  # noqa: S108
    settings.PORTAL_SANDBOX_DIR = str(base)
    settings.PORTAL_SANDBOX_UID_BASE = PRIVATE_UID_BASE
    settings.PORTAL_SANDBOX_SLOTS = 1
    yield base
    for mountpoint in mounts_under(base):
        subprocess.run(["/usr/bin/umount", "-l", str(mountpoint)], check=False)  # noqa: S603
    shutil.rmtree(base, ignore_errors=True)


# --------------------------------------------------------------------------
# Configuration and refusals


def test_it_reports_a_missing_bwrap_and_runs_nothing(
    sandbox: Sandbox, settings: Any
) -> None:
    settings.PORTAL_SANDBOX_BWRAP = "/nonexistent/bwrap"
    runner = BubblewrapRunner()

    assert runner.check() == [BWRAP_MISSING]
    result = runner.run(sandbox.spec("benign"))

    assert result.outcome is Outcome.PLATFORM_ERROR
    assert result.message == (
        "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    )
    assert runner.last_trace is None
    assert result.stdout == b""


def test_it_reports_a_program_that_cannot_start(sandbox: Sandbox) -> None:
    runner = BubblewrapRunner()
    spec = replace(sandbox.spec("benign"), argv=["/nonexistent/python"])

    result = runner.run(spec)

    assert result.outcome is Outcome.PLATFORM_ERROR
    assert primary(result.message) == (
        "The sandbox could not start the program: "
        "bwrap: execvp /nonexistent/python: No such file or directory"
    )


def test_it_refuses_an_output_name_that_is_a_path(sandbox: Sandbox) -> None:
    runner = BubblewrapRunner()

    result = runner.run(sandbox.spec("benign", expected_outputs=("../labels.csv",)))

    assert result.outcome is Outcome.PLATFORM_ERROR
    assert result.message == (
        "The run cannot start: output name '../labels.csv' is not a plain file name."
    )
    assert runner.last_trace is None


def test_it_lists_the_limits_in_force(sandbox: Sandbox) -> None:
    runner = BubblewrapRunner()

    result = runner.run(sandbox.spec("benign", expected_outputs=("predictions.json",)))

    assert result.outcome is Outcome.OK, result
    assert runner.last_trace is not None
    in_force = runner.last_trace.limits_in_force
    assert in_force[:3] == (
        "namespaces",
        f"slot uid {runner.last_trace.uid}",
        "rlimits",
    )
    # Whatever the machine lacks is said in the message, never hidden.
    if runner.last_trace.degraded:
        assert "(sandbox degraded: " in result.message
    else:
        assert result.message == ""


def test_seccomp_can_be_switched_off(sandbox: Sandbox, settings: Any) -> None:
    settings.PORTAL_SANDBOX_SECCOMP = False
    runner = BubblewrapRunner()

    result = runner.run(sandbox.spec("benign", expected_outputs=("predictions.json",)))

    assert result.outcome is Outcome.OK, result
    assert "seccomp off: PORTAL_SANDBOX_SECCOMP is False" in result.message
    assert runner.last_trace is not None
    assert "seccomp" not in runner.last_trace.limits_in_force


def test_a_missing_seccomp_module_is_said_not_hidden(
    sandbox: Sandbox, settings: Any
) -> None:
    # The test interpreter's virtualenv has no python3-seccomp.
    settings.PORTAL_SANDBOX_PYTHON = sys.executable
    settings.PORTAL_SANDBOX_SECCOMP = "auto"
    runner = BubblewrapRunner()

    result = runner.run(sandbox.spec("benign", expected_outputs=("predictions.json",)))

    assert result.outcome is Outcome.OK, result
    assert "seccomp off: python3-seccomp is not installed" in result.message


def test_a_required_seccomp_filter_must_be_available(
    sandbox: Sandbox, settings: Any
) -> None:
    settings.PORTAL_SANDBOX_PYTHON = sys.executable
    settings.PORTAL_SANDBOX_SECCOMP = True

    assert BubblewrapRunner().check() == [
        "PORTAL_SANDBOX_SECCOMP is True but python3-seccomp is not installed"
    ]


def test_an_address_space_limit_turns_a_memory_bomb_into_memory_error(
    sandbox: Sandbox, settings: Any
) -> None:
    """Case 23b: RLIMIT_AS gives a clean MemoryError instead of the OOM killer."""
    settings.PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT = True

    run = sandbox.run("memory_bomb")

    assert run.result.outcome is Outcome.MEMORY, run.result
    assert run.result.stderr.strip().endswith(b"MemoryError")
    sandbox.assert_contained(run)


def test_the_evaluation_venv_is_bound_read_only_at_venv(
    sandbox: Sandbox, settings: Any
) -> None:
    venv = Path(f"/tmp/portal-venv-test-{secrets.token_hex(6)}")  # noqa: S108
    (venv / "bin").mkdir(parents=True)
    venv.chmod(0o755)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    settings.PORTAL_SANDBOX_EVAL_VENV = str(venv)
    try:
        run = sandbox.run("venv_probe")
    finally:
        shutil.rmtree(venv)

    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["listing"] == ["bin", "pyvenv.cfg"]
    assert run.report["config"] == "home = /usr/bin\n"
    assert run.report["write"] == "EROFS"
    sandbox.assert_contained(run)


def test_a_bad_seccomp_setting_is_a_problem(settings: Any) -> None:
    settings.PORTAL_SANDBOX_SECCOMP = "maybe"

    assert BubblewrapRunner().check() == [
        "PORTAL_SANDBOX_SECCOMP must be 'auto', True or False, got 'maybe'."
    ]


def test_a_missing_evaluation_venv_is_a_problem(settings: Any) -> None:
    settings.PORTAL_SANDBOX_EVAL_VENV = "/nonexistent/eval-env"

    assert BubblewrapRunner().check() == [
        "the evaluation virtualenv /nonexistent/eval-env has no pyvenv.cfg"
    ]


def test_get_runner_returns_bubblewrap_by_default(settings: Any) -> None:
    assert isinstance(get_runner(), BubblewrapRunner)


def test_get_runner_refuses_an_unknown_runner(settings: Any) -> None:
    settings.PORTAL_SANDBOX_RUNNER = "docker"

    with pytest.raises(ImproperlyConfigured, match="must be 'bubblewrap' or 'local'"):
        get_runner()


def test_the_local_runner_needs_an_explicit_setting(settings: Any) -> None:
    settings.PORTAL_SANDBOX_RUNNER = "local"
    settings.DEBUG = True

    with pytest.raises(ImproperlyConfigured) as raised:
        get_runner()

    assert str(raised.value) == NOT_ALLOWED


def test_the_local_runner_is_refused_without_debug(settings: Any) -> None:
    settings.PORTAL_ALLOW_UNSANDBOXED = True
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured) as raised:
        LocalRunner()

    assert str(raised.value) == NOT_DEBUG


def test_the_local_runner_runs_a_program_unsandboxed(
    tmp_path: Path, settings: Any, canary: str
) -> None:
    settings.PORTAL_ALLOW_UNSANDBOXED = True
    settings.DEBUG = True
    sandbox = Sandbox(tmp_path, canary)
    runner = LocalRunner()

    result = runner.run(sandbox.spec("benign", expected_outputs=("predictions.json",)))

    assert result.outcome is Outcome.OK, result
    assert result.sandboxed is False
    assert result.outputs == {"predictions.json": b"[3, 3, 3, 23]"}


def test_the_local_runner_still_kills_at_the_wall_clock(
    tmp_path: Path, settings: Any, canary: str
) -> None:
    settings.PORTAL_ALLOW_UNSANDBOXED = True
    settings.DEBUG = True
    sandbox = Sandbox(tmp_path, canary)
    limits = replace(SMALL, wall_seconds=0.5)

    result = LocalRunner().run(sandbox.spec("sleep_long", limits=limits))

    assert result.outcome is Outcome.WALL_TIME
    assert result.sandboxed is False


def test_the_local_runner_rechecks_its_settings_on_each_run(
    tmp_path: Path, settings: Any, canary: str
) -> None:
    settings.PORTAL_ALLOW_UNSANDBOXED = True
    settings.DEBUG = True
    runner = LocalRunner()
    settings.DEBUG = False

    result = runner.run(Sandbox(tmp_path, canary).spec("benign"))

    assert result.outcome is Outcome.PLATFORM_ERROR
    assert result.message == NOT_DEBUG
    assert result.sandboxed is False


# --------------------------------------------------------------------------
# Slots and cleanup


def test_it_waits_for_a_slot_and_then_gives_up(
    sandbox: Sandbox, settings: Any, private_base: Path
) -> None:
    settings.PORTAL_SANDBOX_SLOT_WAIT_SECONDS = 0.2
    runner = BubblewrapRunner()

    with hold_slot(0):
        result = runner.run(sandbox.spec("benign"))

    assert result.outcome is Outcome.PLATFORM_ERROR
    assert result.message == "No sandbox slot became free within 0.2 s."
    assert runner.last_trace is None


def reap_adopted_zombies(uid: int) -> None:
    """Reap sandbox processes this process adopted as subreaper.

    A runner in this process made it a subreaper, so bwrap's processes,
    orphaned when their runner was killed, may end up as its children.
    """
    for pid, state in processes_of_uid(uid):
        if state.startswith("Z"):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


_KILLED_RUNNER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import django

    django.setup()
    from django.conf import settings

    settings.PORTAL_SANDBOX_DIR = sys.argv[1]
    settings.PORTAL_SANDBOX_UID_BASE = int(sys.argv[2])
    settings.PORTAL_SANDBOX_SLOTS = 1
    settings.PORTAL_SANDBOX_EVAL_VENV = None
    from evaluations.runners.base import Limits, RunSpec
    from evaluations.runners.bubblewrap import BubblewrapRunner

    code = Path(sys.argv[3])
    BubblewrapRunner().run(
        RunSpec(
            run_id="killed",
            code_dir=code,
            input_dir=code,
            harness_dir=code,
            argv=["/usr/bin/python3", "-c", "import time; time.sleep(60)"],
            expected_outputs=[],
            limits=Limits(wall_seconds=60),
        )
    )
    """
)


def test_a_killed_runner_takes_its_sandbox_along_and_the_sweep_cleans_up(
    require_bwrap: None, tmp_path: Path, private_base: Path
) -> None:
    """Case 49: SIGKILL the runner mid-run; sweep_stale() removes the rest."""
    code = tmp_path / "code"
    code.mkdir()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    runner = subprocess.Popen(  # noqa: S603 - the test's own interpreter
        [
            sys.executable,
            "-c",
            _KILLED_RUNNER,
            str(private_base),
            str(PRIVATE_UID_BASE),
            str(code),
        ],
        cwd=PROJECT_DIR,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while len(processes_of_uid(PRIVATE_UID_BASE)) < 3:
            assert time.monotonic() < deadline, "the sandbox never started"
            assert runner.poll() is None, "the runner exited early"
            time.sleep(0.05)
        runner.send_signal(signal.SIGKILL)
        runner.wait()
        deadline = time.monotonic() + 2
        while processes_of_uid(PRIVATE_UID_BASE) and time.monotonic() < deadline:
            reap_adopted_zombies(PRIVATE_UID_BASE)
            time.sleep(0.05)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()

    # --die-with-parent took the sandbox down with its runner ...
    assert processes_of_uid(PRIVATE_UID_BASE) == []
    # ... but the run folder, its tmpfs and its cgroups are left over.
    runs = private_base / "runs"
    (stale,) = list(runs.iterdir())
    assert stale.name.startswith(f"u{PRIVATE_UID_BASE}-")
    assert mounts_under(stale) == [stale / "out"]
    cgroups = [parent / stale.name for parent in cgroup_parents(create=False).values()]
    assert any(path.exists() for path in cgroups)

    removed = sweep_stale()

    assert f"unmounted {stale / 'out'}" in removed
    assert f"removed {stale}" in removed
    assert list(runs.iterdir()) == []
    assert mounts_under(private_base) == []
    assert not any(path.exists() for path in cgroups)
    assert sweep_stale() == []


def test_the_sweep_leaves_a_slot_in_use_alone(
    require_bwrap: None, private_base: Path
) -> None:
    stale = private_base / "runs" / f"u{PRIVATE_UID_BASE}-0000"
    stale.mkdir(parents=True)

    with hold_slot(0):
        assert sweep_stale() == []
        assert stale.exists()

    assert sweep_stale() == [f"removed {stale}"]
    assert not stale.exists()


# --------------------------------------------------------------------------
# CPU pinning and the clean-slot mark


def test_cpu_lists_parse_and_slots_take_cores_round_robin() -> None:
    from evaluations.runners.bubblewrap.cgroups import cores_for_slot, parse_cpu_list

    assert parse_cpu_list("0-3,6\n") == [0, 1, 2, 3, 6]
    assert parse_cpu_list("1") == [1]
    assert parse_cpu_list("") == []
    two = [0, 1]
    assert [cores_for_slot(two, index, 1) for index in range(4)] == [
        [0],
        [1],
        [0],
        [1],
    ]
    assert cores_for_slot([0, 1, 2, 3], 1, 2) == [2, 3]
    assert cores_for_slot(two, 0, 8) == [0, 1]  # never more than there are
    assert cores_for_slot([], 0, 1) == []


def test_a_run_is_pinned_to_its_slots_cores(sandbox: Sandbox) -> None:
    import json

    runner = BubblewrapRunner()

    result = runner.run(sandbox.spec("cpu_affinity"))

    assert result.outcome is Outcome.OK, result
    assert runner.last_trace is not None
    pinned = [
        item
        for item in runner.last_trace.limits_in_force
        if item.startswith("cpuset cgroup (cores ")
    ]
    if not pinned:
        assert any("cpuset" in note for note in runner.last_trace.degraded)
        pytest.skip("this machine offers no cpuset cgroup")
    cores = [
        int(core) for core in pinned[0][len("cpuset cgroup (cores ") : -1].split(",")
    ]
    report = json.loads(result.stdout)
    assert report["before"] == cores
    # Asking for every core does not get past the cpuset.
    assert report["after"] == cores
    assert "cpu cgroup (pinned, no quota)" in runner.last_trace.limits_in_force


def test_a_slot_left_clean_skips_the_clean_up_scan(
    require_bwrap: None, private_base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluations.runners.bubblewrap import runner as runner_module

    cleaned: list[int] = []
    real_clean = runner_module._clean_slot

    def counting_clean(config: Any, index: int) -> list[str]:
        cleaned.append(index)
        return real_clean(config, index)

    monkeypatch.setattr(runner_module, "_clean_slot", counting_clean)
    root = private_base.parent / f"{private_base.name}-work"
    root.mkdir()
    try:
        work = Sandbox(root, canary="not-used")
        runner = BubblewrapRunner()
        lock = private_base / "locks" / "slot-0.lock"

        assert runner.run(work.spec("benign")).outcome is Outcome.OK
        assert cleaned == [0]  # a new slot is never assumed clean
        assert lock.read_bytes() == b"clean\n"

        assert runner.run(work.spec("benign")).outcome is Outcome.OK
        assert cleaned == [0]  # the first run left nothing: no scan

        # A worker killed mid-run leaves the mark cleared: the next run
        # cleans first, and kills what the slot user still runs.
        lock.write_bytes(b"")
        leftover = subprocess.Popen(
            ["/usr/bin/sleep", "60"], user=PRIVATE_UID_BASE, group=PRIVATE_UID_BASE
        )
        try:
            assert runner.run(work.spec("benign")).outcome is Outcome.OK
            assert cleaned == [0, 0]
            assert leftover.wait(timeout=5) == -signal.SIGKILL
        finally:
            if leftover.poll() is None:
                leftover.kill()
                leftover.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------
# The gated launcher


def test_prlimit_options_mirror_the_rlimits() -> None:
    from evaluations.runners.base import Limits
    from evaluations.runners.bubblewrap.launcher import prlimit_options, rlimits_for

    limits = Limits(cpu_seconds=30, processes=16)
    options = prlimit_options(rlimits_for(limits, address_space=True, nproc=True))
    assert "--cpu=30:31" in options
    assert "--core=0:0" in options
    assert any(option.startswith("--nproc=") for option in options)
    assert f"--as={limits.memory_bytes}:{limits.memory_bytes}" in options


def test_the_gated_launcher_sets_limits_and_drops_privileges(
    require_bwrap: None,
) -> None:
    from evaluations.runners.bubblewrap.launcher import LaunchPlan, spawn_gated

    plan = LaunchPlan(
        argv=["/bin/sh", "-c", "id -u; id -G; ulimit -t; ulimit -c; env"],
        env={"PATH": "/usr/bin:/bin"},
        error_fd=-1,
        rlimits=[("RLIMIT_CPU", 7, 8), ("RLIMIT_CORE", 0, 0)],
        oom_score_adj=1000,
        uid=PRIVATE_UID_BASE,
        gid=PRIVATE_UID_BASE,
    )
    proc = spawn_gated(plan, pass_fds=[])
    stdout, stderr = proc.communicate(timeout=10)

    assert proc.returncode == 0, stderr
    uid, groups, cpu, core, *env = stdout.decode().splitlines()
    assert (uid, groups, cpu, core) == (
        str(PRIVATE_UID_BASE),
        str(PRIVATE_UID_BASE),
        "7",
        "0",
    )
    # Nothing but the plan's environment (the inner shell adds its PWD).
    assert [line for line in env if not line.startswith("PWD=")] == [
        "PATH=/usr/bin:/bin"
    ]


def test_the_gated_launcher_leaves_nothing_when_it_cannot_place_the_child(
    require_bwrap: None,
) -> None:
    from evaluations.runners.bubblewrap.config import SandboxError
    from evaluations.runners.bubblewrap.launcher import LaunchPlan, spawn_gated

    plan = LaunchPlan(
        argv=["/usr/bin/sleep", "30"],
        env={"PATH": "/usr/bin:/bin"},
        error_fd=-1,
        cgroup_procs=["/nonexistent/cgroup.procs"],
        uid=PRIVATE_UID_BASE,
        gid=PRIVATE_UID_BASE,
    )
    with pytest.raises(SandboxError, match="cannot place the sandbox"):
        spawn_gated(plan, pass_fds=[])
    assert processes_of_uid(PRIVATE_UID_BASE) == []


def test_the_gated_launcher_says_when_a_program_is_missing(
    require_bwrap: None,
) -> None:
    from evaluations.runners.bubblewrap.launcher import LaunchPlan, spawn_gated

    plan = LaunchPlan(
        argv=["/nonexistent/bwrap", "--version"],
        env={"PATH": "/usr/bin:/bin"},
        error_fd=-1,
        uid=PRIVATE_UID_BASE,
        gid=PRIVATE_UID_BASE,
    )
    proc = spawn_gated(plan, pass_fds=[])
    _, stderr = proc.communicate(timeout=10)
    assert proc.returncode != 0
    assert b"failed to execute /nonexistent/bwrap" in stderr
