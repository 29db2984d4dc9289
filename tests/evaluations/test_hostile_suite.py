"""Hostile solution packages through the real intake and a real worker.

Every case of the attack catalogue (docs/design sandbox.md, section 5) is a
solution package: ``solution.toml``, the entrypoint ``hostile/_entry.py``
(as ``portal_hostile_entry.py``) and one program from ``hostile/``, which
``predict()`` runs inside the harness's own process. The packages are
submitted with ``services.submission_create`` (what the upload view and
the API call) into a throwaway world (``worker_support``) and run by two
real ``celery worker`` processes against a small forecasting suite whose
labels carry a canary string in a column the scorer ignores.

For each case the module checks the run's typed outcome as stored
(``Run.status`` and ``Run.failure``), a message for every failure, that
the canary appears in nothing the vendor can see, that nothing of the run
survives it (processes of the slot uids, run folders, mounts, cgroups,
work folders) and that the host is unchanged (watched files, host
listeners, a host process, files of the slot uids in the host's temporary
folders). The cases run in batches: two concurrent pairs first (the two
workers take one run each), then everything else, then a benign run that
must still score.

The table in docs/SECURITY.md is generated from the same checks:
``PORTAL_WRITE_SECURITY_REPORT=1`` rewrites it, and otherwise
``test_the_security_report_is_current`` fails when it differs.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.evaluations.sandbox_fixtures import CANARY_PREFIX, bwrap_problems
from tests.evaluations.worker_support import (
    EVAL_ENV,
    ROOT,
    World,
    migrate_template,
    world,
)

pytestmark = pytest.mark.usefixtures("require_bwrap")

HOSTILE_DIR = Path(__file__).resolve().parent / "hostile"
SECURITY_DOC = ROOT / "docs" / "SECURITY.md"
TABLE_START = "<!-- hostile-table:start -->"
TABLE_END = "<!-- hostile-table:end -->"

# One call per split; small limits keep the module short on two cores.
SAMPLE_ORIGIN = "2026-03-16"
HIDDEN_ORIGIN = "2026-03-24"
SAMPLE_BEFORE = "2026-03-20"  # hostile programs act before this day only
LIMITS = {
    "wall_seconds": 10,
    "cpu_seconds": 3,
    "memory_mb": 320,
    "processes": 32,
    "disk_mb": 80,  # above the 64 MiB file-size limit, so case 26 sees EFBIG
    "output_mb": 4,
}
CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "mae"}, {"code": "mape"}],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 1.0}],
    "limits": LIMITS,
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 1000},
}
HOLD_SECONDS = "3"
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
DENIED = {"EPERM", "EACCES", "ENOENT", "EROFS", "EINVAL", "ENOSPC", "ENOSYS"}
SUCCEEDED = ("succeeded", "")
# Starts the observed text of a case that is not (fully) contained.
WEAKNESS = "NOT CONTAINED:"


def _missing(reason: str) -> None:
    """Skip for a missing tool; fail instead when CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def seccomp_in_force() -> bool:
    """Whether the world's runs get the seccomp deny-list (PORTAL_SANDBOX_SECCOMP
    is "auto" there, so it depends on python3-seccomp being installed)."""
    from evaluations.runners.bubblewrap.seccomp import seccomp_program

    program, _why = seccomp_program("/usr/bin/python3")
    return program is not None


# --- the cases -----------------------------------------------------------------


@dataclass
class Observation:
    """What one case's package produced, as the product stored it."""

    sample: dict[str, Any]
    hidden: dict[str, Any] | None
    report: dict[str, Any]
    problems: list[str]  # of its batch: survivors, host changes
    context: Context


@dataclass
class Context:
    """Host-side facts the cases' arguments and checks refer to."""

    canary: str
    labels: str
    tcp_port: int
    abstract: str
    unix_path: str
    seccomp: bool
    secret: str = field(
        default_factory=lambda: "PORTAL-NEIGHBOUR-" + secrets.token_hex(8)
    )

    def fill(self, arg: str) -> str:
        return arg.format(
            labels=self.labels,
            relative_labels="../../../../../../.." + self.labels,
            port=self.tcp_port,
            abstract=self.abstract,
            unix=self.unix_path,
            secret=self.secret,
            settings=str(ROOT / "portal" / "settings.py"),
            hold=HOLD_SECONDS,
        )


Check = Callable[[Observation], str]


@dataclass(frozen=True)
class Case:
    code: str
    section: str  # the catalogue's case numbers
    tries: str
    program: str
    expected: str
    outcome: tuple[str, str]  # (status, failure) of the validation run
    check: Check
    args: tuple[str, ...] = ()
    every_split: bool = False  # act in the hidden run too, not only the sample
    exit_after: bool = False  # end the harness so the host reads what is in /out
    spoil: bool = False  # return a bad forecast where it acts
    batch: str = "main"
    # The outcome where the seccomp deny-list is in force, if it differs.
    seccomp_outcome: tuple[str, str] | None = None

    def expected_outcome(self, seccomp: bool) -> tuple[str, str]:
        if seccomp and self.seccomp_outcome is not None:
            return self.seccomp_outcome
        return self.outcome


def _results(obs: Observation) -> dict[str, Any]:
    results = obs.report.get("results")
    assert isinstance(results, dict), obs.report
    return results


