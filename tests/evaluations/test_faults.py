"""Fault injection: killed workers, a restarted broker, a stopped database
and a full file store (docs/SECURITY.md, "Fault injection").

Each test builds a throwaway world (worker_support.py) with real Celery
worker processes, the real sandbox and real servers, injects one fault and
checks from the database that every run ends exactly once and that every
request gets a clear answer.

The figures of a run are written to docs/SECURITY.md, between the
``faults-table`` markers, with ``PORTAL_WRITE_SECURITY_REPORT=1``. They
depend on timing, so nothing compares them otherwise.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from threading import Event, Thread
from typing import Any

import pytest

from tests.evaluations.sandbox_fixtures import bwrap_problems
from tests.evaluations.test_workers import _missing, template  # noqa: F401 - a fixture
from tests.evaluations.worker_support import (
    EVAL_ENV,
    LEASE_SECONDS,
    PYTHON,
    PostgresCluster,
    World,
    free_port,
    migrate_template,
    postgres_bin,
    world,
    write_slow_solution,
)

ROOT = Path(__file__).resolve().parents[2]
SECURITY_DOC = ROOT / "docs" / "SECURITY.md"
TABLE_START = "<!-- faults-table:start -->"
TABLE_END = "<!-- faults-table:end -->"

SWEEP_SECONDS = 2
# A sweep every 2 s (beat), and runs queued for 30 s (the least the settings
# accept) sent again: a message the broker lost costs half a minute.
FAULT_ENV = {
    "PORTAL_EVALUATION_SWEEP_SECONDS": str(SWEEP_SECONDS),
    "PORTAL_EVALUATION_QUEUED_STALE_SECONDS": "30",
    "PORTAL_HTTPS": "false",
}
FINAL = {"succeeded", "failed", "platform_error", "cancelled"}
# Polling, the broker hop to the sweeping worker and a loaded machine.
RECOVERY_SLACK = 6.0

FIGURES: dict[str, list[tuple[str, str]]] = {}


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if os.environ.get("PORTAL_WRITE_SECURITY_REPORT") == "1" and FIGURES:
        _write_report()


def _write_report() -> None:
    lines = ["| Fault | Figure | Value |", "|---|---|---|"]
    for fault in ("sigkill", "redis", "database", "disk"):
        for name, value in FIGURES.get(fault, [("not run in this pass", "—")]):
            lines.append(f"| {fault} | {name} | {value} |")
    text = SECURITY_DOC.read_text(encoding="utf-8")
    start = text.index(TABLE_START) + len(TABLE_START)
    end = text.index(TABLE_END)
    SECURITY_DOC.write_text(
        text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:], encoding="utf-8"
    )


# --- reading the world -------------------------------------------------------------------


def _runs(w: World) -> list[dict[str, Any]]:
    return w.query(
        "SELECT id, submission_id, split, status, failure, attempt, lease_owner"
        " FROM evaluations_run ORDER BY id"
    )


def _settled(w: World, submissions: set[int]) -> list[dict[str, Any]] | None:
    """The runs, once every run is final and every passed sample has its
    hidden run; else None."""
    rows = _runs(w)
    seen = {r["submission_id"] for r in rows}
    if not submissions <= seen or any(r["status"] not in FINAL for r in rows):
        return None
    hidden = {r["submission_id"] for r in rows if r["split"] == "hidden"}
    for row in rows:
        passed = row["split"] == "sample" and row["status"] == "succeeded"
        if passed and row["submission_id"] not in hidden:
            return None
    return rows


def _assert_once(w: World, rows: list[dict[str, Any]]) -> dict[str, int]:
    """One run per split, one score per scored run; return the counts."""
    per_split = Counter((r["submission_id"], r["split"]) for r in rows)
    assert max(per_split.values()) == 1, per_split
    scored = Counter(
        e["subject"]
        for e in w.query(
            "SELECT subject FROM ledger_ledgerentry WHERE kind = 'run.scored'"
        )
    )
    expected = {
        f"run:{r['id']}"
        for r in rows
        if r["split"] == "hidden"
        and (r["status"] == "succeeded" or r["failure"] == "threshold")
    }
    assert set(scored) == expected, (scored, expected)
    duplicates = sum(n - 1 for n in scored.values())
    assert duplicates == 0, scored
    boards = w.query("SELECT COUNT(*) AS n FROM evaluations_leaderboardrow")
    assert boards[0]["n"] == (1 if expected else 0)
    return {"scores": len(scored), "duplicates": duplicates}


def _group_pids(leader: int) -> set[int]:
    """Pids of the process group ``leader`` leads (the worker and its child)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == leader:
                    found.add(int(entry))
            except ProcessLookupError:
                continue
    return found


