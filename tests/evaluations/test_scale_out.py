"""Scale-out: two evaluation workers on two "machines" share one queue.

Two real Celery workers with different node names (``-n a@hostA``,
``-n b@hostB``), a private Redis broker and a private PostgreSQL cluster,
the real sandbox (worker_support.py). The test asserts distribution and
exactly-once, never speed (speed lives in bench/throughput.py).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from typing import Any

from tests.evaluations.sandbox_fixtures import bwrap_problems
from tests.evaluations.test_workers import _missing
from tests.evaluations.worker_support import (
    EVAL_ENV,
    PYTHON,
    PostgresCluster,
    World,
    migrate_template,
    postgres_bin,
    world,
)

NODES = {"a": "a@hostA", "b": "b@hostB"}
SUBMISSIONS = 6  # a validation run and a hidden run each: 12 runs
STUCK = 3
FINAL = {"succeeded", "failed", "platform_error", "cancelled"}

# Runs claimed by a worker that then vanished: the claim is the real
# service's, dated an hour back so the lease has long expired. The messages
# are not sent, as if the broker had lost them with the worker.
STRAND = """
import json, sys
from datetime import timedelta
from unittest import mock
from django.utils import timezone
from evaluations import services
from tests.evaluations.worker_support import SEASONAL_NAIVE, submit

stuck = []
with mock.patch.object(services, "_enqueue"):
    for _ in range(int(sys.argv[1])):
        made = submit(SEASONAL_NAIVE)
        claimed = services.run_claim(
            run_id=made["run"], worker="gone:1", node="gone@hostC",
            now=timezone.now() - timedelta(hours=1))
        assert claimed is not None
        stuck.append(made["run"])
print(json.dumps(stuck))
"""

# One sweeper of a "machine": the real runs_sweep, held at its first write
# until the other sweeper has reached its own, so both have read the same
# expired leases before either changes one (the race the conditional
# update must win once).
SWEEP_RACE = """
import django

django.setup()
import json, sys, time
from pathlib import Path
from django.db.models import QuerySet
from evaluations.services import runs_sweep

folder, me = Path(sys.argv[1]), sys.argv[2]
real_update = QuerySet.update
held = []


