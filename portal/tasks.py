"""Celery tasks of the portal itself. Thin: each calls one function."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="portal.tasks.database_statistics_refresh", ignore_result=True)
def database_statistics_refresh() -> bool:
    """Refresh the planner's statistics (run by beat; SQLite only)."""
    from portal.lib.db import planner_statistics_refresh

    return planner_statistics_refresh()
