"""Clean up what earlier runs left in a slot; ``sweep_stale`` for idle slots."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from pathlib import Path

from evaluations.runners.bubblewrap.cgroups import (
    _kill_cgroup,
    _remove_cgroup,
    cgroup_parents,
)
from evaluations.runners.bubblewrap.config import SandboxConfig
from evaluations.runners.bubblewrap.mounts import _unmount, mounts_under
from evaluations.runners.bubblewrap.slots import (
    _ensure_layout,
    _lock_slot,
    _slot_prefix,
)
from evaluations.runners.bubblewrap.supervisor import kill_uid

logger = logging.getLogger(__name__)


def _clean_slot(config: SandboxConfig, index: int) -> list[str]:
    """Remove what earlier runs left in slot ``index``; its lock must be held."""
    removed = []
    uid = config.slot_uid(index)
    killed = kill_uid(uid)
    if killed:
        removed.append(f"killed {killed} process(es) of uid {uid}")
    prefix = _slot_prefix(uid)
    for parent in cgroup_parents(create=False).values():
        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                if entry.name.startswith(prefix) and entry.is_dir(
                    follow_symlinks=False
                ):
                    path = Path(entry.path)
                    _kill_cgroup(path)
                    if _remove_cgroup(path):
                        removed.append(f"removed cgroup {path}")
    runs = config.runs_dir
    for mountpoint in mounts_under(runs):
        relative = mountpoint.relative_to(runs).parts
        if relative and relative[0].startswith(prefix) and _unmount(mountpoint):
            removed.append(f"unmounted {mountpoint}")
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(runs):
            if entry.name.startswith(prefix) and _remove_run_dir(Path(entry.path)):
                removed.append(f"removed {entry.path}")
    return removed


def _remove_run_dir(path: Path) -> bool:
    if mounts_under(path):
        logger.warning("not removing %s: something is still mounted below it", path)
        return False
    # shutil.rmtree works on descriptors and never follows a link
    # (rmtree.avoids_symlink_attacks is True on Linux).
    shutil.rmtree(path, ignore_errors=True)
    return not os.path.lexists(path)


def sweep_stale() -> list[str]:
    """Remove what killed or crashed runs left behind (catalogue case 49).

    For every idle slot (its lock is free): SIGKILL processes of the slot
    user, remove its per-run cgroups, unmount stale ``sbx-out`` tmpfs
    mounts and remove run folders. Slots in use are left alone, so this is
    safe to call at worker start and periodically while other runs go on.
    Return what was removed, for the log.
    """
    config = SandboxConfig.from_settings()
    if os.geteuid() != 0 or not config.base_dir.is_dir():
        return []
    _ensure_layout(config)
    removed = []
    for index in range(config.slots):
        slot = _lock_slot(config, index, blocking=False)
        if slot is None:
            continue
        try:
            removed += _clean_slot(config, index)
        finally:
            slot.release()
    for line in removed:
        logger.info("sandbox sweep: %s", line)
    return removed