def _all_denied(obs: Observation, allowed: set[str] = DENIED) -> str:
    results = _results(obs)
    bad = {k: v for k, v in results.items() if v not in allowed}
    assert not bad, bad
    names = sorted(set(results.values()))
    return f"{len(results)} attempts all refused ({', '.join(names)})"


def _check_loopback(obs: Observation) -> str:
    assert obs.report["v4"] == "ECONNREFUSED", obs.report
    assert obs.report["v6"] in {"ECONNREFUSED", "EADDRNOTAVAIL", "ENETUNREACH"}
    assert obs.report["localhost"] != "ok"
    return "ECONNREFUSED on the sandbox's own loopback; the host listener saw nothing"


def _check_external(obs: Observation) -> str:
    assert obs.report["interfaces"] == ["lo"], obs.report
    assert obs.report["udp_v4"] == "ENETUNREACH"
    assert obs.report["udp_v6"] == "ENETUNREACH"
    return "only lo; UDP over IPv4 and IPv6 ENETUNREACH"


def _check_dns(obs: Observation) -> str:
    assert obs.report["dns"] != "ok", obs.report
    return f"getaddrinfo fails ({obs.report['dns']})"


def _check_raw(obs: Observation) -> str:
    assert obs.report["raw"] == "EPERM", obs.report
    assert obs.report["packet"] == "EPERM"
    assert obs.report["bind_80"] == "EACCES"
    return "raw and packet sockets EPERM; bind :80 EACCES"


def _check_unix(obs: Observation) -> str:
    results = _results(obs)
    assert results["abstract"] == "ECONNREFUSED", results
    assert results["path"] == "ENOENT", results
    others = {v for k, v in results.items() if k.startswith("/")}
    assert others == {"ENOENT"}, results
    return (
        "host abstract socket ECONNREFUSED (own namespace); host socket files "
        "and docker, redis, postgres sockets ENOENT"
    )


def _check_labels_path(obs: Observation) -> str:
    results = _results(obs)
    assert len(results) == 6
    assert all(str(v).startswith("error ") for v in results.values()), results
    return "6 paths (host path, /proc/1/root, ../ tricks) all fail, in both runs"


def _check_scan(obs: Observation) -> str:
    assert obs.report["hits"] == [], obs.report["hits"]
    assert obs.report["names"] > 1000, obs.report
    return "every visible file read: no canary, in both runs"


def _check_proc(obs: Observation) -> str:
    assert obs.report["hits"] == [], obs.report
    assert obs.report["opened"] == {}, obs.report["opened"]
    assert obs.report["labels_in_mountinfo"] is False
    return "no labels through /proc/*/root, cwd, fd, maps, mountinfo; in both runs"


def _check_env(obs: Observation) -> str:
    environ = obs.report["environ"]
    assert set(environ) <= ALLOWED_ENV, environ
    return "only PATH, HOME, LANG and the runner's own variables"


def _check_proc_environ(obs: Observation) -> str:
    proc = obs.report["proc"]
    assert proc["1"].split("\0") == ["PATH=/usr/bin:/bin", ""], proc
    assert "DJANGO_SECRET_KEY" not in json.dumps(proc)
    return "pid 1's environment is PATH only; no worker secret in any environ"


def _check_fds(obs: Observation) -> str:
    contents = obs.report["contents"]
    assert isinstance(contents, dict)
    assert not any(CANARY_PREFIX in str(v) for v in contents.values())
    assert set(obs.report["listed"]) <= {"0", "1", "2", "3"}, obs.report
    return "only descriptors 0-2 (and the listing's own)"


def _check_host_files(obs: Observation) -> str:
    results = _results(obs)
    assert all(str(v).startswith("error ") for v in results.values()), results
    assert len(obs.report["passwd"]) <= 3, obs.report["passwd"]
    return (
        "shadow, ssh keys, home, docker.sock, settings.py all absent; synthetic passwd"
    )


def _check_read_only(obs: Observation) -> str:
    return _all_denied(obs, {"EROFS", "EACCES", "EPERM", "ENOENT"})


def _check_venv(obs: Observation) -> str:
    assert obs.report["write"] in DENIED, obs.report
    return f"the evaluation environment is read-only ({obs.report['write']})"


def _check_symlink(obs: Observation) -> str:
    assert "symbolic link" in obs.sample["message"], obs.sample["message"]
    assert "root:" not in obs.sample["message"] + obs.sample["log"]
    return "the reader refused the link; nothing read through it"


def _check_hardlink(obs: Observation) -> str:
    assert obs.report["to_input"] == "EXDEV", obs.report
    assert obs.report["to_python"] == "EXDEV"
    assert "hard links" in obs.sample["message"], obs.sample["message"]
    return "links to /in and python EXDEV; a linked predictions file refused"


def _check_fifo(obs: Observation) -> str:
    assert "FIFO" in obs.sample["message"], obs.sample["message"]
    return "refused at once, no hang"


def _check_setuid(obs: Observation) -> str:
    results = _results(obs)
    assert results["out"] == "EACCES", results  # /out is noexec
    assert results["tmp"] in {"ok", *DENIED}, results  # nosuid: runs as itself
    assert results["mknod"] == "EPERM", results
    return "exec from /out EACCES (noexec); setuid bit ignored in /tmp; mknod EPERM"


def _check_message(*fragments: str) -> Check:
    def check(obs: Observation) -> str:
        message = obs.sample["message"]
        for fragment in fragments:
            assert fragment in message, message
        return "message: " + " / ".join(f"“{f}”" for f in fragments)

    return check


