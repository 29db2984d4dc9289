"""The exec wrapper: join the cgroups, set the rlimits, drop to the slot user."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from evaluations.runners.base import Limits
from evaluations.runners.bubblewrap.config import _BWRAP_PROCESSES

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
