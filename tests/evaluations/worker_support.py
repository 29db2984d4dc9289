"""Throwaway worlds for tests with real Celery workers (test_workers.py).

A worker is a separate process and cannot see pytest-django's test
database, so each scenario gets a world of its own:

* a temporary folder with ``var/`` (a file SQLite database copied from a
  migrated template, media, the filesystem broker), ``tmp/`` (``TMPDIR``
  of every process, where kombu's filesystem transport also moves the
  messages it takes) and ``sandbox/`` (``PORTAL_SANDBOX_DIR``);
* a private range of sandbox slot uids, locked for the world's life with
  ``flock`` so concurrent worlds (pytest-xdist workers, a benchmark) never
  share a uid: the sandbox's slot cleanup SIGKILLs every process of a
  slot's uid;
* an explicit environment for every subprocess, built from nothing, so the
  pins of tests/pytest_env.py (eager Celery) never leak into a worker.

Data is created by running this module in a subprocess
(``python -m tests.evaluations.worker_support prepare ...``), which calls
``django.setup()`` and the real services; ``submission_create`` then
enqueues on the world's real broker. The test process reads the database
with ``sqlite3`` and never imports the world's settings.

The forecasting data is synthetic, made here: a daily shape plus a weekday
offset, so "same time last week" forecasts it exactly.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import math
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "solutions"
SEASONAL_NAIVE = EXAMPLES / "forecasting-seasonal-naive"
EVAL_ENV = Path(os.environ.get("PORTAL_SANDBOX_EVAL_VENV") or ROOT / "var" / "eval-env")
PYTHON = sys.executable

# Sandbox uids of the worlds: far from the default slots (61000-61007) and
# from test_sandbox_runner.py's private base (61900).
UID_RANGE_START = 62000
UID_RANGE_COUNT = 64
LOCK_DIR = Path(tempfile.gettempdir())

LEASE_SECONDS = 10  # the smallest lease settings accept
HEARTBEAT_SECONDS = 1

# The test suite: one 48-point call per split, no probe, so a submission is
# two sandbox runs. The gate holds for an exact forecast.
TEST_CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "mae"}, {"code": "mape"}],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 1.0}],
    "limits": {"wall_seconds": 60, "cpu_seconds": 60, "memory_mb": 1024},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 1000},
}
SERIES_START = "2026-03-02"
SAMPLE_ORIGINS = ("2026-03-16",)
HIDDEN_ORIGINS = ("2026-03-24",)
# A slow solution sleeps only on calls whose horizon starts before this day,
# that is on the validation (sample) run.
SLOW_BEFORE = "2026-03-20"

T = TypeVar("T")


# --- the world ---------------------------------------------------------------------------


@dataclass
class Proc:
    """A process started in its own session; its whole group is killed."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self, sig: int = signal.SIGKILL, *, wait: float = 10.0) -> None:
        """Send ``sig`` to the process group and wait for the leader."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=wait)


@dataclass
class World:
    root: Path
    env: dict[str, str]
    uid_base: int
    slots: int
    procs: list[Proc] = field(default_factory=list)
    # A PostgreSQL world's database: server settings and its name.
    postgres: dict[str, Any] | None = None
    _uid_locks: list[int] = field(default_factory=list)

    # -- creating and removing ------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        template: Template | None = None,
        slots: int = 2,
        prefix: str = "portal-workers-",
        extra_env: dict[str, str] | None = None,
    ) -> World:
        """Make a world whose database is a copy of ``template``."""
        uid_base, uid_locks = _lock_uid_range(slots)
        root = Path(tempfile.mkdtemp(prefix=prefix))
        # The slot users must be able to pass through to sandbox/ (o+x);
        # var/ and tmp/ stay private to root.
        os.chmod(root, 0o711)  # noqa: S103 - search only, no listing
        for name in ("var", "tmp", "logs"):
            (root / name).mkdir(mode=0o700)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "TMPDIR": str(root / "tmp"),
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_SECRET_KEY": "worker-test-secret-key-not-for-any-deployment",
            "DJANGO_DEBUG": "false",
            "PORTAL_DEMO_MODE": "false",
            # Publishing a scenario notifies by e-mail; keep it in memory.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PORTAL_VAR_DIR": str(root / "var"),
            "DATABASE_URL": f"sqlite:///{root / 'var' / 'db.sqlite3'}",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PORTAL_EVALUATION_LEASE_SECONDS": str(LEASE_SECONDS),
            "PORTAL_EVALUATION_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
            "PORTAL_SANDBOX_EVAL_VENV": str(EVAL_ENV),
            "PORTAL_SANDBOX_DIR": str(root / "sandbox"),
            "PORTAL_SANDBOX_UID_BASE": str(uid_base),
            "PORTAL_SANDBOX_SLOTS": str(slots),
            "PORTAL_LOG_LEVEL": "INFO",
        }
        env.update(extra_env or {})
        world = cls(root=root, env=env, uid_base=uid_base, slots=slots)
        world._uid_locks = uid_locks
        if template is not None and template.postgres is not None:
            name = f"portal_world_{uuid.uuid4().hex[:12]}"
            _postgres_execute(
                template.postgres,
                f'CREATE DATABASE "{name}" TEMPLATE "{template.postgres["name"]}"',
            )
            world.postgres = {**template.postgres, "name": name}
            world.env["DATABASE_URL"] = _postgres_url(world.postgres)
        elif template is not None and template.sqlite_path is not None:
            shutil.copyfile(template.sqlite_path, world.db_path)
        return world

    def close(self) -> None:
        """Kill every process, clean the sandbox up, remove the folder."""
        for proc in reversed(self.procs):
            proc.kill()
        self.wait_for_no_sandbox_processes(timeout=5)
        if self.sandbox_mounts():
            # A run was cut short: let the engine's own sweep unmount and
            # remove what it left (slots are free now that workers are dead).
            with contextlib.suppress(Exception):
                self.python(
                    "from evaluations.runners.bubblewrap import sweep_stale; sweep_stale()"
                )
        for mountpoint in self.sandbox_mounts():
            subprocess.run(["/usr/bin/umount", "-l", str(mountpoint)], check=False)  # noqa: S603
        shutil.rmtree(self.root, ignore_errors=True)
        if self.postgres is not None:
            with contextlib.suppress(Exception):
                _postgres_execute(
                    self.postgres,
                    f'DROP DATABASE IF EXISTS "{self.postgres["name"]}" WITH (FORCE)',
                )
        for fd in self._uid_locks:
            os.close(fd)
        self._uid_locks = []

    # -- paths ----------------------------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.root / "var" / "db.sqlite3"

    @property
    def sandbox_runs(self) -> Path:
        return self.root / "sandbox" / "runs"

    @property
    def uids(self) -> range:
        return range(self.uid_base, self.uid_base + self.slots)

    # -- processes ------------------------------------------------------------------

    def start(self, name: str, argv: list[str]) -> Proc:
        log = self.root / "logs" / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(  # noqa: S603 - fixed argv of this test module
                argv,
                # kombu's filesystem transport writes its exchange tables to
                # a relative "control" folder: keep it inside the world.
                cwd=self.root,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proc = Proc(name=name, popen=popen, log=log)
        self.procs.append(proc)
        return proc

    def start_worker(self, name: str, *, queues: str = "default,evaluation") -> Proc:
        """Start ``celery worker`` with one process, as in production."""
        return self.start(
            name,
            [
                PYTHON, "-m", "celery", "-A", "portal", "worker",
                "-Q", queues, "--concurrency", "1", "-l", "info",
                "-n", f"{name}@%h",
                # Neither is used by the portal; both slow the start down.
                "--without-gossip", "--without-mingle",
            ],
        )  # fmt: skip

    def start_beat(self) -> Proc:
        """Start ``celery beat``: the sweeper every PORTAL_EVALUATION_SWEEP_SECONDS."""
        return self.start(
            "beat",
            [
                PYTHON, "-m", "celery", "-A", "portal", "beat", "-l", "info",
                "--schedule", str(self.root / "var" / "celerybeat-schedule"),
            ],
        )  # fmt: skip

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Rows of ``sql`` (``%s`` placeholders) as dicts, from the world's database."""
        if self.postgres is not None:
            import psycopg
            from psycopg.rows import dict_row

            with psycopg.connect(
                **_conninfo(self.postgres), row_factory=dict_row
            ) as db:
                return list(db.execute(sql, params))  # type: ignore[arg-type]
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=20)) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(sql.replace("%s", "?"), params)]

    def wait_ready(self, worker: Proc, timeout: float = 60) -> None:
        self.wait_for(
            lambda: f"{worker.name}@" in worker.text() and " ready." in worker.text(),
            timeout=timeout,
            what=f"worker {worker.name} to be ready",
            watch=[worker],
        )

    def python(self, code: str, *args: str, timeout: float = 120) -> str:
        """Run ``code`` after ``django.setup()`` in a subprocess; return stdout."""
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        done = subprocess.run(  # noqa: S603 - the test's own interpreter
            [PYTHON, "-c", script, *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"subprocess failed ({done.returncode}):\n"
                + done.stderr.decode("utf-8", "replace")[-4000:]
            )
        return done.stdout.decode()

    def support(self, *args: str, timeout: float = 120) -> Any:
        """Run this module's command line in the world; return its JSON."""
        done = subprocess.run(  # noqa: S603 - the test's own interpreter
            [PYTHON, "-m", "tests.evaluations.worker_support", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"worker_support {args[0]} failed ({done.returncode}):\n"
                + done.stderr.decode("utf-8", "replace")[-4000:]
            )
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    def start_redis(self, *, persist: bool = False, port: int | None = None) -> str:
        """Start a private redis-server; point the world's broker at it.

        ``persist`` keeps the data in an append-only file fsynced on every
        write, as production's Redis does (docker-compose.yml), so a restart
        on the same ``port`` finds the queue as it was.
        """
        durability = ["--save", "", "--appendonly", "no"]
        if persist:
            durability = [
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ]
        (self.root / "redis").mkdir(exist_ok=True)
        for _ in range(5):
            port = port or free_port()
            proc = self.start(
                f"redis-{port}",
                [
                    "redis-server", "--port", str(port), "--bind", "127.0.0.1",
                    *durability, "--dir", str(self.root / "redis"),
                    "--maxmemory-policy", "noeviction",
                ],
            )  # fmt: skip
            deadline = time.monotonic() + 10
            while proc.alive() and time.monotonic() < deadline:
                if _redis_ping(port):
                    url = f"redis://127.0.0.1:{port}/0"
                    self.env["CELERY_BROKER_URL"] = url
                    return url
                time.sleep(0.05)
            proc.kill()  # most likely the port was taken meanwhile
        raise AssertionError("redis-server did not start:\n" + proc.text()[-2000:])

    # -- waiting and reading --------------------------------------------------------

    def wait_for(
        self,
        check: Callable[[], T],
        *,
        timeout: float,
        what: str,
        watch: list[Proc] = (),  # type: ignore[assignment]
        interval: float = 0.1,
    ) -> T:
        """Poll ``check`` until it returns something truthy; fail after ``timeout``.

        A watched process that exits fails the wait at once.
        """
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            for proc in watch:
                if not proc.alive():
                    raise AssertionError(
                        f"{proc.name} exited ({proc.popen.returncode}) while "
                        f"waiting for {what}\n{self.diagnostics()}"
                    )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout:g} s waiting for {what}\n"
                    f"{self.diagnostics()}"
                )
            time.sleep(interval)

    def runs(self, submission_id: int | None = None) -> list[dict[str, Any]]:
        """Return the runs, oldest first, as dicts with parsed times and JSON."""
        sql = "SELECT * FROM evaluations_run"
        params: tuple[Any, ...] = ()
        if submission_id is not None:
            sql += " WHERE submission_id = %s"
            params = (submission_id,)
        sql += " ORDER BY id"
        if self.postgres is not None:
            import psycopg
            from psycopg.rows import dict_row

            with psycopg.connect(
                **_conninfo(self.postgres), row_factory=dict_row
            ) as db:
                rows = list(db.execute(sql, params))
        else:
            with contextlib.closing(sqlite3.connect(self.db_path, timeout=20)) as db:
                db.row_factory = sqlite3.Row
                rows = [dict(r) for r in db.execute(sql.replace("%s", "?"), params)]
        for row in rows:
            # SQLite gives JSON as text and times as naive UTC text.
            for key in ("metrics", "gates", "resources", "probes"):
                if isinstance(row[key], str):
                    row[key] = json.loads(row[key]) if row[key] else None
            for key in (
                "enqueued_at",
                "started_at",
                "finished_at",
                "lease_expires_at",
                "heartbeat_at",
            ):
                if isinstance(row[key], str):
                    row[key] = parse_time(row[key])
            if isinstance(row["passed"], int) and not isinstance(row["passed"], bool):
                row["passed"] = bool(row["passed"])
        return rows

    def run(self, run_id: int) -> dict[str, Any]:
        (row,) = [r for r in self.runs() if r["id"] == run_id]
        return row

    def wait_final(
        self, submission_id: int, *, runs: int = 2, timeout: float = 90, watch=()
    ) -> list[dict[str, Any]]:
        """Wait until the submission has ``runs`` runs, all final."""
        final = {"succeeded", "failed", "platform_error", "cancelled"}

        def done() -> list[dict[str, Any]] | None:
            rows = self.runs(submission_id)
            if len(rows) >= runs and all(r["status"] in final for r in rows):
                return rows
            return None

        return self.wait_for(
            done,
            timeout=timeout,
            what=f"{runs} final runs of submission {submission_id}",
            watch=list(watch),
        )

    def sandbox_processes(self) -> list[tuple[int, int, str]]:
        """(pid, uid, state) of live processes of this world's slot uids."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            fields = dict(
                line.split(":", 1) for line in status.splitlines() if ":" in line
            )
            uids = fields.get("Uid", "").split()
            if uids and int(uids[0]) in self.uids:
                found.append(
                    (int(entry), int(uids[0]), fields.get("State", "").strip())
                )
        return found

    def wait_for_no_sandbox_processes(
        self, timeout: float
    ) -> list[tuple[int, int, str]]:
        """Wait for the slot users' processes to go; return the survivors.

        If an earlier in-process sandbox test made this process a child
        subreaper, orphans of a killed worker become its zombies: reap them.
        """
        deadline = time.monotonic() + timeout
        while True:
            survivors = self.sandbox_processes()
            for pid, _uid, state in survivors:
                if state.startswith("Z"):
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(pid, os.WNOHANG)
            survivors = self.sandbox_processes()
            if not survivors or time.monotonic() > deadline:
                return survivors
            time.sleep(0.05)

    def sandbox_run_dirs(self) -> list[Path]:
        try:
            return sorted(self.sandbox_runs.iterdir())
        except FileNotFoundError:
            return []

    def sandbox_mounts(self) -> list[Path]:
        sandbox = str(self.root / "sandbox")
        found = []
        with open("/proc/self/mountinfo", encoding="utf-8") as handle:
            for line in handle:
                point = line.split()[4].replace("\\040", " ")
                if point == sandbox or point.startswith(sandbox + "/"):
                    found.append(Path(point))
        return found

    def diagnostics(self) -> str:
        parts = []
        with contextlib.suppress(Exception):
            for row in self.runs():
                parts.append(
                    "run {id} {split} {status} attempt {attempt} stage {stage!r} "
                    "failure {failure!r} message {message!r}".format(**row)
                )
        for proc in self.procs:
            parts.append(f"--- {proc.name} (tail) ---\n{proc.text()[-3000:]}")
        return "\n".join(parts)


def parse_time(value: str | None) -> datetime | None:
    """Parse a datetime as Django stores it in SQLite (UTC, no offset)."""
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _lock_uid_range(slots: int) -> tuple[int, list[int]]:
    """Lock a free block of ``slots`` uids; return its base and the lock fds.

    Each uid has its own lock file, so blocks of different sizes never
    overlap.
    """
    for base in range(UID_RANGE_START, UID_RANGE_START + UID_RANGE_COUNT - slots + 1):
        fds: list[int] = []
        for uid in range(base, base + slots):
            path = LOCK_DIR / f"portal-worker-uid-{uid}.lock"
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                break
            fds.append(fd)
        if len(fds) == slots:
            return base, fds
        for fd in fds:
            os.close(fd)
    raise RuntimeError("no free block of sandbox uids for a worker world")


@dataclass(frozen=True)
class Template:
    """A migrated database that worlds copy.

    Migrating takes seconds, so it happens once: into a SQLite file that
    each world copies, or into a PostgreSQL database that each world
    clones with ``CREATE DATABASE ... TEMPLATE``.
    """

    sqlite_path: Path | None = None
    postgres: dict[str, Any] | None = None

    def drop(self) -> None:
        if self.postgres is not None:
            _postgres_execute(
                self.postgres,
                f'DROP DATABASE IF EXISTS "{self.postgres["name"]}" WITH (FORCE)',
            )


def migrate_template(
    folder: Path, *, postgres: dict[str, Any] | None = None
) -> Template:
    """Migrate a fresh database once.

    Without ``postgres``, a SQLite file in ``folder``; with it (``host``,
    ``port``, ``user``, ``password`` of a server), a new database there.
    """
    world = World.create(slots=1, prefix="portal-workers-template-")
    try:
        if postgres is not None:
            server = {**postgres, "name": f"portal_template_{uuid.uuid4().hex[:12]}"}
            _postgres_execute(server, f'CREATE DATABASE "{server["name"]}"')
            template = Template(postgres=server)
            world.env["DATABASE_URL"] = _postgres_url(server)
        else:
            database = folder / "template.sqlite3"
            template = Template(sqlite_path=database)
            world.env["DATABASE_URL"] = f"sqlite:///{database}"
        done = subprocess.run(  # noqa: S603 - the test's own interpreter
            [PYTHON, str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
            cwd=world.root,
            env=world.env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            template.drop()
            raise RuntimeError(done.stderr.decode("utf-8", "replace")[-4000:])
        return template
    finally:
        world.close()


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: (
            int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


@dataclass
class PostgresCluster:
    """A PostgreSQL server of the test's own, which it may stop and start.

    Like scripts/start_test_postgres.sh: a temporary folder, loopback only,
    trust authentication, no durability; as root the server runs as the
    ``postgres`` system user, since PostgreSQL refuses to run as root.
    """

    folder: Path
    bin: Path
    port: int
    user: str
    run_as: str | None

    @classmethod
    def create(cls) -> PostgresCluster:
        pg_bin = postgres_bin()
        if pg_bin is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        run_as = "postgres" if os.geteuid() == 0 else None
        # Not $TMPDIR: it may sit under /root, which "postgres" cannot enter.
        folder = Path(tempfile.mkdtemp(prefix="portal-fault-pg-", dir="/tmp"))
        os.chmod(folder, 0o755)  # noqa: S103 - the server user must enter it
        if run_as is not None:
            shutil.chown(folder, run_as)
        user = run_as or os.environ.get("USER", "postgres")
        cluster = cls(folder, pg_bin, free_port(), user, run_as)
        cluster._run(
            "initdb", "-D", str(folder / "data"), "-U", user, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        cluster.start()
        return cluster

    @property
    def server(self) -> dict[str, Any]:
        return {"host": "127.0.0.1", "port": str(self.port), "user": self.user}

    def _run(self, tool: str, *args: str) -> None:
        argv = [str(self.bin / tool), *args]
        if self.run_as is not None:
            argv = ["runuser", "-u", self.run_as, "--", *argv]
        done = subprocess.run(argv, capture_output=True, timeout=120, check=False)  # noqa: S603
        if done.returncode != 0:
            raise RuntimeError(
                f"{tool} failed: {done.stderr.decode('utf-8', 'replace')[-2000:]}"
            )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            "pg_ctl", "-D", str(self.folder / "data"), "-l",
            str(self.folder / "server.log"), "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop at once: clients are cut off, as when the server goes away."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self._run(
                "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop"
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def postgres_server(settings_dict: dict[str, Any]) -> dict[str, Any]:
    """Server settings of a Django PostgreSQL connection, for worlds."""
    return {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": str(settings_dict.get("PORT") or 5432),
        "user": settings_dict.get("USER") or "",
        "password": settings_dict.get("PASSWORD") or "",
    }


def _conninfo(server: dict[str, Any]) -> dict[str, Any]:
    info = {
        "host": server["host"],
        "port": server["port"],
        "user": server["user"],
        "dbname": server.get("name", "postgres"),
    }
    if server.get("password"):
        info["password"] = server["password"]
    return info


def _postgres_url(server: dict[str, Any]) -> str:
    from urllib.parse import quote

    credentials = quote(server["user"], safe="")
    if server.get("password"):
        credentials += ":" + quote(server["password"], safe="")
    return (
        f"postgres://{credentials}@{server['host']}:{server['port']}/{server['name']}"
    )


def _postgres_execute(server: dict[str, Any], statement: str) -> None:
    """Run one statement on the server's maintenance database (autocommit)."""
    import psycopg

    with psycopg.connect(
        **{**_conninfo(server), "dbname": "postgres"}, autocommit=True
    ) as db:
        db.execute(statement)  # type: ignore[arg-type]  # names made here


