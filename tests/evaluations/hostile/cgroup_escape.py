"""Case 47: leave the run's cgroup or loosen its limits."""

import ctypes
import errno
import os

from _report import outcome, report

libc = ctypes.CDLL(None, use_errno=True)


def mount_cgroup():
    os.makedirs("/tmp/cg", exist_ok=True)  # noqa: S108 - the sandbox's own /tmp
    if libc.mount(b"cgroup", b"/tmp/cg", b"cgroup", 0, b"memory") != 0:
        code = ctypes.get_errno()
        raise OSError(code, errno.errorcode.get(code, "?"))


def write(path, value):
    def attempt():
        with open(path, "w") as handle:
            handle.write(value)

    return attempt


with open("/proc/self/cgroup") as handle:
    own = handle.read().splitlines()
pid = str(os.getpid())
results = {
    "mount": outcome(mount_cgroup),
    "sys_listing": outcome(lambda: os.listdir("/sys/fs/cgroup")),
    "root_procs": outcome(write("/sys/fs/cgroup/memory/cgroup.procs", pid)),
    "proc1_root": outcome(write("/proc/1/root/sys/fs/cgroup/memory/cgroup.procs", pid)),
}
report(results=results, own=own)
