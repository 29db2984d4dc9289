"""Run untrusted programs with bubblewrap: the default, production runner.

The design, the exact bwrap flags and the attack catalogue are in
``shared/design/sandbox.md``; this module implements its section 4. One run:

1. **Slot.** Take a free slot ``N`` by ``flock`` on
   ``<base>/locks/slot-N.lock`` (safe across threads, processes and
   workers). The slot fixes the host user id ``uid_base + N`` the sandbox
   runs as, so concurrent runs cannot signal, trace or share
   ``RLIMIT_NPROC`` with each other. Anything a crashed earlier run left in
   this slot is removed first; ``sweep_stale()`` does the same for every
   idle slot.
2. **Prepare (root).** Create ``<base>/runs/u<uid>-<random>`` (mode 0750,
   group = the slot), copy the input, code and harness folders into it
   (regular files and folders only: links and special files are skipped,
   never followed), write a synthetic ``etc/passwd`` and ``etc/group``, and
   mount a ``nosuid,nodev,noexec`` tmpfs capped in bytes and inodes on
   ``out/``, owned by the slot user.
3. **cgroups (v1).** Create per-run ``memory`` (+``memsw``), ``pids`` and
   ``cpu`` groups, and a ``cpuacct`` group for exact CPU time, under the
   worker's own cgroup, where the machine offers them. Whatever is missing
   is said in ``RunResult.message``, and without a memory cgroup
   ``RLIMIT_AS`` becomes the memory limit.
4. **Spawn.** A tiny launcher, run by Debian's ``/usr/bin/python3 -I -S``,
   joins the cgroups, sets ``oom_score_adj`` and the rlimits, drops to the
   slot user (``setgroups([])``, ``setresgid``, ``setresuid``) and execs
   bwrap with ``PATH`` as its only environment variable (catalogue case
   09b). bwrap's options travel through ``--args FD`` so that host paths do
   not show in the sandbox's ``/proc/1/cmdline`` (case 48).
5. **Supervise.** Read stdout and stderr up to their caps, enforce the wall
   clock, and on any kill SIGKILL the sandbox's pid 1 (which takes the
   whole pid namespace with it), then bwrap's process group, then anything
   left in the run's cgroups and anything still running as the slot user.
   The runner makes its process a child subreaper (``prctl``) so that it,
   not host init, reaps the sandbox's pid 1, which bwrap's monitor leaves
   orphaned: no zombie of the slot user outlives a run.
6. **Verdict and outputs.** Map the end to an ``Outcome`` and read only
   ``RunSpec.expected_outputs``, through ``reader.read_outputs``, which
   never follows links.
7. **Teardown.** Unmount ``out/`` (its contents go with it), remove the
   run folder with ``shutil.rmtree`` (descriptor-based, it never follows
   links) and remove the cgroups. Nothing is ever chowned or chmodded
   after the sandbox has run.

Why a launcher instead of ``preexec_fn``: ``preexec_fn`` runs Python
between ``fork`` and ``exec``, which is not safe once the calling process
has threads (a heartbeat thread is planned), and the root-only steps need
``cgroup.procs`` writes that ``setpriv`` and ``prlimit`` cannot do. The
launcher is a separate, single-threaded interpreter started by
``subprocess.Popen`` (which itself forks safely), so the runner can be
called from any thread. ``PR_SET_PDEATHSIG`` fires when the *thread* that
started bwrap exits, so call ``run()`` from a long-lived thread: the
Celery task's own thread is fine, a short-lived helper thread is not.

The optional seccomp deny-list (section 4 of the design) is compiled once
per process by ``/usr/bin/python3`` with python3-seccomp, when that package
is installed, and passed to bwrap with ``--seccomp FD``. Without it the run
goes ahead and ``RunResult.message`` says so.

Settings, all read when used: ``PORTAL_SANDBOX_DIR``,
``PORTAL_SANDBOX_UID_BASE``, ``PORTAL_SANDBOX_SLOTS``,
``PORTAL_SANDBOX_SLOT_WAIT_SECONDS``, ``PORTAL_SANDBOX_EVAL_VENV`` (bound
read-only at ``/venv``), ``PORTAL_SANDBOX_SECCOMP`` (``"auto"``, True or
False), ``PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT``, ``PORTAL_SANDBOX_BWRAP`` and
``PORTAL_SANDBOX_PYTHON``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import json
import logging
import os
import resource
import secrets
import selectors
import shutil
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from evaluations.runners.base import KIB, MIB, Limits, Outcome, RunResult, RunSpec
from evaluations.runners.reader import output_name_problem, read_outputs

logger = logging.getLogger(__name__)

BWRAP_MISSING = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
NOT_ROOT = (
    "the bubblewrap runner must run as root: it mounts the output folder, "
    "creates cgroups and switches to per-slot user ids"
)

# Paths inside the sandbox.
IN_DIR = "/in"
CODE_DIR = "/code"
HARNESS_DIR = "/harness"
OUT_DIR = "/out"
# The sandbox's own private tmpfs mounts, not the host's.
SANDBOX_TMP = "/tmp"  # noqa: S108
SANDBOX_SHM = "/dev/shm"  # noqa: S108
VENV_DIR = "/venv"
SANDBOX_UID = 1000

HOST_PATH = "/usr/bin:/bin"
OUT_MOUNT_SOURCE = "sbx-out"
CGROUP_PARENT = "portal-sandbox"
CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")

# bwrap itself: the outer monitor and the pid-1 reaper inside the sandbox.
_BWRAP_PROCESSES = 2
_CPU_PERIOD_US = 100_000
_CPU_CORES = 1
_OOM_SCORE_ADJ = 1000
# After a kill, how long to wait for the process tree to go away.
_KILL_GRACE_SECONDS = 3.0
# After bwrap exits, how long its pipes may stay open.
_DRAIN_SECONDS = 1.0
_STATUS_CAP = 64 * KIB
_SMOKE_TIMEOUT_SECONDS = 20.0
_NOBODY = 65534

_MS_NOSUID = 0x2
_MS_NODEV = 0x4
_MS_NOEXEC = 0x8
_MNT_DETACH = 0x2
_PR_SET_CHILD_SUBREAPER = 36
_UMOUNT_NOFOLLOW = 0x8

_PASSWD = (
    "root:x:0:0:root:/:/usr/sbin/nologin\n"
    f"sandbox:x:{SANDBOX_UID}:{SANDBOX_UID}:sandbox:/tmp:/usr/sbin/nologin\n"
    f"nobody:x:{_NOBODY}:{_NOBODY}:nobody:/nonexistent:/usr/sbin/nologin\n"
)
_GROUP = f"root:x:0:\nsandbox:x:{SANDBOX_UID}:\nnogroup:x:{_NOBODY}:\n"

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


_SECCOMP_MODES = {
    "auto": "auto",
    **dict.fromkeys(("true", "1", "yes", "on"), "on"),
    **dict.fromkeys(("false", "0", "no", "off"), "off"),
}


class SandboxError(Exception):
    """The runner could not prepare, start or clean up a run."""


# --------------------------------------------------------------------------
# Settings


@dataclass(frozen=True)
class SandboxConfig:
    bwrap: str = "/usr/bin/bwrap"
    python: str = "/usr/bin/python3"
    base_dir: Path = Path("/var/lib/portal-sandbox")
    uid_base: int = 61000
    slots: int = 8
    slot_wait_seconds: float = 60.0
    eval_venv: Path | None = None
    seccomp: str = "auto"  # "auto", "on" or "off"
    address_space_limit: bool = False

    @classmethod
    def from_settings(cls) -> SandboxConfig:
        """Read the ``PORTAL_SANDBOX_*`` settings; raise if one is invalid."""
        default = cls()
        venv = getattr(settings, "PORTAL_SANDBOX_EVAL_VENV", None)
        value = getattr(settings, "PORTAL_SANDBOX_SECCOMP", "auto")
        seccomp = _SECCOMP_MODES.get(str(value).strip().lower())
        if seccomp is None:
            raise ImproperlyConfigured(
                f"PORTAL_SANDBOX_SECCOMP must be 'auto', True or False, got {value!r}."
            )
        config = cls(
            bwrap=str(getattr(settings, "PORTAL_SANDBOX_BWRAP", default.bwrap)),
            python=str(getattr(settings, "PORTAL_SANDBOX_PYTHON", default.python)),
            base_dir=Path(getattr(settings, "PORTAL_SANDBOX_DIR", default.base_dir)),
            uid_base=int(
                getattr(settings, "PORTAL_SANDBOX_UID_BASE", default.uid_base)
            ),
            slots=int(getattr(settings, "PORTAL_SANDBOX_SLOTS", default.slots)),
            slot_wait_seconds=float(
                getattr(
                    settings,
                    "PORTAL_SANDBOX_SLOT_WAIT_SECONDS",
                    default.slot_wait_seconds,
                )
            ),
            eval_venv=Path(venv) if venv else None,
            seccomp=seccomp,
            address_space_limit=bool(
                getattr(settings, "PORTAL_SANDBOX_ADDRESS_SPACE_LIMIT", False)
            ),
        )
        if not config.base_dir.is_absolute():
            raise ImproperlyConfigured("PORTAL_SANDBOX_DIR must be an absolute path.")
        if config.slots < 1 or config.uid_base < 1000:
            raise ImproperlyConfigured(
                "PORTAL_SANDBOX_SLOTS must be at least 1 and "
                "PORTAL_SANDBOX_UID_BASE at least 1000."
            )
        return config

    def slot_uid(self, index: int) -> int:
        return self.uid_base + index

    @property
    def runs_dir(self) -> Path:
        return self.base_dir / "runs"

    @property
    def locks_dir(self) -> Path:
        return self.base_dir / "locks"


# --------------------------------------------------------------------------
# The exec wrapper


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


# --------------------------------------------------------------------------
# Supervision: caps, wall clock, kill, reap


@dataclass
class Supervision:
    """How a supervised process ended, before any interpretation."""

    stdout: bytes
    stderr: bytes
    stdout_truncated: bool
    stderr_truncated: bool
    killed_for: str | None  # "wall", "stdout" or "stderr"
    exit_status: int  # as from os.waitstatus_to_exitcode()
    cpu_seconds: float
    max_rss_bytes: int
    wall_seconds: float
    launcher_error: str
    status: list[dict[str, object]]

    def reported_exit_code(self) -> int | None:
        """Return the program's exit code as bwrap reported it, if it did."""
        for document in self.status:
            code = document.get("exit-code")
            if isinstance(code, int):
                return code
        return None