class _StrandWatch(Thread):
    """Time each stranded (run, attempt) until the sweeper hands it on."""

    def __init__(self, w: World) -> None:
        super().__init__(daemon=True)
        self.w = w
        self.pending: dict[tuple[int, int], float] = {}
        self.recovered: dict[tuple[int, int], float] = {}
        self.stopped = Event()

    def add(self, run_id: int, attempt: int, since: float) -> None:
        self.pending[(run_id, attempt)] = since

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            try:
                rows = {r["id"]: r for r in _runs(self.w)}
            except Exception:  # noqa: S112 - a busy SQLite file; poll again
                continue
            now = time.monotonic()
            for key, since in list(self.pending.items()):
                row = rows[key[0]]
                if (row["status"], row["attempt"]) != ("running", key[1]):
                    self.recovered[key] = now - since
                    del self.pending[key]


# --- 1. SIGKILL --------------------------------------------------------------------------


KILLS = 20


def test_every_run_finishes_once_through_twenty_worker_kills(template):  # noqa: F811
    """SIGKILL an evaluation worker 20 times while runs are in flight.

    1. Two evaluation workers, a sweeping worker and beat (a sweep every
       2 s); eight submissions of a solution that naps 3 s on validation.
    2. Twenty times: wait until the next victim is ready, wait a random
       0.5-3 s, note the runs its processes hold, SIGKILL its process
       group (and with it the sandbox) and start a new worker in its place.
       Top the queue up when fewer than three runs are in flight.
    3. Every run ends exactly once: one run per split, one ledger score
       per scored hidden run, one leaderboard row; a stranded run is handed
       on within the lease plus one sweep (and some slack for a loaded
       machine). A run killed on each of its three attempts ends as a
       platform error (worker lost), which is a final state too.
    """
    seed = int(os.environ.get("PORTAL_FAULT_SEED", time.time()))
    rng = random.Random(seed)
    started = time.monotonic()
    with world(template, extra_env=FAULT_ENV) as w:
        slow = write_slow_solution(w.root / "slow", sleep=3)
        sweeper = w.start_worker("sweeper", queues="default")
        beat = w.start_beat()
        workers = {
            "a": w.start_worker("a0", queues="evaluation"),
            "b": w.start_worker("b0", queues="evaluation"),
        }
        made = w.support("prepare", "--solution", str(slow), "--count", "8")
        submissions = set(made["submissions"])
        topup_argv = [PYTHON, "-m", "tests.evaluations.worker_support", "prepare"]
        topup_argv += ["--solution", str(slow), "--count", "2"]
        watch = _StrandWatch(w)
        watch.start()
        in_flight_at_kill: list[int] = []
        topups: list[Any] = []
        try:
            for kill in range(KILLS):
                side = "ab"[kill % 2]
                victim = workers[side]
                w.wait_ready(victim, timeout=90)
                time.sleep(rng.uniform(0.5, 3.0))
                rows = _runs(w)
                in_flight = [r for r in rows if r["status"] not in FINAL]
                in_flight_at_kill.append(len(in_flight))
                if len(in_flight) < 3 and len(topups) < 4:
                    topups.append(w.start(f"topup{len(topups)}", [*topup_argv]))
                pids = _group_pids(victim.popen.pid)
                victim.kill(signal.SIGKILL)
                killed_at = time.monotonic()
                for row in _runs(w):
                    owner_pid = row["lease_owner"].rpartition(":")[2]
                    held = owner_pid.isdigit() and int(owner_pid) in pids
                    if row["status"] == "running" and held:
                        watch.add(row["id"], row["attempt"], killed_at)
                workers[side] = w.start_worker(f"{side}{kill + 1}", queues="evaluation")
            for proc in topups:
                proc.popen.wait(timeout=120)
                assert proc.popen.returncode == 0, proc.text()[-3000:]
                submissions |= set(
                    json.loads(proc.text().splitlines()[-1])["submissions"]
                )
            rows = w.wait_for(
                lambda: _settled(w, submissions),
                timeout=LEASE_SECONDS + SWEEP_SECONDS + 120,
                what="every run to be final",
                watch=[sweeper, beat],
                interval=0.5,
            )
            w.wait_for(lambda: not watch.pending, timeout=10, what="the strand watch")
        finally:
            watch.stopped.set()
            watch.join()

        counts = _assert_once(w, rows)
        statuses = Counter(r["status"] for r in rows)
        assert set(statuses) <= {"succeeded", "platform_error"}, statuses
        for row in rows:
            if row["status"] == "platform_error":
                assert row["failure"] == "worker_lost", row
        bound = LEASE_SECONDS + SWEEP_SECONDS + RECOVERY_SLACK
        worst = max(watch.recovered.values(), default=0.0)
        assert worst <= bound, (sorted(watch.recovered.values()), bound)
        reruns = sum(r["attempt"] - 1 for r in rows)
        assert reruns >= len(watch.recovered) - statuses["platform_error"]

    FIGURES["sigkill"] = [
        (
            "SIGKILLs of an evaluation worker (process group, sandbox included)",
            str(KILLS),
        ),
        ("random seed (`PORTAL_FAULT_SEED`)", str(seed)),
        ("submissions / runs", f"{len(submissions)} / {len(rows)}"),
        (
            "runs in flight at a kill (min / median / max)",
            f"{min(in_flight_at_kill)} / {sorted(in_flight_at_kill)[KILLS // 2]}"
            f" / {max(in_flight_at_kill)}",
        ),
        ("runs stranded by a kill", str(len(watch.recovered))),
        ("repeated attempts", str(reruns)),
        (
            "final states",
            ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())),
        ),
        (
            "scores published / duplicates",
            f"{counts['scores']} / {counts['duplicates']}",
        ),
        (
            "max seconds from kill to hand-on (bound: lease + sweep + slack)",
            f"{worst:.1f} (≤ {LEASE_SECONDS} + {SWEEP_SECONDS} + {RECOVERY_SLACK:g})",
        ),
        ("test wall time, s", f"{time.monotonic() - started:.0f}"),
    ]