@contextlib.contextmanager
def world(template: Template, **options: Any) -> Iterator[World]:
    made = World.create(template=template, **options)
    try:
        yield made
    finally:
        made.close()


# --- test data (run in the world's subprocess) -------------------------------------------


def series(weeks: int = 4) -> Any:
    """Half-hourly synthetic load: a daily shape plus a weekday offset."""
    import pandas as pd

    times = pd.date_range(SERIES_START, periods=weeks * 7 * 48, freq="30min")
    slot = times.hour * 2 + times.minute // 30
    shape = (
        1000
        + 300 * pd.Series(slot).map(lambda s: math.sin(math.pi * s / 48)).to_numpy()
    )
    weekday = (times.day_of_week < 5) * 150.0
    return pd.DataFrame({"timestamp": times, "load_mw": shape + weekday})


def build_bundle(
    folder: Path,
    *,
    frame: Any = None,
    sample_origins: tuple[str, ...] = SAMPLE_ORIGINS,
    hidden_origins: tuple[str, ...] = HIDDEN_ORIGINS,
    probe: bool = False,
) -> bytes:
    """Write and pack a forecasting bundle with 48-point calls."""
    from evaluations.suites import pack_bundle, rolling_origin_calls, write_bundle

    frame = series() if frame is None else frame
    common = {"horizon": 48, "time_column": "timestamp", "target": "load_mw"}
    sample, _ = rolling_origin_calls(frame, origins=list(sample_origins), **common)
    hidden, probed = rolling_origin_calls(
        frame,
        origins=list(hidden_origins),
        perturb=(lambda h: h.assign(load_mw=h["load_mw"] * 1.02)) if probe else None,
        **common,
    )
    write_bundle(
        folder,
        kind="forecasting",
        splits={"sample": sample, "hidden": hidden},
        probes={"scaled_history": probed} if probe else {},
    )
    return pack_bundle(folder)


