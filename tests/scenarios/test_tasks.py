from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from scenarios.models import Scenario, ScenarioEvent
from scenarios.tasks import close_expired_scenarios
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_scenario


class CloseExpiredScenariosTaskTests(PortalTestCase):
    def test_it_is_idempotent(self):
        scenario = make_scenario(
            self.gina, self.grid, "GRID-PO-FC-801", operator=self.olivia
        )
        Scenario.objects.filter(pk=scenario.pk).update(
            closes_at=timezone.now() - timedelta(hours=1)
        )
        self.assertEqual(close_expired_scenarios(), 1)
        self.assertEqual(close_expired_scenarios(), 0)
        scenario.refresh_from_db()
        self.assertEqual(scenario.status, Scenario.Status.CLOSED)
        closing = scenario.events.filter(action=ScenarioEvent.Action.CLOSED)
        self.assertEqual(closing.count(), 1)
        self.assertIsNone(closing.get().actor)

    def test_beat_runs_it(self):
        entry = settings.CELERY_BEAT_SCHEDULE["close-expired-scenarios"]
        self.assertEqual(entry["task"], close_expired_scenarios.name)
