"""Celery tasks of the lifecycle app. Thin: each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="lifecycle.tasks.solutions_rescore", ignore_result=True)
def solutions_rescore(suite_version_id: int) -> int:
    """Re-score the opted-in solutions on a newly published suite version."""
    from lifecycle.rescore_services import solutions_rescore as rescore

    return len(rescore(suite_version_id=suite_version_id))


@shared_task(name="lifecycle.tasks.pilot_deadline_reminders")
def pilot_deadline_reminders() -> int:
    """Remind owners of pilots ending soon or past their end (run by beat)."""
    from lifecycle.notification_services import pilot_deadline_reminders_send

    return pilot_deadline_reminders_send()
