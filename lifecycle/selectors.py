"""Reads of the lifecycle, scoped by who is asking.

Who sees what:

* a solution is seen by the members of its vendor organisation, the
  members of the scenario's owner organisation and operators; anybody
  else gets 404;
* who may move it is decided per action (``allowed_actions``): the
  vendor's writers register, start R&D, enter testing and withdraw; the
  owner's writers move testing → pilot and pilot → effectiveness and
  record pilots; the chair of the effectiveness round (or an operator)
  moves effectiveness → scale; the owner's writers, the chair of the
  solution's latest round and operators send back and reject. Operators
  may do everything, on their own account or for someone else.

``gate_evidence`` turns the database into the plain evidence dict of
``lifecycle.gates``; ``gate_check`` applies the scenario's thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluations.models import Run, Submission
from lifecycle import gates
from lifecycle.models import (
    GateConfig,
    Pilot,
    PilotIncident,
    PilotKpi,
    Rescore,
    Solution,
    Stage,
    Transition,
)
from portal.accounts.models import Organisation
from portal.accounts.selectors import AnyUser, is_operator, organisation_ids_of
from reviews.case_selectors import appraisal_of
from reviews.models import BusinessCase, CaseBasis, RoundEntry
from reviews.rubric import Stage as ReviewStage
from reviews.scorecard_selectors import round_scorecard
from reviews.selectors import round_table

CRITERION_LABELS: dict[str, str | Promise] = {
    "sample_run_succeeded": _("Validation run succeeded"),
    "hidden_run_exists": _("Hidden-test run exists"),
    "hidden_thresholds_met": _("Hidden-test thresholds met"),
    "testing_decision": _("Testing round decision"),
    "effectiveness_decision": _("Effectiveness round decision"),
    "D1": _("D1 technology maturity"),
    "D2": _("D2 scenario fit"),
    "D3": _("D3 economic benefit"),
    "D4": _("D4 social impact"),
    "D5": _("D5 safety and controllability"),
    "D6": _("D6 user evaluation"),
    "composite": _("Composite score"),
    "pilot_closed": _("Pilot closed"),
    "field_kpis_within_tolerance": _("Field KPIs within drift tolerance"),
    "critical_incidents": _("Critical incidents (at most)"),
    "measured_bcr": _("Measured benefit-cost ratio"),
}

# What closes each gap, for maturation plans written from a failed gate.
GAP_TESTS: dict[str, str | Promise] = {
    "sample_run_succeeded": _("Run the validation split until it succeeds."),
    "hidden_run_exists": _("Run the hidden test on the locked suite."),
    "hidden_thresholds_met": _(
        "Improve the solution until a hidden-test run meets every threshold."
    ),
    "testing_decision": _("Resubmit to a testing review round."),
    "effectiveness_decision": _("Resubmit to an effectiveness review round."),
    "D1": _("Show maturity evidence (TRL card, reproducible build)."),
    "D2": _("Show fit to the scenario's constraints and data."),
    "D3": _("Measure the economic benefit against the baseline."),
    "D4": _("Document the social impact and CO₂ avoided."),
    "D5": _("Pass the robustness probes; document fallback and override."),
    "D6": _("Collect SUS answers from the pilot's users."),
    "composite": _("Raise the weakest dimensions in the next review round."),
    "pilot_closed": _("Run the pilot for the agreed period and close it."),
    "field_kpis_within_tolerance": _(
        "Bring field KPIs within the drift tolerance; rerun the pilot."
    ),
    "critical_incidents": _("Find the root cause of each critical incident."),
    "measured_bcr": _("Record a measured business case with BCR ≥ 1."),
}


def criterion_label(code: str) -> str:
    return str(CRITERION_LABELS.get(code, code))


# --- roles ---------------------------------------------------------------------


def is_vendor_member(user: AnyUser, solution: Solution) -> bool:
    return solution.organisation_id in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )


def is_vendor_writer(user: AnyUser, solution: Solution) -> bool:
    return solution.organisation_id in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, write=True
    )


def is_owner_member(user: AnyUser, solution: Solution) -> bool:
    return solution.scenario.owner_id in organisation_ids_of(
        user, kind=Organisation.Kind.ENERGY, verified=False
    )


def is_owner_writer(user: AnyUser, solution: Solution) -> bool:
    return solution.scenario.owner_id in organisation_ids_of(
        user, kind=Organisation.Kind.ENERGY, verified=False, write=True
    )


def chairs_of(solution: Solution, stage: str | None = None) -> set[int]:
    entries = RoundEntry.objects.filter(
        submission_id=solution.submission_id, round__scenario_id=solution.scenario_id
    )
    if stage is not None:
        entries = entries.filter(round__stage=stage)
    return {c for c in entries.values_list("round__chair_id", flat=True) if c}


def may_transition(
    user: AnyUser, solution: Solution, kind: str, to_stage: str = ""
) -> bool:
    """Whether ``user`` may make a transition of ``kind`` into ``to_stage``."""
    if not user.is_authenticated:
        return False
    if is_operator(user):
        return True
    if kind in (Transition.Kind.WITHDRAW, Transition.Kind.REGRESSION):
        return is_vendor_writer(user, solution)
    if kind == Transition.Kind.ADVANCE:
        if to_stage in (Stage.RND, Stage.TESTING):
            return is_vendor_writer(user, solution)
        if to_stage in (Stage.PILOT, Stage.EFFECTIVENESS):
            return is_owner_writer(user, solution)
        if to_stage == Stage.SCALE:
            return user.pk in chairs_of(solution, ReviewStage.EFFECTIVENESS)
        return False
    if kind in (Transition.Kind.SEND_BACK, Transition.Kind.REJECT):
        return is_owner_writer(user, solution) or user.pk in chairs_of(solution)
    return False


def send_back_targets(solution: Solution) -> list[str]:
    """The earlier stages a solution may be sent back to."""
    if solution.stage not in gates.STAGES:
        return []
    index = gates.STAGES.index(solution.stage)
    return list(gates.STAGES[1:index])


def allowed_actions(user: AnyUser, solution: Solution) -> dict[str, bool]:
    """The actions to offer on the solution's page (gates aside)."""
    if solution.is_terminal:
        return dict.fromkeys(("advance", "send_back", "withdraw", "reject"), False)
    nxt = solution.next_stage
    return {
        "advance": bool(nxt)
        and may_transition(user, solution, Transition.Kind.ADVANCE, nxt or ""),
        "send_back": bool(send_back_targets(solution))
        and may_transition(user, solution, Transition.Kind.SEND_BACK),
        "withdraw": may_transition(user, solution, Transition.Kind.WITHDRAW),
        "reject": may_transition(user, solution, Transition.Kind.REJECT),
        "regression": may_transition(user, solution, Transition.Kind.REGRESSION),
    }