SLOW_SOLUTION = '''\
"""Same time last week, after a nap on validation calls (test-made)."""

import time

import pandas as pd

SLEEP_SECONDS = {sleep!r}
SLOW_BEFORE = pd.Timestamp({slow_before!r})


def predict(history, exogenous, horizon):
    if horizon[0] < SLOW_BEFORE:
        time.sleep(SLEEP_SECONDS)
    series = history[history.attrs.get("target", "load_mw")].astype(float)
    return series.reindex(horizon - pd.Timedelta(days=7)).ffill().bfill().tolist()
'''


def write_slow_solution(folder: Path, sleep: float) -> Path:
    """Write a solution that sleeps ``sleep`` s in predict on sample calls."""
    folder.mkdir(parents=True)
    (folder / "solution.toml").write_text(
        'name = "Slow naive"\nversion = "0.1"\nentrypoint = "slow:predict"\n'
        'task_kind = "forecasting"\ndescription = "sleeps, then last week"\n',
        encoding="utf-8",
    )
    (folder / "slow.py").write_text(
        SLOW_SOLUTION.format(sleep=sleep, slow_before=SLOW_BEFORE), encoding="utf-8"
    )
    return folder


def ensure_suite_version(
    config: dict[str, Any], make_bundle: Callable[[Path], bytes]
) -> Any:
    """Create the personas, a published scenario and suite version once.

    ``make_bundle(folder)`` returns the packed bundle; it is called only
    when the suite version does not exist yet.
    """
    from django.conf import settings
    from django.core.files.base import ContentFile

    from evaluations.models import SuiteVersion
    from portal.accounts.models import Organisation
    from scenarios.dataset_services import blob_store
    from tests.base import make_org, make_user
    from tests.evaluations.helpers import make_suite_version
    from tests.scenarios.helpers import make_scenario

    existing = SuiteVersion.objects.order_by("pk").first()
    if existing is not None:
        return existing
    # Test personas need a hasher, not a slow one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    operator_org = make_org("platform-ops", Organisation.Kind.OPERATOR)
    olivia = make_user("olivia", operator_org)
    olivia.is_staff = True
    olivia.save(update_fields=["is_staff"])
    grid = make_org("demo-grid", Organisation.Kind.ENERGY)
    gina = make_user("gina", grid)
    vendor = make_org("vendor-a", Organisation.Kind.VENDOR)
    make_user("alice", vendor)
    scenario = make_scenario(gina, grid, "GRID-PO-FC-001", operator=olivia)
    with tempfile.TemporaryDirectory() as folder:
        bundle = make_bundle(Path(folder) / "bundle")
    blob = blob_store(ContentFile(bundle, name="bundle"))
    return make_suite_version(scenario, config=config, bundle=blob)


