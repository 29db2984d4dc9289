"""Celery tasks of the evaluation engine. Thin: each calls one service.

``evaluation_run`` goes to the ``evaluation`` queue, so sandbox work never
waits behind e-mail and other small tasks, and vice versa.
"""

from __future__ import annotations

from celery import Task, shared_task
from celery.signals import worker_ready

from portal.lib.db import DATABASE_OUTAGE


# A database that is away when the run is claimed (or stays away past the
# service's own patience) sends the message again later, with exponential
# backoff up to a minute: about 20 minutes of tries in all. The claim makes
# a repeat harmless, and the sweeper re-sends a run still queued after that.
@shared_task(
    name="evaluations.tasks.evaluation_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    autoretry_for=DATABASE_OUTAGE,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=25,
)
def evaluation_run(self: Task, run_id: int) -> None:  # type: ignore[type-arg]
    """Claim and evaluate one run; a duplicate delivery does nothing."""
    from evaluations.services import run_execute

    # The node name (``-n name@host``), so operators see which worker ran it.
    run_execute(run_id=run_id, node=self.request.hostname or "")


@shared_task(name="evaluations.tasks.evaluation_sweep", ignore_result=True)
def evaluation_sweep() -> dict[str, list[int]]:
    """Recover runs whose worker vanished or whose message was lost."""
    from evaluations.services import runs_sweep

    report = runs_sweep()
    return {
        "requeued": report.requeued,
        "failed": report.failed,
        "reenqueued": report.reenqueued,
    }


@worker_ready.connect
def _sweep_at_start(**kwargs: object) -> None:
    # A worker that died mid-run leaves sandbox leftovers on this machine
    # (mounts, run folders, cgroups) and leases in the database; clean the
    # first here and now, and let a sweep pass handle the leases.
    from evaluations.runners.bubblewrap import sweep_stale

    sweep_stale()
    evaluation_sweep.delay()