# --- 2. Redis restart --------------------------------------------------------------------


BURST = 10


def test_no_submission_is_lost_when_redis_restarts_during_a_burst(template):  # noqa: F811
    """Kill Redis (SIGKILL) during a burst of submissions; start it again.

    Redis runs as in production, with an append-only file (fsync on every
    write). Enqueueing retries for about 7 s; a message that still cannot
    be sent leaves its run queued in the database, and the sweeper sends it
    again. Every submission of the burst ends with both runs scored.
    """
    import shutil

    if shutil.which("redis-server") is None:
        _missing("redis-server is not installed (apt-get install redis-server)")
    started = time.monotonic()
    with world(template, extra_env=FAULT_ENV) as w:
        url = w.start_redis(persist=True)
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        redis = w.procs[-1]
        worker = w.start_worker("w1")
        beat = w.start_beat()
        w.wait_ready(worker)
        burst = w.start(
            "burst",
            [PYTHON, "-m", "tests.evaluations.worker_support", "prepare",
             "--count", str(BURST), "--pause", "0.3"],
        )  # fmt: skip
        w.wait_for(
            lambda: burst.text().count("submitted ") >= 3,
            timeout=120,
            what="three submissions of the burst",
            watch=[burst],
        )
        redis.kill(signal.SIGKILL)
        down_at = time.monotonic()
        time.sleep(2)
        w.start_redis(persist=True, port=port)
        downtime = time.monotonic() - down_at
        before_restart = burst.text().count("submitted ")
        burst.popen.wait(timeout=180)
        assert burst.popen.returncode == 0, burst.text()[-3000:]
        submissions = set(json.loads(burst.text().splitlines()[-1])["submissions"])
        assert len(submissions) == BURST
        rows = w.wait_for(
            lambda: _settled(w, submissions),
            timeout=150,
            what="every run of the burst to be final",
            watch=[worker, beat],
            interval=0.5,
        )
        assert {r["status"] for r in rows} == {"succeeded"}, w.diagnostics()
        assert len(rows) == 2 * BURST
        counts = _assert_once(w, rows)
        stored = w.query("SELECT COUNT(*) AS n FROM evaluations_submission")
        assert stored[0]["n"] == BURST
        unsent = burst.text().count("the broker is unreachable") + worker.text().count(
            "the broker is unreachable"
        )

    FIGURES["redis"] = [
        (
            "submissions in the burst / made before the restart",
            f"{BURST} / {before_restart}",
        ),
        ("Redis down (SIGKILL, then restarted on its port), s", f"{downtime:.1f}"),
        ("submissions lost / runs not scored", "0 / 0"),
        ("messages not sent at once (left to the sweeper)", str(unsent)),
        (
            "scores published / duplicates",
            f"{counts['scores']} / {counts['duplicates']}",
        ),
        ("test wall time, s", f"{time.monotonic() - started:.0f}"),
    ]


