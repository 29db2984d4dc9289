"""Demo data for expert review: two more reviewers and one open round.

Idempotent, like ``scenarios.demo``: run after ``load_demo`` and
``load_demo_suites`` (which submit the baseline solutions the round
reviews). Everything is fictional and flagged ``is_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from evaluations.models import Submission
from portal.accounts.models import Membership, Organisation, ReviewerProfile, User
from reviews import services
from reviews.models import ReviewRound
from scenarios.demo import DEMO_PASSWORD
from scenarios.models import Scenario

DEMO_SCENARIO = "GRID-PO-FC-001"
DEMO_ROUND_TITLE = "试验验证评审（演示）/ Testing review (demo)"
REVIEW_BODY = "expert-committee"
REVIEWERS = [
    {
        "username": "reviewer_chen",
        "email": "chen.jing@experts.proving-ground.example.cn",
        "first_name": "静",
        "last_name": "陈",
        "sectors": ["grid", "solar"],
        "task_types": ["forecasting"],
        "bio_zh": "负荷预测与需求响应方向的高级工程师（演示）。",
        "bio_en": "Senior engineer in load forecasting and demand response (demo).",
    },
    {
        "username": "reviewer_zhao",
        "email": "zhao.lei@experts.proving-ground.example.cn",
        "first_name": "磊",
        "last_name": "赵",
        "sectors": ["grid", "wind"],
        "task_types": ["forecasting", "anomaly_detection"],
        "bio_zh": "调度自动化与预测考核方向的研究员（演示）。",
        "bio_en": "Researcher in dispatch automation and forecast assessment (demo).",
    },
]


@dataclass
class DemoReviewReport:
    lines: list[str] = field(default_factory=list)


def _ensure_reviewers(report: DemoReviewReport) -> None:
    body = Organisation.objects.filter(slug=REVIEW_BODY).first()
    for row in REVIEWERS:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User.objects.create_user(
                username=row["username"],
                email=row["email"],
                password=DEMO_PASSWORD,
                first_name=row["first_name"],
                last_name=row["last_name"],
                email_verified_at=timezone.now(),
                is_demo=True,
            )
            report.lines.append(f"reviewer {user.username} created")
        if body is not None:
            Membership.objects.get_or_create(
                user=user, organisation=body, defaults={"role": Membership.Role.MEMBER}
            )
        ReviewerProfile.objects.get_or_create(
            user=user,
            defaults={
                "sectors": row["sectors"],
                "task_types": row["task_types"],
                "bio_zh": row["bio_zh"],
                "bio_en": row["bio_en"],
            },
        )


def _operator() -> User | None:
    return (
        User.objects.filter(
            memberships__organisation__kind=Organisation.Kind.OPERATOR,
            memberships__organisation__verified_at__isnull=False,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def ensure_demo_reviews() -> DemoReviewReport:
    """Ensure the demo reviewers and an open round on the demo scenario.

    1. Two more grid-forecasting reviewers, so that automatic assignment
       has a pool to balance and an anchor entry to share.
    2. Unless it exists, a blind testing round on ``DEMO_SCENARIO`` chaired
       by the operator, with the latest submission of each vendor as an
       entry; conflicts detected, reviewers assigned automatically, opened.
    """
    report = DemoReviewReport()
    _ensure_reviewers(report)
    scenario = Scenario.objects.filter(code=DEMO_SCENARIO).first()
    operator = _operator()
    if scenario is None or operator is None:
        report.lines.append(f"{DEMO_SCENARIO} or an operator is missing; no round")
        return report
    if ReviewRound.objects.filter(scenario=scenario, title=DEMO_ROUND_TITLE).exists():
        report.lines.append("demo review round already present")
        return report
    latest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(
        suite_version__suite__scenario=scenario
    ).order_by("-created_at", "-pk"):
        latest.setdefault(submission.organisation_id, submission)
    if not latest:
        report.lines.append(f"{DEMO_SCENARIO} has no submission yet; no round")
        return report
    review_round = services.round_create(
        scenario=scenario,
        user=operator,
        chair=operator,
        data={
            "title": DEMO_ROUND_TITLE,
            "stage": "testing",
            "deadline": timezone.now() + timedelta(days=30),
            "reviewers_per_entry": 2,
            "reviewer_cap": 6,
            "blind": True,
        },
    )
    services.round_entries_add(
        review_round=review_round, user=operator, submissions=list(latest.values())
    )
    services.conflicts_detect(review_round=review_round, user=operator)
    assignment_report = services.assignments_auto(
        review_round=review_round, user=operator
    )
    services.round_open(review_round=review_round, user=operator)
    report.lines.append(
        f"demo review round opened on {DEMO_SCENARIO}: {len(latest)} entries, "
        f"{len(assignment_report.created)} assignments"
    )
    return report
