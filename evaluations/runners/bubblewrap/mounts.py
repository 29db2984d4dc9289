"""Mounts: the output tmpfs, unmounting, mountinfo and the child subreaper."""

from __future__ import annotations

import ctypes
import errno
import functools
import logging
import os
from pathlib import Path

from evaluations.runners.base import Limits
from evaluations.runners.bubblewrap.config import SandboxError

logger = logging.getLogger(__name__)

OUT_MOUNT_SOURCE = "sbx-out"

_MS_NOSUID = 0x2
_MS_NODEV = 0x4
_MS_NOEXEC = 0x8
_MNT_DETACH = 0x2
_PR_SET_CHILD_SUBREAPER = 36
_UMOUNT_NOFOLLOW = 0x8


def _unescape_mount_path(path: str) -> str:
    return (
        path.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
    )


@functools.cache
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_ulong,
        ctypes.c_char_p,
    ]
    libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    libc.prctl.argtypes = [ctypes.c_int, *[ctypes.c_ulong] * 4]
    return libc


@functools.cache
def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants.

    bwrap's monitor exits as soon as the sandbox's pid 1 reports the exit
    code, so that pid 1 is orphaned; as subreaper the runner reaps it (and
    gets its CPU time) instead of leaving a zombie to host init. This is
    process-wide and stays on.
    """
    return bool(_libc().prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)


def _mount_output(target: Path, limits: Limits, uid: int) -> None:
    options = (
        f"size={limits.output_bytes},nr_inodes={limits.output_files + 1},"
        f"mode=0700,uid={uid},gid={uid}"
    )
    flags = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    result = _libc().mount(
        OUT_MOUNT_SOURCE.encode(),
        os.fsencode(target),
        b"tmpfs",
        flags,
        options.encode(),
    )
    if result != 0:
        number = ctypes.get_errno()
        raise SandboxError(
            f"cannot mount the output tmpfs on {target}: {os.strerror(number)}"
        )


def _unmount(target: Path) -> bool:
    result = _libc().umount2(os.fsencode(target), _MNT_DETACH | _UMOUNT_NOFOLLOW)
    if result != 0:
        number = ctypes.get_errno()
        if number not in {errno.EINVAL, errno.ENOENT}:
            logger.warning("cannot unmount %s: %s", target, os.strerror(number))
            return False
    return True


def mounts_under(directory: Path) -> list[Path]:
    """Return mount points at or below ``directory``, deepest first."""
    prefix = str(directory).rstrip("/") + "/"
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) > 4:
                mountpoint = _unescape_mount_path(fields[4])
                if mountpoint == prefix.rstrip("/") or mountpoint.startswith(prefix):
                    found.append(Path(mountpoint))
    return sorted(found, key=lambda path: len(path.parts), reverse=True)