def can_set_rescore(user: AnyUser, solution: Solution) -> bool:
    return not solution.is_terminal and (
        is_operator(user) or is_vendor_writer(user, solution)
    )


@dataclass(frozen=True)
class RescoreRow:
    rescore: Rescore
    run: Run | None


def rescore_rows(solution: Solution) -> list[RescoreRow]:
    """The solution's re-scores, newest first, each with its latest hidden
    run (two queries whatever their number)."""
    rescores = list(
        Rescore.objects.filter(solution=solution).select_related(
            "suite_version", "submission"
        )
    )
    latest: dict[int, Run] = {}
    for run in Run.objects.filter(
        submission_id__in=[r.submission_id for r in rescores], split=Run.Split.HIDDEN
    ).order_by("submission_id", "-pk"):
        latest.setdefault(run.submission_id, run)
    return [RescoreRow(r, latest.get(r.submission_id)) for r in rescores]


def can_record_pilot(user: AnyUser, solution: Solution) -> bool:
    return is_operator(user) or is_owner_writer(user, solution)


# --- scoped fetches and lists ---------------------------------------------------


def solution_visibility_q(user: AnyUser) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_operator(user):
        return Q()
    vendors = organisation_ids_of(user, kind=Organisation.Kind.VENDOR, verified=False)
    owners = organisation_ids_of(user, kind=Organisation.Kind.ENERGY, verified=False)
    return Q(organisation_id__in=vendors) | Q(scenario__owner_id__in=owners)