class Supervisor:
    """Watch one process tree to the end: caps, wall clock, kill, reap.

    ``extra_kill`` is called after every kill (the cgroup and slot-user
    sweep). With ``status_fd`` (bwrap's ``--json-status-fd``), a kill
    first goes to the sandbox's pid 1, so bwrap reaps it and no zombie is
    left to host init.
    """

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        limits: Limits,
        *,
        started: float,
        error_fd: int,
        status_fd: int | None = None,
        extra_kill: Callable[[], object] | None = None,
    ) -> None:
        self._proc = proc
        self._limits = limits
        self._started = started
        self._error_fd = error_fd
        self._status_fd = status_fd
        self._extra_kill = extra_kill
        self._init_pidfd: int | None = None
        self._init_pid: int | None = None
        self._exit_pidfd = os.pidfd_open(proc.pid)
        self._exited_at: float | None = None
        self._buffers = {"stdout": bytearray(), "stderr": bytearray()}
        self._truncated = {"stdout": False, "stderr": False}
        self._status = bytearray()
        self.killed_for: str | None = None

    def run(self) -> Supervision:
        try:
            self._watch()
            if self._exited_at is None:
                # Never reached in practice; the grace period ran out.
                self._kill_now()
            _, status, usage = os.wait4(self._proc.pid, 0)
            init_usage = self._reap_init()
        finally:
            self._close()
        ended = self._exited_at if self._exited_at is not None else time.monotonic()
        self._proc.returncode = os.waitstatus_to_exitcode(status)
        return Supervision(
            stdout=bytes(self._buffers["stdout"]),
            stderr=bytes(self._buffers["stderr"]),
            stdout_truncated=self._truncated["stdout"],
            stderr_truncated=self._truncated["stderr"],
            killed_for=self.killed_for,
            exit_status=self._proc.returncode,
            cpu_seconds=sum(
                part.ru_utime + part.ru_stime for part in (usage, *init_usage)
            ),
            max_rss_bytes=max(part.ru_maxrss for part in (usage, *init_usage)) * 1024,
            wall_seconds=ended - self._started,
            launcher_error=self._read_launcher_error(),
            status=_parse_status(bytes(self._status)),
        )

    def _reap_init(self) -> list[resource.struct_rusage]:
        """Reap the sandbox's orphaned pid 1, if this process is its reaper."""
        if self._init_pid is None:
            return []
        deadline = time.monotonic() + _KILL_GRACE_SECONDS
        while True:
            try:
                pid, _, usage = os.wait4(self._init_pid, os.WNOHANG)
            except ChildProcessError:
                return []  # not this process's child: host init reaps it
            if pid != 0:
                return [usage]
            if time.monotonic() > deadline:
                return []
            time.sleep(0.005)

    def _watch(self) -> None:
        proc = self._proc
        if proc.stdout is None or proc.stderr is None:
            raise SandboxError("the process was started without output pipes")
        selector = selectors.DefaultSelector()
        streams = {proc.stdout.fileno(): "stdout", proc.stderr.fileno(): "stderr"}
        for fd, name in streams.items():
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ, name)
        if self._status_fd is not None:
            os.set_blocking(self._status_fd, False)
            selector.register(self._status_fd, selectors.EVENT_READ, "status")
        selector.register(self._exit_pidfd, selectors.EVENT_READ, "exit")
        deadline = self._started + self._limits.wall_seconds
        give_up: float | None = None
        try:
            while True:
                now = time.monotonic()
                if (
                    self.killed_for is None
                    and self._exited_at is None
                    and now >= deadline
                ):
                    self._kill("wall")
                if self.killed_for is not None and give_up is None:
                    give_up = now + _KILL_GRACE_SECONDS
                open_fds = [
                    key.fd for key in selector.get_map().values() if key.data != "exit"
                ]
                if self._exited_at is not None:
                    if not open_fds or now >= self._exited_at + _DRAIN_SECONDS:
                        return
                    timeout = self._exited_at + _DRAIN_SECONDS - now
                elif give_up is not None:
                    if now >= give_up:
                        return
                    timeout = give_up - now
                else:
                    timeout = deadline - now
                for key, _ in selector.select(max(timeout, 0.0)):
                    if key.data == "exit":
                        self._exited_at = time.monotonic()
                        selector.unregister(key.fd)
                    elif not self._read(key.fd, str(key.data)):
                        selector.unregister(key.fd)
        finally:
            selector.close()

    def _read(self, fd: int, name: str) -> bool:
        """Read what ``fd`` has; return False at end of file."""
        try:
            chunk = os.read(fd, 64 * KIB)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        if name == "status":
            if len(self._status) < _STATUS_CAP:
                self._status += chunk
                self._notice_child_pid()
            return True
        buffer = self._buffers[name]
        cap = (
            self._limits.stdout_bytes if name == "stdout" else self._limits.stderr_bytes
        )
        room = cap - len(buffer)
        if len(chunk) > room:
            buffer += chunk[: max(room, 0)]
            if not self._truncated[name]:
                self._truncated[name] = True
                if self.killed_for is None:
                    self._kill(name)
        else:
            buffer += chunk
        return True

    def _notice_child_pid(self) -> None:
        if self._init_pidfd is not None:
            return
        for document in _parse_status(bytes(self._status)):
            pid = document.get("child-pid")
            if isinstance(pid, int) and pid > 0:
                self._init_pidfd = _open_child_pidfd(pid, self._proc.pid)
                if self._init_pidfd is not None:
                    self._init_pid = pid
                return

    def _kill(self, reason: str) -> None:
        self.killed_for = reason
        self._kill_now()

    def _kill_now(self) -> None:
        if self._init_pidfd is not None and self._exited_at is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._init_pidfd, signal.SIGKILL)
            # bwrap reaps its pid 1 and exits by itself; give it a moment so
            # the reaper does not end up a zombie of host init.
            _wait_readable(self._exit_pidfd, 0.5)
        if not _wait_readable(self._exit_pidfd, 0.0):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
        if self._extra_kill is not None:
            self._extra_kill()

    def _read_launcher_error(self) -> str:
        os.set_blocking(self._error_fd, False)
        try:
            return os.read(self._error_fd, 4096).decode("utf-8", "replace")
        except BlockingIOError:
            return ""

    def _close(self) -> None:
        for fd in (self._exit_pidfd, self._init_pidfd):
            if fd is not None:
                os.close(fd)
        self._init_pidfd = None
        for stream in (self._proc.stdout, self._proc.stderr):
            if stream is not None:
                stream.close()