def submit(solution: Path, *, duplicates: int = 0) -> dict[str, Any]:
    """Submit ``solution`` as alice; send ``duplicates`` extra task messages.

    Runs inside a world (after ``django.setup()``); the validation run is
    enqueued on the real broker when the submission commits.
    """
    from django.core.files import File

    from evaluations import services
    from evaluations.intake import pack_solution
    from evaluations.models import Run, SuiteVersion
    from evaluations.tasks import evaluation_run
    from portal.accounts.models import Organisation, User

    version = SuiteVersion.objects.order_by("pk").first()
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / f"{solution.name}.zip"
        pack_solution(solution, archive)
        with archive.open("rb") as handle:
            submission = services.submission_create(
                suite_version=version,
                organisation=Organisation.objects.get(slug="vendor-a"),
                user=User.objects.get(username="alice"),
                upload=File(handle, name=archive.name),
                file_name=archive.name,
            )
    run = submission.runs.get(split=Run.Split.SAMPLE)
    task_ids = []
    for index in range(duplicates):
        task_id = f"duplicate-{run.pk}-{index}"
        evaluation_run.apply_async(args=(run.pk,), task_id=task_id)
        task_ids.append(task_id)
    return {
        "submission": submission.pk,
        "run": run.pk,
        "duplicate_task_ids": task_ids,
    }


