"""The planner's statistics: gathered on SQLite by a periodic task."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.test import TestCase

from portal.lib.db import planner_statistics_refresh
from portal.tasks import database_statistics_refresh
from tests.scenarios.helpers import make_scenario


class PlannerStatisticsTests(TestCase):
    def stat_rows(self) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tbl, idx FROM sqlite_stat1 WHERE tbl = 'scenarios_scenario'"
            )
            return list(cursor.fetchall())

    def test_sqlite_gets_statistics_for_the_catalog(self):
        if connection.vendor != "sqlite":
            self.assertFalse(planner_statistics_refresh())
            return
        from tests.base import make_org, make_user

        grid = make_org("grid-co", "energy")
        ops = make_org("ops", "operator")
        owner, operator = make_user("gina", grid), make_user("olivia", ops)
        make_scenario(owner, grid, "GRID-PO-FC-001", operator=operator)
        self.assertTrue(database_statistics_refresh())
        indexes = {idx for _tbl, idx in self.stat_rows()}
        self.assertIn("scenario_map", indexes)

    def test_beat_runs_it(self):
        entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
        self.assertIn("portal.tasks.database_statistics_refresh", entries)
        from portal.celery import app

        app.loader.import_default_modules()
        self.assertIn("portal.tasks.database_statistics_refresh", app.tasks)