def _check_fill_tmp(obs: Observation) -> str:
    assert obs.report["tmp"] == "ENOSPC", obs.report
    assert obs.report["shm"] == "ENOSPC", obs.report
    return "/tmp and /dev/shm ENOSPC at their 80 MiB cap"  # noqa: S108 - a message


def _check_huge(obs: Observation) -> str:
    assert obs.report["error"] == "EFBIG", obs.report
    assert obs.report["size"] == 64 * 1024 * 1024
    return "EFBIG at 64 MiB"


def _check_daemon(obs: Observation) -> str:
    assert "main exits" in obs.sample["log"]
    return "main exited; the daemon did not outlive the run"


def _check_kill_parent(obs: Observation) -> str:
    results = _results(obs)
    assert results["host_pid"] == "ESRCH", results
    assert obs.report["alive"] is True
    return "only the sandbox's own pids; host process alive"


def _check_ptrace(obs: Observation) -> str:
    if obs.context.seccomp:
        assert obs.report["ptrace_pid1"] == "EPERM", obs.report
        return "EPERM (seccomp)"
    return "attach to its own pid 1 allowed, the run hangs until the wall clock"


def _check_raw_syscalls(obs: Observation) -> str:
    return _all_denied(obs, DENIED | {"EBADF", "EFAULT"})


def _check_caps(obs: Observation) -> str:
    status = obs.report["status"]
    for key in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert status[key] == "0000000000000000", status
    assert status["NoNewPrivs"] == "1"
    assert obs.report["chown0"] in {"EPERM", "EINVAL"}
    assert obs.report["setgid0"] in {"EPERM", "EINVAL"}
    return "all capability sets 0, NoNewPrivs 1; chown and setgid to 0 refused"


def _check_userns(obs: Observation) -> str:
    results = _results(obs)
    assert results["user"] in {"ENOSPC", "EPERM"}, results
    assert results["mount"] == "EPERM"
    assert results["net"] == "EPERM"
    assert results["bwrap"] != 0
    return "unshare of user, mount, net refused; bwrap inside fails"


def _check_sched(obs: Observation) -> str:
    return _all_denied(obs, {"EPERM", "EACCES"})


def _check_oom(obs: Observation) -> str:
    results = _results(obs)
    assert results["adj"] in {"EACCES", "EPERM"}, results
    assert results["legacy"] in {"EACCES", "EPERM"}, results
    if obs.report["oom_score_adj"] == "1000":
        return "cannot lower it; stays 1000"
    # The worker writes 1000 with CAP_SYS_RESOURCE, which should pin the
    # minimum; this kernel lets the process go back down to 0.
    assert obs.report["oom_score_adj"] == "0", obs.report
    assert results["adj_0"] == "ok", results
    return (
        f"{WEAKNESS} -1000 refused, but the run lowered its own "
        "oom_score_adj from 1000 to 0, so it is no longer the first OOM "
        "victim (low: the memory cgroup still caps it)"
    )


def _check_core(obs: Observation) -> str:
    assert obs.report["raise_core"] in {"ValueError", "EPERM"}, obs.report
    assert "SIGABRT" in obs.sample["message"]
    return "RLIMIT_CORE stays 0; killed by SIGABRT, no core file"


def _check_fake_score(obs: Observation) -> str:
    assert obs.hidden is not None
    assert obs.hidden["metrics"]["mape"] > 10, obs.hidden["metrics"]
    return "score files ignored: hidden run scored from the real predictions"


def _check_cgroup(obs: Observation) -> str:
    results = _results(obs)
    assert results["mount"] == "EPERM", results
    for key in ("sys_listing", "root_procs", "proc1_root"):
        assert results[key] in DENIED, results
    return "mount EPERM; no /sys/fs/cgroup to write"


def _check_fd_exhaust(obs: Observation) -> str:
    assert obs.report["error"] == "EMFILE", obs.report
    return "EMFILE at the open-files limit"


def _check_affinity(obs: Observation) -> str:
    assert len(obs.report["before"]) == 1, obs.report
    assert obs.report["after"] == obs.report["before"], obs.report
    return "pinned to one core; widening has no effect"


def _check_devices(obs: Observation) -> str:
    results = _results(obs)
    assert results["dev_mem"] == "ENOENT", results
    assert results["dev_tty"] in {"ENXIO", "ENOENT"}
    assert results["tiocsti"] in {"ENOTTY", "EPERM"}
    assert results["mknod"] == "EPERM"
    return "no /dev/mem; /dev/tty and TIOCSTI refused; mknod EPERM"


def _check_holder(obs: Observation) -> str:
    assert "holding" in obs.sample["log"]
    return "held its secret in /tmp, /dev/shm, /out, a socket and SysV shm"


def _check_hunter(obs: Observation) -> str:
    found = obs.report["found"]
    assert "socket" not in found and "shm" not in found, found
    assert obs.context.secret not in json.dumps(found)
    return "the neighbour's secret not found (own /tmp, /dev/shm, /out, sockets)"


def _check_covert(obs: Observation) -> str:
    seen = obs.report["flock"]
    if obs.context.seccomp:
        assert seen == ["EPERM"], seen
        return "flock EPERM (seccomp): no channel"
    assert "EPERM" not in seen, seen
    return (
        f"{WEAKNESS} flock on a shared read-only inode works, a 1-bit "
        "channel (known, sandbox.md case 45; closed only by seccomp, and "
        "python3-seccomp is missing here)"
    )