def _wait_readable(fd: int, timeout: float) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        return bool(selector.select(timeout))


def _open_child_pidfd(pid: int, parent: int) -> int | None:
    """Open a pidfd for bwrap's child ``pid``, if it still is that child."""
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        return None
    # Checked after opening, so the pidfd cannot refer to a recycled pid.
    if _parent_pid(pid) != parent:
        os.close(pidfd)
        return None
    return pidfd


def _parent_pid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def _parse_status(data: bytes) -> list[dict[str, object]]:
    decoder = json.JSONDecoder()
    text = data.decode("utf-8", "replace")
    documents: list[dict[str, object]] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return documents
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            return documents
        if isinstance(value, dict):
            documents.append(value)


# --------------------------------------------------------------------------
# Process sweep by user id


def _pids_of_uid(uid: int) -> list[int]:
    """Return the live (non-zombie) processes whose real or effective uid is ``uid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        state, uids = _status_fields(int(entry))
        if state is not None and state != "Z" and uid in uids:
            found.append(int(entry))
    return found


def _status_fields(pid: int) -> tuple[str | None, tuple[int, ...]]:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
    except OSError:
        return None, ()
    state: str | None = None
    uids: tuple[int, ...] = ()
    for line in text.splitlines():
        if line.startswith("State:"):
            state = line.split()[1]
        elif line.startswith("Uid:"):
            uids = tuple(int(part) for part in line.split()[1:3])
    return state, uids


def kill_uid(uid: int, *, timeout: float = 2.0) -> int:
    """SIGKILL every process running as ``uid``; return how many were seen.

    Only call this for a slot whose lock is held: then nothing legitimate
    runs as that uid.
    """
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while True:
        pids = _pids_of_uid(uid)
        if not pids or time.monotonic() > deadline:
            return len(seen)
        for pid in pids:
            seen.add(pid)
            try:
                pidfd = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                # Re-checked through the pidfd's pid: no recycled pid is hit.
                if uid in _status_fields(pid)[1]:
                    with contextlib.suppress(ProcessLookupError):
                        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            finally:
                os.close(pidfd)
        time.sleep(0.01)


# --------------------------------------------------------------------------
# cgroups (v1)


def _unescape_mount_path(path: str) -> str:
    return (
        path.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\")
    )


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

    @classmethod
    def create(cls, name: str, limits: Limits) -> RunCgroups:
        groups = cls()
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

    @staticmethod
    def _apply(controller: str, path: Path, limits: Limits) -> str:
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
        _write(path / "cpu.cfs_period_us", _CPU_PERIOD_US)
        _write(path / "cpu.cfs_quota_us", _CPU_PERIOD_US * _CPU_CORES)
        return f"cpu cgroup ({_CPU_CORES} core)"

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
        cpuacct = self.dirs.get("cpuacct")
        if cpuacct is not None:
            usage = _read_int(cpuacct / "cpuacct.usage")
            if usage is not None:
                result.cpu_seconds = usage / 1e9
        return result

    def kill_all(self) -> None:
        for path in self.unique_dirs():
            _kill_cgroup(path)

    def remove(self) -> None:
        for path in self.unique_dirs():
            _kill_cgroup(path)
            _remove_cgroup(path)


# --------------------------------------------------------------------------
# Mounts


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


# --------------------------------------------------------------------------
# Base folder, slots and cleanup


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


@dataclass
class Slot:
    index: int
    uid: int
    fd: int

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


# --------------------------------------------------------------------------
# Seccomp


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


# --------------------------------------------------------------------------
# Run folder


def _make_readable_dir(path: Path) -> None:
    # The slot user must read what the run folder holds; the run folder
    # itself (0750, group = slot) keeps other slots out.
    os.mkdir(path)
    os.chmod(path, 0o755)  # noqa: S103


def _copy_tree(source: Path, target: Path) -> None:
    """Copy regular files and folders; skip links and special files."""
    _make_readable_dir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            destination = target / entry.name
            if entry.is_dir(follow_symlinks=False):
                _copy_tree(Path(entry.path), destination)
            elif entry.is_file(follow_symlinks=False):
                _copy_file(Path(entry.path), destination)


def _copy_file(source: Path, target: Path) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    source_fd = os.open(source, flags)
    try:
        info = os.fstat(source_fd)
        if not stat.S_ISREG(info.st_mode):
            return
        target_fd = os.open(
            target,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o644,
        )
        try:
            os.fchmod(target_fd, 0o644)
            offset = 0
            while offset < info.st_size:
                sent = os.sendfile(target_fd, source_fd, offset, info.st_size - offset)
                if sent == 0:
                    break
                offset += sent
        finally:
            os.close(target_fd)
    finally:
        os.close(source_fd)


def _write_new_file(path: Path, text: str) -> None:
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
    )
    try:
        os.fchmod(fd, 0o644)
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _prepare_run_dir(run_dir: Path, spec: RunSpec, slot: Slot) -> None:
    for label, source in (
        ("input", spec.input_dir),
        ("code", spec.code_dir),
        ("harness", spec.harness_dir),
    ):
        if not Path(source).is_dir():
            raise SandboxError(f"the {label} folder {source} does not exist")
    os.mkdir(run_dir, 0o700)
    fd = os.open(run_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        # A folder this process has just made and nothing else can write:
        # not the sandbox-written content the teardown must never chown.
        os.fchown(fd, 0, slot.uid)
        os.fchmod(fd, 0o750)
    finally:
        os.close(fd)
    _copy_tree(Path(spec.input_dir), run_dir / "in")
    _copy_tree(Path(spec.code_dir), run_dir / "code")
    _copy_tree(Path(spec.harness_dir), run_dir / "harness")
    _make_readable_dir(run_dir / "etc")
    _write_new_file(run_dir / "etc" / "passwd", _PASSWD)
    _write_new_file(run_dir / "etc" / "group", _GROUP)
    _make_readable_dir(run_dir / "out")
    _mount_output(run_dir / "out", spec.limits, slot.uid)


def sandbox_env(dirs: Mapping[str, str]) -> dict[str, str]:
    """Return the environment of the sandboxed program (nothing inherited)."""
    return {
        "PATH": HOST_PATH,
        "HOME": dirs["tmp"],
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PORTAL_IN_DIR": dirs["in"],
        "PORTAL_CODE_DIR": dirs["code"],
        "PORTAL_HARNESS_DIR": dirs["harness"],
        "PORTAL_OUT_DIR": dirs["out"],
    }


def _bwrap_options(
    run_dir: Path,
    limits: Limits,
    config: SandboxConfig,
    *,
    status_fd: int,
    seccomp_fd: int | None,
) -> list[str]:
    tmp = str(limits.tmp_bytes)
    options = [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    env = sandbox_env(
        {
            "tmp": SANDBOX_TMP,
            "in": IN_DIR,
            "code": CODE_DIR,
            "harness": HARNESS_DIR,
            "out": OUT_DIR,
        }
    )
    for name, value in env.items():
        options += ["--setenv", name, value]
    options += [
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/sbin", "/sbin",
        "--ro-bind", str(run_dir / "etc" / "passwd"), "/etc/passwd",
        "--ro-bind", str(run_dir / "etc" / "group"), "/etc/group",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", tmp, "--tmpfs", SANDBOX_TMP,
        "--size", tmp, "--tmpfs", SANDBOX_SHM,
        "--ro-bind", str(run_dir / "in"), IN_DIR,
        "--ro-bind", str(run_dir / "code"), CODE_DIR,
        "--ro-bind", str(run_dir / "harness"), HARNESS_DIR,
        "--bind", str(run_dir / "out"), OUT_DIR,
    ]  # fmt: skip
    if config.eval_venv is not None:
        options += ["--ro-bind", str(config.eval_venv), VENV_DIR]
    options += ["--chdir", SANDBOX_TMP]
    if seccomp_fd is not None:
        options += ["--seccomp", str(seccomp_fd)]
    options += ["--json-status-fd", str(status_fd), "--remount-ro", "/"]
    return options


def _output_folder_full(out_dir: Path) -> bool:
    try:
        fd = os.open(
            out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        )
    except OSError:
        return False
    try:
        info = os.fstatvfs(fd)
    finally:
        os.close(fd)
    return info.f_bavail == 0 or info.f_favail == 0


# --------------------------------------------------------------------------
# Verdict


def describe_size(value: int) -> str:
    if value >= MIB and value % MIB == 0:
        return f"{value // MIB} MiB"
    if value >= KIB and value % KIB == 0:
        return f"{value // KIB} KiB"
    return f"{value} bytes"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _ends_with_memory_error(stderr: bytes) -> bool:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return bool(lines) and lines[-1].startswith("MemoryError")


@dataclass
class Verdict:
    outcome: Outcome
    message: str
    exit_code: int | None = None
    signal: int | None = None


def judge(
    supervision: Supervision,
    limits: Limits,
    *,
    exit_code: int | None,
    stats: CgroupStats,
    output_full: bool,
) -> Verdict:
    """Map how a run ended to an ``Outcome`` (outputs not yet read).

    ``exit_code`` is the program's code as bwrap reported it (128 + n for
    signal n), or None when bwrap never ran the program.
    """
    killed = supervision.killed_for
    cpu_seconds = (
        stats.cpu_seconds if stats.cpu_seconds is not None else supervision.cpu_seconds
    )
    if supervision.launcher_error:
        return Verdict(
            Outcome.PLATFORM_ERROR,
            f"The sandbox launcher failed: {supervision.launcher_error}",
        )
    if killed in {"stdout", "stderr"}:
        cap = limits.stdout_bytes if killed == "stdout" else limits.stderr_bytes
        return Verdict(
            Outcome.OUTPUT_LIMIT,
            f"The program wrote more than {describe_size(cap)} to {killed} and was stopped.",
            signal=signal.SIGKILL,
        )
    if killed == "wall":
        return Verdict(
            Outcome.WALL_TIME,
            f"The program ran longer than the wall-clock limit of "
            f"{limits.wall_seconds:g} s and was stopped.",
            signal=signal.SIGKILL,
        )
    memory = f"The program exceeded its memory limit of {describe_size(limits.memory_bytes)}."
    if stats.oom_kills > 0:
        return Verdict(Outcome.MEMORY, memory, signal=signal.SIGKILL)
    if exit_code is None:
        detail = supervision.stderr.decode("utf-8", "replace").strip()
        return Verdict(
            Outcome.PLATFORM_ERROR,
            "The sandbox could not start the program"
            + (f": {detail[:500]}" if detail else "."),
        )
    if exit_code > 128:
        number = exit_code - 128
        if number == signal.SIGKILL and stats.memory_failcnt > 0:
            return Verdict(Outcome.MEMORY, memory, signal=number)
        if number == signal.SIGXCPU or (
            number == signal.SIGKILL and cpu_seconds >= limits.cpu_seconds * 0.95
        ):
            return Verdict(
                Outcome.CPU_TIME,
                f"The program used more than its CPU time limit of "
                f"{limits.cpu_seconds} s.",
                signal=number,
            )
        if output_full:
            return Verdict(
                Outcome.OUTPUT_LIMIT, _output_full_message(limits), signal=number
            )
        return Verdict(
            Outcome.SIGNALLED,
            f"The program was killed by {_signal_name(number)}.",
            signal=number,
        )
    if exit_code != 0:
        if _ends_with_memory_error(supervision.stderr):
            return Verdict(Outcome.MEMORY, memory, exit_code=exit_code)
        if output_full:
            return Verdict(
                Outcome.OUTPUT_LIMIT, _output_full_message(limits), exit_code=exit_code
            )
        return Verdict(
            Outcome.RUNTIME_ERROR,
            f"The program exited with status {exit_code}.",
            exit_code=exit_code,
        )
    if output_full:
        return Verdict(Outcome.OUTPUT_LIMIT, _output_full_message(limits), exit_code=0)
    return Verdict(Outcome.OK, "", exit_code=0)


def _output_full_message(limits: Limits) -> str:
    return (
        f"The output folder is full (at most {describe_size(limits.output_bytes)} "
        f"in {limits.output_files} files)."
    )


def spec_problem(spec: RunSpec) -> str | None:
    """Return why ``spec`` cannot be run at all, or None."""
    if not spec.argv or not all(isinstance(arg, str) and arg for arg in spec.argv):
        return "the command (argv) is empty or has an empty argument"
    if any("\0" in arg for arg in spec.argv):
        return "the command (argv) contains a NUL character"
    for name in spec.expected_outputs:
        problem = output_name_problem(name)
        if problem is not None:
            return problem
    limits = spec.limits
    numbers = (
        limits.wall_seconds,
        limits.cpu_seconds,
        limits.memory_bytes,
        limits.processes,
        limits.file_size_bytes,
        limits.open_files,
        limits.tmp_bytes,
        limits.output_bytes,
        limits.output_files,
        limits.stdout_bytes,
        limits.stderr_bytes,
    )
    if any(number <= 0 for number in numbers):
        return "every limit must be positive"
    return None


def platform_error(message: str, *, sandboxed: bool = True) -> RunResult:
    return RunResult(
        outcome=Outcome.PLATFORM_ERROR, message=message, sandboxed=sandboxed
    )


# --------------------------------------------------------------------------
# The runner


@dataclass(frozen=True)
class RunTrace:
    """Where a run lived on the host, for tests and the operator's log."""

    slot: int
    uid: int
    run_dir: Path
    cgroup_dirs: tuple[Path, ...]
    limits_in_force: tuple[str, ...]
    degraded: tuple[str, ...]


