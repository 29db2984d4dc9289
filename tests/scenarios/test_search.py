from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict

from scenarios import selectors
from scenarios.filters import search_scenarios
from scenarios.models import Scenario
from tests.base import PortalTestCase
from tests.scenarios.helpers import make_scenario


class SearchTests(PortalTestCase):
    """The catalog search, on whichever database the run uses."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_scenario(
            cls.otto,
            cls.other_energy,
            "WIND-OM-AD-001",
            operator=cls.olivia,
            sector="wind",
            title_zh="风机齿轮箱早期故障预警",
            title_en="Wind turbine gearbox early fault warning",
        )
        make_scenario(
            cls.gina,
            cls.grid,
            "GRID-PO-FC-002",
            operator=cls.olivia,
            title_zh="母线负荷预测",
            title_en="Bus load forecast",
            description_en="## Task\nForecast 220 kV bus load; see GB/T 40607-2021.",
        )

    def search(self, text):
        params = QueryDict(mutable=True)
        params["q"] = text
        return [s.code for s in selectors.scenario_list(user=self.alice, params=params)]

    def test_it_finds_english_words_anywhere(self):
        self.assertEqual(self.search("gearbox"), ["WIND-OM-AD-001"])
        self.assertEqual(self.search("bus forecast"), ["GRID-PO-FC-002"])

    def test_it_finds_chinese_substrings(self):
        self.assertEqual(self.search("齿轮箱"), ["WIND-OM-AD-001"])
        self.assertEqual(self.search("母线"), ["GRID-PO-FC-002"])

    def test_it_finds_codes_and_standards(self):
        self.assertEqual(self.search("wind-om-ad-001"), ["WIND-OM-AD-001"])
        self.assertEqual(self.search("40607-2021"), ["GRID-PO-FC-002"])

    def test_it_finds_nothing_for_unknown_words(self):
        self.assertEqual(self.search("photovoltaic"), [])


@pytest.mark.postgres
class PostgresSearchTests(SearchTests):
    """PostgreSQL adds websearch syntax and ranking on top of the above."""

    def test_it_runs_on_postgresql(self):
        self.assertEqual(connection.vendor, "postgresql")

    def test_it_understands_websearch_syntax(self):
        self.assertEqual(self.search("forecast -turbine"), ["GRID-PO-FC-002"])
        self.assertEqual(self.search('"gearbox early"'), ["WIND-OM-AD-001"])
        self.assertEqual(
            self.search("gearbox or bus"), ["GRID-PO-FC-002", "WIND-OM-AD-001"]
        )


@pytest.mark.postgres
class SearchIndexTests(PortalTestCase):
    def test_the_search_expression_can_use_the_gin_index(self):
        from django.db import connection

        with connection.cursor() as cursor:
            # Small tables make every plan cheap; rule out the other access
            # paths so that the test asks only "can the GIN index serve it".
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_indexscan = off")
            plan = search_scenarios(Scenario.objects.order_by(), "gearbox").explain()
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
        self.assertIn("scenario_search_gin", plan)