def _check_benign(obs: Observation) -> str:
    assert obs.hidden is not None and obs.hidden["passed"] is True
    return "validated and scored exactly after every hostile run"


TIMEOUT = ("failed", "timeout")
SAFE_OUTPUTS = ("failed", "invalid_output")

CASES = [
    Case("net-loopback", "01", "TCP to a host listener on 127.0.0.1", "net_loopback",
         "refused; host listener sees nothing", SUCCEEDED, _check_loopback, ("{port}",)),
    Case("net-external", "02", "Internet over UDP, IPv4 and IPv6", "net_external",
         "unreachable", SUCCEEDED, _check_external),
    Case("net-dns", "03", "DNS resolution", "net_external", "fails",
         SUCCEEDED, _check_dns),
    Case("net-unix", "04", "Host abstract and filesystem unix sockets", "unix_sockets",
         "refused or absent", SUCCEEDED, _check_unix, ("{abstract}", "{unix}")),
    Case("net-raw", "05", "Raw and packet sockets, bind :80", "net_external",
         "EPERM / EACCES", SUCCEEDED, _check_raw),
    Case("labels-path", "06", "Labels by host path and ../ tricks", "read_labels",
         "ENOENT", SUCCEEDED, _check_labels_path, ("{labels}",), every_split=True),
    Case("labels-scan", "07", "Read every visible file for the canary",
         "scan_filesystem", "0 hits", SUCCEEDED, _check_scan, ("2",), every_split=True),
    Case("labels-proc", "06, 10, 48", "Labels through /proc (root, cwd, fds, maps)",
         "proc_labels", "nothing", SUCCEEDED, _check_proc, ("{labels}",),
         every_split=True),
    Case("secret-env", "08", "Worker secrets in the environment", "env_secrets",
         "absent", SUCCEEDED, _check_env, every_split=True),
    Case("secret-proc-environ", "09", "/proc/*/environ, bwrap's pid 1 included",
         "env_secrets", "PATH only", SUCCEEDED, _check_proc_environ),
    Case("secret-fds", "11", "Inherited file descriptors", "inherited_fds",
         "only 0-2", SUCCEEDED, _check_fds, every_split=True),
    Case("devices-tty", "12, 46", "/dev/mem, mknod, /dev/tty, TIOCSTI", "privileges",
         "absent or EPERM", SUCCEEDED, _check_devices),
    Case("host-files", "14", "/etc/shadow, ssh keys, settings.py by path",
         "host_files", "absent", SUCCEEDED, _check_host_files, ("{settings}",)),
    Case("write-outside", "15", "Write /in, /code, /usr, /etc, / ...", "write_outside",
         "EROFS or EACCES", SUCCEEDED, _check_read_only),
    Case("write-venv", "15", "Write into the evaluation environment", "venv_probe",
         "EROFS", SUCCEEDED, _check_venv),
    Case("out-symlink", "16", "predictions.json -> /etc/passwd", "symlink_output",
         "reader refuses", SAFE_OUTPUTS, _check_symlink, ("/etc/passwd",),
         exit_after=True),
    Case("out-symlink-relative", "17", "Relative link climbing to the labels",
         "symlink_output", "reader refuses", SAFE_OUTPUTS, _check_symlink,
         ("{relative_labels}",), exit_after=True),
    Case("out-hardlink", "18", "Hard links to inputs, python, inside /out",
         "hardlink_output", "EXDEV; reader refuses", SAFE_OUTPUTS, _check_hardlink,
         ("/in/history.csv",), exit_after=True),
    Case("out-fifo", "19", "FIFO as the predictions file", "fifo_output",
         "refused, no hang", SAFE_OUTPUTS, _check_fifo, exit_after=True),
    Case("setuid", "20", "setuid copies and device nodes, then exec", "setuid_file",
         "nosuid, noexec, nodev", SUCCEEDED, _check_setuid),
    Case("fork-bomb", "21", "Fork bomb", "fork_bomb", "process limit, then time",
         TIMEOUT, _check_message("wall-clock limit")),
    Case("thread-bomb", "22", "Thread bomb", "thread_bomb", "process limit, then time",
         TIMEOUT, _check_message("limit")),
    Case("memory-bomb", "23", "Memory bomb", "memory_bomb", "memory limit",
         ("failed", "memory"), _check_message("memory limit of 320 MiB")),
    Case("tmpfs-fill", "24", "Fill /tmp and /dev/shm", "fill_tmp", "ENOSPC",
         SUCCEEDED, _check_fill_tmp),
    Case("out-fill-bytes", "25", "Fill /out with bytes", "fill_out",
         "output limit", ("failed", "output_limit"),
         _check_message("output folder is full"), ("bytes",)),
    Case("out-fill-inodes", "25", "Fill /out with empty files", "fill_out",
         "output limit", ("failed", "output_limit"),
         _check_message("output folder is full"), ("inodes",)),
    Case("huge-file", "26", "One huge file", "huge_file", "EFBIG", SUCCEEDED,
         _check_huge),
    Case("endless-stdout", "27", "Endless stdout", "endless_output", "output limit",
         ("failed", "output_limit"), _check_message("to stdout and was stopped"),
         ("stdout",)),
    Case("endless-stderr", "28", "Endless stderr", "endless_output", "output limit",
         ("failed", "output_limit"), _check_message("to stderr and was stopped"),
         ("stderr",)),
    Case("cpu-loop", "29", "Endless CPU loop", "cpu_loop", "time limit", TIMEOUT,
         _check_message("limit")),
    Case("sleep", "30", "Sleep for an hour", "sleep_long", "wall-clock limit",
         TIMEOUT, _check_message(f"wall-clock limit of {LIMITS['wall_seconds']} s")),
    Case("ignore-signals", "31", "Ignore SIGTERM, SIGXCPU, SIGHUP and spin",
         "ignore_signals", "killed at the limit", TIMEOUT, _check_message("limit")),
    Case("daemon", "32", "Double fork, setsid; main exits 0", "daemon",
         "daemon dies with the run", SUCCEEDED, _check_daemon),
    Case("daemon-hang", "33", "setsid daemons, then hang", "daemon_hang",
         "all killed at the wall clock", TIMEOUT, _check_message("wall-clock limit")),
    Case("kill-parent", "34", "kill the parent, pid 1 and -1", "kill_parent",
         "only the sandbox affected", SUCCEEDED, _check_kill_parent),
    Case("ptrace", "35", "ptrace its pid 1", "ptrace_pid1",
         "EPERM with seccomp; else bounded by the wall clock", TIMEOUT, _check_ptrace,
         seccomp_outcome=SUCCEEDED),
    Case("raw-syscalls", "36", "Privileged syscalls through ctypes", "raw_syscalls",
         "all fail", SUCCEEDED, _check_raw_syscalls),
    Case("capabilities", "37", "Capabilities, no_new_privs, chown to 0",
         "capabilities", "none", SUCCEEDED, _check_caps),
    Case("nested-userns", "38", "Nested user namespace, bwrap inside",
         "nested_userns", "blocked", SUCCEEDED, _check_userns),
    Case("sched-priority", "39", "SCHED_FIFO, SCHED_RR, nice -10", "sched_priority",
         "EPERM", SUCCEEDED, _check_sched),
    Case("oom-score", "40", "oom_score_adj to -1000", "oom_adj", "EACCES",
         SUCCEEDED, _check_oom),
    Case("core-dump", "41", "Raise RLIMIT_CORE and abort", "core_dump",
         "crash, no core", ("failed", "crash"), _check_core),
    Case("segfault", "41", "Segfault", "crash", "crash",
         ("failed", "crash"), _check_message("SIGSEGV")),
    Case("parser-bomb", "42", "predictions.json nested 200,000 deep", "parser_bomb",
         "invalid output", SAFE_OUTPUTS, _check_message("nested too deeply"),
         exit_after=True),
    Case("nan-output", "43", "NaN in predictions.json", "nan_output",
         "invalid output", SAFE_OUTPUTS, _check_message("NaN is not allowed"),
         ("nan",), exit_after=True),
    Case("object-output", "43", "An object in predictions.json", "nan_output",
         "invalid output", SAFE_OUTPUTS, _check_message("Expected 48 predictions"),
         ("object",), exit_after=True),
    Case("fake-score", "43", "Plant score.json claiming a perfect score",
         "fake_score", "ignored; real score", SUCCEEDED, _check_fake_score,
         every_split=True, spoil=True),
    Case("neighbour-holder", "44", "Run A holds a secret (concurrent with B)",
         "secret_holder", "nothing shared", SUCCEEDED, _check_holder,
         ("{secret}", "{hold}"), batch="pair-secret"),
    Case("neighbour-hunter", "44", "Run B hunts for A's secret", "secret_hunter",
         "nothing found", SUCCEEDED, _check_hunter, batch="pair-secret"),
    Case("covert-sender", "45", "Run A signals with flock on a shared inode",
         "covert_sender", "flock EPERM (seccomp)", SUCCEEDED,
         lambda obs: "held the lock" if obs.report.get("flock") == "ok"
         else f"flock {obs.report.get('flock')}",
         ("/venv/bin/python3", "{hold}"), batch="pair-covert"),
    Case("covert-receiver", "45", "Run B reads the bit", "covert_receiver",
         "nothing to read", SUCCEEDED, _check_covert, ("/venv/bin/python3", "2.5"),
         batch="pair-covert"),
    Case("cgroup-escape", "47", "Mount cgroupfs, write cgroup.procs",
         "cgroup_escape", "EPERM", SUCCEEDED, _check_cgroup),
    Case("fd-exhaust", "52", "Exhaust file descriptors", "fd_exhaust", "EMFILE",
         SUCCEEDED, _check_fd_exhaust),
    Case("cpu-affinity", "53", "Widen its CPU affinity", "cpu_affinity",
         "one core", SUCCEEDED, _check_affinity),
    Case("benign-after", "50", "A benign solution after all the hostile ones",
         "benign_forecast", "scored OK", SUCCEEDED, _check_benign, batch="final"),
]  # fmt: skip

