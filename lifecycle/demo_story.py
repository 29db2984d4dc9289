"""The human steps of the demo lifecycle, for solutions whose runs passed.

``lifecycle.demo`` registers the demo solutions and moves them as far as
their evidence lets them. The gates beyond testing also need people: an
expert panel, a pilot at the owner's site, the owner's users answering the
SUS questionnaire, a measured business case. In the demo those people are
the fictional demo personas, and this module plays their part through the
same services a person would use, so every gate is still checked:

* the runs are real: nothing here runs, changes or skips a run, so only a
  solution that really met the hidden thresholds and its robustness probes
  gets a panel;
* the demo reviewers score every dimension at the top of the band the
  evidence allows (``reviews.evidence``), never above it;
* the pilot site, its field measurements, the SUS answers and the business
  case figures are fictional and labelled as demo content (``is_demo``,
  "演示" / "demo" in every title and note). The field measurements are
  drawn, with a fixed seed, within ±4 % of the sandbox value.

Every step is idempotent: it looks for what it would create first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from evaluations.models import Run, TaskKind
from lifecycle import case_services as lifecycle_case_services
from lifecycle import pilot_services, selectors, services
from lifecycle.models import Pilot, Solution, Stage
from portal.accounts.models import Membership, Organisation, ReviewerProfile, User
from reviews import case_services, decision_services
from reviews import services as review_services
from reviews.aggregation import DIMENSIONS
from reviews.models import RoundEntry, SusInvitation
from reviews.rubric import Stage as ReviewStage
from reviews.scorecard_selectors import entry_bands
from scenarios.demo import DEMO_PASSWORD

REVIEW_BODY = "expert-committee"
# Testing panel first, then a fresh panel for effectiveness (design §4).
TESTING_PANEL = ("reviewer_li", "reviewer_zhao", "reviewer_chen")
EFFECTIVENESS_PANEL = ("reviewer_sun", "reviewer_wu", "reviewer_zhang")
EXTRA_REVIEWER: dict[str, Any] = {
    "username": "reviewer_sun",
    "email": "sun.yue@experts.proving-ground.example.cn",
    "first_name": "悦",
    "last_name": "孙",
    "sectors": ["wind", "solar"],
    "task_types": ["anomaly_detection", "forecasting"],
    "bio_zh": "风电场运维与状态监测方向的高级工程师（演示）。",
    "bio_en": "Senior engineer in wind farm O&M and condition monitoring (demo).",
}
# The owner's engineers who use the solution in the pilot and answer SUS.
PILOT_USERS = 5
# Answers of the ten SUS statements (odd positive, even negative), one
# row per demo pilot user: means 77.5 in testing and 82.5 after the pilot.
SUS_TESTING = (
    (4, 2, 4, 2, 4, 2, 4, 2, 4, 2),
    (4, 2, 4, 1, 4, 2, 4, 2, 4, 2),
    (5, 2, 4, 2, 4, 2, 4, 2, 4, 2),
    (4, 2, 4, 2, 4, 1, 4, 2, 4, 2),
    (4, 1, 4, 2, 5, 2, 4, 2, 4, 2),
)
SUS_FIELD = (
    (5, 2, 4, 1, 4, 2, 5, 2, 4, 2),
    (4, 1, 5, 2, 4, 2, 4, 1, 4, 2),
    (5, 2, 4, 2, 5, 1, 4, 2, 4, 1),
    (4, 2, 5, 1, 4, 2, 5, 2, 4, 2),
    (4, 1, 4, 2, 5, 2, 4, 1, 5, 2),
)
PILOT_WEEKS = 12
DRIFT_TOLERANCE_PCT = 20.0


@dataclass(frozen=True)
class Cast:
    """The people of one demo solution's story."""

    operator: User
    vendor: User
    owner: User


def _line(report: list[str], solution: Solution, text: str) -> None:
    report.append(f"{solution.name}: {text}")


def ensure_extra_reviewer() -> None:
    row = EXTRA_REVIEWER
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
    organisation = Organisation.objects.filter(slug=REVIEW_BODY).first()
    if organisation is not None:
        Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            defaults={"role": Membership.Role.MEMBER},
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


