"""The load-test generator (``generate_scale_data``, lifecycle.scale_data)."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase

from evaluations.models import LeaderboardRow, Run, Submission
from lifecycle.models import Solution, Transition
from lifecycle.scale_data import Sizes
from portal.accounts.models import Organisation, User
from reviews.models import Assignment
from scenarios.models import Scenario
from tests.base import PortalTestCase

TINY = ["--scenarios", "20", "--vendors", "4", "--runs", "40"]


class _Undo(Exception):
    """Raised to roll a generated set back."""


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """The generated rows that matter, without their primary keys."""
    return {
        "scenarios": list(
            Scenario.objects.order_by("code").values_list(
                "code", "owner__slug", "status", "sector", "stage", "task_type"
            )
        ),
        "submissions": list(
            Submission.objects.order_by("created_at", "name").values_list(
                "organisation__slug", "suite_version__suite__scenario__code", "name"
            )
        ),
        "runs": list(
            Run.objects.order_by("enqueued_at", "split").values_list(
                "split", "status", "failure", "metrics", "passed"
            )
        ),
        "leaderboard": list(
            LeaderboardRow.objects.order_by(
                "suite_version__suite__scenario__code", "rank"
            ).values_list("organisation__slug", "rank", "composite", "passed")
        ),
    }


class GenerateScaleDataTests(TestCase):
    def generate(self, *args: str) -> str:
        out = StringIO()
        call_command("generate_scale_data", *args, stdout=out)
        return out.getvalue()

    def test_it_creates_what_it_says(self):
        output = self.generate(*TINY)
        self.assertEqual(Scenario.objects.count(), 20)
        self.assertEqual(
            Organisation.objects.filter(kind=Organisation.Kind.VENDOR).count(), 4
        )
        self.assertEqual(Run.objects.count(), 40)
        self.assertEqual(Submission.objects.count(), 20)
        self.assertIn("scenarios: 20", output)
        self.assertIn("runs: 40", output)
        # Every submission has a validation and a hidden run.
        for split in (Run.Split.SAMPLE, Run.Split.HIDDEN):
            self.assertEqual(Run.objects.filter(split=split).count(), 20)
        for model in (LeaderboardRow, Solution, Transition, Assignment):
            with self.subTest(model=model.__name__):
                self.assertIs(model.objects.exists(), True)

    def test_every_row_is_marked_as_load_test_data(self):
        self.generate(*TINY)
        self.assertIs(
            Scenario.objects.exclude(code__startswith="LOAD-").exists(), False
        )
        self.assertIs(
            Organisation.objects.exclude(slug__startswith="load-").exists(), False
        )
        self.assertIs(
            Organisation.objects.exclude(name_en__startswith="LOAD TEST").exists(),
            False,
        )
        self.assertIs(
            User.objects.exclude(username__startswith="load-").exists(), False
        )
        self.assertIs(
            User.objects.exclude(email__endswith="@load.invalid").exists(), False
        )
        self.assertIs(
            Scenario.objects.exclude(title_en__startswith="LOAD TEST").exists(), False
        )
        # Never demo content either: the demo is a different, curated set.
        self.assertIs(Scenario.objects.filter(is_demo=True).exists(), False)

    def test_leaderboard_rows_follow_the_portals_ranking(self):
        """Each board ranks 1, 2, 3 ... and shows each organisation once."""
        self.generate(*TINY)
        for version_id in LeaderboardRow.objects.values_list(
            "suite_version_id", flat=True
        ).distinct():
            rows = LeaderboardRow.objects.filter(suite_version_id=version_id)
            ranks = sorted(rows.values_list("rank", flat=True))
            self.assertEqual(ranks, list(range(1, len(ranks) + 1)))
            organisations = list(rows.values_list("organisation_id", flat=True))
            self.assertEqual(len(organisations), len(set(organisations)))

    def generate_and_undo(self, *args: str) -> dict[str, list[tuple[object, ...]]]:
        """Generate, read the rows, and roll the set back."""
        try:
            with transaction.atomic():
                self.generate(*args)
                rows = snapshot()
                raise _Undo
        except _Undo:
            pass
        self.assertIs(Scenario.objects.exists(), False)
        return rows

    def test_it_is_deterministic(self):
        first = self.generate_and_undo(*TINY)
        self.assertEqual(self.generate_and_undo(*TINY), first)

    def test_another_seed_makes_another_set(self):
        first = self.generate_and_undo(*TINY)
        self.assertNotEqual(self.generate_and_undo(*TINY, "--seed", "8"), first)

    def test_it_refuses_a_second_set(self):
        self.generate(*TINY)
        with self.assertRaisesMessage(
            CommandError, "This database already holds a load-test set"
        ):
            self.generate(*TINY)

    def test_it_checks_its_sizes(self):
        with self.assertRaisesMessage(
            CommandError, "Need at least one scenario, one vendor and two runs."
        ):
            self.generate("--runs", "1")


class RealDatabaseTests(PortalTestCase):
    """The personas of tests.base stand for a real database."""

    def test_it_refuses_a_database_with_real_data(self):
        with self.assertRaisesMessage(
            CommandError, "This database holds real data (7 organisations, 10 users)"
        ):
            call_command("generate_scale_data", *TINY, stdout=StringIO())
        self.assertIs(Scenario.objects.exists(), False)

    def test_force_adds_the_set_beside_real_data(self):
        call_command("generate_scale_data", *TINY, "--force", stdout=StringIO())
        self.assertEqual(Scenario.objects.count(), 20)
        self.assertIs(Organisation.objects.filter(slug="vendor-a").exists(), True)


class SizesTests(TestCase):
    def test_small_is_a_hundredth_of_large(self):
        small, large = Sizes.named("small"), Sizes.named("large")
        self.assertEqual(
            (large.scenarios, large.vendors, large.runs), (10_000, 1_000, 100_000)
        )
        self.assertEqual(
            (small.scenarios * 100, small.vendors * 100, small.runs * 100),
            (large.scenarios, large.vendors, large.runs),
        )
