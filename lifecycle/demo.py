"""Demo data for the lifecycle: the demo baselines registered as solutions.

Idempotent, like ``reviews.demo``: run after ``load_demo_reviews``. Each
demo baseline submission on a published scenario is registered by its
vendor and moved on as far as its real evidence passes the gates; a gate
that fails stops it, so nothing is fabricated. Run it again once the
validation and hidden runs have finished and the solutions move on.
Solutions on demo scenarios are flagged ``is_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluations.models import Submission
from lifecycle import selectors, services
from lifecycle.models import Solution, Transition
from portal.accounts.models import Organisation, User
from scenarios.models import Scenario


@dataclass
class DemoLifecycleReport:
    lines: list[str] = field(default_factory=list)


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


def _candidates(solution: Solution) -> list[User]:
    """Who would make the next move: the vendor, then the owner's writers."""
    people: list[User] = [solution.submission.submitted_by]
    people += list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=solution.scenario.owner,
            memberships__role__in=["owner", "admin"],
        ).order_by("pk")
    )
    return people


def _move_on(solution: Solution, report: DemoLifecycleReport) -> None:
    while solution.next_stage is not None and not solution.is_terminal:
        target = solution.next_stage
        actor = next(
            (
                u
                for u in _candidates(solution)
                if selectors.may_transition(
                    u, solution, Transition.Kind.ADVANCE, target
                )
            ),
            None,
        )
        if actor is None:
            return
        result = selectors.gate_check(solution, to_stage=target)
        if result is None or not result.passed:
            failed = ", ".join(c.code for c in result.failed) if result else "-"
            report.lines.append(
                f"{solution.name}: stays in {solution.stage} ({failed})"
            )
            return
        try:
            services.solution_advance(solution=solution, user=actor, to_stage=target)
        except (ValidationError, PermissionDenied) as exc:
            report.lines.append(f"{solution.name}: stays in {solution.stage} ({exc})")
            return
        solution.refresh_from_db()
        report.lines.append(f"{solution.name}: moved to {solution.stage}")


@transaction.atomic
def ensure_demo_lifecycle() -> DemoLifecycleReport:
    """Register the demo baselines and move them on where the gates pass."""
    report = DemoLifecycleReport()
    if _operator() is None:
        report.lines.append("no operator; no demo solutions")
        return report
    submissions = (
        Submission.objects.filter(
            suite_version__suite__is_demo=True,
            suite_version__suite__scenario__status=Scenario.Status.PUBLISHED,
        )
        .select_related("suite_version__suite__scenario", "submitted_by")
        .order_by("created_at", "pk")
    )
    for submission in submissions:
        solution = Solution.objects.filter(
            scenario=submission.suite_version.suite.scenario,
            organisation_id=submission.organisation_id,
            name=submission.name,
        ).first()
        if solution is None:
            try:
                solution = services.solution_register(
                    submission=submission, user=submission.submitted_by
                )
            except (ValidationError, PermissionDenied) as exc:
                report.lines.append(f"{submission.name}: not registered ({exc})")
                continue
            report.lines.append(
                f"{solution.scenario.code}: registered {solution.name!r} "
                f"for {submission.organisation.slug}"
            )
        _move_on(solution, report)
    return report
