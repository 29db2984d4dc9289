"""Celery tasks of the ledger. Thin: each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import translation


@shared_task(name="portal.ledger.tasks.ledger_verify_scheduled")
def ledger_verify_scheduled() -> bool | None:
    """Verify the whole chain (run by beat); None when another run has the
    interval, else whether the chain is intact."""
    from portal.ledger.services import ledger_check_scheduled

    # The stored message and the log are in English, as the command's are;
    # the operators' notifications are in each one's language.
    with translation.override("en"):
        check = ledger_check_scheduled()
    return None if check is None else check.ok
