"""Dashboards: funnel counts, time in stage, scope, CSV files, query counts.

The constructed dataset, on GRID-PO-FC-001 (days from 1 March 2026):

* alice's solution: released day 0, R&D day 2, testing day 5, still there;
* charlie's solution: released day 0, R&D day 4, withdrawn day 6.

The dashboard's clock stands at day 10.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from lifecycle import dashboard_selectors, services
from lifecycle.models import Solution
from portal.lib.spreadsheet import safe_cell
from scenarios.models import HighValueList, HighValueListEntry, Scenario
from tests.evaluations.helpers import make_submission
from tests.lifecycle.helpers import LifecycleTestCase

DAY0 = datetime(2026, 3, 1, tzinfo=UTC)


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


class DashboardTestCase(LifecycleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.solution.transitions.update(created_at=day(0))
        with mock.patch("lifecycle.services._now", return_value=day(0)):
            cls.charlie_solution = services.solution_register(
                submission=cls.submission_b, user=cls.charlie
            )
        cls.move(cls.solution, cls.alice, "rnd", 2)
        cls.move(cls.solution, cls.alice, "testing", 5)
        cls.move(cls.charlie_solution, cls.charlie, "rnd", 4)
        with mock.patch("lifecycle.services._now", return_value=day(6)):
            services.solution_withdraw(
                solution=cls.charlie_solution, user=cls.charlie, reasons="Pivot."
            )

    @staticmethod
    def move(solution, user, stage, when):
        solution.refresh_from_db()
        with mock.patch("lifecycle.services._now", return_value=day(when)):
            services.solution_advance(solution=solution, user=user, to_stage=stage)

    def setUp(self):
        super().setUp()
        patcher = mock.patch("lifecycle.dashboard_selectors._now", return_value=day(10))
        patcher.start()
        self.addCleanup(patcher.stop)

    def rows(self, user=None, **filters):
        scope = dashboard_selectors.solution_scope(
            user or self.nobody, dashboard_selectors.DashboardFilters(**filters)
        )
        return {row.stage: row for row in dashboard_selectors.funnel(scope).rows}

    def add_solutions(self, count):
        """``count`` more solutions on the other scenario, each with a move."""
        start = Solution.objects.count()
        for index in range(start, start + count):
            submission = make_submission(self.version, self.vendor_a, self.alice)
            solution = services.solution_register(
                submission=submission, user=self.alice, name=f"extra-{index}"
            )
            Solution.objects.filter(pk=solution.pk).update(scenario=self.other_scenario)
            self.move(solution, self.alice, "rnd", 1)


class FunnelTests(DashboardTestCase):
    def test_it_counts_reached_and_current_stages(self):
        rows = self.rows()
        self.assertEqual(
            [(s, r.reached, r.current) for s, r in rows.items()],
            [
                ("released", 2, 0),
                ("rnd", 2, 0),
                ("testing", 1, 1),
                ("pilot", 0, 0),
                ("effectiveness", 0, 0),
                ("scale", 0, 0),
            ],
        )
        scope = dashboard_selectors.solution_scope(
            self.nobody, dashboard_selectors.DashboardFilters()
        )
        funnel = dashboard_selectors.funnel(scope)
        self.assertEqual(
            [(r.stage, r.current) for r in funnel.ended],
            [
                ("withdrawn", 1),
                ("rejected", 0),
            ],
        )
        self.assertEqual(funnel.total, 2)

    def test_it_measures_time_in_each_stage(self):
        rows = self.rows()
        cases = [
            ("released", [2.0, 4.0], 3.0, 3.0, 0),
            ("rnd", [3.0, 2.0], 2.5, 2.5, 0),
            # Still in testing: counted up to day 10 and marked ongoing.
            ("testing", [5.0], 5.0, 5.0, 1),
            ("pilot", [], None, None, 0),
        ]
        for stage, stays, median, mean, ongoing in cases:
            with self.subTest(stage=stage):
                row = rows[stage]
                self.assertEqual(sorted(row.stays), sorted(stays))
                self.assertEqual(row.median_days, median)
                self.assertEqual(row.mean_days, mean)
                self.assertEqual(row.ongoing, ongoing)

    def test_it_filters_by_scenario_sector_and_list(self):
        self.add_solutions(1)
        hv_list = HighValueList.objects.create(
            slug="2026-1",
            year=2026,
            batch=1,
            title_zh="第一批",
            title_en="Batch 1",
            published_at=day(0),
        )
        HighValueListEntry.objects.create(
            high_value_list=hv_list, scenario=self.other_scenario, rank=1
        )
        cases = [
            ({}, 3),
            ({"scenario": "GRID-PO-FC-001"}, 2),
            ({"scenario": "OTHER-PO-FC-002"}, 1),
            ({"sector": self.scenario.sector}, 3),
            ({"sector": "hydro"}, 0),
            ({"batch": "2026-1"}, 1),
        ]
        for filters, released in cases:
            with self.subTest(filters=filters):
                self.assertEqual(self.rows(**filters)["released"].reached, released)

    def test_the_public_sees_public_scenarios_only(self):
        Scenario.objects.filter(pk=self.scenario.pk).update(status="draft")
        self.assertEqual(self.rows()["released"].reached, 0)
        self.assertEqual(self.rows(self.olivia)["released"].reached, 2)

    def test_demo_content_can_be_left_out(self):
        Scenario.objects.filter(pk=self.scenario.pk).update(is_demo=True)
        self.assertEqual(self.rows()["released"].reached, 2)
        self.assertEqual(self.rows(include_demo=False)["released"].reached, 0)


class MonitoringTests(DashboardTestCase):
    def test_it_counts_the_monitoring_figures(self):
        scenarios = dashboard_selectors.scenario_scope(
            self.nobody, dashboard_selectors.DashboardFilters()
        )
        solutions = dashboard_selectors.solution_scope(
            self.nobody, dashboard_selectors.DashboardFilters()
        )
        figures = dashboard_selectors.monitoring(scenarios, solutions)
        self.assertEqual(figures.scenarios_published, 2)
        self.assertEqual(figures.vendors, 2)
        self.assertEqual(figures.submissions, 2)
        # One passed hidden run and one validation run, both of alice.
        self.assertEqual((figures.runs, figures.hidden_runs), (2, 1))
        self.assertEqual(figures.hidden_pass_rate, 100.0)
        self.assertEqual(figures.pilots_running, 0)
        self.assertEqual((figures.cases, figures.npv_by_currency), (0, {}))
        self.assertIsNone(figures.co2_avoided_t)

    def test_the_activity_map_counts_active_solutions(self):
        solutions = dashboard_selectors.solution_scope(
            self.nobody, dashboard_selectors.DashboardFilters()
        )
        result = dashboard_selectors.activity_map(solutions, layer="solutions")
        # charlie's solution is withdrawn: only alice's is active.
        self.assertEqual(result["total"], 1)
        cells = [c for row in result["rows"] for c in row["cells"] if c.count]
        self.assertEqual(
            [(c.sector, c.stage, c.count, c.heat) for c in cells],
            [(self.scenario.sector, self.scenario.stage, 1, 4)],
        )
        pilots = dashboard_selectors.activity_map(solutions, layer="pilots")
        self.assertEqual(pilots["total"], 0)


class DashboardPageTests(DashboardTestCase):
    url = reverse("lifecycle:dashboard")

    def test_anonymous_visitors_see_the_aggregates(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<title id="funnel-chart-title">')
        self.assertContains(response, "Testing and validation")
        # No vendor is named.
        self.assertNotContains(response, "Vendor A")
        self.assertNotContains(response, "alice-special-model")

    def test_the_labels_follow_the_language(self):
        response = self.client.get(self.url, headers={"accept-language": "zh-hans"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["funnel_labels"][0],
            str(response.context["funnel"].rows[0].label),
        )

    def test_the_partial_is_served_by_the_same_view(self):
        response = self.client.get(
            reverse("lifecycle:dashboard_results"), {"sector": "hydro"}
        )
        self.assertTemplateUsed(response, "lifecycle/_dashboard.html")
        self.assertTemplateNotUsed(response, "lifecycle/dashboard.html")
        self.assertEqual(response.context["funnel"].total, 0)

    def test_it_rejects_post(self):
        for name in ("dashboard", "dashboard_funnel_csv", "dashboard_monitoring_csv"):
            with self.subTest(name=name):
                response = self.client.post(reverse(f"lifecycle:{name}"))
                self.assertEqual(response.status_code, 405)

    def test_unknown_filters_are_ignored(self):
        response = self.client.get(self.url, {"scenario": "NOPE", "sector": "x"})
        self.assertEqual(response.context["funnel"].total, 2)

    def test_the_query_count_does_not_grow_with_solutions(self):
        # list options, current stages, transitions, active solutions per
        # map cell, and the monitoring counts: published scenarios,
        # submissions, runs, pilots under way, benchmark cases.
        with self.assertNumQueries(9):
            self.client.get(self.url)
        self.add_solutions(3)
        cache.clear()
        with self.assertNumQueries(9):
            response = self.client.get(self.url)
        self.assertEqual(response.context["funnel"].total, 5)

    def test_an_operators_query_count_does_not_grow_either(self):
        self.login(self.olivia)
        # session, user, memberships (once per request), notifications
        # on top of the nine.
        with self.assertNumQueries(13):
            self.client.get(self.url)
        self.add_solutions(2)
        cache.clear()
        with self.assertNumQueries(13):
            self.client.get(self.url)

    def test_a_scenario_filter_costs_one_query_to_check_the_code(self):
        with self.assertNumQueries(10):
            response = self.client.get(self.url, {"scenario": "GRID-PO-FC-001"})
        self.assertEqual(response.context["filters"].scenario, "GRID-PO-FC-001")


class FiguresCacheTests(DashboardTestCase):
    """The figures are shared for DASHBOARD_CACHE_SECONDS."""

    def submissions(self, response):
        rows = {
            str(label): value for label, value, _note in response.context["monitoring"]
        }
        return rows["Submissions"]

    def test_the_counts_are_shared_then_counted_again(self):
        url = reverse("lifecycle:dashboard")
        with time_machine.travel(datetime.now(UTC), tick=False) as clock:
            first = self.client.get(url)
            before = self.submissions(first)
            self.assertContains(first, 'id="figures-as-of"')
            make_submission(self.version, self.vendor_a, self.alice)
            # Within the minute: the shared figures; only the filter's list
            # options are read.
            with self.assertNumQueries(1):
                cached = self.client.get(url)
            self.assertEqual(self.submissions(cached), before)
            self.assertEqual(
                cached.context["figures_as_of"], first.context["figures_as_of"]
            )
            clock.shift(timedelta(seconds=61))
            fresh = self.client.get(url)
        self.assertEqual(self.submissions(fresh), before + 1)

    def test_the_funnel_is_shared_too_and_each_language_has_its_labels(self):
        url = reverse("lifecycle:dashboard")
        english = self.client.get(url, headers={"accept-language": "en"})
        self.add_solutions(1)
        again = self.client.get(url, headers={"accept-language": "en"})
        self.assertEqual(again.context["funnel"].total, english.context["funnel"].total)
        chinese = self.client.get(url, headers={"accept-language": "zh-hans"})
        self.assertNotEqual(
            chinese.context["funnel_labels"], english.context["funnel_labels"]
        )
        self.assertEqual(
            chinese.context["funnel"].total, english.context["funnel"].total + 1
        )

    def test_each_scope_and_filter_has_its_own_counts(self):
        url = reverse("lifecycle:dashboard")
        Scenario.objects.filter(pk=self.scenario.pk).update(status="draft")
        public = self.submissions(self.client.get(url))
        self.login(self.olivia)
        operator = self.submissions(self.client.get(url))
        self.assertGreater(operator, public)
        other = self.submissions(
            self.client.get(url, {"scenario": self.other_scenario.code})
        )
        self.assertLess(other, operator)

    @override_settings(DASHBOARD_CACHE_SECONDS=0)
    def test_with_no_sharing_every_request_counts(self):
        url = reverse("lifecycle:dashboard")
        before = self.submissions(self.client.get(url))
        make_submission(self.version, self.vendor_a, self.alice)
        response = self.client.get(url)
        self.assertEqual(self.submissions(response), before + 1)
        self.assertNotContains(response, 'id="figures-as-of"')


class ScenarioSuggestionTests(DashboardTestCase):
    def suggest(self, text):
        return self.client.get(
            reverse("lifecycle:dashboard"), {"suggest": "1", "scenario": text}
        )

    def test_it_suggests_scenarios_in_scope_by_code_or_title(self):
        response = self.suggest("po-fc")
        self.assertTemplateUsed(response, "lifecycle/_scenario_suggestions.html")
        self.assertTemplateNotUsed(response, "lifecycle/dashboard.html")
        self.assertContains(response, '<option value="GRID-PO-FC-001">')
        self.assertContains(response, f'<option value="{self.other_scenario.code}">')
        title = self.scenario.title_en
        self.assertContains(self.suggest(title[:6]), '<option value="GRID-PO-FC-001">')

    def test_the_public_is_not_told_about_unpublished_scenarios(self):
        Scenario.objects.filter(pk=self.scenario.pk).update(status="draft")
        self.assertNotContains(self.suggest("GRID"), "GRID-PO-FC-001")
        self.login(self.olivia)
        self.assertContains(self.suggest("GRID"), "GRID-PO-FC-001")

    def test_no_text_suggests_nothing_and_the_list_is_bounded(self):
        self.assertEqual(
            self.suggest("  ").content.decode().strip(),
            '<datalist id="dashboard-scenarios"></datalist>',
        )
        with mock.patch.object(dashboard_selectors, "SUGGESTION_LIMIT", 1):
            self.assertEqual(self.suggest("-").content.decode().count("<option"), 1)

    def test_an_out_of_scope_code_is_dropped_like_any_unknown_filter(self):
        Scenario.objects.filter(pk=self.scenario.pk).update(status="draft")
        response = self.client.get(
            reverse("lifecycle:dashboard"), {"scenario": "GRID-PO-FC-001"}
        )
        self.assertEqual(response.context["filters"].scenario, "")


class DashboardCsvTests(DashboardTestCase):
    def read(self, name, **params):
        response = self.client.get(reverse(f"lifecycle:{name}"), params)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        return list(csv.reader(io.StringIO(text[1:])))

    def test_the_funnel_file(self):
        rows = self.read("dashboard_funnel_csv")
        self.assertEqual(
            rows[0],
            [
                "Stage",
                "Reached",
                "In it now",
                "Median days in stage",
                "Mean days in stage",
                "Stays",
                "Ongoing stays",
            ],
        )
        self.assertEqual(rows[1], ["Released", "2", "0", "3.0", "3.0", "2", "0"])
        self.assertEqual(
            rows[3], ["Testing and validation", "1", "1", "5.0", "5.0", "1", "1"]
        )
        self.assertEqual(rows[-2], ["Withdrawn", "", "1", "", "", "", ""])

    def test_the_monitoring_file(self):
        rows = {row[0]: row[1:] for row in self.read("dashboard_monitoring_csv")}
        self.assertEqual(rows["Scenarios published"], ["2", ""])
        self.assertEqual(rows["Pass rate of hidden-test runs (%)"][0], "100.0")
        self.assertEqual(rows["Measured benefits: NPV"], ["", "not measured"])

    def test_it_keeps_the_filters(self):
        rows = self.read("dashboard_funnel_csv", sector="hydro")
        self.assertEqual(rows[1][1], "0")

    def test_cells_are_formula_safe(self):
        self.assertEqual(safe_cell("=1+1"), "'=1+1")
        self.assertEqual(safe_cell("@SUM(A1)"), "'@SUM(A1)")
        self.assertEqual(safe_cell(-3.5), -3.5)


class DashboardHtmxTests(DashboardTestCase):
    def test_an_htmx_request_to_the_page_gets_the_partial(self):
        response = self.client.get(
            reverse("lifecycle:dashboard"),
            {"layer": "pilots"},
            headers={"HX-Request": "true"},
        )
        self.assertTemplateUsed(response, "lifecycle/_dashboard.html")
        self.assertTemplateNotUsed(response, "lifecycle/dashboard.html")
        self.assertEqual(response["Vary"].count("HX-Request"), 1)
        self.assertContains(response, "Pilots under way per sector")
