"""Hostile programs against the bubblewrap runner (sandbox.md section 5).

Every test runs one program from ``hostile/`` with small limits and checks
the typed outcome, a clear message, that no canary left the sandbox and
that the host is unchanged (no process of the slot user, no run folder,
no mount, no cgroup). Case numbers refer to the design's catalogue.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from evaluations.runners.base import MIB, Outcome
from evaluations.runners.bubblewrap import BubblewrapRunner
from tests.evaluations.sandbox_fixtures import (
    DECOY,
    SMALL,
    Sandbox,
    SandboxRun,
    primary,
)

pytestmark = pytest.mark.usefixtures("require_bwrap")

PREDICTIONS = ("predictions.json",)

ALLOWED_ENV = {
    "PATH",
    "HOME",
    "LANG",
    "PYTHONDONTWRITEBYTECODE",
    "PORTAL_IN_DIR",
    "PORTAL_CODE_DIR",
    "PORTAL_HARNESS_DIR",
    "PORTAL_OUT_DIR",
    "PWD",
}


def seccomp_used(run: SandboxRun) -> bool:
    assert run.trace is not None
    return "seccomp" in run.trace.limits_in_force


def test_it_runs_a_benign_program(sandbox: Sandbox) -> None:
    run = sandbox.run("benign", expected_outputs=PREDICTIONS)

    assert run.result.outcome is Outcome.OK, run.result
    assert run.result.outputs == {"predictions.json": b"[3, 3, 3, 23]"}
    assert run.result.exit_code == 0
    assert run.result.sandboxed is True
    assert run.result.wall_seconds > 0
    assert run.result.cpu_seconds > 0
    assert run.result.peak_memory_bytes
    sandbox.assert_contained(run)


def test_it_refuses_a_connection_to_a_host_listener(sandbox: Sandbox) -> None:
    """Case 01: the sandbox has its own loopback; the host's saw nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        port = listener.getsockname()[1]

        run = sandbox.run("net_loopback", str(port))

        with pytest.raises(BlockingIOError):
            listener.accept()
    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["v4"] == "ECONNREFUSED"
    assert run.report["v6"] in {"ECONNREFUSED", "EADDRNOTAVAIL", "ENETUNREACH"}
    assert run.report["localhost"] != "ok"
    sandbox.assert_contained(run)


def test_it_has_no_network_beyond_its_own_loopback(sandbox: Sandbox) -> None:
    """Cases 02, 03, 05: only lo, no route, no DNS, no raw sockets."""
    run = sandbox.run("net_external")

    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["interfaces"] == ["lo"]
    assert run.report["udp_v4"] == "ENETUNREACH"
    assert run.report["udp_v6"] == "ENETUNREACH"
    assert run.report["dns"] != "ok"
    assert run.report["raw"] == "EPERM"
    assert run.report["packet"] == "EPERM"
    assert run.report["bind_80"] == "EACCES"
    sandbox.assert_contained(run)


def test_it_hides_the_labels_file_from_its_host_path(sandbox: Sandbox) -> None:
    """Case 06: labels by host path, /proc/1/root and ../ tricks."""
    run = sandbox.run("read_labels", str(sandbox.labels))

    assert run.result.outcome is Outcome.OK, run.result
    results = run.report["results"]
    assert isinstance(results, dict)
    assert len(results) == 6
    assert all(str(value).startswith("error ") for value in results.values())
    sandbox.assert_contained(run)


def test_a_scan_of_the_whole_filesystem_finds_no_canary(sandbox: Sandbox) -> None:
    """Case 07: read every visible file; only the planted decoy is found."""
    limits = replace(SMALL, wall_seconds=10.0, cpu_seconds=8)

    run = sandbox.run("scan_filesystem", limits=limits)

    assert run.result.outcome is Outcome.OK, run.result
    # The decoy in /in proves the scan reads files; nothing else matches.
    assert run.report["hits"] == [DECOY]
    assert isinstance(run.report["names"], int)
    assert run.report["names"] > 1000
    sandbox.assert_contained(run)


