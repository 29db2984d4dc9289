"""Writes of the lifecycle: registering, moving solutions, recording pilots.

Every transition:

1. locks the solution row and checks it is still in the expected stage;
2. checks the user's role (``selectors.may_transition``; 403 otherwise);
3. checks the gate into the target stage (advances only) and refuses with
   a message naming every failed criterion, observed value and threshold;
4. writes a ``Transition`` row and, when sending back, a maturation plan;
5. appends ``lifecycle.transition`` to the ledger, last.

An operator may act for someone else (``on_behalf_of``): the transition and
the ledger entry name that person as actor and the operator as true actor.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from evaluations.models import Submission
from lifecycle import gates, notification_services, selectors
from lifecycle.models import (
    GateConfig,
    MaturationGap,
    MaturationPlan,
    Pilot,
    PilotIncident,
    PilotKpi,
    PilotMeasurement,
    Solution,
    Stage,
    Transition,
)
from portal.accounts.models import Organisation, User
from portal.accounts.selectors import AnyUser, is_operator, organisation_ids_of
from portal.ledger.services import ledger_append
from scenarios.models import Scenario

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 20000
CSV_HEADER = ["kpi", "timestamp", "value"]


def _now() -> datetime:
    """Return the current time. Used for mocking in tests."""
    return timezone.now()


def _user(user: AnyUser) -> User:
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _actors(user: AnyUser, on_behalf_of: User | None) -> tuple[User, User | None]:
    """(actor, true actor): only operators may act for someone else."""
    person = _user(user)
    if on_behalf_of is None or on_behalf_of.pk == person.pk:
        return person, None
    if not is_operator(person):
        raise PermissionDenied
    return on_behalf_of, person


def _locked(solution: Solution) -> Solution:
    return (
        Solution.objects.select_for_update()
        .select_related("scenario", "organisation")
        .get(pk=solution.pk)
    )


def gate_refusal(result: gates.GateResult) -> str:
    """One sentence naming each failed criterion, observed and threshold."""
    parts = []
    for c in result.failed:
        observed = _("missing") if c.observed is None else c.observed
        parts.append(
            _("%(criterion)s: observed %(observed)s, needs %(threshold)s")
            % {
                "criterion": selectors.criterion_label(c.code),
                "observed": observed,
                "threshold": c.threshold,
            }
        )
    return _("The gate into %(stage)s is not met. %(failed)s.") % {
        "stage": Stage(result.stage).label,
        "failed": "; ".join(parts),
    }


def _record(
    *,
    solution: Solution,
    kind: str,
    from_stage: str,
    to_stage: str,
    actor: User,
    true_actor: User | None,
    gate: gates.GateResult | None = None,
    reasons: str = "",
    extra_evidence: Iterable[str] = (),
) -> Transition:
    evidence = list(dict.fromkeys([*(gate.evidence if gate else []), *extra_evidence]))
    now = _now()
    row = Transition(
        solution=solution,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        true_actor=true_actor,
        gate=gate.as_dict() if gate else {},
        evidence=evidence,
        reasons=reasons,
        created_at=now,
    )
    row.full_clean()
    row.save()
    if from_stage != to_stage:
        solution.stage = to_stage
    solution.updated_at = now
    solution.save(
        update_fields=["stage", "submission", "field_submission", "updated_at"]
    )
    entry = ledger_append(
        kind="lifecycle.transition",
        actor=actor,
        true_actor=true_actor,
        subject=f"solution:{solution.pk}",
        organisation=solution.organisation,
        payload={
            "transition": row.pk,
            "kind": kind,
            "from": from_stage,
            "to": to_stage,
            "scenario": solution.scenario.code,
            "submission": solution.submission_id,
            "field_submission": solution.field_submission_id,
            "gate": row.gate,
            "reasons": reasons,
        },
        evidence=[f"transition:{row.pk}", *evidence],
    )
    row.ledger_sequence = entry.sequence
    row.save(update_fields=["ledger_sequence"])
    notification_services.transition_notify(transition=row)
    return row


# --- registering -------------------------------------------------------------------


@transaction.atomic
def solution_register(
    *, submission: Submission, user: AnyUser, name: str = ""
) -> Solution:
    """Register a vendor's submission as a solution in the released stage.

    For the vendor's writers (or an operator); the scenario must be
    published. The submission becomes the version under test.
    """
    person = _user(user)
    scenario = submission.suite_version.suite.scenario
    writer = submission.organisation_id in organisation_ids_of(
        person, kind=Organisation.Kind.VENDOR, write=True
    )
    if not (writer or is_operator(person)):
        raise PermissionDenied
    if scenario.status != Scenario.Status.PUBLISHED:
        raise ValidationError(_("Only a published scenario takes solutions."))
    if Solution.objects.filter(submission=submission).exists():
        raise ValidationError(_("This submission is already registered."))
    now = _now()
    solution = Solution(
        scenario=scenario,
        organisation=submission.organisation,
        name=(name or submission.name).strip(),
        stage=Stage.RELEASED,
        submission=submission,
        is_demo=scenario.is_demo,
        created_at=now,
        updated_at=now,
    )
    solution.full_clean()
    solution.save()
    _record(
        solution=solution,
        kind=Transition.Kind.REGISTER,
        from_stage="",
        to_stage=Stage.RELEASED,
        actor=person,
        true_actor=None,
        extra_evidence=[f"submission:{submission.pk}"],
    )
    return solution


# --- transitions ----------------------------------------------------------------------


class GateRefused(ValidationError):
    """A transition refused by its gate (not by the actor's role)."""

    def __init__(self, result: gates.GateResult, actor: User) -> None:
        super().__init__(gate_refusal(result))
        self.result = result
        self.actor = actor


def solution_advance(
    *,
    solution: Solution,
    user: AnyUser,
    to_stage: str,
    run_id: int | None = None,
    reasons: str = "",
    on_behalf_of: User | None = None,
) -> Transition:
    """Move ``solution`` to the next stage if its gate passes.

    ``run_id`` names the hidden run the thresholds are judged on (default:
    the latest finished hidden run of the version under test). A refusal
    by the gate rolls the move back; it is then kept and notified in a
    transaction of its own (``notification_services.gate_refusal_record``)
    and raised again.
    """
    try:
        return _advance(
            solution=solution,
            user=user,
            to_stage=to_stage,
            run_id=run_id,
            reasons=reasons,
            on_behalf_of=on_behalf_of,
        )
    except GateRefused as exc:
        notification_services.gate_refusal_record(
            solution_id=solution.pk,
            actor_id=exc.actor.pk,
            result=exc.result,
            message=str(exc.message),
        )
        raise


@transaction.atomic
def _advance(
    *,
    solution: Solution,
    user: AnyUser,
    to_stage: str,
    run_id: int | None,
    reasons: str,
    on_behalf_of: User | None,
) -> Transition:
    actor, true_actor = _actors(user, on_behalf_of)
    solution = _locked(solution)
    if solution.next_stage != to_stage:
        raise ValidationError(
            _("A solution in %(stage)s cannot advance to %(target)s.")
            % {
                "stage": solution.get_stage_display(),
                "target": to_stage,
            }
        )
    if not selectors.may_transition(actor, solution, Transition.Kind.ADVANCE, to_stage):
        raise PermissionDenied(_("Your role may not make this move."))
    result = selectors.gate_check(solution, to_stage=to_stage, run_id=run_id)
    if result is None:  # pragma: no cover - every next stage has a gate
        raise ValidationError(_("This stage has no gate."))
    if not result.passed:
        raise GateRefused(result, actor)
    if to_stage == Stage.PILOT:
        # The version that passed testing goes to the field; the one it
        # replaces stays on record in the regression transition.
        solution.field_submission = None
    return _record(
        solution=solution,
        kind=Transition.Kind.ADVANCE,
        from_stage=solution.stage,
        to_stage=to_stage,
        actor=actor,
        true_actor=true_actor,
        gate=result,
        reasons=reasons.strip(),
    )


def _default_gaps(solution: Solution) -> list[dict[str, str]]:
    result = selectors.gate_check(solution)
    if result is None:
        return []
    return [
        {
            "criterion": c.code,
            "gap": _("%(criterion)s: observed %(observed)s, needs %(threshold)s")
            % {
                "criterion": selectors.criterion_label(c.code),
                "observed": _("missing") if c.observed is None else c.observed,
                "threshold": c.threshold,
            },
            "tests": str(selectors.GAP_TESTS.get(c.code, "")),
        }
        for c in result.failed
    ]


@transaction.atomic
def solution_send_back(
    *,
    solution: Solution,
    user: AnyUser,
    to_stage: str,
    reasons: str,
    gaps: list[Mapping[str, str]] | None = None,
    on_behalf_of: User | None = None,
) -> Transition:
    """Send ``solution`` back to an earlier stage with a maturation plan.

    Without ``gaps`` the plan lists the failed criteria of the gate into
    the next stage, each with the tests that would close it.
    """
    actor, true_actor = _actors(user, on_behalf_of)
    solution = _locked(solution)
    if to_stage not in selectors.send_back_targets(solution):
        raise ValidationError(
            _("A solution in %(stage)s cannot be sent back to %(target)s.")
            % {"stage": solution.get_stage_display(), "target": to_stage}
        )
    if not selectors.may_transition(actor, solution, Transition.Kind.SEND_BACK):
        raise PermissionDenied(_("Your role may not make this move."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Say why the solution is sent back.")})
    rows = [dict(g) for g in gaps] if gaps else _default_gaps(solution)
    rows = [g for g in rows if str(g.get("gap", "")).strip()]
    if not rows:
        raise ValidationError({"gaps": _("List at least one gap to close.")})
    from_stage = solution.stage
    row = _record(
        solution=solution,
        kind=Transition.Kind.SEND_BACK,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=actor,
        true_actor=true_actor,
        # The gate the solution did not pass (none beyond scale).
        gate=selectors.gate_check(solution),
        reasons=reasons.strip(),
    )
    plan = MaturationPlan.objects.create(transition=row, created_at=row.created_at)
    for position, gap in enumerate(rows, start=1):
        item = MaturationGap(
            plan=plan,
            position=position,
            criterion=str(gap.get("criterion", ""))[:60],
            gap=str(gap["gap"]).strip(),
            tests=str(gap.get("tests", "")).strip() or "—",
        )
        item.full_clean()
        item.save()
    return row


def _end(
    *,
    solution: Solution,
    user: AnyUser,
    kind: str,
    to_stage: str,
    reasons: str,
    on_behalf_of: User | None,
) -> Transition:
    actor, true_actor = _actors(user, on_behalf_of)
    solution = _locked(solution)
    if solution.is_terminal:
        raise ValidationError(_("The solution has already left the lifecycle."))
    if not selectors.may_transition(actor, solution, kind):
        raise PermissionDenied(_("Your role may not make this move."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons.")})
    return _record(
        solution=solution,
        kind=kind,
        from_stage=solution.stage,
        to_stage=to_stage,
        actor=actor,
        true_actor=true_actor,
        reasons=reasons.strip(),
    )


@transaction.atomic
def solution_withdraw(
    *, solution: Solution, user: AnyUser, reasons: str, on_behalf_of: User | None = None
) -> Transition:
    """The vendor withdraws the solution (final)."""
    return _end(
        solution=solution,
        user=user,
        kind=Transition.Kind.WITHDRAW,
        to_stage=Stage.WITHDRAWN,
        reasons=reasons,
        on_behalf_of=on_behalf_of,
    )


@transaction.atomic
def solution_reject(
    *, solution: Solution, user: AnyUser, reasons: str, on_behalf_of: User | None = None
) -> Transition:
    """The owner, a chair of its rounds or an operator rejects it (final)."""
    return _end(
        solution=solution,
        user=user,
        kind=Transition.Kind.REJECT,
        to_stage=Stage.REJECTED,
        reasons=reasons,
        on_behalf_of=on_behalf_of,
    )


@transaction.atomic
def solution_version_register(
    *, solution: Solution, submission: Submission, user: AnyUser
) -> Transition:
    """Make ``submission`` the version under test of ``solution``.

    A solution in the field (pilot, effectiveness, scale) keeps its current
    version as the version in the field and re-enters testing as a
    regression; earlier stages just test the new version.
    """
    actor = _user(user)
    solution = _locked(solution)
    if solution.is_terminal:
        raise ValidationError(_("The solution has already left the lifecycle."))
    if not selectors.may_transition(actor, solution, Transition.Kind.REGRESSION):
        raise PermissionDenied(_("Your role may not make this move."))
    if (
        submission.organisation_id != solution.organisation_id
        or submission.suite_version.suite.scenario_id != solution.scenario_id
    ):
        raise ValidationError(
            _("The new version must be your organisation's, for the same scenario.")
        )
    if submission.pk == solution.submission_id:
        raise ValidationError(_("This version is already under test."))
    in_field = solution.stage in (Stage.PILOT, Stage.EFFECTIVENESS, Stage.SCALE)
    if in_field:
        solution.field_submission_id = solution.submission_id
    previous = solution.submission_id
    solution.submission = submission
    from_stage = solution.stage
    return _record(
        solution=solution,
        kind=Transition.Kind.REGRESSION,
        from_stage=from_stage,
        to_stage=Stage.TESTING if in_field else from_stage,
        actor=actor,
        true_actor=None,
        extra_evidence=[f"submission:{previous}", f"submission:{submission.pk}"],
    )


@transaction.atomic
def gate_config_save(
    *, scenario: Scenario, user: AnyUser, config: Mapping[str, Any]
) -> GateConfig:
    """Set a scenario's gate thresholds (owner's writers and operators)."""
    person = _user(user)
    writer = scenario.owner_id in organisation_ids_of(
        person, kind=Organisation.Kind.ENERGY, verified=False, write=True
    )
    if not (writer or is_operator(person)):
        raise PermissionDenied
    row, _created = GateConfig.objects.get_or_create(scenario=scenario)
    row.config = dict(config)
    row.updated_at = _now()
    row.full_clean()
    row.save(update_fields=["config", "updated_at"])
    ledger_append(
        kind="lifecycle.gate_config",
        actor=person,
        subject=f"scenario:{scenario.code}",
        organisation=scenario.owner,
        payload={"config": row.config},
    )
    return row


# --- pilots -----------------------------------------------------------------------------


def _check_pilot_writer(user: AnyUser, solution: Solution) -> User:
    person = _user(user)
    if not selectors.can_record_pilot(person, solution):
        raise PermissionDenied
    return person


@transaction.atomic
def pilot_create(
    *,
    solution: Solution,
    user: AnyUser,
    site: str,
    starts_on: date,
    ends_on: date,
    mode: str,
) -> Pilot:
    """Record a pilot of a solution in the pilot stage."""
    person = _check_pilot_writer(user, solution)
    if solution.stage != Stage.PILOT:
        raise ValidationError(_("Pilots are recorded in the pilot stage."))
    pilot = Pilot(
        solution=solution,
        site=site.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        created_by=person,
        is_demo=solution.is_demo,
        created_at=_now(),
    )
    pilot.full_clean()
    pilot.save()
    ledger_append(
        kind="lifecycle.pilot_created",
        actor=person,
        subject=f"pilot:{pilot.pk}",
        organisation=solution.scenario.owner,
        payload={
            "solution": solution.pk,
            "site": pilot.site,
            "starts_on": pilot.starts_on.isoformat(),
            "ends_on": pilot.ends_on.isoformat(),
            "mode": pilot.mode,
        },
        evidence=[f"solution:{solution.pk}"],
    )
    return pilot


def _open(pilot: Pilot) -> None:
    if pilot.status == Pilot.Status.CLOSED:
        raise ValidationError(_("The pilot is closed."))


@transaction.atomic
def pilot_start(*, pilot: Pilot, user: AnyUser) -> Pilot:
    _check_pilot_writer(user, pilot.solution)
    updated = Pilot.objects.filter(pk=pilot.pk, status=Pilot.Status.PLANNED).update(
        status=Pilot.Status.RUNNING
    )
    if not updated:
        raise ValidationError(_("Only a planned pilot can start."))
    pilot.status = Pilot.Status.RUNNING
    return pilot


@transaction.atomic
def pilot_close(*, pilot: Pilot, user: AnyUser) -> Pilot:
    """Close the pilot; the comparison at closing goes to the ledger."""
    person = _check_pilot_writer(user, pilot.solution)
    now = _now()
    updated = (
        Pilot.objects.filter(pk=pilot.pk)
        .exclude(status=Pilot.Status.CLOSED)
        .update(status=Pilot.Status.CLOSED, closed_at=now)
    )
    if not updated:
        raise ValidationError(_("The pilot is closed."))
    pilot.status, pilot.closed_at = Pilot.Status.CLOSED, now
    ledger_append(
        kind="lifecycle.pilot_closed",
        actor=person,
        subject=f"pilot:{pilot.pk}",
        organisation=pilot.solution.scenario.owner,
        payload={
            "solution": pilot.solution_id,
            "kpis": [
                {
                    "name": c.name,
                    "count": c.count,
                    "mean": c.mean,
                    "sandbox": c.kpi.sandbox_value,
                    "drift_pct": c.drift_pct,
                    "tolerance_pct": c.kpi.tolerance_pct,
                    "within": c.within,
                }
                for c in selectors.pilot_comparison(pilot)
            ],
        },
        evidence=[f"solution:{pilot.solution_id}"],
    )
    return pilot


@transaction.atomic
def pilot_kpi_add(
    *,
    pilot: Pilot,
    user: AnyUser,
    name: str,
    unit: str,
    target: float,
    comparator: str,
    tolerance_pct: float,
    sandbox_value: float | None = None,
) -> PilotKpi:
    """Add a KPI; its sandbox value comes from the hidden run's metric of
    the same name when there is one, else from ``sandbox_value``."""
    _check_pilot_writer(user, pilot.solution)
    _open(pilot)
    mapped = selectors.sandbox_metric(pilot.solution, name.strip())
    if mapped is not None:
        value, source = mapped
    elif sandbox_value is None:
        raise ValidationError(
            {
                "sandbox_value": _(
                    "No hidden-run metric is called %(name)s: enter the sandbox value."
                )
                % {"name": name}
            }
        )
    else:
        value, source = float(sandbox_value), ""
    if PilotKpi.objects.filter(pilot=pilot, name=name.strip()).exists():
        raise ValidationError({"name": _("The pilot already has this KPI.")})
    kpi = PilotKpi(
        pilot=pilot,
        name=name.strip(),
        unit=unit.strip(),
        target=target,
        comparator=comparator,
        sandbox_value=value,
        sandbox_source=source,
        tolerance_pct=tolerance_pct,
    )
    kpi.full_clean()
    if tolerance_pct < 0:
        raise ValidationError({"tolerance_pct": _("The tolerance cannot be negative.")})
    kpi.save()
    return kpi


@transaction.atomic
def pilot_measurement_add(
    *, kpi: PilotKpi, user: AnyUser, measured_at: datetime, value: float
) -> PilotMeasurement:
    person = _check_pilot_writer(user, kpi.pilot.solution)
    _open(kpi.pilot)
    if not math.isfinite(value):
        raise ValidationError({"value": _("Enter a finite number.")})
    return PilotMeasurement.objects.create(
        kpi=kpi, measured_at=measured_at, value=value, recorded_by=person
    )


def parse_measurements_csv(
    content: bytes, kpis: Mapping[str, PilotKpi]
) -> list[tuple[PilotKpi, datetime, float]]:
    """Parse ``kpi,timestamp,value`` rows; raise one error listing every bad row.

    Timestamps are ISO 8601 with a time zone offset (``2026-03-01T08:00+08:00``);
    values are finite numbers; the KPI must be one of the pilot's.
    """
    if len(content) > MAX_CSV_BYTES:
        raise ValidationError(_("The file is larger than 2 MB."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != CSV_HEADER:
        raise ValidationError(
            _("The first line must be the header: %(header)s.")
            % {"header": ",".join(CSV_HEADER)}
        )
    rows: list[tuple[PilotKpi, datetime, float]] = []
    errors: list[str] = []
    for line, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(rows) + len(errors) >= MAX_CSV_ROWS:
            errors.append(_("More than %(n)d rows.") % {"n": MAX_CSV_ROWS})
            break
        if len(row) != 3:
            errors.append(
                _("Line %(line)d: expected 3 columns, found %(n)d.")
                % {"line": line, "n": len(row)}
            )
            continue
        name, stamp, raw = (cell.strip() for cell in row)
        problems = []
        kpi = kpis.get(name)
        if kpi is None:
            problems.append(_("unknown KPI %(name)s") % {"name": repr(name)})
        try:
            when = parse_datetime(stamp)
        except ValueError:
            when = None
        if when is None:
            problems.append(_("%(value)s is not a timestamp") % {"value": repr(stamp)})
        elif timezone.is_naive(when):
            problems.append(_("the timestamp has no time zone offset"))
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
            problems.append(_("%(value)s is not a number") % {"value": repr(raw)})
        else:
            if not math.isfinite(value):
                problems.append(
                    _("%(value)s is not a finite number") % {"value": repr(raw)}
                )
        if problems or kpi is None or when is None:
            errors.append(
                _("Line %(line)d: %(problems)s.")
                % {"line": line, "problems": "; ".join(problems)}
            )
        else:
            rows.append((kpi, when, value))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no measurement rows."))
    return rows


@transaction.atomic
def pilot_measurements_upload(
    *, pilot: Pilot, user: AnyUser, content: bytes
) -> list[PilotMeasurement]:
    """Add every row of a CSV file, or none of them."""
    person = _check_pilot_writer(user, pilot.solution)
    _open(pilot)
    kpis = {k.name: k for k in pilot.kpis.all()}
    rows = parse_measurements_csv(content, kpis)
    return PilotMeasurement.objects.bulk_create(
        [
            PilotMeasurement(kpi=kpi, measured_at=when, value=value, recorded_by=person)
            for kpi, when, value in rows
        ]
    )


@transaction.atomic
def pilot_incident_record(
    *,
    pilot: Pilot,
    user: AnyUser,
    occurred_at: datetime,
    severity: str,
    description: str,
    fallback_activated: bool,
) -> PilotIncident:
    person = _check_pilot_writer(user, pilot.solution)
    incident = PilotIncident(
        pilot=pilot,
        occurred_at=occurred_at,
        severity=severity,
        description=description.strip(),
        fallback_activated=fallback_activated,
        recorded_by=person,
        created_at=_now(),
    )
    incident.full_clean()
    incident.save()
    ledger_append(
        kind="lifecycle.pilot_incident",
        actor=person,
        subject=f"pilot:{pilot.pk}",
        organisation=pilot.solution.scenario.owner,
        payload={
            "incident": incident.pk,
            "severity": severity,
            "occurred_at": occurred_at.isoformat(),
            "fallback_activated": fallback_activated,
            "description": incident.description,
        },
        evidence=[f"solution:{pilot.solution_id}"],
    )
    return incident
