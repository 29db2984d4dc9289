"""Start bwrap as the slot user, in the run's cgroups, under its rlimits.

Two ways, with the same effect:

* ``spawn_gated`` (every run): the child, ``/bin/sh``, waits on a gate (its
  stdin) while this process moves it into the run's cgroups and sets its
  ``oom_score_adj``; then it execs util-linux ``setpriv``, which drops to
  the slot user (real, effective and saved ids, no groups, no
  capabilities), which execs ``prlimit``, which sets the rlimits and execs
  bwrap. A few milliseconds, against about 10 ms for starting a Python
  interpreter. Dropping privileges in ``setpriv`` rather than through
  ``Popen(user=...)`` keeps ``Popen`` on ``vfork``, which it gives up for a
  uid change: a full ``fork`` of a worker with pandas loaded costs tens of
  milliseconds.
* ``LaunchPlan.command`` (the start-up smoke test and the development-only
  local runner): a tiny Python launcher does the same steps in one process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass, field

from evaluations.runners.base import Limits
from evaluations.runners.bubblewrap.config import _BWRAP_PROCESSES, SandboxError

# The exec wrapper, run as root by ``python3 -I -S -c``. It takes one JSON
# argument and never returns: it execs the command or writes why it could
# not to the error descriptor and exits with 127.
_LAUNCHER = r"""
import json, os, resource, sys
cfg = json.loads(sys.argv[1])
err = cfg["error_fd"]
try:
    pid = str(os.getpid()).encode()
    for path in cfg["cgroup_procs"]:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
        try:
            os.write(fd, pid)
        finally:
            os.close(fd)
    if cfg["oom_score_adj"] is not None:
        fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY | os.O_CLOEXEC)
        try:
            os.write(fd, str(cfg["oom_score_adj"]).encode())
        finally:
            os.close(fd)
    for name, soft, hard in cfg["rlimits"]:
        resource.setrlimit(getattr(resource, name), (soft, hard))
    if cfg["uid"] is not None:
        os.setgroups([])
        os.setresgid(cfg["gid"], cfg["gid"], cfg["gid"])
        os.setresuid(cfg["uid"], cfg["uid"], cfg["uid"])
    os.set_inheritable(err, False)
    os.execve(cfg["argv"][0], cfg["argv"], cfg["env"])
except BaseException as exc:
    try:
        os.write(err, ("%s: %s" % (type(exc).__name__, exc)).encode()[:4000])
    finally:
        os._exit(127)
"""


@dataclass
class LaunchPlan:
    """What the launcher does between ``fork`` and the final ``exec``."""

    argv: list[str]
    env: dict[str, str]
    error_fd: int
    rlimits: list[tuple[str, int, int]] = field(default_factory=list)
    cgroup_procs: list[str] = field(default_factory=list)
    oom_score_adj: int | None = None
    uid: int | None = None
    gid: int | None = None

    def command(self, python: str) -> list[str]:
        payload = {
            "argv": self.argv,
            "env": self.env,
            "error_fd": self.error_fd,
            "rlimits": self.rlimits,
            "cgroup_procs": self.cgroup_procs,
            "oom_score_adj": self.oom_score_adj,
            "uid": self.uid,
            "gid": self.gid,
        }
        return [python, "-I", "-S", "-c", _LAUNCHER, json.dumps(payload)]


def rlimits_for(
    limits: Limits, *, address_space: bool, nproc: bool
) -> list[tuple[str, int, int]]:
    """Return the launcher's rlimits for ``limits``."""
    cpu = max(1, int(limits.cpu_seconds))
    values = [
        ("RLIMIT_CPU", cpu, cpu + 1),
        ("RLIMIT_FSIZE", limits.file_size_bytes, limits.file_size_bytes),
        ("RLIMIT_NOFILE", limits.open_files, limits.open_files),
        ("RLIMIT_CORE", 0, 0),
        ("RLIMIT_MEMLOCK", 0, 0),
        ("RLIMIT_RTPRIO", 0, 0),
        ("RLIMIT_MSGQUEUE", 0, 0),
    ]
    if nproc:
        processes = limits.processes + _BWRAP_PROCESSES
        values.append(("RLIMIT_NPROC", processes, processes))
    if address_space:
        values.append(("RLIMIT_AS", limits.memory_bytes, limits.memory_bytes))
    return values


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