# Catalogue rows a vendor's package cannot express; covered elsewhere.
NOT_EXPRESSIBLE = [
    ("09b", "bwrap started with the worker's environment",
     "a deliberate misconfiguration of the runner, not a vendor action; the "
     "runner builds bwrap's environment from nothing "
     "(test_sandbox_containment.py, cases 08 and 09)"),
    ("11", "A labels descriptor leaked by the worker without CLOEXEC",
     "the real worker leaks none, so a package cannot meet one; the runner's "
     "close_fds is tested with a planted descriptor in "
     "test_sandbox_containment.py"),
    ("49", "SIGKILL of the worker mid-run",
     "not a vendor action; test_workers.py kills a real worker mid-run and "
     "checks the sandbox dies and the sweep cleans up"),
]  # fmt: skip
BATCHES = ("pair-secret", "pair-covert", "main", "final")


# --- the world side (run in the world's subprocess) -----------------------------


def _world_prepare(canary: str) -> dict[str, Any]:
    """Create the suite whose labels carry ``canary``; return facts about it."""
    from evaluations.execution import work_dir
    from evaluations.suites import pack_bundle, rolling_origin_calls, write_bundle
    from tests.evaluations.worker_support import ensure_suite_version, series

    def make_bundle(folder: Path) -> bytes:
        frame = series()
        common = {"horizon": 48, "time_column": "timestamp", "target": "load_mw"}
        splits = {}
        for split, origin in (("sample", SAMPLE_ORIGIN), ("hidden", HIDDEN_ORIGIN)):
            calls, _ = rolling_origin_calls(frame, origins=[origin], **common)
            for call in calls.values():
                # A column no metric references: scoring ignores it.
                call["columns"]["note"] = [canary] * len(call["y_true"])
            splits[split] = calls
        write_bundle(folder, kind="forecasting", splits=splits)
        return pack_bundle(folder)

    version = ensure_suite_version(CONFIG, make_bundle)
    bundle = work_dir() / "bundles" / version.bundle.sha256
    return {
        "version": version.pk,
        "labels": str(bundle / "hidden" / "labels.json"),
        "bundle_sha256": version.bundle.sha256,
    }


