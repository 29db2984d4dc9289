"""Leaderboards: the ranking rules, materialised rows, and the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import SimpleTestCase
from django.urls import reverse

from evaluations import leaderboard, services
from evaluations.leaderboard import Column, Entry, rank_entries
from evaluations.models import LeaderboardRow, Run, Submission, SuiteVersion
from portal.accounts.models import Organisation
from tests.base import PortalTestCase, make_org, make_user
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_scenario

CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "mape"}, {"code": "mae"}, {"code": "bias"}],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 5.0}],
    "leaderboard": {"weights": {"mape": 3.0, "mae": 1.0}},
    "quotas": {"per_day": 100},
}


def at(minutes: int) -> datetime:
    return datetime(2026, 3, 1, 12, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def entry(run_id: int, passed: bool = True, minutes: int = 0, **metrics) -> Entry:
    return Entry(
        run_id=run_id, metrics=metrics, passed=passed, submitted_at=at(minutes)
    )


def order(entries: list[Entry], columns: list[Column]) -> list[tuple[int, float]]:
    return [(r.entry.run_id, r.composite) for r in rank_entries(entries, columns)]


MAE = Column("mae", "mae", "lower", 1.0)
ACN = Column("a_cn", "a_cn", "higher", 1.0)
BIAS = Column("bias", "bias", "zero", 1.0)


class RankingRuleTests(SimpleTestCase):
    def test_a_single_row_scores_one(self):
        self.assertEqual(order([entry(1, mae=7.0)], [MAE]), [(1, 1.0)])

    def test_lower_is_better_metrics_are_flipped(self):
        entries = [entry(1, mae=3.0), entry(2, mae=1.0), entry(3, mae=2.0)]
        self.assertEqual(order(entries, [MAE]), [(2, 1.0), (3, 0.5), (1, 0.0)])

    def test_higher_is_better_metrics_keep_their_direction(self):
        entries = [entry(1, a_cn=80.0), entry(2, a_cn=90.0)]
        self.assertEqual(order(entries, [ACN]), [(2, 1.0), (1, 0.0)])

    def test_signed_metrics_are_best_at_zero(self):
        entries = [entry(1, bias=-2.0), entry(2, bias=0.5), entry(3, bias=-1.25)]
        self.assertEqual(order(entries, [BIAS]), [(2, 1.0), (3, 0.5), (1, 0.0)])

    def test_the_composite_is_the_weighted_mean(self):
        columns = [MAE, replace(ACN, weight=3.0)]
        entries = [
            entry(1, mae=1.0, a_cn=80.0),  # 1·1 + 3·0 = 1 → 0.25
            entry(2, mae=2.0, a_cn=90.0),  # 1·0 + 3·1 = 3 → 0.75
        ]
        self.assertEqual(order(entries, columns), [(2, 0.75), (1, 0.25)])

    def test_unweighted_metrics_do_not_count(self):
        columns = [MAE, Column("a_cn", "a_cn", "higher", 0.0)]
        entries = [entry(1, mae=1.0, a_cn=10.0), entry(2, mae=2.0, a_cn=99.0)]
        self.assertEqual(order(entries, columns), [(1, 1.0), (2, 0.0)])

    def test_rows_that_passed_every_gate_come_first(self):
        entries = [entry(1, passed=False, mae=1.0), entry(2, passed=True, mae=9.0)]
        self.assertEqual(order(entries, [MAE]), [(2, 0.0), (1, 1.0)])

    def test_a_composite_tie_goes_to_the_better_primary_metric(self):
        mape = Column("mape", "mape", "lower", 1.0)
        columns = [mape, MAE]
        entries = [
            entry(1, mape=2.0, mae=1.0),  # 0 + 1 → 0.5
            entry(2, mape=1.0, mae=2.0),  # 1 + 0 → 0.5
        ]
        self.assertEqual(order(entries, columns), [(2, 0.5), (1, 0.5)])
        # The primary metric is the first weighted one in declaration order.
        self.assertEqual(leaderboard.primary_metric(columns), "mape")
        self.assertEqual(order(entries, [MAE, mape]), [(1, 0.5), (2, 0.5)])

    def test_then_the_earlier_submission_then_the_lower_run_id(self):
        entries = [
            entry(5, minutes=10, mae=1.0),
            entry(4, minutes=5, mae=1.0),
            entry(3, minutes=5, mae=1.0),
        ]
        ranked = rank_entries(entries, [MAE])
        self.assertEqual(
            [(r.entry.run_id, r.rank) for r in ranked], [(3, 1), (4, 2), (5, 3)]
        )

    def test_a_missing_or_nan_value_counts_as_worst(self):
        entries = [
            entry(1, mae=float("nan")),
            entry(2),
            entry(3, mae=4.0),
            entry(4, mae=2.0),
        ]
        self.assertEqual(
            order(entries, [MAE]), [(4, 1.0), (3, 0.0), (1, 0.0), (2, 0.0)]
        )

    def test_equal_values_all_score_one(self):
        entries = [entry(1, mae=2.0), entry(2, mae=2.0)]
        self.assertEqual(order(entries, [MAE]), [(1, 1.0), (2, 1.0)])

    def test_without_weights_every_row_scores_one_and_the_first_metric_decides(self):
        columns = [Column("mae", "mae", "lower", 0.0)]
        entries = [entry(1, mae=2.0), entry(2, mae=1.0)]
        self.assertEqual(order(entries, columns), [(2, 1.0), (1, 1.0)])

    def test_the_composite_is_rounded_to_six_places(self):
        columns = [MAE, ACN, BIAS]
        entries = [
            entry(1, mae=1.0, a_cn=80.0, bias=2.0),  # 1, 0, 0 → 1/3
            entry(2, mae=2.0, a_cn=90.0, bias=0.0),  # 0, 1, 1 → 2/3
        ]
        self.assertEqual(order(entries, columns), [(2, 0.666667), (1, 0.333333)])

    def test_columns_follow_the_declaration_with_registry_directions(self):
        columns = leaderboard.columns_for(
            {
                "metrics": [
                    {"code": "mae"},
                    {"code": "a_cn", "key": "acc", "params": {"capacity": 10}},
                    {"code": "nbias"},
                ],
                "leaderboard": {"weights": {"acc": 2, "nbias": "x", "mae": -1}},
            }
        )
        self.assertEqual(
            columns,
            [
                Column("mae", "mae", "lower", 0.0),
                Column("acc", "a_cn", "higher", 2.0),
                Column("nbias", "nbias", "zero", 0.0),
            ],
        )


def finish_hidden(
    submission: Submission,
    *,
    metrics: dict[str, float],
    passed: bool = True,
    status: str | None = None,
    failure: str = "",
) -> Run:
    """Run a hidden run through claim and the real ``run_finish``."""
    run = make_run(submission, split=Run.Split.HIDDEN)
    services.run_claim(run_id=run.pk, worker="w1")
    if status is None:
        status = Run.Status.SUCCEEDED if passed else Run.Status.FAILED
        failure = "" if passed else Run.Failure.THRESHOLD
    services.run_finish(
        run_id=run.pk,
        worker="w1",
        attempt=1,
        evaluation=services.Evaluation(
            status=status, failure=failure, metrics=metrics, passed=passed
        ),
    )
    run.refresh_from_db()
    return run


class MaterialisedRowTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(cls.scenario, config=CONFIG)

    def submit(self, organisation: Organisation, minutes: int = 0) -> Submission:
        user = self.alice if organisation == self.vendor_a else self.charlie
        submission = make_submission(self.version, organisation, user)
        Submission.objects.filter(pk=submission.pk).update(created_at=at(minutes))
        submission.refresh_from_db()
        return submission

    def board(self) -> list[tuple[str, int, int, float, bool]]:
        return [
            (row.organisation.slug, row.rank, row.run_id, row.composite, row.passed)
            for row in LeaderboardRow.objects.filter(suite_version=self.version)
            .select_related("organisation")
            .order_by("rank")
        ]

    def test_a_finished_hidden_run_gets_a_row(self):
        run = finish_hidden(self.submit(self.vendor_a), metrics={"mae": 3, "mape": 2})
        row = LeaderboardRow.objects.get()
        self.assertEqual(
            (row.suite_version, row.organisation, row.run, row.rank, row.composite),
            (self.version, self.vendor_a, run, 1, 1.0),
        )
        self.assertEqual(row.metrics, {"mae": 3, "mape": 2})
        self.assertIs(row.passed, True)

    def test_a_threshold_failure_gets_a_row_that_did_not_pass(self):
        run = finish_hidden(
            self.submit(self.vendor_a), metrics={"mae": 1, "mape": 9}, passed=False
        )
        self.assertEqual(self.board(), [("vendor-a", 1, run.pk, 1.0, False)])

    def test_runs_without_scores_get_no_row(self):
        submission = self.submit(self.vendor_a)
        for status, failure in (
            (Run.Status.FAILED, Run.Failure.CRASH),
            (Run.Status.FAILED, Run.Failure.TIMEOUT),
            (Run.Status.PLATFORM_ERROR, Run.Failure.PLATFORM),
        ):
            with self.subTest(failure=failure):
                finish_hidden(
                    submission, metrics={}, passed=False, status=status, failure=failure
                )
        # A validation run never reaches the leaderboard either.
        sample = make_run(submission)
        services.run_claim(run_id=sample.pk, worker="w1")
        services.run_finish(
            run_id=sample.pk,
            worker="w1",
            attempt=1,
            evaluation=services.Evaluation(
                status=Run.Status.SUCCEEDED, metrics={"mape": 1.0}, passed=True
            ),
        )
        self.assertIs(LeaderboardRow.objects.exists(), False)

    def test_ensuring_twice_changes_nothing(self):
        submission = self.submit(self.vendor_a)
        finish_hidden(submission, metrics={"mae": 3, "mape": 2})
        before = list(LeaderboardRow.objects.values())
        row = leaderboard.ensure_leaderboard_row(submission.pk)
        leaderboard.ensure_leaderboard_row(submission.pk)
        self.assertEqual(list(LeaderboardRow.objects.values()), before)
        self.assertEqual((row.rank, row.composite), (1, 1.0))

    def test_the_row_shows_the_organisations_best_run(self):
        first = finish_hidden(
            self.submit(self.vendor_a, minutes=0), metrics={"mae": 2, "mape": 2}
        )
        # A worse later run (and a duplicate of the first) leave it in place.
        finish_hidden(
            self.submit(self.vendor_a, minutes=5), metrics={"mae": 4, "mape": 4}
        )
        finish_hidden(
            self.submit(self.vendor_a, minutes=6), metrics={"mae": 2, "mape": 2}
        )
        self.assertEqual(self.board(), [("vendor-a", 1, first.pk, 1.0, True)])
        # A better one replaces it.
        better = finish_hidden(
            self.submit(self.vendor_a, minutes=9), metrics={"mae": 1, "mape": 1}
        )
        self.assertEqual(self.board(), [("vendor-a", 1, better.pk, 1.0, True)])

    def test_a_passing_run_beats_a_better_scoring_failing_one(self):
        finish_hidden(
            self.submit(self.vendor_a), metrics={"mae": 1, "mape": 6}, passed=False
        )
        passing = finish_hidden(
            self.submit(self.vendor_a), metrics={"mae": 3, "mape": 4}
        )
        self.assertEqual(self.board(), [("vendor-a", 1, passing.pk, 1.0, True)])

    def test_ranks_are_recomputed_when_another_row_arrives(self):
        a = finish_hidden(self.submit(self.vendor_a), metrics={"mae": 2, "mape": 3})
        b = finish_hidden(self.submit(self.vendor_b), metrics={"mae": 4, "mape": 1})
        # mape weighs 3, mae 1: b scores (3·1 + 0) / 4, a scores (0 + 1) / 4.
        self.assertEqual(
            self.board(),
            [("vendor-b", 1, b.pk, 0.75, True), ("vendor-a", 2, a.pk, 0.25, True)],
        )
        c = make_org("vendor-c", Organisation.Kind.VENDOR)
        make_user("carol", c)
        submission = make_submission(self.version, c, self.charlie)
        failing = finish_hidden(submission, metrics={"mae": 0, "mape": 7}, passed=False)
        self.assertEqual(
            self.board(),
            [
                # mae now spans 0..4 and mape 1..7: a scores (3·4/6 + 2/4) / 4.
                ("vendor-b", 1, b.pk, 0.75, True),
                ("vendor-a", 2, a.pk, 0.625, True),
                ("vendor-c", 3, failing.pk, 0.25, False),
            ],
        )

    def test_a_row_without_eligible_runs_left_is_removed(self):
        submission = self.submit(self.vendor_a)
        run = finish_hidden(submission, metrics={"mae": 2, "mape": 3})
        finish_hidden(self.submit(self.vendor_b), metrics={"mae": 4, "mape": 1})
        Run.objects.filter(pk=run.pk).update(status=Run.Status.CANCELLED)
        self.assertIsNone(leaderboard.ensure_leaderboard_row(submission.pk))
        self.assertEqual([r[0] for r in self.board()], ["vendor-b"])
        self.assertEqual(self.board()[0][1], 1)

    def test_each_suite_version_has_its_own_board(self):
        other = SuiteVersion.objects.create(
            suite=self.version.suite,
            number=2,
            status=SuiteVersion.Status.PUBLISHED,
            config=CONFIG,
        )
        finish_hidden(self.submit(self.vendor_a), metrics={"mae": 2, "mape": 3})
        finish_hidden(
            make_submission(other, self.vendor_b, self.charlie),
            metrics={"mae": 4, "mape": 1},
        )
        ranks = LeaderboardRow.objects.values_list("suite_version__number", "rank")
        self.assertEqual(sorted(ranks), [(1, 1), (2, 1)])


class LeaderboardPageTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.version = make_suite_version(cls.scenario, config=CONFIG)
        cls.url = reverse("evaluations:leaderboard", args=[cls.version.pk])

    def add_rows(self, count: int) -> None:
        start = LeaderboardRow.objects.count()
        for index in range(start, start + count):
            organisation = make_org(f"bulk-vendor-{index}", Organisation.Kind.VENDOR)
            submission = make_submission(self.version, organisation, self.alice)
            finish_hidden(
                submission, metrics={"mae": 1.0 + index, "mape": 4.0 - index / 10}
            )

    def test_it_is_public_while_the_scenario_is(self):
        self.add_rows(2)
        response = self.client.get(self.url)
        self.assertContains(response, "Bulk Vendor 0")
        self.assertContains(response, 'id="ranking-rules"')
        self.assertContains(response, "mape (the first weighted metric)")

    def test_it_checks_ownership(self):
        draft = make_scenario(self.gina, self.grid, "GRID-PO-FC-002", status="draft")
        version = make_suite_version(draft, config=CONFIG)
        url = reverse("evaluations:leaderboard", args=[version.pk])
        for user, status in ((None, 404), (self.charlie, 404), (self.gina, 200)):
            with self.subTest(user=user):
                if user is not None:
                    self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_it_rejects_post(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_it_lists_rows_in_rank_order(self):
        self.add_rows(3)
        content = self.client.get(self.url).content.decode()
        # mape improves with the index and weighs most.
        positions = [content.index(f"Bulk Vendor {i}") for i in (2, 1, 0)]
        self.assertEqual(positions, sorted(positions))

    def test_the_suite_page_links_to_it(self):
        response = self.client.get(reverse("evaluations:suite", args=[self.version.pk]))
        self.assertContains(response, f'href="{self.url}"')

    def test_it_keeps_its_query_count(self):
        self.add_rows(3)
        # suite version with scenario, rows with organisations and submissions
        with self.assertNumQueries(2):
            response = self.client.get(self.url)
        self.assertContains(response, "Bulk Vendor", count=3)
        self.add_rows(7)
        with self.assertNumQueries(2):
            response = self.client.get(self.url)
        self.assertContains(response, "Bulk Vendor", count=10)

    def test_it_keeps_its_query_count_when_signed_in(self):
        self.login(self.alice)
        self.add_rows(3)
        # session, user, memberships, unread notifications, suite version, rows
        with self.assertNumQueries(6):
            self.client.get(self.url)
        self.add_rows(7)
        with self.assertNumQueries(6):
            self.client.get(self.url)

    def test_an_empty_board_says_so(self):
        self.assertContains(self.client.get(self.url), "No hidden-test result yet.")