def pilot_users(solution: Solution) -> list[User]:
    """The owner's demo engineers (created once per owner organisation)."""
    owner = solution.scenario.owner
    people: list[User] = []
    for n in range(1, PILOT_USERS + 1):
        username = f"{owner.slug.replace('-', '_')}_engineer_{n}"[:150]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"engineer{n}@{owner.slug}.example.cn",
                password=DEMO_PASSWORD,
                first_name=f"工程师{n}",
                last_name="（演示）",
                email_verified_at=timezone.now(),
                is_demo=True,
            )
        Membership.objects.get_or_create(
            user=user, organisation=owner, defaults={"role": Membership.Role.MEMBER}
        )
        people.append(user)
    return people


def _hidden_run(solution: Solution) -> Run | None:
    """The latest finished hidden run: the one the gates judge."""
    return selectors.latest_finished_run(solution.submission_id, Run.Split.HIDDEN)


def passed_everything(solution: Solution) -> bool:
    """The latest hidden run met every threshold, probes included."""
    run = _hidden_run(solution)
    return bool(run and run.passed)


def _scores(entry: RoundEntry, run: Run) -> dict[str, Any]:
    bands = entry_bands(entry)
    return {
        dimension: {
            "score": bands[dimension].high,
            "confidence": 2,
            "evidence": [f"run:{run.pk}"],
            "justification": "",
        }
        for dimension in DIMENSIONS
    }


def _panel(usernames: tuple[str, ...]) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [found[name] for name in usernames if name in found]


# The fictional benefits of the demo cases, by what the solution does: a
# detector finds faults earlier, a forecast cuts the grid's deviation
# penalties and the reserve bought against forecast error.
BENEFITS: dict[str, dict[str, str]] = {
    "detection": {
        "main": "Avoided lost production (demo)",
        "driver": "Faults found earlier × hours × MWh price (demo).",
        "second": "Fewer unplanned site visits (demo)",
        "method": (
            "演示：提前发现故障挽回的上网电量（虚构）。/ Demo: energy recovered "
            "by finding faults earlier (fictional)."
        ),
    },
    "forecasting": {
        "main": "Lower forecast-deviation penalties (demo)",
        "driver": "Accuracy gain × assessed MWh × penalty price (demo).",
        "second": "Less reserve bought against forecast error (demo)",
        "method": (
            "演示：预测更准减少的弃风和备用电量（虚构）。/ Demo: curtailment and "
            "reserve energy avoided by a more accurate forecast (fictional)."
        ),
    },
}


def _benefits(entry: RoundEntry) -> dict[str, str]:
    kind = entry.submission.suite_version.suite.task_kind
    return BENEFITS["forecasting" if kind == TaskKind.FORECASTING else "detection"]


def _business_case(entry: RoundEntry, user: User, *, measured: bool) -> None:
    """A fictional case: avoided losses and fewer costs, by the solution's kind."""
    basis = "measured" if measured else "projected"
    benefits = _benefits(entry)
    case_services.business_case_save(
        entry=entry,
        user=user,
        data={
            "basis": basis,
            "investment": Decimal(800_000),
            "horizon_years": 5,
            "discount_rate": Decimal("0.08"),
            "unit_label": "",
            "note": (
                "演示数据：虚构的风场数字。/ Demo data: fictional wind farm figures."
            ),
        },
        lines=[
            {
                "kind": "benefit",
                "name": benefits["main"],
                "amount": Decimal(520_000 if measured else 480_000),
                "driver": benefits["driver"],
            },
            {
                "kind": "benefit",
                "name": benefits["second"],
                "amount": Decimal(90_000),
            },
            {
                "kind": "cost",
                "name": "Licence and support (demo)",
                "amount": Decimal(120_000),
            },
        ],
    )


def _impact(entry: RoundEntry, user: User, *, measured: bool) -> None:
    case_services.impact_save(
        entry=entry,
        user=user,
        data={
            "basis": "measured" if measured else "projected",
            "energy_kind": "saved",
            "energy_mwh": Decimal(1_300 if measured else 1_200),
            "region": "national",
            "factor_year": 2023,
            "calls_per_year": 8_760,
            "pue": Decimal("1.3"),
            "method": _benefits(entry)["method"],
        },
        items=[],
    )