def _world_submit(folders: list[str]) -> list[dict[str, int]]:
    """Submit each package folder as alice, as the upload view does."""
    import tempfile

    from django.core.files import File

    from evaluations import services
    from evaluations.intake import pack_solution
    from evaluations.models import SuiteVersion
    from portal.accounts.models import Organisation, User

    version = SuiteVersion.objects.get()
    organisation = Organisation.objects.get(slug="vendor-a")
    alice = User.objects.get(username="alice")
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for folder in map(Path, folders):
            archive = Path(tmp) / f"{folder.name}.zip"
            pack_solution(folder, archive)
            with archive.open("rb") as handle:
                submission = services.submission_create(
                    suite_version=version,
                    organisation=organisation,
                    user=alice,
                    upload=File(handle, name=archive.name),
                    file_name=archive.name,
                )
            made.append({"submission": submission.pk})
    return made


# --- the host side ---------------------------------------------------------------


def _write_package(folder: Path, case: Case, context: Context) -> Path:
    folder.mkdir(parents=True)
    (folder / "solution.toml").write_text(
        f'name = "hostile {case.code}"\nversion = "1.0"\n'
        'entrypoint = "portal_hostile_entry:predict"\ntask_kind = "forecasting"\n'
        f'description = "Catalogue case {case.section}: {case.tries}"\n',
        encoding="utf-8",
    )
    shutil.copy(HOSTILE_DIR / "_entry.py", folder / "portal_hostile_entry.py")
    shutil.copy(HOSTILE_DIR / "_report.py", folder / "_report.py")
    program = HOSTILE_DIR / f"{case.program}.py"
    if program.exists():
        shutil.copy(program, folder / "hostile_main.py")
    else:  # the benign solution: the wrapper's forecast alone
        (folder / "hostile_main.py").write_text('"""Does nothing."""\n')
    (folder / "case.json").write_text(
        json.dumps(
            {
                "args": [context.fill(arg) for arg in case.args],
                "every_split": case.every_split,
                "exit_after": case.exit_after,
                "spoil_forecast": case.spoil,
                "sample_before": SAMPLE_BEFORE,
            }
        ),
        encoding="utf-8",
    )
    return folder


def _last_report(log: str) -> dict[str, Any]:
    for line in reversed(log.splitlines()):
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                value = json.loads(line)
                if isinstance(value, dict):
                    return value
    return {}


def _wait_final(w: World, submissions: list[int], workers: list[Any]) -> None:
    final = {"succeeded", "failed", "platform_error", "cancelled"}

    def done() -> bool:
        for submission in submissions:
            rows = w.runs(submission)
            if not rows or any(r["status"] not in final for r in rows):
                return False
            if rows[0]["status"] == "succeeded" and len(rows) < 2:
                return False  # the hidden run is still to be created
        return True

    w.wait_for(done, timeout=300, what="the batch's runs", watch=workers)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"error {exc.errno}"


def _host_snapshot(w: World) -> dict[str, Any]:
    """Files and folders a contained run cannot change."""
    files = [
        Path("/etc/passwd"),
        Path("/etc/group"),
        Path("/etc/hosts"),
        Path("/etc/hostname"),
        ROOT / "evaluations" / "harness" / "harness.py",
        EVAL_ENV / "pyvenv.cfg",
        w.root / "host-watch" / "keep.txt",
    ]
    folders = [EVAL_ENV, EVAL_ENV / "bin", ROOT / "evaluations" / "harness"]
    folders.append(w.root / "host-watch")
    return {
        "files": {str(p): _file_digest(p) for p in files},
        "folders": {str(p): sorted(os.listdir(p)) for p in folders},
    }


def _owned_by(uids: range, folders: tuple[str, ...]) -> list[str]:
    found = []
    for folder in folders:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_uid in uids:
                        found.append(entry.path)
    return found


