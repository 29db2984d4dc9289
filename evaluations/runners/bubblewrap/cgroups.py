"""Per-run cgroups (v1): create, limit, measure, kill and remove."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from evaluations.runners.base import Limits
from evaluations.runners.bubblewrap.config import _BWRAP_PROCESSES
from evaluations.runners.bubblewrap.mounts import _unescape_mount_path

logger = logging.getLogger(__name__)

CGROUP_PARENT = "portal-sandbox"
# cpuset comes before cpu: a run pinned to its cores needs no CFS quota.
CONTROLLERS = ("memory", "pids", "cpuset", "cpu", "cpuacct")

_CPU_PERIOD_US = 100_000


def parse_cpu_list(text: str) -> list[int]:
    """Parse a kernel CPU list such as ``0-3,6`` into ``[0, 1, 2, 3, 6]``."""
    cpus: list[int] = []
    for part in text.strip().split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        cpus.extend(range(int(first), int(last or first) + 1))
    return cpus


def cores_for_slot(available: list[int], index: int, count: int) -> list[int]:
    """The cores slot ``index`` is pinned to: ``count`` of them, round robin.

    Slots 0 and 1 on a two-core machine get core 0 and core 1, so two
    concurrent runs do not share a core; more slots than cores share.
    """
    if not available:
        return []
    count = max(1, min(count, len(available)))
    return [available[(index * count + k) % len(available)] for k in range(count)]


def _init_cpuset(path: Path) -> None:
    """Give a new cpuset folder its parent's CPUs and memory nodes (v1 starts empty)."""
    for name in ("cpuset.cpus", "cpuset.mems"):
        target = path / name
        if target.read_text().strip():
            continue
        _write(target, (path.parent / name).read_text().strip())