def solution_list(user: AnyUser, *, stage: str | None = None) -> QuerySet[Solution]:
    """The solutions ``user`` may see, with what the list shows (one query)."""
    queryset = Solution.objects.filter(solution_visibility_q(user)).select_related(
        "scenario", "organisation", "submission", "field_submission"
    )
    if stage:
        queryset = queryset.filter(stage=stage)
    return queryset.order_by("scenario__code", "name", "pk")


def get_solution_for_user(user: AnyUser, pk: int) -> Solution:
    """Return the solution if ``user`` may see it (404 otherwise)."""
    solution = (
        Solution.objects.filter(solution_visibility_q(user))
        .select_related(
            "scenario__owner",
            "organisation",
            "submission__suite_version__suite",
            "field_submission__suite_version__suite",
            # The benchmark case panel reads it without another query.
            "benchmark_case",
        )
        .filter(pk=pk)
        .first()
    )
    if solution is None:
        raise Http404("No such solution.")
    return solution


def transition_list(solution: Solution) -> list[Transition]:
    return list(
        solution.transitions.select_related(
            "actor", "true_actor", "plan"
        ).prefetch_related("plan__gaps")
    )


def get_pilot_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Pilot:
    """Return the pilot if ``user`` may see it (404) and record it (403)."""
    pilot = (
        Pilot.objects.filter(pk=pk)
        .select_related("solution__scenario__owner", "solution__organisation")
        .first()
    )
    if pilot is None:
        raise Http404("No such pilot.")
    get_solution_for_user(user, pilot.solution_id)
    if write and not can_record_pilot(user, pilot.solution):
        raise PermissionDenied
    return pilot


def pilot_list(solution: Solution) -> list[Pilot]:
    return list(solution.pilots.all())


def incident_list(pilot: Pilot) -> list[PilotIncident]:
    return list(pilot.incidents.select_related("recorded_by"))


def registrable_submissions(user: AnyUser, *, write: bool = True) -> list[Submission]:
    """Submissions of the user's vendor organisations not yet registered.

    With ``write`` only those of organisations the user may write for.
    """
    vendors = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False, write=write
    )
    return list(
        Submission.objects.filter(organisation_id__in=vendors)
        .exclude(solutions_under_test__isnull=False)
        .exclude(solutions_in_field__isnull=False)
        .select_related("suite_version__suite__scenario")
        .order_by("-created_at", "-pk")[:50]
    )


# --- evidence ------------------------------------------------------------------------


def latest_finished_run(
    submission_id: int, split: str, run_id: int | None = None
) -> Run | None:
    """The latest finished (succeeded or failed) run of a split, or ``run_id``."""
    runs = Run.objects.filter(
        submission_id=submission_id,
        split=split,
        status__in=(Run.Status.SUCCEEDED, Run.Status.FAILED),
    )
    if run_id is not None:
        return runs.filter(pk=run_id).first()
    return runs.order_by("-finished_at", "-pk").first()


def _run_evidence(run: Run | None) -> gates.RunEvidence | None:
    if run is None:
        return None
    return {
        "id": run.pk,
        "succeeded": run.status == Run.Status.SUCCEEDED,
        "passed": run.passed,
        "failed_gates": [
            str(g.get("metric", "?")) for g in run.gates or [] if not g.get("passed")
        ],
    }


def round_entry(solution: Solution, stage: str) -> RoundEntry | None:
    return (
        RoundEntry.objects.filter(
            submission_id=solution.submission_id,
            round__scenario_id=solution.scenario_id,
            round__stage=stage,
        )
        .select_related("round", "decision")
        .order_by("-round__created_at", "-round__pk")
        .first()
    )


