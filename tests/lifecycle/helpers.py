"""A solution on the review tests' scenario, built through the real services.

On top of ``tests.reviews.helpers.ReviewTestCase`` (scenario GRID-PO-FC-001
of Demo Grid, alice's submission ``submission_a`` with a passed hidden run,
a draft testing round chaired by gina with ``entry_a`` and ``entry_b``):

* ``sample_run``: a succeeded validation run of ``submission_a``;
* ``solution``: alice's registration of ``submission_a`` (stage released).

``decide_testing`` scores entry_a by three reviewers and records the
chair's decision, so the testing → pilot gate has its review evidence.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from evaluations.models import Run
from lifecycle import services
from lifecycle.models import Solution
from reviews import decision_services
from reviews import services as review_services
from tests.evaluations.helpers import make_run
from tests.reviews.helpers import ReviewTestCase


class LifecycleTestCase(ReviewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sample_run = make_run(
            cls.submission_a,
            split=Run.Split.SAMPLE,
            status=Run.Status.SUCCEEDED,
            finished_at=timezone.now(),
            metrics={"mape": 3.5},
            passed=True,
        )
        cls.solution = services.solution_register(
            submission=cls.submission_a, user=cls.alice
        )

    def refresh(self) -> Solution:
        self.solution.refresh_from_db()
        return self.solution

    def put_in(self, stage: str) -> Solution:
        """Set the stage directly, for tests of a later gate only."""
        Solution.objects.filter(pk=self.solution.pk).update(stage=stage)
        return self.refresh()

    def to_testing(self) -> None:
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        services.solution_advance(
            solution=self.refresh(), user=self.alice, to_stage="testing"
        )
        self.refresh()

    def decide_testing(
        self, score: int = 3, *, outcome: str = "advance", **review: Any
    ) -> Any:
        self.open_round()
        for reviewer in (self.rita, self.ravi, self.rosa):
            assignment = self.assign(self.entry_a, reviewer)
            self.submit(assignment, score, **review)
        decision_services.comment_post(
            entry=self.entry_a, user=self.gina, body="Discussed in the panel."
        )
        review_services.round_close(review_round=self.round, user=self.gina)
        return decision_services.decision_record(
            entry=self.entry_a, user=self.gina, outcome=outcome, reasons="As scored."
        )