# --- 3. database stopped -----------------------------------------------------------------


def _get(url: str, accept: str = "text/html") -> tuple[int, dict[str, str], str]:
    headers = {"Accept": accept, "Accept-Language": "en"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


OUTAGE_SECONDS = 8


@pytest.mark.postgres
def test_a_stopped_database_answers_503_and_loses_no_run(tmp_path_factory):
    """Stop PostgreSQL for 8 s while a run is in its sandbox.

    The test starts a PostgreSQL cluster of its own (the suite's server
    must stay up), a gunicorn web process and one worker.

    1. During the outage the web answers 503 with a clear page, and JSON
       under /api/, both with Retry-After.
    2. The worker keeps the run: heartbeats fail and are retried, the
       result waits for the database, and the run ends as attempt 1,
       followed by its hidden run. Afterwards the web answers normally.
    """
    problems = bwrap_problems()
    if not (EVAL_ENV / "bin" / "python3").exists():
        problems.append(f"no evaluation environment at {EVAL_ENV}")
    if postgres_bin() is None:
        problems.append("no PostgreSQL server binaries (apt-get install postgresql)")
    if problems:
        _missing("cannot stop a database here: " + "; ".join(problems))
    started = time.monotonic()
    cluster = PostgresCluster.create()
    try:
        made_template = migrate_template(
            tmp_path_factory.mktemp("outage"), postgres=cluster.server
        )
        env = {**FAULT_ENV, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
        with world(made_template, extra_env=env) as w:
            port = free_port()
            web = w.start(
                "web",
                [PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind",
                 f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
            )  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            slow = write_slow_solution(w.root / "slow", sleep=5)
            worker = w.start_worker("w1")
            made = w.support("prepare", "--solution", str(slow))
            run_id = made["run"]
            w.wait_for(
                lambda: _get(base + "/api/v1/scenarios/", "application/json")[0] == 200,
                timeout=60,
                what="the web process",
                watch=[web],
                interval=0.5,
            )
            w.wait_for(
                lambda: (
                    w.run(run_id)["status"] == "running"
                    and len(w.sandbox_processes()) >= 3
                ),
                timeout=60,
                what="the validation run's sandbox to start",
                watch=[worker],
            )

            cluster.stop()
            down_at = time.monotonic()
            page = _get(base + "/")
            api = _get(base + "/api/v1/scenarios/", "application/json")
            zh = urllib.request.Request(  # noqa: S310
                base + "/", headers={"Accept-Language": "zh-hans"}
            )
            try:
                urllib.request.urlopen(zh, timeout=30)  # noqa: S310
                zh_page = ""
            except urllib.error.HTTPError as exc:
                zh_page = exc.read().decode()
            time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
            cluster.start()
            downtime = time.monotonic() - down_at

            sample, hidden = w.wait_final(made["submission"], watch=[worker])
            after = _get(base + "/api/v1/scenarios/", "application/json")
            log = worker.text()
    finally:
        cluster.destroy()

    assert page[0] == 503, page
    assert page[1]["Retry-After"] == "30"
    assert "The portal cannot reach its database at the moment." in page[2]
    assert "平台暂时无法连接数据库" in zh_page
    assert api[0] == 503, api
    assert api[1]["Content-Type"] == "application/json"
    assert json.loads(api[2])["code"] == "service_unavailable"
    assert after[0] == 200, after
    assert (sample["status"], sample["attempt"]) == ("succeeded", 1), sample
    assert (hidden["status"], hidden["attempt"]) == ("succeeded", 1), hidden
    retried = log.count("heartbeat failed") + log.count("database unavailable")
    assert retried >= 1, log[-3000:]

    FIGURES["database"] = [
        (
            "PostgreSQL stopped (`pg_ctl stop -m fast`) while a run was in its sandbox, s",
            f"{downtime:.1f}",
        ),
        (
            "web page during the outage",
            f"{page[0]}, Retry-After {page[1]['Retry-After']}, English and Chinese message",
        ),
        ("API during the outage", f'{api[0]} JSON `{{"code": "service_unavailable"}}`'),
        ("worker retries logged (heartbeat, finish)", str(retried)),
        ("the run's attempts / runs lost", f"{sample['attempt']} / 0"),
        ("test wall time, s", f"{time.monotonic() - started:.0f}"),
    ]


# --- 4. full file store ------------------------------------------------------------------


DISK_SCRIPT = r"""
import hashlib, json, os, sys, tempfile
from pathlib import Path
from django.conf import settings

# No collectstatic in a world: serve static files from the finders.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from django.test import Client
from evaluations.intake import pack_solution
from evaluations.models import Submission
from portal.accounts.models import Organisation, User
from scenarios.models import Blob
from tests.evaluations.worker_support import (
    SEASONAL_NAIVE, TEST_CONFIG, build_bundle, ensure_suite_version, submit,
    write_slow_solution)

media = Path(settings.MEDIA_ROOT)
version = ensure_suite_version(TEST_CONFIG, build_bundle)
submit(SEASONAL_NAIVE)

def stored():
    out = {}
    for blob in Blob.objects.order_by("pk"):
        data = (media / blob.storage_name).read_bytes()
        out[blob.sha256] = hashlib.sha256(data).hexdigest()
    return out

def files():
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())

before, files_before = stored(), files()
# Fill the store: whatever is left, in one file.
filler = media / "filler"
with filler.open("wb") as out:
    try:
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    except OSError as exc:
        assert exc.errno == 28, exc
left = os.statvfs(media).f_bavail

work = Path(tempfile.mkdtemp())
package = work / "slow.zip"
pack_solution(write_slow_solution(work / "slow", sleep=0), package)
alice = User.objects.get(username="alice")
vendor = Organisation.objects.get(slug="vendor-a")
client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
client.force_login(alice)

def post_form():
    with package.open("rb") as handle:
        return client.post(f"/suites/{version.pk}/submit/",
                           {"organisation": vendor.pk, "file": handle})

def post_api():
    with package.open("rb") as handle:
        return client.post(f"/api/v1/suite-versions/{version.pk}/submissions/",
                           {"organisation": vendor.slug, "file": handle})

form, api = post_form(), post_api()
result = {
    "left": left,
    "form": [form.status_code, form.content.decode()],
    "api": [api.status_code, api.content.decode()],
    "blobs_unchanged": stored() == before,
    "files_unchanged": files() + [] == sorted(files_before + ["filler"]),
    "submissions": Submission.objects.count(),
    "blobs": len(before),
}
filler.unlink()
again = post_api()
result["again"] = again.status_code
result["after"] = stored()
result["before"] = before
print(json.dumps(result))
"""


def test_a_full_file_store_refuses_uploads_clearly_and_harms_nothing(template):  # noqa: F811
    """Upload through the real form and API to a store on a full tmpfs.

    1. The world's media folder is a 4 MiB tmpfs holding the suite's data
       bundle and one submission.
    2. A filler file takes the rest of the space (ENOSPC for real).
    3. A new package through the form and through the API: a clear
       message (400 with the form error, and from the API), no new row,
       no partial file, every stored file still has its SHA-256.
    4. With space again, the same upload goes through.
    """
    if os.geteuid() != 0:
        _missing("mounting a tmpfs needs root")
    started = time.monotonic()
    with world(template, extra_env=FAULT_ENV) as w:
        media = w.root / "media"
        media.mkdir()
        subprocess.run(  # noqa: S603
            ["/usr/bin/mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs",
             str(media)],
            check=True,
        )  # fmt: skip
        try:
            w.env["DJANGO_MEDIA_ROOT"] = str(media)
            w.env["DJANGO_ALLOWED_HOSTS"] = "testserver"
            result = json.loads(w.python(DISK_SCRIPT).strip().splitlines()[-1])
        finally:
            subprocess.run(["/usr/bin/umount", "-l", str(media)], check=False)  # noqa: S603

    message = "The file store is full, so this file was not saved"
    assert result["left"] < 64 * 1024, result["left"]
    assert result["form"][0] == 400 and message in result["form"][1], result["form"]
    assert result["api"][0] == 400 and message in result["api"][1], result["api"]
    assert result["blobs_unchanged"] is True
    assert result["files_unchanged"] is True
    assert result["submissions"] == 1
    assert result["again"] == 201
    for sha, digest in result["after"].items():
        assert sha == digest  # every file, old and new, is whole
    assert set(result["before"]) < set(result["after"])

    FIGURES["disk"] = [
        ("artefact store", "4 MiB tmpfs, filled to ENOSPC by a filler file"),
        (
            "form upload when full",
            f"{result['form'][0]}, the form shows “{message} …”",
        ),
        (
            "API upload when full",
            f"{result['api'][0]} with the same message under `file`",
        ),
        ("new rows / partial files left", "0 / 0"),
        (
            "stored files intact (SHA-256 checked)",
            f"{result['blobs']} of {result['blobs']}",
        ),
        ("same upload once space is free", str(result["again"])),
        ("test wall time, s", f"{time.monotonic() - started:.0f}"),
    ]
