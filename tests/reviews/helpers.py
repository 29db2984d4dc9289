"""A review round on Demo Grid's scenario, built through the real services.

Extra personas for the review tests (on top of tests/base.py):

* rita   – (from base) grid and forecasting expert, no conflicts
* ravi   – forecasting expert in the Expert Committee
* rosa   – grid expert in the Expert Committee
* connor – grid expert who declared an affiliation with Vendor A, so he is
  conflicted with alice's entry (detected) but not with charlie's
* hugo   – a hydro expert: no match with the grid forecasting scenario

Entries: ``entry_a`` is alice's submission (Vendor A, file
``secret-vendor-a.zip``), ``entry_b`` charlie's (Vendor B).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from evaluations.models import Run
from portal.accounts.models import Membership, ReviewerProfile, User
from reviews import services
from reviews.models import Assignment, ReviewRound, RoundEntry
from reviews.rubric import DIMENSIONS
from tests.base import PortalTestCase, make_user
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_scenario


def make_reviewer(
    username: str,
    org: Any,
    *,
    sectors: list[str],
    task_types: list[str],
    **profile: Any,
) -> User:
    user = make_user(username, org, role=Membership.Role.MEMBER)
    ReviewerProfile.objects.create(
        user=user, sectors=sectors, task_types=task_types, **profile
    )
    return user


# Most scores in these tests lie outside the evidence bands (no business
# case, no pilot): submitting them needs a justification.
JUSTIFIED = "Weighed against the design documents the vendor supplied."


def full_scores(
    score: int = 3,
    *,
    evidence: list[str] | None = None,
    justification: str = JUSTIFIED,
) -> dict[str, Any]:
    return {
        d: {
            "score": score,
            "confidence": 2,
            "evidence": evidence if evidence is not None else [],
            "justification": justification,
        }
        for d in DIMENSIONS
    }


class ReviewTestCase(PortalTestCase):
    """A draft round with two entries; open it with ``open_round``."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ravi = make_reviewer(
            "ravi", cls.review_body, sectors=["solar"], task_types=["forecasting"]
        )
        cls.rosa = make_reviewer(
            "rosa", cls.review_body, sectors=["grid"], task_types=[]
        )
        cls.connor = make_reviewer(
            "connor",
            cls.review_body,
            sectors=["grid"],
            task_types=["forecasting"],
            affiliations=["Vendor A"],
        )
        cls.hugo = make_reviewer(
            "hugo", cls.review_body, sectors=["hydro"], task_types=["vision_inspection"]
        )
        cls.scenario = make_scenario(
            cls.gina, cls.grid, "GRID-PO-FC-001", operator=cls.olivia
        )
        cls.other_scenario = make_scenario(
            cls.otto, cls.other_energy, "OTHER-PO-FC-002", operator=cls.olivia
        )
        cls.version = make_suite_version(cls.scenario)
        cls.submission_a = make_submission(cls.version, cls.vendor_a, cls.alice)
        cls.submission_a.file_name = "secret-vendor-a.zip"
        cls.submission_a.name = "alice-special-model"
        cls.submission_a.save(update_fields=["file_name", "name"])
        cls.submission_b = make_submission(cls.version, cls.vendor_b, cls.charlie)
        cls.hidden_run = make_run(
            cls.submission_a,
            split=Run.Split.HIDDEN,
            status=Run.Status.SUCCEEDED,
            finished_at=timezone.now(),
            metrics={"mape": 3.21, "mae": 12.5},
            gates=[
                {"metric": "mape", "comparator": "<=", "value": 5.0, "passed": True}
            ],
            resources={"wall_seconds": 2.5, "energy_wh": 0.42},
            passed=True,
        )
        cls.round = services.round_create(
            scenario=cls.scenario,
            user=cls.gina,
            data={
                "title": "Testing round 1",
                "stage": "testing",
                "deadline": timezone.now() + timedelta(days=14),
                "reviewers_per_entry": 2,
                "reviewer_cap": 5,
                "blind": True,
            },
        )
        cls.entry_a, cls.entry_b = services.round_entries_add(
            review_round=cls.round,
            user=cls.gina,
            submissions=[cls.submission_a, cls.submission_b],
        )

    def open_round(self) -> ReviewRound:
        return services.round_open(review_round=self.round, user=self.gina)

    def assign(self, entry: RoundEntry, reviewer: User) -> Assignment:
        return services.assignment_create(
            entry=entry, reviewer=reviewer, user=self.gina
        )

    def submit(self, assignment: Assignment, score: int = 3, **kwargs: Any) -> Any:
        return services.review_save(
            assignment=assignment,
            user=assignment.reviewer,
            scores=full_scores(score, **kwargs),
            submit=True,
        )