def _round_evidence(entry: RoundEntry | None) -> gates.RoundEvidence | None:
    if entry is None:
        return None
    review_round = entry.round
    # The whole round is calibrated together; no viewer is conflicted, so
    # only the reviews of conflicted reviewers are left out.
    result = round_scorecard(review_round, round_table(review_round, AnonymousUser()))
    card = result.card(entry)
    scores: dict[str, float | None] = dict.fromkeys(gates.DIMENSION_CODES)
    composite = None
    if card is not None:
        for name, item in card.dimensions.items():
            scores[name] = item.estimate
        composite = card.composite.value if card.composite else None
    decision = getattr(entry, "decision", None)
    return {
        "round": review_round.pk,
        "entry": entry.pk,
        "chair": review_round.chair_id,
        "decision": decision.outcome if decision else None,
        "decision_id": decision.pk if decision else None,
        "scores": scores,
        "composite": composite,
    }


def _pilot_evidence(solution: Solution) -> gates.PilotEvidence | None:
    pilot = solution.pilots.order_by(
        # A closed pilot counts before one still under way.
        "-closed_at",
        "-created_at",
        "-pk",
    ).first()
    if pilot is None:
        return None
    return {
        "id": pilot.pk,
        "status": pilot.status,
        "kpis": [{"name": c.name, "within": c.within} for c in pilot_comparison(pilot)],
        "critical_incidents": pilot.incidents.filter(
            severity=PilotIncident.Severity.CRITICAL
        ).count(),
    }


def _case_evidence(entry: RoundEntry | None) -> gates.CaseEvidence | None:
    if entry is None:
        return None
    case = (
        BusinessCase.objects.filter(entry=entry, basis=CaseBasis.MEASURED)
        .prefetch_related("lines")
        .order_by("-version")
        .first()
    )
    if case is None:
        return None
    return {"id": case.pk, "bcr": appraisal_of(case).bcr}


def gate_evidence(solution: Solution, *, run_id: int | None = None) -> gates.Evidence:
    """Everything the gates read about ``solution``, as a plain dict.

    ``run_id`` names the hidden run to judge; by default the latest
    finished hidden run of the version under test.
    """
    effectiveness = round_entry(solution, ReviewStage.EFFECTIVENESS)
    return {
        "sample_run": _run_evidence(
            latest_finished_run(solution.submission_id, Run.Split.SAMPLE)
        ),
        "hidden_run": _run_evidence(
            latest_finished_run(solution.submission_id, Run.Split.HIDDEN, run_id)
        ),
        "testing_round": _round_evidence(round_entry(solution, ReviewStage.TESTING)),
        "effectiveness_round": _round_evidence(effectiveness),
        "pilot": _pilot_evidence(solution),
        "measured_case": _case_evidence(effectiveness),
    }


def scenario_gate_config(scenario_id: int) -> dict[str, dict[str, float]]:
    """The scenario's validated gate configuration ({} for the defaults)."""
    row = GateConfig.objects.filter(scenario_id=scenario_id).first()
    return gates.validate_config(row.config) if row else {}


def gate_config(solution: Solution) -> dict[str, dict[str, float]]:
    return scenario_gate_config(solution.scenario_id)


@dataclass
class ThresholdRow:
    stage: str
    code: str
    label: str
    default: float
    value: float


def threshold_rows(scenario_id: int) -> list[ThresholdRow]:
    """Every configurable threshold with its default and current value."""
    config = scenario_gate_config(scenario_id)
    rows = []
    for stage, defaults in gates.DEFAULT_THRESHOLDS.items():
        current = gates.thresholds_for(stage, config)
        for name, default in defaults.items():
            code = gates.DIMENSION_CODES.get(name, name)
            if name == "bcr":
                code = "measured_bcr"
            rows.append(
                ThresholdRow(stage, name, criterion_label(code), default, current[name])
            )
    return rows