def _cgroups_of(uids: range) -> list[str]:
    from evaluations.runners.bubblewrap.cgroups import cgroup_parents

    prefixes = tuple(f"u{uid}-" for uid in uids)
    found = []
    for parent in cgroup_parents(create=False).values():
        found += [str(p) for p in parent.iterdir() if p.name.startswith(prefixes)]
    return found


@dataclass
class Host:
    """Listeners and a process on the host that no run may reach."""

    tcp: socket.socket
    abstract: socket.socket
    unix: socket.socket
    unix_path: str
    sleeper: subprocess.Popen[bytes]

    def reached(self) -> list[str]:
        problems = []
        for name, listener in (
            ("TCP", self.tcp),
            ("abstract", self.abstract),
            ("unix", self.unix),
        ):
            with contextlib.suppress(BlockingIOError):
                listener.accept()[0].close()
                problems.append(f"the host's {name} listener was reached")
        if self.sleeper.poll() is not None:
            problems.append("the host's canary process died")
        return problems


@contextlib.contextmanager
def _host() -> Iterator[Host]:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind("\0portal-hostile-" + secrets.token_hex(6))
    unix_path = f"/tmp/portal-hostile-{secrets.token_hex(6)}.sock"  # noqa: S108
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(unix_path)
    os.chmod(unix_path, 0o777)  # noqa: S103 - any slot user could connect if visible
    for listener in (tcp, abstract, unix):
        listener.listen(8)
        listener.setblocking(False)
    sleeper = subprocess.Popen(["/bin/sleep", "600"])
    try:
        yield Host(tcp, abstract, unix, unix_path, sleeper)
    finally:
        sleeper.kill()
        sleeper.wait()
        for listener in (tcp, abstract, unix):
            listener.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(unix_path)


def _leftovers(w: World, host: Host, before: dict[str, Any]) -> list[str]:
    """What a finished batch left behind or changed on the host."""
    problems = []
    survivors = w.wait_for_no_sandbox_processes(timeout=5)
    if survivors:
        problems.append(f"processes of the slot users survived: {survivors}")
    if w.sandbox_run_dirs():
        problems.append(f"run folders left: {w.sandbox_run_dirs()}")
    if w.sandbox_mounts():
        problems.append(f"mounts left: {w.sandbox_mounts()}")
    cgroups = _cgroups_of(w.uids)
    if cgroups:
        problems.append(f"cgroups left: {cgroups}")
    work = w.root / "var" / "evaluation" / "runs"
    if work.exists() and list(work.iterdir()):
        problems.append(f"work folders left: {list(work.iterdir())}")
    owned = _owned_by(w.uids, ("/tmp", "/var/tmp", "/dev/shm", str(w.root)))  # noqa: S108
    if owned:
        problems.append(f"files of the slot users on the host: {owned}")
    after = _host_snapshot(w)
    if after != before:
        problems.append(f"host files changed: {before} -> {after}")
    problems += host.reached()
    return problems


@dataclass
class Suite:
    """The module's one execution of every case."""

    context: Context
    observations: dict[str, Observation]
    canary_found: list[str]
    workers_alive: bool
    seconds: float


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    problems = bwrap_problems()
    if not (EVAL_ENV / "bin" / "python3").exists():
        problems.append(f"no evaluation environment at {EVAL_ENV}")
    if problems:
        _missing("bubblewrap sandbox unusable here: " + "; ".join(problems))
    started = time.monotonic()
    template = migrate_template(tmp_path_factory.mktemp("hostile-template"))
    canary = CANARY_PREFIX + secrets.token_hex(16)
    try:
        with world(template, prefix="portal-hostile-") as w, _host() as host:
            yield _run_suite(w, host, canary, started)
    finally:
        template.drop()


def _run_suite(w: World, host: Host, canary: str, started: float) -> Suite:
    watch = w.root / "host-watch"
    watch.mkdir(mode=0o755)
    (watch / "keep.txt").write_text("the host's own file\n")
    workers = [w.start_worker("h1"), w.start_worker("h2")]
    prepared = json.loads(
        w.python(
            "import json, sys\n"
            "from tests.evaluations.test_hostile_suite import _world_prepare\n"
            "print(json.dumps(_world_prepare(sys.argv[1])))\n",
            canary,
        ).splitlines()[-1]
    )
    context = Context(
        canary=canary,
        labels=prepared["labels"],
        tcp_port=host.tcp.getsockname()[1],
        abstract=host.abstract.getsockname()[1:].decode(),
        unix_path=host.unix_path,
        seccomp=seccomp_in_force(),
    )
    for worker in workers:
        w.wait_ready(worker)
    before = _host_snapshot(w)
    observations: dict[str, Observation] = {}
    for batch in BATCHES:
        cases = [case for case in CASES if case.batch == batch]
        folders = [
            str(_write_package(w.root / "packages" / case.code, case, context))
            for case in cases
        ]
        made = json.loads(
            w.python(
                "import json, sys\n"
                "from tests.evaluations.test_hostile_suite import _world_submit\n"
                "print(json.dumps(_world_submit(json.loads(sys.argv[1]))))\n",
                json.dumps(folders),
                timeout=300,
            ).splitlines()[-1]
        )
        submissions = [m["submission"] for m in made]
        _wait_final(w, submissions, workers)
        leftovers = _leftovers(w, host, before)
        for case, submission in zip(cases, submissions, strict=True):
            rows = w.runs(submission)
            sample = rows[0]
            observations[case.code] = Observation(
                sample=sample,
                hidden=rows[1] if len(rows) > 1 else None,
                report=_last_report(sample["log"] or ""),
                problems=list(leftovers),
                context=context,
            )
    return Suite(
        context=context,
        observations=observations,
        canary_found=_canary_anywhere(w, canary, prepared["bundle_sha256"]),
        workers_alive=all(worker.alive() for worker in workers),
        seconds=time.monotonic() - started,
    )