def cgroup_parents(*, create: bool = True) -> dict[str, Path]:
    """Return ``controller -> <worker's cgroup>/portal-sandbox`` for v1 controllers.

    Only controllers whose parent folder exists (or, with ``create``, could
    be made) are returned.
    """
    mounts: dict[str, tuple[str, str]] = {}
    with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            left, _, right = line.partition(" - ")
            fields, extra = left.split(), right.split()
            if len(fields) < 5 or len(extra) < 3 or extra[0] != "cgroup":
                continue
            options = extra[2].split(",")
            for controller in CONTROLLERS:
                if controller in options:
                    mounts.setdefault(
                        controller, (fields[3], _unescape_mount_path(fields[4]))
                    )
    own: dict[str, str] = {}
    with open("/proc/self/cgroup", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.rstrip("\n").split(":", 2)
            if len(parts) == 3:
                for controller in parts[1].split(","):
                    own[controller] = parts[2]
    parents: dict[str, Path] = {}
    for controller, (root, mountpoint) in mounts.items():
        path = own.get(controller)
        if path is None:
            continue
        relative = os.path.relpath(path, root) if root != "/" else path.lstrip("/")
        if relative.startswith(".."):
            continue
        parent = Path(mountpoint, relative, CGROUP_PARENT)
        if create:
            try:
                parent.mkdir(exist_ok=True)
                if controller == "cpuset":
                    _init_cpuset(parent)
            except OSError:
                continue
        if parent.is_dir():
            parents[controller] = parent
    return parents


def _write(path: Path, value: str | int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, str(value).encode())
    finally:
        os.close(fd)


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _read_counter(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == key:
                return int(parts[1])
    except (OSError, ValueError):
        pass
    return 0


def _cgroup_procs(path: Path) -> list[int]:
    try:
        return [int(line) for line in (path / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _kill_cgroup(path: Path, *, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        pids = _cgroup_procs(path)
        if not pids or time.monotonic() > deadline:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _remove_cgroup(path: Path, *, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.rmdir(path)
            return True
        except FileNotFoundError:
            return True
        except OSError as exc:
            if exc.errno != errno.EBUSY or time.monotonic() > deadline:
                logger.warning("cannot remove cgroup %s: %s", path, exc)
                return False
        _kill_cgroup(path, timeout=0.1)
        time.sleep(0.02)


@dataclass
class CgroupStats:
    peak_memory_bytes: int | None = None
    oom_kills: int = 0
    memory_failcnt: int = 0
    pids_limit_hits: int = 0
    cpu_seconds: float | None = None


@dataclass
class RunCgroups:
    """The per-run cgroups that could be created, and what they limit."""

    dirs: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    active: list[str] = field(default_factory=list)
    slot_index: int = 0
    cpu_cores: int = 1
    cores: list[int] = field(default_factory=list)

    @classmethod
    def create(
        cls, name: str, limits: Limits, *, slot_index: int = 0, cpu_cores: int = 1
    ) -> RunCgroups:
        """Make the run's cgroups; the run is pinned to the slot's cores."""
        groups = cls()
        groups.cpu_cores = cpu_cores
        groups.slot_index = slot_index
        parents = cgroup_parents()
        for controller in CONTROLLERS:
            parent = parents.get(controller)
            if parent is None:
                groups.notes.append(f"no {controller} cgroup")
                continue
            path = parent / name
            # Co-mounted controllers (cpu,cpuacct) share one folder.
            shared = path in groups.dirs.values()
            try:
                if not shared:
                    path.mkdir()
                active = groups._apply(controller, path, limits)
            except OSError as exc:
                groups.notes.append(f"{controller} cgroup failed ({exc.strerror})")
                if not shared:
                    _remove_cgroup(path, timeout=0.5)
                continue
            groups.dirs[controller] = path
            groups.active.append(active)
        return groups

    def _apply(self, controller: str, path: Path, limits: Limits) -> str:
        if controller == "memory":
            _write(path / "memory.limit_in_bytes", limits.memory_bytes)
            described = "memory cgroup"
            memsw = path / "memory.memsw.limit_in_bytes"
            if memsw.exists():
                _write(memsw, limits.memory_bytes)
                described = "memory+memsw cgroup"
            with contextlib.suppress(OSError):
                _write(path / "memory.swappiness", 0)
            return described
        if controller == "pids":
            _write(path / "pids.max", limits.processes + _BWRAP_PROCESSES)
            return "pids cgroup"
        if controller == "cpuacct":
            return "cpuacct cgroup (CPU time)"
        if controller == "cpuset":
            parent = path.parent
            available = parse_cpu_list(
                (parent / "cpuset.effective_cpus").read_text()
                if (parent / "cpuset.effective_cpus").exists()
                else (parent / "cpuset.cpus").read_text()
            )
            cores = cores_for_slot(available, self.slot_index, self.cpu_cores)
            if not cores:
                raise OSError(errno.ENOSPC, "no CPU available to the sandbox")
            _write(path / "cpuset.mems", (parent / "cpuset.mems").read_text().strip())
            _write(path / "cpuset.cpus", ",".join(str(core) for core in cores))
            self.cores = cores
            return f"cpuset cgroup (cores {','.join(str(c) for c in cores)})"
        if "cpuset" in self.dirs:
            # Pinned: the cores are the bound. A CFS quota on top only
            # throttles libraries that start a thread per visible core.
            return "cpu cgroup (pinned, no quota)"
        _write(path / "cpu.cfs_period_us", _CPU_PERIOD_US)
        _write(path / "cpu.cfs_quota_us", _CPU_PERIOD_US * self.cpu_cores)
        return f"cpu cgroup ({self.cpu_cores} core quota)"

    @property
    def has_memory(self) -> bool:
        return "memory" in self.dirs

    def unique_dirs(self) -> list[Path]:
        return list(dict.fromkeys(self.dirs.values()))

    def procs_files(self) -> list[str]:
        return [str(path / "cgroup.procs") for path in self.unique_dirs()]

    def stats(self) -> CgroupStats:
        result = CgroupStats()
        memory = self.dirs.get("memory")
        if memory is not None:
            result.peak_memory_bytes = _read_int(memory / "memory.max_usage_in_bytes")
            result.oom_kills = _read_counter(memory / "memory.oom_control", "oom_kill")
            result.memory_failcnt = max(
                _read_int(memory / "memory.failcnt") or 0,
                _read_int(memory / "memory.memsw.failcnt") or 0,
            )
        pids = self.dirs.get("pids")
        if pids is not None:
            result.pids_limit_hits = _read_counter(pids / "pids.events", "max")
        result.cpu_seconds = self.cpu_seconds()
        return result

    def cpu_seconds(self) -> float | None:
        """The CPU time the run's processes have used so far, if accounted."""
        cpuacct = self.dirs.get("cpuacct")
        if cpuacct is None:
            return None
        usage = _read_int(cpuacct / "cpuacct.usage")
        return None if usage is None else usage / 1e9

    def kill_all(self) -> None:
        for path in self.unique_dirs():
            _kill_cgroup(path)

    def remove(self) -> bool:
        """Kill and remove every cgroup of the run; True if all are gone."""
        removed = True
        for path in self.unique_dirs():
            _kill_cgroup(path)
            removed = _remove_cgroup(path) and removed
        return removed
