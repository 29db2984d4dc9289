"""Celery tasks of the reviews app. Thin: each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reviews.tasks.review_deadline_reminders")
def review_deadline_reminders() -> int:
    """Remind reviewers of reviews due within two days (run by beat)."""
    from reviews.reminder_services import deadline_reminders_send

    return deadline_reminders_send()
