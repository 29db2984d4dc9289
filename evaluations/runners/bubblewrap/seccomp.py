"""The optional seccomp deny-list, compiled once per process."""

from __future__ import annotations

import subprocess
import threading

from evaluations.runners.bubblewrap.config import HOST_PATH

# Prints the deny-list as BPF on stdout; needs python3-seccomp.
_SECCOMP_SOURCE = r"""
import errno, sys
import seccomp
f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
EPERM = seccomp.ERRNO(errno.EPERM)
def deny(name, *args, action=EPERM):
    try:
        f.add_rule(action, name, *args)
    except (RuntimeError, ValueError, OSError):
        pass  # not a system call of this architecture or libseccomp
for name in (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "keyctl", "add_key", "request_key",
    "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module",
    "mount", "umount2", "pivot_root", "setns", "unshare", "mount_setattr",
    "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
    "open_by_handle_at", "name_to_handle_at", "syslog", "iopl", "ioperm",
    "acct", "quotactl", "swapon", "swapoff", "flock",
):
    deny(name)
for flag in (0x80, 0x20000, 0x02000000, 0x04000000, 0x08000000,
             0x10000000, 0x20000000, 0x40000000):
    deny("clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
deny("clone3", action=seccomp.ERRNO(errno.ENOSYS))
for family in (16, 17, 40):  # AF_NETLINK, AF_PACKET, AF_VSOCK
    deny("socket", seccomp.Arg(0, seccomp.EQ, family))
for request in (0x5412, 0x541C):  # TIOCSTI, TIOCLINUX
    deny("ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
for command in (6, 7, 37, 38, 1024, 1026):  # record locks, leases, dnotify
    deny("fcntl", seccomp.Arg(1, seccomp.EQ, command))
sys.stdout.flush()
f.export_bpf(sys.stdout)
"""

_seccomp_lock = threading.Lock()
_seccomp_cache: dict[str, tuple[bytes | None, str]] = {}


def seccomp_program(python: str) -> tuple[bytes | None, str]:
    """Return the compiled deny-list, or None and why it is unavailable."""
    with _seccomp_lock:
        cached = _seccomp_cache.get(python)
        if cached is not None:
            return cached
        try:
            done = subprocess.run(  # noqa: S603 - fixed interpreter and source
                [python, "-I", "-c", _SECCOMP_SOURCE],
                capture_output=True,
                env={"PATH": HOST_PATH},
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            result: tuple[bytes | None, str] = (None, f"cannot build the filter: {exc}")
        else:
            if done.returncode == 0 and done.stdout:
                result = (done.stdout, "")
            elif b"ModuleNotFoundError" in done.stderr:
                result = (None, "python3-seccomp is not installed")
            else:
                last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
                result = (None, f"cannot build the filter: {' '.join(last)}")
        _seccomp_cache[python] = result
        return result
