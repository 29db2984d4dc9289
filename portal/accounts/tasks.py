"""Celery tasks of the accounts app: thin wrappers around services.

Tasks take ids only. Services are imported inside the task bodies because
``services`` imports this module to enqueue.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

# Back-off for a failing mail server: 1, 2, 4, 8 and 16 minutes.
_MAX_RETRIES = 5


@shared_task(bind=True, max_retries=_MAX_RETRIES, acks_late=True)
def notification_email_send(self: Task[Any, bool], notification_id: int) -> bool:
    """E-mail a copy of one notification, at most once."""
    from portal.accounts.services import notification_email_deliver

    try:
        return notification_email_deliver(notification_id=notification_id)
    except OSError as exc:  # SMTP and socket errors
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(bind=True, max_retries=_MAX_RETRIES, acks_late=True)
def verification_email_send(self: Task[Any, bool], user_id: int) -> bool:
    """E-mail a fresh verification link to the user."""
    from portal.accounts.services import verification_email_deliver

    try:
        return verification_email_deliver(user_id=user_id)
    except OSError as exc:  # SMTP and socket errors
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
