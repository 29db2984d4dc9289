"""Supervise a sandbox: output caps, wall clock, kill and reap."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluations.runners.base import KIB, Limits
from evaluations.runners.bubblewrap.config import SandboxError

if TYPE_CHECKING:
    from evaluations.runners.session import CallDriver

# After a kill, how long to wait for the process tree to go away.
_KILL_GRACE_SECONDS = 3.0
# After bwrap exits, how long its pipes may stay open.
_DRAIN_SECONDS = 1.0
# How often a session's running call has its CPU time checked.
CPU_POLL_SECONDS = 0.05
_STATUS_CAP = 64 * KIB


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

    With ``session`` (a warm harness serving several calls), the deadline
    is the current call's, the driver is polled for the call's CPU time and
    fed the harness's answers. A call over its CPU time is killed
    (``killed_for`` "cpu"). After the last call or a failed one the driver
    closes the command pipe and the harness exits by itself.
    """

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        limits: Limits,
        *,
        started: float,
        error_fd: int | None = None,
        status_fd: int | None = None,
        extra_kill: Callable[[], object] | None = None,
        session: CallDriver | None = None,
    ) -> None:
        self._proc = proc
        self._limits = limits
        self._started = started
        self._error_fd = error_fd
        self._status_fd = status_fd
        self._extra_kill = extra_kill
        self._session = session
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
        session = self._session
        deadline = self._started + self._limits.wall_seconds
        if session is not None:
            os.set_blocking(session.reply_fd, False)
            selector.register(session.reply_fd, selectors.EVENT_READ, "reply")
            session.start()
        give_up: float | None = None
        try:
            while True:
                now = time.monotonic()
                running = self.killed_for is None and self._exited_at is None
                if session is not None and running:
                    deadline = session.deadline()
                    if session.poll() == "cpu":
                        self._kill("cpu")
                        running = False
                if running and now >= deadline:
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
                    if session is not None and session.pending is not None:
                        timeout = min(timeout, CPU_POLL_SECONDS)
                for key, _ in selector.select(max(timeout, 0.0)):
                    if key.data == "exit":
                        self._exited_at = time.monotonic()
                        selector.unregister(key.fd)
                    elif key.data == "reply":
                        if not self._read_reply(key.fd):
                            selector.unregister(key.fd)
                    elif not self._read(key.fd, str(key.data)):
                        selector.unregister(key.fd)
        finally:
            selector.close()

    def _read_reply(self, fd: int) -> bool:
        """Pass the harness's answers on; return False at end of file."""
        try:
            chunk = os.read(fd, 4096)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        if self._session is not None and self.killed_for is None:
            self._session.feed(chunk)
        return True

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
        if self._error_fd is None:
            return ""
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
    with os.scandir("/proc") as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            state, uids = _status_fields(pid)
            if state is not None and state != "Z" and uid in uids:
                found.append(pid)
    return found


def _status_fields(pid: int) -> tuple[str | None, tuple[int, ...]]:
    """The state letter and the real and effective uids from /proc/<pid>/status."""
    try:
        fd = os.open(f"/proc/{pid}/status", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None, ()
    try:
        data = os.read(fd, 4096)  # State and Uid are in the first few lines
    except OSError:
        return None, ()
    finally:
        os.close(fd)
    state_at = data.find(b"\nState:")
    uid_at = data.find(b"\nUid:")
    if state_at < 0 or uid_at < 0:
        return None, ()
    state = data[state_at + 7 :].split(None, 1)[0].decode("ascii", "replace")
    fields = data[uid_at + 5 :].split(None, 2)
    try:
        return state, (int(fields[0]), int(fields[1]))
    except (IndexError, ValueError):
        return None, ()


def kill_uid(uid: int, *, timeout: float = 2.0) -> int:
    """SIGKILL every process running as ``uid``; return how many were seen.

    Only call this for a slot whose lock is held: then nothing legitimate
    runs as that uid.
    """
    return kill_uid_until_clear(uid, timeout=timeout)[0]


def kill_uid_until_clear(uid: int, *, timeout: float = 2.0) -> tuple[int, bool]:
    """Like ``kill_uid``; also say whether no process of ``uid`` is left."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while True:
        pids = _pids_of_uid(uid)
        if not pids:
            return len(seen), True
        if time.monotonic() > deadline:
            return len(seen), False
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