# The gated exec: wait for this process to place the child, then exec. The
# gate is stdin; bwrap and the sandbox get /dev/null instead. A missing
# program is said on stderr: bwrap never starts, so the run is a platform
# error with that message.
_GATE_SCRIPT = (
    "read -r _ || exit 125; unset PWD OLDPWD; "
    'command -v "$1" >/dev/null 2>&1 || '
    '{ echo "sandbox launcher: cannot run $1" >&2; exit 127; }; '
    'exec "$@" </dev/null'
)
_PRLIMIT_OPTIONS = {
    "RLIMIT_CPU": "cpu",
    "RLIMIT_FSIZE": "fsize",
    "RLIMIT_NOFILE": "nofile",
    "RLIMIT_CORE": "core",
    "RLIMIT_MEMLOCK": "memlock",
    "RLIMIT_RTPRIO": "rtprio",
    "RLIMIT_MSGQUEUE": "msgqueue",
    "RLIMIT_NPROC": "nproc",
    "RLIMIT_AS": "as",
}
SHELL = "/bin/sh"
SETPRIV = "/usr/bin/setpriv"
PRLIMIT = "/usr/bin/prlimit"


def prlimit_options(rlimits: list[tuple[str, int, int]]) -> list[str]:
    """``prlimit`` options for the launcher's rlimits (``--cpu=60:61``, ...)."""
    return [f"--{_PRLIMIT_OPTIONS[name]}={soft}:{hard}" for name, soft, hard in rlimits]


def spawn_gated(plan: LaunchPlan, *, pass_fds: list[int]) -> subprocess.Popen[bytes]:
    """Start ``plan`` (stdout and stderr piped) as described in the module docstring.

    Raises SandboxError, with nothing left running, if the child cannot be
    placed in its cgroups.
    """
    drop: list[str] = []
    if plan.uid is not None:
        gid = plan.gid if plan.gid is not None else plan.uid
        drop = [
            SETPRIV,
            f"--reuid={plan.uid}",
            f"--regid={gid}",
            "--clear-groups",
            "--",
        ]
    gate_r, gate_w = os.pipe()
    try:
        proc = subprocess.Popen(  # noqa: S603 - fixed shell script, list argv
            [
                SHELL,
                "-c",
                _GATE_SCRIPT,
                "sh",
                *drop,
                PRLIMIT,
                *prlimit_options(plan.rlimits),
                "--",
                *plan.argv,
            ],
            stdin=gate_r,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            close_fds=True,
            pass_fds=pass_fds,
            start_new_session=True,
            env=plan.env,
            cwd="/",
        )
    except BaseException:
        os.close(gate_w)
        raise
    finally:
        os.close(gate_r)
    try:
        pid = str(proc.pid).encode()
        for path in plan.cgroup_procs:
            _write_file(path, pid)
        if plan.oom_score_adj is not None:
            _write_file(
                f"/proc/{proc.pid}/oom_score_adj", str(plan.oom_score_adj).encode()
            )
        os.write(gate_w, b"go\n")
    except OSError as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise SandboxError(f"cannot place the sandbox in its cgroups: {exc}") from exc
    finally:
        os.close(gate_w)
    return proc


def _write_file(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def launcher_problems() -> list[str]:
    """What the gated launcher needs from the host."""
    return [
        f"{program} is missing (apt-get install {package})"
        for program, package in (
            (SHELL, "dash"),
            (SETPRIV, "util-linux"),
            (PRLIMIT, "util-linux"),
        )
        if not os.access(program, os.X_OK)
    ]
