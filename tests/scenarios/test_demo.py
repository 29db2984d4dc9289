from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from portal.accounts.models import Organisation, User
from portal.lib.taxonomy import Sector, Stage, TaskType
from scenarios.models import Dataset, DatasetFile, HighValueList, Scenario


@override_settings(DEMO_MODE=True)
class LoadDemoTests(TestCase):
    def test_it_loads_a_complete_catalog_once(self):
        out = StringIO()
        call_command("load_demo", "--print-logins", stdout=out)
        self.assertIn("energy-demo-2026", out.getvalue())
        counts = (
            Scenario.objects.count(),
            Dataset.objects.count(),
            User.objects.count(),
        )
        self.assertGreaterEqual(counts[0], 30)
        public = Scenario.objects.filter(status="published")
        self.assertEqual(
            set(public.values_list("sector", flat=True)), set(Sector.values)
        )
        self.assertEqual(set(public.values_list("stage", flat=True)), set(Stage.values))
        self.assertEqual(
            set(public.values_list("task_type", flat=True)), set(TaskType.values)
        )
        self.assertIs(Scenario.objects.filter(is_demo=False).exists(), False)
        self.assertIs(Organisation.objects.filter(is_demo=False).exists(), False)
        # Every scenario is bilingual.
        for scenario in Scenario.objects.all():
            with self.subTest(code=scenario.code):
                self.assertTrue(scenario.title_zh and scenario.title_en)
                self.assertTrue(scenario.description_zh and scenario.description_en)
        self.assertIs(
            HighValueList.objects.filter(published_at__isnull=False).exists(), True
        )
        # The one real file is attached with its true hash.
        taylor = DatasetFile.objects.get(version__dataset__slug="taylor-demand-2000")
        self.assertEqual(taylor.blob.size, 92756)

        out = StringIO()
        call_command("load_demo", stdout=out)
        self.assertIn("nothing to add", out.getvalue())
        self.assertEqual(
            (Scenario.objects.count(), Dataset.objects.count(), User.objects.count()),
            counts,
        )

    @override_settings(DEMO_MODE=False)
    def test_it_refuses_outside_demo_mode(self):
        with self.assertRaisesMessage(CommandError, "PORTAL_DEMO_MODE=true"):
            call_command("load_demo")
