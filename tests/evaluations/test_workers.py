"""Real Celery worker processes on real brokers, with the real sandbox.

Each test builds a throwaway world (tests/evaluations/worker_support.py): a
file SQLite database, the filesystem broker or a private redis-server, and
``celery -A portal worker`` subprocesses. Data is created and submitted by
a subprocess through the real services, so the enqueue goes to the real
broker; the test watches the database until the runs are final.

The worlds' database follows the test run's: SQLite files normally, and
databases on the same PostgreSQL server in scripts/test.sh's PostgreSQL
pass, so the claim, lease and fencing updates also run against the
production database's locking.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.evaluations.sandbox_fixtures import bwrap_problems
from tests.evaluations.worker_support import (
    EVAL_ENV,
    Template,
    migrate_template,
    postgres_server,
    world,
    write_slow_solution,
)


def _missing(reason: str) -> None:
    """Skip for a missing tool; fail instead when CI=true."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    """The migrated database every world copies (see the module docstring)."""
    from django.db import connection

    problems = bwrap_problems()
    if not (EVAL_ENV / "bin" / "python3").exists():
        problems.append(f"no evaluation environment at {EVAL_ENV}")
    if problems:
        _missing("the real sandbox is unusable here: " + "; ".join(problems))
    server = None
    if connection.vendor == "postgresql":
        server = postgres_server(connection.settings_dict)
    made = migrate_template(tmp_path_factory.mktemp("worker-template"), postgres=server)
    yield made
    made.drop()


def _assert_scored(sample: dict, hidden: dict) -> None:
    assert (sample["split"], hidden["split"]) == ("sample", "hidden")
    assert sample["status"] == "succeeded", sample["message"]
    assert hidden["status"] == "succeeded", hidden["message"]
    assert sample["metrics"]["mape"] == pytest.approx(0.0, abs=1e-9)
    assert hidden["metrics"]["mape"] == pytest.approx(0.0, abs=1e-9)
    assert hidden["passed"] is True
    assert hidden["resources"]["sandboxed"] is True
    assert hidden["finished_at"] >= sample["finished_at"]


def _finished(proc_text: str, task_id: str) -> bool:
    return f"evaluation_run[{task_id}] succeeded" in proc_text


def test_it_validates_and_scores_on_the_filesystem_broker(template):
    with world(template) as w:
        worker = w.start_worker("w1")
        made = w.support("prepare")

        sample, hidden = w.wait_final(made["submission"], watch=[worker])

        _assert_scored(sample, hidden)
        assert (sample["attempt"], hidden["attempt"]) == (1, 1), w.diagnostics()
        assert "w1@" in worker.text()


def test_it_validates_and_scores_on_redis(template):
    if shutil.which("redis-server") is None:
        _missing("redis-server is not installed (apt-get install redis-server)")
    import redis

    with world(template) as w:
        url = w.start_redis()
        worker = w.start_worker("w1")
        made = w.support("prepare")

        sample, hidden = w.wait_final(made["submission"], watch=[worker])

        _assert_scored(sample, hidden)
        assert (sample["attempt"], hidden["attempt"]) == (1, 1), w.diagnostics()
        assert "Connected to redis://" in worker.text()
        # acks_late: both messages are acknowledged once their task returns.
        client = redis.Redis.from_url(url)
        w.wait_for(
            lambda: client.hlen("unacked") == 0,
            timeout=10,
            what="Redis to hold no unacknowledged message",
        )
        client.close()


def test_it_claims_a_run_once_however_often_its_task_arrives(template):
    """Duplicate deliveries to two workers leave one result per run.

    1. Two messages for the queued validation run reach two idle workers.
    2. A third arrives while the run is held: the idle worker drops it.
    3. Both finished runs are delivered again: their rows do not change.
    """
    with world(template) as w:
        slow = write_slow_solution(w.root / "slow", sleep=5)
        workers = [w.start_worker("w1"), w.start_worker("w2")]
        for worker in workers:
            w.wait_ready(worker)

        made = w.support("prepare", "--solution", str(slow), "--duplicates", "1")
        run_id = made["run"]
        w.wait_for(
            lambda: w.run(run_id)["status"] == "running",
            timeout=30,
            what="the validation run to start",
            watch=workers,
        )
        w.support("send", str(run_id), "--task-id", "while-running")
        logs = lambda: "".join(worker.text() for worker in workers)  # noqa: E731
        w.wait_for(
            lambda: _finished(logs(), "while-running"),
            timeout=15,
            what="the idle worker to drop the duplicate",
            watch=workers,
        )
        assert w.run(run_id)["status"] == "running"  # still the first claim

        sample, hidden = w.wait_final(made["submission"], watch=workers)
        _assert_scored(sample, hidden)
        assert (sample["attempt"], hidden["attempt"]) == (1, 1), w.diagnostics()
        for task_id in made["duplicate_task_ids"]:
            assert _finished(logs(), task_id)

        for row in (sample, hidden):
            w.support("send", str(row["id"]), "--task-id", f"again-{row['id']}")
        w.wait_for(
            lambda: all(
                _finished(logs(), f"again-{r['id']}") for r in (sample, hidden)
            ),
            timeout=15,
            what="the redelivered tasks to be handled",
            watch=workers,
        )
        assert w.runs(made["submission"]) == [sample, hidden]
        # Six deliveries, one claim each for the two runs.
        handled = re.findall(r"evaluation_run\[[^\]]+\] succeeded", logs())
        assert len(handled) == 6


def test_it_recovers_a_run_whose_worker_was_killed(template):
    """SIGKILL worker A mid-run; worker B and a sweep finish it as attempt 2.

    The lease is 10 s (the smallest the settings accept), the heartbeat 1 s
    and max_attempts the default 3, so attempt 2 may still succeed.
    """
    with world(template) as w:
        slow = write_slow_solution(w.root / "slow", sleep=6)
        worker_a = w.start_worker("wa")
        made = w.support("prepare", "--solution", str(slow))
        run_id = made["run"]
        # Running means the sandbox is up: bwrap, its pid 1 and the harness.
        w.wait_for(
            lambda: (
                w.run(run_id)["status"] == "running" and len(w.sandbox_processes()) >= 3
            ),
            timeout=30,
            what="the validation run's sandbox to start",
            watch=[worker_a],
        )
        (killed_dir,) = w.sandbox_run_dirs()

        worker_a.kill(signal.SIGKILL)

        # --die-with-parent: the sandbox goes with the worker ...
        assert w.wait_for_no_sandbox_processes(timeout=5) == []
        # ... but its run folder and /out mount stay for the sweeper.
        assert w.sandbox_mounts() == [killed_dir / "out"]
        stranded = w.run(run_id)
        assert (stranded["status"], stranded["attempt"]) == ("running", 1)

        worker_b = w.start_worker("wb")
        w.wait_ready(worker_b)
        # sweep_stale() at worker start removes the killed attempt's folder.
        w.wait_for(
            lambda: not killed_dir.exists(),
            timeout=10,
            what="the start-up sweep to remove the killed run's folder",
            watch=[worker_b],
        )
        assert f"sandbox sweep: removed {killed_dir}" in worker_b.text()

        # The lease of attempt 1 runs out; the sweeper (beat's job) re-queues.
        expires = stranded["lease_expires_at"]
        time.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()) + 0.2)
        report = w.support("sweep")
        # Under load worker B may start after the lease ran out; then its
        # own start-up sweep re-queued the run.
        at_start = re.findall(
            r"evaluation_sweep\[.*'requeued': \[(\d+)\]", worker_b.text()
        )
        assert report["requeued"] + [int(i) for i in at_start] == [run_id]

        sample, hidden = w.wait_final(made["submission"], watch=[worker_b])
        _assert_scored(sample, hidden)
        assert (sample["attempt"], hidden["attempt"]) == (2, 1), w.diagnostics()
        assert w.wait_for_no_sandbox_processes(timeout=5) == []
        assert w.sandbox_run_dirs() == []
        assert w.sandbox_mounts() == []