def test_it_passes_no_environment_secret(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cases 08, 09: only the runner's variables; pid 1 has PATH only."""
    monkeypatch.setenv("PORTAL_TEST_SECRET", sandbox.canary)

    run = sandbox.run("env_secrets")

    assert run.result.outcome is Outcome.OK, run.result
    environ = run.report["environ"]
    assert isinstance(environ, dict)
    assert set(environ) <= ALLOWED_ENV
    assert run.report["pids"] == ["1", "2"]
    proc = run.report["proc"]
    assert isinstance(proc, dict)
    assert proc["1"].split("\0") == ["PATH=/usr/bin:/bin", ""]
    sandbox.assert_contained(run)


def test_it_closes_inherited_file_descriptors(sandbox: Sandbox) -> None:
    """Case 11: a labels fd the worker leaked without CLOEXEC."""
    fd = os.open(sandbox.labels, os.O_RDONLY)
    os.set_inheritable(fd, True)
    try:
        run = sandbox.run("inherited_fds")
    finally:
        os.close(fd)

    assert run.result.outcome is Outcome.OK, run.result
    # 0-2 and the descriptor os.listdir() itself had open.
    assert run.report["listed"] == ["0", "1", "2", "3"]
    assert run.report["contents"] == {}
    sandbox.assert_contained(run)


def test_a_fork_bomb_hits_the_process_limit(sandbox: Sandbox) -> None:
    """Case 21: EAGAIN at the limit, killed at the wall clock."""
    run = sandbox.run("fork_bomb")

    assert run.result.outcome is Outcome.WALL_TIME, run.result
    assert "wall-clock limit of 2 s" in run.result.message
    started = time.monotonic()
    subprocess.run(["/bin/true"], check=True)
    assert time.monotonic() - started < 1
    sandbox.assert_contained(run)


def test_a_thread_bomb_hits_the_process_limit(sandbox: Sandbox) -> None:
    """Case 22: threads count against the same limit."""
    run = sandbox.run("thread_bomb")

    assert run.result.outcome is Outcome.WALL_TIME, run.result
    started = run.report["started"]
    assert isinstance(started, int)
    assert 0 < started <= SMALL.processes
    assert "can't start new thread" in str(run.report["error"])
    sandbox.assert_contained(run)


def test_a_memory_bomb_ends_as_memory(sandbox: Sandbox) -> None:
    """Case 23: the cgroup OOM kills it at 128 MiB, not the host."""
    run = sandbox.run("memory_bomb")

    assert run.result.outcome is Outcome.MEMORY, run.result
    assert primary(run.result.message).startswith(
        "The program exceeded its memory limit of 128 MiB."
    )
    assert run.result.peak_memory_bytes is not None
    assert run.result.peak_memory_bytes <= 130 * MIB
    sandbox.assert_contained(run)


def test_filling_tmp_stops_at_its_size(sandbox: Sandbox) -> None:
    """Case 24: /tmp and /dev/shm are capped tmpfs mounts."""
    run = sandbox.run("fill_tmp")

    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["tmp"] == "ENOSPC"
    assert run.report["shm"] == "ENOSPC"
    for key in ("tmp_written", "shm_written"):
        written = run.report[key]
        assert isinstance(written, int)
        assert written <= SMALL.tmp_bytes
    sandbox.assert_contained(run)


@pytest.mark.parametrize("mode", ["bytes", "inodes"])
def test_filling_out_ends_as_output_limit(sandbox: Sandbox, mode: str) -> None:
    """Case 25: /out is capped in bytes and in files; the host disk is not hit."""
    run = sandbox.run("fill_out", mode, expected_outputs=PREDICTIONS)

    assert run.result.outcome is Outcome.OUTPUT_LIMIT, run.result
    assert primary(run.result.message).startswith("The output folder is full")
    assert run.report["error"] == "ENOSPC"
    if mode == "bytes":
        written = run.report["written"]
        assert isinstance(written, int)
        assert written <= SMALL.output_bytes
    else:
        assert run.report["created"] == SMALL.output_files
    assert run.result.outputs == {}
    sandbox.assert_contained(run)


def test_one_huge_file_stops_at_the_file_size_limit(sandbox: Sandbox) -> None:
    """Case 26: RLIMIT_FSIZE gives EFBIG (Python ignores SIGXFSZ)."""
    run = sandbox.run("huge_file")

    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["error"] == "EFBIG"
    assert run.report["size"] == SMALL.file_size_bytes
    sandbox.assert_contained(run)


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_endless_output_ends_as_output_limit(sandbox: Sandbox, stream: str) -> None:
    """Cases 27, 28: killed at the cap; the first 64 KiB are kept."""
    run = sandbox.run("endless_output", stream)

    assert run.result.outcome is Outcome.OUTPUT_LIMIT, run.result
    assert primary(run.result.message) == (
        f"The program wrote more than 64 KiB to {stream} and was stopped."
    )
    captured = getattr(run.result, stream)
    assert len(captured) == SMALL.stdout_bytes
    assert getattr(run.result, f"{stream}_truncated") is True
    assert run.result.wall_seconds < 1.5
    sandbox.assert_contained(run)


def test_an_endless_loop_ends_as_cpu_time(sandbox: Sandbox) -> None:
    """Case 29: SIGXCPU at the soft CPU limit."""
    # A generous wall limit: on a loaded machine one CPU second can take
    # longer than the default two wall seconds, which would end as WALL_TIME.
    run = sandbox.run("cpu_loop", limits=replace(SMALL, wall_seconds=15.0))

    assert run.result.outcome is Outcome.CPU_TIME, run.result
    assert run.result.signal == signal.SIGXCPU
    assert (
        primary(run.result.message)
        == "The program used more than its CPU time limit of 1 s."
    )
    # It really ran to its limit. The cgroup's CPU figure trails the
    # kernel's rlimit check, by up to about 0.2 s on a loaded machine.
    assert run.result.cpu_seconds >= 0.75
    sandbox.assert_contained(run)


def test_a_long_sleep_ends_as_wall_time(sandbox: Sandbox) -> None:
    """Case 30: the wall clock kills a program that uses no CPU."""
    run = sandbox.run("sleep_long")

    assert run.result.outcome is Outcome.WALL_TIME, run.result
    assert primary(run.result.message) == (
        "The program ran longer than the wall-clock limit of 2 s and was stopped."
    )
    assert 2 <= run.result.wall_seconds < 3
    sandbox.assert_contained(run)


def test_ignoring_signals_still_ends_as_cpu_time(sandbox: Sandbox) -> None:
    """Case 31: SIGXCPU ignored, so SIGKILL at the hard limit (soft + 1 s)."""
    limits = replace(SMALL, wall_seconds=6.0)

    run = sandbox.run("ignore_signals", limits=limits)

    assert run.result.outcome is Outcome.CPU_TIME, run.result
    assert run.result.signal == signal.SIGKILL
    # The hard limit is 2 s; the cgroup's CPU figure trails the kernel's
    # own rlimit check, by up to about 0.2 s on a loaded machine, and it is
    # past the soft limit either way.
    assert run.result.cpu_seconds >= 1.5
    sandbox.assert_contained(run)


def test_a_daemon_does_not_outlive_its_run(sandbox: Sandbox) -> None:
    """Case 32: double fork + setsid; the pid namespace takes it down."""
    run = sandbox.run("daemon")

    assert run.result.outcome is Outcome.OK, run.result
    assert run.result.stdout == b"main exits\n"
    sandbox.assert_contained(run)


def test_a_symlinked_output_is_never_followed(sandbox: Sandbox) -> None:
    """Case 16: predictions.json -> /etc/passwd (the Judge0 bug class)."""
    run = sandbox.run("symlink_output", "/etc/passwd", expected_outputs=PREDICTIONS)

    assert run.result.outcome is Outcome.INVALID_OUTPUT, run.result
    assert primary(run.result.message) == (
        "Invalid output: output 'predictions.json' is a symbolic link; "
        "it was not followed."
    )
    assert run.result.outputs == {}
    assert b"root:" not in run.result.stdout + run.result.stderr
    sandbox.assert_contained(run)


def test_a_relative_symlink_to_the_labels_is_never_followed(sandbox: Sandbox) -> None:
    """Case 17: a relative link that would climb out on the host side."""
    target = "../../../../../../.." + str(sandbox.labels)

    run = sandbox.run("symlink_output", target, expected_outputs=PREDICTIONS)

    assert run.result.outcome is Outcome.INVALID_OUTPUT, run.result
    assert "symbolic link" in run.result.message
    sandbox.assert_contained(run)


def test_a_fifo_output_neither_hangs_nor_passes(sandbox: Sandbox) -> None:
    """Case 19: a FIFO would block a naive reader forever."""
    run = sandbox.run("fifo_output", expected_outputs=PREDICTIONS)

    assert run.result.outcome is Outcome.INVALID_OUTPUT, run.result
    assert primary(run.result.message) == (
        "Invalid output: output 'predictions.json' is a FIFO, not a regular file."
    )
    assert run.result.wall_seconds < 1.5
    sandbox.assert_contained(run)


def test_hard_links_cannot_reach_inputs_or_pass_as_output(sandbox: Sandbox) -> None:
    """Case 18: EXDEV across mounts; a link inside /out is refused."""
    run = sandbox.run("hardlink_output", expected_outputs=PREDICTIONS)

    assert run.result.outcome is Outcome.INVALID_OUTPUT, run.result
    assert run.report["to_input"] == "EXDEV"
    assert run.report["to_python"] == "EXDEV"
    assert run.report["inside"] == "ok"
    assert primary(run.result.message) == (
        "Invalid output: output 'predictions.json' has 2 hard links; "
        "only a file with exactly one link is read."
    )
    sandbox.assert_contained(run)


def test_everything_but_out_is_read_only(sandbox: Sandbox) -> None:
    """Case 15: EROFS (or EACCES) everywhere; host inputs unchanged."""
    before = (sandbox.input_dir / "features.csv").read_bytes()

    run = sandbox.run("write_outside")

    assert run.result.outcome is Outcome.OK, run.result
    results = run.report["results"]
    assert isinstance(results, dict)
    assert len(results) == 13
    for action, outcome in results.items():
        assert outcome in {"EROFS", "EACCES", "EPERM", "ENOENT"}, action
    assert (sandbox.input_dir / "features.csv").read_bytes() == before
    sandbox.assert_contained(run)


def test_killing_the_parent_only_hurts_the_sandbox(sandbox: Sandbox) -> None:
    """Case 34: kill(getppid()), kill(1), kill(-1) inside the pid namespace."""
    canary_process = subprocess.Popen(["/bin/sleep", "30"])
    try:
        run = sandbox.run("kill_parent")
        assert canary_process.poll() is None
    finally:
        canary_process.kill()
        canary_process.wait()

    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["alive"] is True
    assert run.report["ppid"] == 1
    assert run.report["pids"] == [1, 2]
    results = run.report["results"]
    assert isinstance(results, dict)
    assert results["host_pid"] == "ESRCH"
    sandbox.assert_contained(run)


def test_no_namespace_can_be_created_inside(sandbox: Sandbox) -> None:
    """Case 38: nested user namespaces are disabled; so is bwrap inside."""
    run = sandbox.run("nested_userns")

    assert run.result.outcome is Outcome.OK, run.result
    results = run.report["results"]
    assert isinstance(results, dict)
    assert results["user"] in {"ENOSPC", "EPERM"}
    assert results["mount"] == "EPERM"
    assert results["net"] == "EPERM"
    assert results["bwrap"] != 0
    sandbox.assert_contained(run)


def test_the_sandbox_has_no_privileges(sandbox: Sandbox) -> None:
    """Cases 12, 20, 37, 40, 41, 46: no capability, setuid, device, tty."""
    run = sandbox.run("privileges")

    assert run.result.outcome is Outcome.OK, run.result
    status = run.report["status"]
    assert isinstance(status, dict)
    for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert status[key] == "0000000000000000", key
    assert status["NoNewPrivs"] == "1"
    results = run.report["results"]
    assert isinstance(results, dict)
    assert results["setuid0"] in {"EPERM", "EINVAL"}  # uid 0 is not mapped
    assert results["chown0"] in {"EPERM", "EINVAL"}
    assert results["mknod"] == "EPERM"
    assert results["dev_mem"] == "ENOENT"
    assert results["dev_tty"] in {"ENXIO", "ENOENT"}
    assert results["tiocsti"] in {"ENOTTY", "EPERM"}
    assert results["setuid_exec"] == "EACCES"  # /out is noexec
    assert results["raise_core"] in {"ValueError", "EPERM"}
    assert results["oom_score_adj"] == "EACCES"  # case 40
    assert run.report["oom_score_adj"] == "1000"
    assert results["nice"] in {"EPERM", "EACCES"}
    if seccomp_used(run):
        assert status["Seccomp"] == "2"
        assert results["flock_shared"] == "EPERM"  # case 45s
    devices = run.report["devices"]
    assert isinstance(devices, list)
    assert set(devices) <= {
        "console", "core", "fd", "full", "mqueue", "null", "ptmx", "pts",
        "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero",
    }  # fmt: skip
    sandbox.assert_contained(run)


def test_tracing_pid_1_is_blocked_or_only_hangs_its_own_run(sandbox: Sandbox) -> None:
    """Case 35: EPERM with seccomp; without it, bounded by the wall clock."""
    run = sandbox.run("ptrace_pid1")

    if seccomp_used(run):
        assert run.result.outcome is Outcome.OK, run.result
        assert run.report["ptrace_pid1"] == "EPERM"
    else:
        assert run.result.outcome in {Outcome.OK, Outcome.WALL_TIME}, run.result
    sandbox.assert_contained(run)


def test_a_crash_ends_as_signalled(sandbox: Sandbox) -> None:
    """Case 41: SIGSEGV is reported; RLIMIT_CORE is 0."""
    run = sandbox.run("crash")

    assert run.result.outcome is Outcome.SIGNALLED, run.result
    assert run.result.signal == signal.SIGSEGV
    assert primary(run.result.message) == "The program was killed by SIGSEGV."
    sandbox.assert_contained(run)


def test_a_non_zero_exit_is_a_runtime_error(sandbox: Sandbox) -> None:
    run = sandbox.run("exit_status")

    assert run.result.outcome is Outcome.RUNTIME_ERROR, run.result
    assert run.result.exit_code == 3
    assert primary(run.result.message) == "The program exited with status 3."
    assert run.result.stderr == b"giving up\n"
    sandbox.assert_contained(run)


def test_file_descriptors_stop_at_the_limit(sandbox: Sandbox) -> None:
    """Case 52: EMFILE at RLIMIT_NOFILE."""
    run = sandbox.run("fd_exhaust")

    assert run.result.outcome is Outcome.OK, run.result
    assert run.report["error"] == "EMFILE"
    opened = run.report["opened"]
    assert isinstance(opened, int)
    assert opened < SMALL.open_files
    sandbox.assert_contained(run)


def test_concurrent_runs_cannot_see_each_others_secret(sandbox: Sandbox) -> None:
    """Case 44: B hunts in /tmp, /dev/shm, /out, sockets, SysV shm, /proc."""
    secret = "PORTAL-NEIGHBOUR-" + os.urandom(8).hex()
    holder_limits = replace(SMALL, wall_seconds=6.0)
    holder_runner = BubblewrapRunner()
    holder_spec = sandbox.spec("secret_holder", secret, "2.5", limits=holder_limits)
    holder: dict[str, object] = {}

    def hold() -> None:
        holder["started"] = time.monotonic()
        holder["result"] = holder_runner.run(holder_spec)
        holder["ended"] = time.monotonic()

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.8)
    hunter_started = time.monotonic()
    hunter = sandbox.run("secret_hunter")
    hunter_ended = time.monotonic()
    thread.join()

    holder_result = holder["result"]
    assert holder_result.outcome is Outcome.OK, holder_result  # type: ignore[attr-defined]
    assert holder_result.stdout == b"holding\n"  # type: ignore[attr-defined]
    # The two runs overlapped in time and ran as different slot users.
    assert holder["started"] < hunter_started  # type: ignore[operator]
    assert hunter_ended < holder["ended"]  # type: ignore[operator]
    assert holder_runner.last_trace is not None
    assert hunter.trace is not None
    assert holder_runner.last_trace.uid != hunter.trace.uid
    assert hunter.result.outcome is Outcome.OK, hunter.result
    found = hunter.report["found"]
    assert isinstance(found, dict)
    assert "socket" not in found
    assert "shm" not in found
    assert secret not in json.dumps(found)
    assert hunter.report["pids"] == ["1", "2"]
    sandbox.assert_contained(hunter, secret)
    sandbox.assert_contained(
        SandboxRun(holder_result, holder_runner.last_trace),  # type: ignore[arg-type]
    )


def test_the_run_folder_holds_no_secret_in_its_path(sandbox: Sandbox) -> None:
    """Case 48: host paths show in mountinfo, so they carry no run id."""
    run = sandbox.run("benign", expected_outputs=PREDICTIONS)

    assert run.trace is not None
    assert run.trace.run_dir.name.startswith(f"u{run.trace.uid}-")
    assert "test-benign" not in str(run.trace.run_dir)
    assert Path(run.trace.run_dir).parent.name == "runs"
