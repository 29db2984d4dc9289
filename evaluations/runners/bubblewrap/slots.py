"""The base folder and the slots: layout checks, slot locks and ``hold_slot``."""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from evaluations.runners.bubblewrap.config import SandboxConfig, SandboxError


def _ensure_dir(path: Path, mode: int) -> None:
    try:
        os.mkdir(path, mode)
    except FileExistsError:
        pass
    else:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise SandboxError(
            f"{path} must be a folder owned by root and writable by root only"
        )


def _ensure_layout(config: SandboxConfig) -> None:
    _ensure_dir(config.base_dir, 0o711)
    _ensure_dir(config.locks_dir, 0o700)
    _ensure_dir(config.runs_dir, 0o711)


def _layout_problems(config: SandboxConfig) -> list[str]:
    problems = []
    for ancestor in [*reversed(config.base_dir.parents), config.base_dir]:
        try:
            info = os.lstat(ancestor)
        except FileNotFoundError:
            if ancestor != config.base_dir:
                problems.append(f"{ancestor} does not exist (PORTAL_SANDBOX_DIR)")
            break
        sticky = bool(info.st_mode & stat.S_ISVTX)
        if (
            stat.S_ISLNK(info.st_mode)
            or info.st_uid != 0
            or (info.st_mode & 0o022 and not sticky)
            or (ancestor == config.base_dir and info.st_mode & 0o022)
        ):
            problems.append(
                f"{ancestor} must be a folder owned by root and writable by root "
                "only (PORTAL_SANDBOX_DIR)"
            )
            break
        if not info.st_mode & 0o001:
            problems.append(
                f"{ancestor} must be searchable by other users (o+x): the slot "
                "users must reach the run folders (PORTAL_SANDBOX_DIR)"
            )
            break
    return problems


# Written into a slot's lock file when its last run left nothing behind,
# so the next run can skip the full clean-up scan.
_CLEAN_MARK = b"clean\n"


@dataclass
class Slot:
    index: int
    uid: int
    fd: int

    def was_left_clean(self) -> bool:
        """Did the slot's last run end with nothing of it left (see mark_clean)?"""
        try:
            return os.pread(self.fd, 16, 0) == _CLEAN_MARK
        except OSError:
            return False

    def mark_dirty(self) -> None:
        """Before a run starts: a worker killed mid-run leaves the slot dirty."""
        # No fsync: after a host crash, sweep_stale() at worker start cleans
        # every slot whatever its mark says.
        os.ftruncate(self.fd, 0)

    def mark_clean(self) -> None:
        """After a run whose processes, cgroups, mounts and folder are all gone."""
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, _CLEAN_MARK, 0)

    def release(self) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _lock_slot(config: SandboxConfig, index: int, *, blocking: bool) -> Slot | None:
    path = config.locks_dir / f"slot-{index}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return Slot(index=index, uid=config.slot_uid(index), fd=fd)


def _acquire_slot(config: SandboxConfig) -> Slot | None:
    deadline = time.monotonic() + config.slot_wait_seconds
    while True:
        for index in range(config.slots):
            slot = _lock_slot(config, index, blocking=False)
            if slot is not None:
                return slot
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


@contextlib.contextmanager
def hold_slot(index: int) -> Iterator[Slot]:
    """Hold slot ``index`` (blocking), e.g. to inspect it without a race."""
    config = SandboxConfig.from_settings()
    _ensure_layout(config)
    slot = _lock_slot(config, index, blocking=True)
    if slot is None:
        raise SandboxError(f"cannot lock slot {index}")
    try:
        yield slot
    finally:
        slot.release()


def _slot_prefix(uid: int) -> str:
    # Run folders and cgroups are named after the slot's uid, which is
    # unique on the host even across base folders, so cleaning one slot
    # can never touch another slot's run.
    return f"u{uid}-"