def update(self, **kwargs):
    if not held:
        held.append(me)
        (folder / me).touch()
        deadline = time.monotonic() + 30
        while len(list(folder.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
    return real_update(self, **kwargs)


QuerySet.update = update
report = runs_sweep()
print(json.dumps({"requeued": report.requeued, "held": bool(held)}))
"""


def _start_node(w: World, key: str) -> Any:
    return w.start(
        key,
        [
            PYTHON, "-m", "celery", "-A", "portal", "worker",
            "-Q", "default,evaluation",
            "--concurrency", "1", "-l", "info", "-n", NODES[key],
            "--without-gossip", "--without-mingle",
        ],
    )  # fmt: skip


def _settled(w: World, submissions: int) -> list[dict[str, Any]] | None:
    rows = w.query(
        "SELECT id, submission_id, split, status, attempt, worker"
        " FROM evaluations_run ORDER BY id"
    )
    hidden = [r for r in rows if r["split"] == "hidden"]
    if len(hidden) < submissions or any(r["status"] not in FINAL for r in rows):
        return None
    return rows


def _sweep_reports(log: str) -> list[dict[str, list[int]]]:
    """The return values the worker logged for evaluation_sweep."""
    reports = []
    for line in log.splitlines():
        if "evaluations.tasks.evaluation_sweep[" in line and " succeeded in " in line:
            value = line.partition(" succeeded in ")[2].partition(": ")[2]
            value = value.replace("'", '"')
            reports.append(json.loads(value))
    return reports


def _scored_subjects(w: World) -> Counter[str]:
    return Counter(
        e["subject"]
        for e in w.query(
            "SELECT subject FROM ledger_ledgerentry WHERE kind = 'run.scored'"
        )
    )


def test_two_workers_share_the_queue_and_sweep_at_most_once(tmp_path_factory):
    """Two workers on PostgreSQL and Redis: spread, exactly once, one sweep.

    1. Both workers are ready; six submissions are made at once. Every one
       of the 12 runs ends succeeded on attempt 1, with one ledger score
       per hidden run, and both node names appear among the runs' workers.
    2. Three runs are stranded (claimed by a vanished worker, lease
       expired, message lost). Two sweepers run at once, each in a process
       of its own, both reading the expired leases before either writes:
       each run is re-queued by exactly one of them, then runs once more
       (attempt 2) on one of the workers and is scored once.
    """
    problems = bwrap_problems()
    if not (EVAL_ENV / "bin" / "python3").exists():
        problems.append(f"no evaluation environment at {EVAL_ENV}")
    if problems:
        _missing("the real sandbox is unusable here: " + "; ".join(problems))
    if shutil.which("redis-server") is None:
        _missing("redis-server is not installed (apt-get install redis-server)")
    if postgres_bin() is None:
        _missing("no PostgreSQL server binaries (apt-get install postgresql)")

    cluster = PostgresCluster.create()
    try:
        template = migrate_template(
            tmp_path_factory.mktemp("scale-out"), postgres=cluster.server
        )
        with world(template, slots=2) as w:
            w.start_redis()
            workers = [_start_node(w, "a"), _start_node(w, "b")]
            for proc in workers:
                w.wait_ready(proc)
            # Each worker sends a sweep when it starts (to the shared
            # queue, so either may run it): both are done before anything
            # is stranded.
            w.wait_for(
                lambda: sum(len(_sweep_reports(p.text())) for p in workers) == 2,
                timeout=30,
                what="the start-up sweeps",
                watch=workers,
            )
            made = w.support("prepare", "--count", str(SUBMISSIONS), timeout=180)
            rows = w.wait_for(
                lambda: _settled(w, SUBMISSIONS),
                timeout=120,
                what="every run to be final",
                watch=workers,
                interval=0.2,
            )

            # 1. Exactly once, on both workers.
            assert {r["submission_id"] for r in rows} == set(made["submissions"])
            per_split = Counter((r["submission_id"], r["split"]) for r in rows)
            assert len(rows) == 2 * SUBMISSIONS, w.diagnostics()
            assert set(per_split.values()) == {1}, per_split
            assert {(r["status"], r["attempt"]) for r in rows} == {("succeeded", 1)}, (
                w.diagnostics()
            )
            scored = _scored_subjects(w)
            assert scored == Counter(
                f"run:{r['id']}" for r in rows if r["split"] == "hidden"
            )
            by_worker = Counter(r["worker"] for r in rows)
            assert set(by_worker) == set(NODES.values()), by_worker

            # 2. Stranded runs, swept from both machines at once.
            stuck = json.loads(w.python(STRAND, str(STUCK)).strip().splitlines()[-1])
            stranded = {r["id"]: r for r in w.runs() if r["id"] in stuck}
            assert {(r["status"], r["attempt"]) for r in stranded.values()} == {
                ("running", 1)
            }
            barrier = w.root / "barrier"
            barrier.mkdir()
            sweepers = [
                w.start(f"sweep-{key}", [PYTHON, "-c", SWEEP_RACE, str(barrier), key])
                for key in NODES
            ]
            reports = []
            for proc in sweepers:
                proc.popen.wait(timeout=60)
                assert proc.popen.returncode == 0, proc.text()[-3000:]
                reports.append(json.loads(proc.text().strip().splitlines()[-1]))
            # Both read the stranded runs before either wrote.
            assert all(r["held"] for r in reports), reports
            requeued = Counter(run_id for r in reports for run_id in r["requeued"])
            # Each stranded run once, by one of the two sweeps.
            assert requeued == Counter(stuck), reports
            after = w.wait_for(
                lambda: _settled(w, SUBMISSIONS + STUCK),
                timeout=90,
                what="the stranded runs to be final",
                watch=workers,
                interval=0.2,
            )
            for row in after:
                if row["id"] in stuck:
                    assert (row["status"], row["attempt"]) == ("succeeded", 2), row
                    assert row["worker"] in NODES.values(), row
            rescored = _scored_subjects(w)
            assert max(rescored.values()) == 1, rescored
            assert len(rescored) == SUBMISSIONS + STUCK
    finally:
        cluster.destroy()