def _main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="worker_support")
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare", help="create the data and submit")
    prepare.add_argument("--solution", type=Path, default=SEASONAL_NAIVE)
    prepare.add_argument("--duplicates", type=int, default=0)
    prepare.add_argument("--count", type=int, default=1, help="submissions to make")
    prepare.add_argument(
        "--pause", type=float, default=0.0, help="seconds between submissions"
    )
    send = commands.add_parser("send", help="send evaluation_run(run) again")
    send.add_argument("run", type=int)
    send.add_argument("--task-id", required=True)
    commands.add_parser("sweep", help="one runs_sweep pass")
    args = parser.parse_args(argv)

    if args.command == "send":
        # By name, without django.setup(): a duplicate must arrive quickly.
        # The settings' task routes still send it to the "evaluation" queue.
        from portal.celery import app

        app.send_task(
            "evaluations.tasks.evaluation_run", args=(args.run,), task_id=args.task_id
        )
        sys.stdout.write(json.dumps({"sent": args.task_id}) + "\n")
        return

    import django

    django.setup()
    if args.command == "prepare":
        ensure_suite_version(TEST_CONFIG, build_bundle)
        made = []
        for index in range(args.count):
            if index:
                time.sleep(args.pause)
            made.append(submit(args.solution, duplicates=args.duplicates))
            # Progress for a test that reads the log while the burst goes on.
            sys.stderr.write(f"submitted {made[-1]['submission']}\n")
            sys.stderr.flush()
        result = {**made[0], "submissions": [m["submission"] for m in made]}
    else:
        from evaluations.services import runs_sweep

        report = runs_sweep()
        result = {
            "requeued": report.requeued,
            "failed": report.failed,
            "reenqueued": report.reenqueued,
        }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    _main(sys.argv[1:])
