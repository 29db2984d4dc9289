"""Celery tasks of the scenarios app. Thin: each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="scenarios.tasks.close_expired_scenarios")
def close_expired_scenarios() -> int:
    """Close published scenarios whose deadline has passed (run by beat)."""
    from scenarios.services import close_expired_scenarios as close_expired

    return close_expired()