_smoke_lock = threading.Lock()
_smoke_passed: set[tuple[str, str]] = set()


class BubblewrapRunner:
    """The default runner; see the module docstring."""

    name = "bubblewrap"

    def __init__(self) -> None:
        self.last_trace: RunTrace | None = None

    def check(self) -> list[str]:
        """Return the problems that stop this runner from working here."""
        try:
            config = SandboxConfig.from_settings()
        except ImproperlyConfigured as exc:
            return [str(exc)]
        return _problems(config)

    def run(self, spec: RunSpec) -> RunResult:
        """Run ``spec`` in a fresh sandbox and return its result."""
        try:
            config = SandboxConfig.from_settings()
        except ImproperlyConfigured as exc:
            return platform_error(str(exc))
        problems = _problems(config)
        if problems:
            return platform_error("; ".join(problems))
        problem = spec_problem(spec)
        if problem is not None:
            return platform_error(f"The run cannot start: {problem}.")
        try:
            _ensure_layout(config)
            slot = _acquire_slot(config)
        except (OSError, SandboxError) as exc:
            return platform_error(f"The sandbox folder is not usable: {exc}")
        if slot is None:
            return platform_error(
                f"No sandbox slot became free within {config.slot_wait_seconds:g} s."
            )
        try:
            return self._run_in_slot(config, spec, slot)
        except SandboxError as exc:
            return platform_error(str(exc))
        except Exception as exc:
            # The contract: run() reports, it does not raise. Anything here
            # is a runner bug or a host problem, never the program's doing.
            logger.exception("sandbox run %s failed", spec.run_id)
            return platform_error(f"The sandbox runner failed: {exc!r}")
        finally:
            slot.release()

    def _run_in_slot(
        self, config: SandboxConfig, spec: RunSpec, slot: Slot
    ) -> RunResult:
        _clean_slot(config, slot.index)
        name = f"{_slot_prefix(slot.uid)}{secrets.token_hex(8)}"
        run_dir = config.runs_dir / name
        cgroups = RunCgroups()
        try:
            _prepare_run_dir(run_dir, spec, slot)
            cgroups = RunCgroups.create(name, spec.limits)
            degraded = list(cgroups.notes)
            in_force = [
                "namespaces",
                f"slot uid {slot.uid}",
                "rlimits",
                f"/out tmpfs {describe_size(spec.limits.output_bytes)}",
                *cgroups.active,
            ]
            program: bytes | None = None
            if config.seccomp != "off":
                program, why = seccomp_program(config.python)
                if program is None:
                    degraded.append(f"seccomp off: {why}")
                else:
                    in_force.append("seccomp")
            else:
                degraded.append("seccomp off: PORTAL_SANDBOX_SECCOMP is False")
            address_space = config.address_space_limit or not cgroups.has_memory
            if address_space:
                in_force.append("RLIMIT_AS")
            self.last_trace = RunTrace(
                slot=slot.index,
                uid=slot.uid,
                run_dir=run_dir,
                cgroup_dirs=tuple(cgroups.dirs.values()),
                limits_in_force=tuple(in_force),
                degraded=tuple(degraded),
            )
            result = self._spawn(
                config, spec, slot, run_dir, cgroups, program, address_space
            )
            if degraded:
                note = f"(sandbox degraded: {'; '.join(degraded)})"
                result.message = f"{result.message} {note}".strip()
            return result
        finally:
            cgroups.kill_all()
            kill_uid(slot.uid)
            unmounted = _unmount(run_dir / "out") if run_dir.exists() else True
            if unmounted and os.path.lexists(run_dir):
                _remove_run_dir(run_dir)
            cgroups.remove()

    def _spawn(
        self,
        config: SandboxConfig,
        spec: RunSpec,
        slot: Slot,
        run_dir: Path,
        cgroups: RunCgroups,
        seccomp: bytes | None,
        address_space: bool,
    ) -> RunResult:
        limits = spec.limits
        to_close: list[int] = []
        try:
            status_r, status_w = os.pipe()
            to_close += [status_r, status_w]
            error_r, error_w = os.pipe()
            to_close += [error_r, error_w]
            seccomp_fd = None
            if seccomp is not None:
                seccomp_fd = _memfd("portal-seccomp", seccomp)
                to_close.append(seccomp_fd)
            options = _bwrap_options(
                run_dir, limits, config, status_fd=status_w, seccomp_fd=seccomp_fd
            )
            args_fd = _memfd(
                "portal-bwrap-args", b"".join(o.encode() + b"\0" for o in options)
            )
            to_close.append(args_fd)
            plan = LaunchPlan(
                argv=[config.bwrap, "--args", str(args_fd), "--", *spec.argv],
                env={"PATH": HOST_PATH},
                error_fd=error_w,
                rlimits=rlimits_for(limits, address_space=address_space, nproc=True),
                cgroup_procs=cgroups.procs_files(),
                oom_score_adj=_OOM_SCORE_ADJ,
                uid=slot.uid,
                gid=slot.uid,
            )
            pass_fds = [args_fd, status_w, error_w]
            if seccomp_fd is not None:
                pass_fds.append(seccomp_fd)
            become_subreaper()
            started = time.monotonic()
            proc = subprocess.Popen(  # noqa: S603 - fixed launcher, list argv
                plan.command(config.python),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                close_fds=True,
                pass_fds=pass_fds,
                start_new_session=True,
                env={"PATH": HOST_PATH},
                cwd="/",
            )
            # Only the child may hold the write ends: their end of file is
            # how the supervisor learns that bwrap and the launcher are gone.
            for fd in pass_fds:
                os.close(fd)
                to_close.remove(fd)
            supervisor = Supervisor(
                proc,
                limits,
                started=started,
                error_fd=error_r,
                status_fd=status_r,
                extra_kill=functools.partial(_sweep_run, cgroups, slot.uid),
            )
            supervision = supervisor.run()
        finally:
            for fd in to_close:
                os.close(fd)
        # Nothing of the run may still write to /out while it is read.
        _sweep_run(cgroups, slot.uid)
        stats = cgroups.stats()
        out_dir = run_dir / "out"
        verdict = judge(
            supervision,
            limits,
            exit_code=supervision.reported_exit_code(),
            stats=stats,
            output_full=_output_folder_full(out_dir),
        )
        result = RunResult(
            outcome=verdict.outcome,
            message=verdict.message,
            exit_code=verdict.exit_code,
            signal=verdict.signal,
            wall_seconds=supervision.wall_seconds,
            cpu_seconds=(
                stats.cpu_seconds
                if stats.cpu_seconds is not None
                else supervision.cpu_seconds
            ),
            peak_memory_bytes=stats.peak_memory_bytes or supervision.max_rss_bytes,
            stdout=supervision.stdout,
            stderr=supervision.stderr,
            stdout_truncated=supervision.stdout_truncated,
            stderr_truncated=supervision.stderr_truncated,
        )
        if stats.pids_limit_hits and result.outcome is not Outcome.OK:
            result.message += (
                f" The process limit ({limits.processes}) was reached "
                f"{stats.pids_limit_hits} time(s)."
            )
        if result.outcome is Outcome.OK:
            read = read_outputs(
                out_dir, spec.expected_outputs, max_bytes=limits.output_bytes
            )
            result.outputs = read.files
            if read.problems:
                result.outcome = Outcome.INVALID_OUTPUT
                result.message = "Invalid output: " + "; ".join(read.problems) + "."
        return result