def _canary_anywhere(w: World, canary: str, bundle_sha256: str) -> list[str]:
    """Files of the world that hold the canary, the suite's own bundle aside.

    The database and the stored uploads are what the vendor's pages and the
    API are made from; the workers' logs and the broker's folder are
    checked as well.
    """
    needle = canary.encode()
    found = []
    paths = [
        *(w.root / "var").rglob("*"),
        *(w.root / "logs").rglob("*"),
        *(w.root / "tmp").rglob("*"),
    ]
    for path in paths:
        if bundle_sha256 in str(path) or not path.is_file():
            continue
        if stat.S_ISREG(path.lstat().st_mode) and needle in path.read_bytes():
            found.append(str(path))
    return found


# --- the checks ------------------------------------------------------------------


def _visible(run: dict[str, Any]) -> str:
    """Everything of a run the vendor can see, as text."""
    parts = [run[key] or "" for key in ("status", "failure", "message", "stage", "log")]
    parts += [
        json.dumps(run[key]) for key in ("metrics", "gates", "resources", "probes")
    ]
    return "\n".join(parts)


def _observe(case: Case, obs: Observation) -> str:
    """Check one case; return its observed outcome for the table, or raise."""
    sample, hidden = obs.sample, obs.hidden
    status, failure = case.expected_outcome(obs.context.seccomp)
    assert (sample["status"], sample["failure"]) == (status, failure), (
        f"{sample['status']}/{sample['failure']}: {sample['message']}\n{sample['log'][-2000:]}"
    )
    if status == "failed":
        assert len(sample["message"].strip()) >= 10, sample["message"]
    if status == "succeeded":
        assert hidden is not None
        if case.spoil:
            assert (hidden["status"], hidden["failure"]) == ("failed", "threshold")
        else:
            assert (hidden["status"], hidden["passed"]) == ("succeeded", True), hidden
            assert hidden["metrics"]["mape"] == pytest.approx(0.0, abs=1e-9)
    else:
        assert hidden is None
    for run in (sample, hidden):
        if run is not None:
            assert obs.context.canary not in _visible(run)
            assert CANARY_PREFIX not in _visible(run)
    assert obs.problems == [], obs.problems
    note = case.check(obs)
    shown = sample["status"] + (f" ({sample['failure']})" if sample["failure"] else "")
    if hidden is not None:
        hidden_failure = f" ({hidden['failure']})" if hidden["failure"] else ""
        shown += f", hidden {hidden['status']}{hidden_failure}"
    return f"{shown}; {note}"


@pytest.mark.parametrize("case", CASES, ids=[case.code for case in CASES])
def test_a_hostile_package_is_contained(hostile: Suite, case: Case) -> None:
    observed = _observe(case, hostile.observations[case.code])
    if WEAKNESS in observed:
        pytest.xfail(observed)


def test_the_pairs_ran_at_the_same_time(hostile: Suite) -> None:
    """Cases 44 and 45 mean something only if A and B were in flight together."""
    for first, second in (
        ("neighbour-holder", "neighbour-hunter"),
        ("covert-sender", "covert-receiver"),
    ):
        a = hostile.observations[first].sample
        b = hostile.observations[second].sample
        assert a["started_at"] < b["finished_at"], (first, second)
        assert b["started_at"] < a["finished_at"], (first, second)


def test_no_canary_and_the_workers_carry_on(hostile: Suite) -> None:
    assert hostile.canary_found == []
    assert hostile.workers_alive is True


def _table(suite: Suite) -> str:
    lines = [
        "| Case | Catalogue | What it tries | Expected | Observed |",
        "|---|---|---|---|---|",
    ]
    for case in CASES:
        try:
            observed = _observe(case, suite.observations[case.code])
        except AssertionError as exc:
            first = (str(exc) or "assertion failed").splitlines()[0]
            observed = "FAILED CHECK: " + first[:200].replace("|", "/")
        lines.append(
            f"| `{case.code}` | {case.section} | {case.tries} | {case.expected} "
            f"| {observed} |"
        )
    for section, tries, reason in NOT_EXPRESSIBLE:
        lines.append(
            f"| — | {section} | {tries} | — | not run as a package: {reason} |"
        )
    return "\n".join(lines)


def test_the_security_report_is_current(hostile: Suite) -> None:
    """docs/SECURITY.md holds the table this run generates.

    ``PORTAL_WRITE_SECURITY_REPORT=1`` writes it instead of comparing.
    """
    table = _table(hostile)
    text = SECURITY_DOC.read_text(encoding="utf-8")
    start = text.index(TABLE_START) + len(TABLE_START)
    end = text.index(TABLE_END)
    current = text[start:end].strip("\n")
    if os.environ.get("PORTAL_WRITE_SECURITY_REPORT") == "1":
        SECURITY_DOC.write_text(
            text[:start] + "\n" + table + "\n" + text[end:], encoding="utf-8"
        )
        return
    assert current == table, (
        "docs/SECURITY.md is out of date; run this module with "
        "PORTAL_WRITE_SECURITY_REPORT=1"
    )
