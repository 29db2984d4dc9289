"""Demo data for the lifecycle: the demo baselines registered as solutions.

Idempotent, like ``reviews.demo``: run after ``load_demo_reviews``. Each
demo baseline submission on a published scenario is registered by its
vendor and moved on as far as its real evidence passes the gates; a gate
that fails stops it. ``run_pending_demo_runs`` first evaluates the demo
runs still queued, with the service the worker uses, so that the runs'
real results decide. Solutions on demo scenarios are flagged ``is_demo``.

So that the demo shows every stage:

* of the solutions whose hidden run failed a threshold, the last
  registered stays where its vendor registered it (released) and the one
  before stops in R&D; the others go as far as the gates allow (testing);
* the solutions whose hidden run met every threshold and probe are taken
  on by the demo personas (``lifecycle.demo_story``): the first to scale
  rollout, the second to effectiveness evaluation, the third into a pilot
  still under way. Without such a solution the demo ends in testing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluations.models import Run, Submission
from lifecycle import demo_story, selectors, services
from lifecycle.gates import STAGES
from lifecycle.models import Solution, Stage, Transition
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
    # The operator chairs the demo panels; the scale gate is the chair's.
    operator = _operator()
    if operator is not None:
        people.append(operator)
    return people


def _move_on(
    solution: Solution, report: DemoLifecycleReport, *, until: str = Stage.SCALE
) -> None:
    while (
        solution.next_stage is not None
        and not solution.is_terminal
        and STAGES.index(solution.stage) < STAGES.index(until)
    ):
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


def run_pending_demo_runs(report: DemoLifecycleReport) -> None:
    """Evaluate the queued runs of demo suites here and now.

    ``run_execute`` claims each run as a worker would, so a worker running
    at the same time never evaluates one twice. A validation run that
    succeeds queues the hidden run, hence the second pass.
    """
    from evaluations.services import run_execute

    for _ in range(3):
        queued = list(
            Run.objects.filter(
                submission__suite_version__suite__is_demo=True,
                status=Run.Status.QUEUED,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not queued:
            return
        for pk in queued:
            run_execute(run_id=pk)
            run = Run.objects.get(pk=pk)
            report.lines.append(
                f"run {pk} ({run.split}) of {run.submission.name!r}: {run.status}"
            )


def _owner_writer(solution: Solution) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=solution.scenario.owner,
            memberships__role__in=["owner", "admin"],
        )
        .order_by("pk")
        .first()
    )


def _story(
    solution: Solution, target: str, operator: User, report: DemoLifecycleReport
) -> None:
    """Take a solution whose runs passed to ``target`` with the demo people."""
    owner = _owner_writer(solution)
    if owner is None:
        report.lines.append(f"{solution.name}: the owner has no writer")
        return
    cast = demo_story.Cast(
        operator=operator, vendor=solution.submission.submitted_by, owner=owner
    )
    while True:
        _move_on(solution, report, until=target)
        if solution.stage == target or solution.is_terminal:
            break
        step = demo_story.STEPS.get(Stage(solution.stage))
        if step is None:
            break
        stage = solution.stage
        step(solution, cast, report.lines)
        _move_on(solution, report, until=target)
        if solution.stage == stage:
            break
    if solution.stage == Stage.PILOT and not solution.pilots.exists():
        demo_story.pilot(solution, cast, report.lines, close=False)
    if solution.stage == Stage.SCALE:
        demo_story.benchmark_case(solution, cast, report.lines)


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
    operator = _operator()
    if operator is None:  # checked above; for the type checker
        return report
    solutions: list[Solution] = []
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
        solutions.append(solution)
    passing = [s for s in solutions if demo_story.passed_everything(s)]
    others = [s for s in solutions if s not in passing]
    limits = {}
    if len(others) >= 2:
        limits[others[-1].pk] = Stage.RELEASED
        limits[others[-2].pk] = Stage.RND
    for solution in others:
        _move_on(solution, report, until=limits.get(solution.pk, Stage.SCALE))
    targets = (Stage.SCALE, Stage.EFFECTIVENESS, Stage.PILOT)
    for solution, target in zip(passing, targets, strict=False):
        _story(solution, target, operator, report)
    for solution in passing[len(targets) :]:
        _move_on(solution, report, until=Stage.TESTING)
    return report