def _sweep_run(cgroups: RunCgroups, uid: int) -> None:
    cgroups.kill_all()
    kill_uid(uid)


def _problems(config: SandboxConfig) -> list[str]:
    if not os.path.isfile(config.bwrap) or not os.access(config.bwrap, os.X_OK):
        return [BWRAP_MISSING]
    problems = []
    if os.geteuid() != 0:
        problems.append(NOT_ROOT)
    if not os.path.isfile(config.python) or not os.access(config.python, os.X_OK):
        problems.append(
            f"{config.python} is missing: the sandbox launcher needs Debian's "
            "python3 (apt-get install python3)"
        )
    problems += _layout_problems(config)
    if config.eval_venv is not None:
        venv = config.eval_venv
        if not (venv / "pyvenv.cfg").is_file():
            problems.append(f"the evaluation virtualenv {venv} has no pyvenv.cfg")
        elif not all(os.stat(part).st_mode & 0o001 for part in [*venv.parents, venv]):
            problems.append(
                f"the evaluation virtualenv {venv} must be readable by any user "
                "(every folder on its path needs o+x)"
            )
    if config.seccomp == "on" and not problems:
        program, why = seccomp_program(config.python)
        if program is None:
            problems.append(f"PORTAL_SANDBOX_SECCOMP is True but {why}")
    if not problems:
        smoke = _smoke_test(config)
        if smoke is not None:
            problems.append(smoke)
    return problems


