"""Celery tasks of the lifecycle app. Thin: each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="lifecycle.tasks.pilot_deadline_reminders")
def pilot_deadline_reminders() -> int:
    """Remind owners of pilots ending soon or past their end (run by beat)."""
    from lifecycle.notification_services import pilot_deadline_reminders_send

    return pilot_deadline_reminders_send()