def gate_check(
    solution: Solution, *, to_stage: str | None = None, run_id: int | None = None
) -> gates.GateResult | None:
    """The gate into ``to_stage`` (default: the next stage), or None."""
    stage = to_stage or solution.next_stage
    if stage is None or stage not in gates.DEFAULT_THRESHOLDS:
        return None
    return gates.check_gate(
        stage, gate_evidence(solution, run_id=run_id), gate_config(solution)
    )


@dataclass
class CriterionRow:
    code: str
    label: str
    observed: Any
    threshold: Any
    passed: bool
    evidence: list[str]


def criterion_rows(result: gates.GateResult | None) -> list[CriterionRow]:
    if result is None:
        return []
    return [
        CriterionRow(
            c.code,
            criterion_label(c.code),
            c.observed,
            c.threshold,
            c.passed,
            list(c.evidence),
        )
        for c in result.criteria
    ]


# --- pilots --------------------------------------------------------------------------


@dataclass
class KpiComparison:
    kpi: PilotKpi
    count: int
    mean: float | None
    drift_pct: float | None
    within: bool | None
    target_met: bool | None

    @property
    def name(self) -> str:
        return self.kpi.name


def compare_kpi(
    *, mean: float | None, sandbox: float, tolerance_pct: float
) -> tuple[float | None, bool | None]:
    """Relative drift of the field mean from the sandbox value, in %.

    None without measurements. A sandbox value of 0 has no relative drift:
    the KPI is within tolerance only if the field mean is 0 too.
    """
    if mean is None:
        return None, None
    if sandbox == 0:
        return (0.0, True) if mean == 0 else (None, False)
    drift = (mean - sandbox) / abs(sandbox) * 100
    return round(drift, 4), abs(drift) <= tolerance_pct


def pilot_comparison(pilot: Pilot) -> list[KpiComparison]:
    """Field versus sandbox for each KPI of ``pilot`` (one query)."""
    rows = []
    for kpi in pilot.kpis.annotate(
        field_mean=Avg("measurements__value"), field_count=Count("measurements")
    ).order_by("name"):
        mean = kpi.field_mean
        drift, within = compare_kpi(
            mean=mean, sandbox=kpi.sandbox_value, tolerance_pct=kpi.tolerance_pct
        )
        target_met = None
        if mean is not None:
            target_met = (
                mean <= kpi.target
                if kpi.comparator == PilotKpi.Comparator.AT_MOST
                else mean >= kpi.target
            )
        rows.append(
            KpiComparison(kpi, kpi.field_count, mean, drift, within, target_met)
        )
    return rows


def sandbox_metric(solution: Solution, name: str) -> tuple[float, str] | None:
    """The latest succeeded hidden run's metric ``name``, with its reference."""
    run = (
        Run.objects.filter(
            submission_id=solution.submission_id,
            split=Run.Split.HIDDEN,
            status=Run.Status.SUCCEEDED,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is None:
        return None
    value = (run.metrics or {}).get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value), f"run:{run.pk}"


# --- iteration ----------------------------------------------------------------------


@dataclass
class VersionColumn:
    submission: Submission
    run: Run | None


@dataclass
class VersionComparison:
    columns: list[VersionColumn]
    metrics: list[tuple[str, list[Any]]]
    same_suite_version: bool


def version_comparison(solution: Solution) -> VersionComparison | None:
    """Hidden-run metrics of the version under test and the one in the field."""
    if solution.field_submission_id is None:
        return None
    submissions: Sequence[Submission] = [
        solution.field_submission,  # type: ignore[list-item]
        solution.submission,
    ]
    columns = [
        VersionColumn(s, latest_finished_run(s.pk, Run.Split.HIDDEN))
        for s in submissions
    ]
    names = sorted(
        {m for c in columns if c.run is not None for m in (c.run.metrics or {})}
    )
    metrics = [
        (name, [(c.run.metrics or {}).get(name) if c.run else None for c in columns])
        for name in names
    ]
    return VersionComparison(
        columns,
        metrics,
        submissions[0].suite_version_id == submissions[1].suite_version_id,
    )
