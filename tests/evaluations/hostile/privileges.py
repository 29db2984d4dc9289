# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S103, S108, SIM115
"""Cases 12, 20, 37, 40, 41, 45, 46: capabilities, setuid, devices, tty."""

import fcntl
import os
import resource
import shutil
import subprocess
import termios

from _report import outcome, report

status = {}
with open("/proc/self/status") as handle:
    for line in handle:
        key, _, value = line.partition(":")
        if key.startswith("Cap") or key in {"NoNewPrivs", "Seccomp", "Uid", "Gid"}:
            status[key] = value.strip()


def setuid_exec():
    shutil.copy("/usr/bin/true", "/out/true")
    os.chmod("/out/true", 0o4755)
    subprocess.run(["/out/true"], check=True)


def raise_core():
    resource.setrlimit(resource.RLIMIT_CORE, (1 << 20, 1 << 20))


def flock_shared():
    with open("/usr/bin/python3", "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def tiocsti():
    fcntl.ioctl(0, termios.TIOCSTI, b"x")


def lower_oom_score():
    fd = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
    try:
        os.write(fd, b"-1000")
    finally:
        os.close(fd)


results = {
    "setuid0": outcome(lambda: os.setuid(0)),
    "chown0": outcome(lambda: (open("/tmp/f", "w").close(), os.chown("/tmp/f", 0, 0))),
    "mknod": outcome(lambda: os.mknod("/tmp/null", 0o666 | 0o020000, os.makedev(1, 3))),
    "dev_mem": outcome(lambda: open("/dev/mem", "rb")),
    "dev_tty": outcome(lambda: open("/dev/tty", "rb")),
    "tiocsti": outcome(tiocsti),
    "setuid_exec": outcome(setuid_exec),
    "raise_core": outcome(raise_core),
    "oom_score_adj": outcome(lower_oom_score),
    "flock_shared": outcome(flock_shared),
    "nice": outcome(lambda: os.nice(-10)),
}
with open("/proc/self/oom_score_adj") as handle:
    oom_score_adj = handle.read().strip()
report(
    status=status,
    results=results,
    oom_score_adj=oom_score_adj,
    devices=sorted(os.listdir("/dev")),
)