def _sus(entry: RoundEntry, owner: User, users: list[User], answers: Any) -> None:
    case_services.sus_invite(entry=entry, user=owner, respondents=users)
    invitations = {
        i.respondent_id: i for i in SusInvitation.objects.filter(entry=entry)
    }
    for person, row in zip(users, answers, strict=True):
        invitation = invitations.get(person.pk)
        if invitation is None or hasattr(invitation, "response"):
            continue
        case_services.sus_respond(invitation=invitation, user=person, answers=row)


def _review_round(
    solution: Solution,
    cast: Cast,
    *,
    stage: str,
    panel: tuple[str, ...],
    prepare: Any,
) -> str:
    """Create, fill, review, close and decide a one-entry demo round."""
    run = _hidden_run(solution)
    if run is None:
        return f"{stage} round not created: no hidden run"
    titles = {
        "testing": "试验验证评审（演示）/ Testing review (demo)",
        "effectiveness": "效果评价评审（演示）/ Effectiveness review (demo)",
    }
    review_round = review_services.round_create(
        scenario=solution.scenario,
        user=cast.operator,
        chair=cast.operator,
        data={
            "title": f"{titles[stage]} · {solution.name}"[:200],
            "stage": stage,
            "deadline": timezone.now() + timedelta(days=21),
            "reviewers_per_entry": 3,
            "reviewer_cap": 6,
            "blind": stage == "testing",
        },
    )
    (entry,) = review_services.round_entries_add(
        review_round=review_round, user=cast.operator, submissions=[solution.submission]
    )
    review_services.conflicts_detect(review_round=review_round, user=cast.operator)
    prepare(entry)
    assignments = []
    for reviewer in _panel(panel):
        try:
            assignments.append(
                review_services.assignment_create(
                    entry=entry, reviewer=reviewer, user=cast.operator
                )
            )
        except (ValidationError, PermissionDenied):
            continue
    review_services.round_open(review_round=review_round, user=cast.operator)
    for assignment in assignments:
        review_services.review_save(
            assignment=assignment,
            user=assignment.reviewer,
            scores=_scores(entry, run),
            comment="演示评审：按证据区间上限打分。/ Demo review: top of the evidence band.",
            submit=True,
        )
    decision_services.comment_post(
        entry=entry,
        user=cast.operator,
        body="演示讨论：评审意见一致。/ Demo discussion: the panel agrees.",
    )
    review_services.round_close(review_round=review_round, user=cast.operator)
    try:
        decision_services.decision_record(
            entry=entry,
            user=cast.operator,
            outcome="advance",
            reasons="演示决定：证据满足关口。/ Demo decision: the evidence meets the gate.",
        )
    except ValidationError as exc:
        decision_services.decision_record(
            entry=entry,
            user=cast.operator,
            outcome="revise",
            reasons=f"演示决定 / Demo decision: {' '.join(exc.messages)}"[:2000],
        )
        return f"{stage} round decided: revise"
    return f"{stage} round decided: advance"


def testing_review(solution: Solution, cast: Cast, report: list[str]) -> None:
    if selectors.round_entry(solution, ReviewStage.TESTING) is not None:
        return
    users = pilot_users(solution)

    def prepare(entry: RoundEntry) -> None:
        _business_case(entry, cast.vendor, measured=False)
        _impact(entry, cast.vendor, measured=False)
        # A structured test with the owner's engineers (design §2, D6 = 3).
        _sus(entry, cast.owner, users, SUS_TESTING)

    _line(
        report,
        solution,
        _review_round(
            solution,
            cast,
            stage=ReviewStage.TESTING,
            panel=TESTING_PANEL,
            prepare=prepare,
        ),
    )


def _field_values(sandbox: float, seed: str) -> list[float]:
    draw = random.Random(seed)  # noqa: S311 - demo values, not security
    return [sandbox * (1 + draw.uniform(-0.04, 0.04)) for _ in range(PILOT_WEEKS)]