def _smoke_test(config: SandboxConfig) -> str | None:
    """Start one trivial sandbox as an unprivileged user; cache success."""
    key = (config.bwrap, config.python)
    with _smoke_lock:
        if key in _smoke_passed:
            return None
        error_r, error_w = os.pipe()
        argv = [
            config.bwrap,
            "--unshare-all", "--unshare-user", "--disable-userns",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--clearenv",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--proc", "/proc", "--dev", "/dev",
            "--remount-ro", "/",
            "--", "/usr/bin/true",
        ]  # fmt: skip
        plan = LaunchPlan(
            argv=argv,
            env={"PATH": HOST_PATH},
            error_fd=error_w,
            uid=_NOBODY,
            gid=_NOBODY,
        )
        try:
            with subprocess.Popen(  # noqa: S603 - fixed launcher, list argv
                plan.command(config.python),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                close_fds=True,
                pass_fds=[error_w],
                start_new_session=True,
                env={"PATH": HOST_PATH},
                cwd="/",
            ) as proc:
                os.close(error_w)
                error_w = -1
                try:
                    _, stderr = proc.communicate(timeout=_SMOKE_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.communicate()
                    return "bubblewrap did not finish a trivial sandbox in time"
            os.set_blocking(error_r, False)
            try:
                launcher = os.read(error_r, 4096).decode("utf-8", "replace")
            except BlockingIOError:
                launcher = ""
        finally:
            os.close(error_r)
            if error_w != -1:
                os.close(error_w)
        if proc.returncode != 0:
            detail = launcher or stderr.decode("utf-8", "replace").strip()
            return f"bubblewrap cannot create a sandbox here: {detail[:300]}"
        _smoke_passed.add(key)
        return None