def pilot(
    solution: Solution, cast: Cast, report: list[str], *, close: bool = True
) -> None:
    """A shadow-mode pilot with a KPI per hidden threshold; ``close=False``
    leaves it running with the weeks measured so far."""
    if solution.pilots.exists():
        return
    run = _hidden_run(solution)
    if run is None:
        return
    if close:
        ends = timezone.localdate() - timedelta(days=14)
        starts = ends - timedelta(weeks=PILOT_WEEKS)
    else:
        starts = timezone.localdate() - timedelta(weeks=PILOT_WEEKS // 2, days=3)
        ends = starts + timedelta(weeks=PILOT_WEEKS)
    record = services.pilot_create(
        solution=solution,
        user=cast.owner,
        site=f"{solution.scenario.owner.name_zh} 演示现场（虚构）/ demo site (fictional)",
        starts_on=starts,
        ends_on=ends,
        mode=Pilot.Mode.SHADOW,
    )
    services.pilot_start(pilot=record, user=cast.owner)
    for gate in run.gates or []:
        name = str(gate.get("metric", ""))
        if gate.get("probe") or not name or name not in run.metrics:
            continue
        if record.kpis.filter(name=name).exists():
            continue
        kpi = services.pilot_kpi_add(
            pilot=record,
            user=cast.owner,
            name=name,
            unit="",
            target=float(gate["value"]),
            comparator="<=" if gate.get("comparator") in ("<=", "<") else ">=",
            tolerance_pct=DRIFT_TOLERANCE_PCT,
        )
        values = _field_values(kpi.sandbox_value, f"{solution.pk}:{name}")
        if not close:
            values = values[: PILOT_WEEKS // 2]
        for week, value in enumerate(values):
            moment = datetime.combine(
                starts + timedelta(weeks=week, days=6),
                time(9),
                tzinfo=timezone.get_current_timezone(),
            )
            services.pilot_measurement_add(
                kpi=kpi, user=cast.owner, measured_at=moment, value=value
            )
    pilot_services.pilot_usage_record(
        pilot=record,
        user=cast.owner,
        period_start=starts,
        period_end=min(ends, timezone.localdate()),
        presented=240 if close else 110,
        accepted=201 if close else 90,
        overridden=17 if close else 9,
        source="演示：试点工单日志（虚构）/ Demo: pilot work-order log (fictional)",
    )
    if close:
        services.pilot_close(pilot=record, user=cast.owner)
    _line(report, solution, f"demo pilot recorded ({record.status}, {record.site})")


def effectiveness_review(solution: Solution, cast: Cast, report: list[str]) -> None:
    if selectors.round_entry(solution, ReviewStage.EFFECTIVENESS) is not None:
        return
    ensure_extra_reviewer()
    users = pilot_users(solution)

    def prepare(entry: RoundEntry) -> None:
        _business_case(entry, cast.owner, measured=True)
        _impact(entry, cast.owner, measured=True)
        _sus(entry, cast.owner, users, SUS_FIELD)
        case_services.pilot_counts_record(
            entry=entry,
            user=cast.owner,
            recommendations=240,
            accepted=201,
            overridden=17,
            source="演示：试点工单日志（虚构）/ Demo: pilot work-order log (fictional)",
        )

    _line(
        report,
        solution,
        _review_round(
            solution,
            cast,
            stage=ReviewStage.EFFECTIVENESS,
            panel=EFFECTIVENESS_PANEL,
            prepare=prepare,
        ),
    )


def benchmark_case(solution: Solution, cast: Cast, report: list[str]) -> None:
    """The vendor drafts the case (its consent), the owner publishes it."""
    if solution.stage != Stage.SCALE or hasattr(solution, "benchmark_case"):
        return
    name, owner = solution.name, solution.scenario.owner
    case = lifecycle_case_services.benchmark_case_save(
        solution=solution,
        user=cast.vendor,
        summary_zh=(
            f"演示案例（虚构）：{name}在{owner.name_zh}以影子模式试运行十二周，"
            "现场指标与沙箱测试一致，随后推广应用。"
        ),
        summary_en=(
            f"Demo case (fictional): {name} ran for twelve weeks in shadow mode "
            f"at {owner.name_en}; the field KPIs matched the sandbox tests and it "
            "was rolled out."
        ),
    )
    lifecycle_case_services.benchmark_case_publish(case=case, user=cast.owner)
    _line(report, solution, f"demo benchmark case published ({case.slug})")


STEPS = {
    Stage.TESTING: testing_review,
    Stage.PILOT: pilot,
    Stage.EFFECTIVENESS: effectiveness_review,
}
