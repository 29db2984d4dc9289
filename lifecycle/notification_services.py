"""Notifications of the lifecycle: stage changes, gate refusals and pilot
deadlines (issue 5, "Notifications").

Who hears of what:

* a stage change: the vendor's members and the scenario owner's writers,
  and the chairs of the rounds the move depends on (the testing round's
  chair for testing → pilot, the effectiveness round's for effectiveness
  and scale, every chair of the solution's rounds for send back, reject
  and withdraw); never the person who made the move;
* a refusal by a gate: the actor's counterparts. A vendor's refusal goes
  to the owner's writers, an owner's to the vendor's members, a chair's
  or an operator's to both. The same refusal (target and failed criteria)
  is notified once a day at most; role refusals are not notified;
* pilot deadlines: the owner's writers, once when an open pilot is about
  to end (``settings.PILOT_REMINDER_DAYS``) and once when it is past its
  end and still open.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lifecycle import gates, selectors
from lifecycle.models import (
    GateRefusal,
    Pilot,
    PilotReminder,
    Solution,
    Stage,
    Transition,
)
from portal.accounts.models import NotificationCategory, Organisation, User
from portal.accounts.selectors import (
    organisation_ids_of,
    organisation_people_list,
    organisation_writer_list,
)
from portal.accounts.services import notification_send
from reviews.rubric import Stage as ReviewStage

# A refusal repeated within this time (same target, same failed criteria)
# is kept but not notified again.
REFUSAL_QUIET = timedelta(hours=24)


def _now() -> datetime:
    """Return the current time. Used for mocking in tests."""
    return timezone.now()


def _without(users: Iterable[User], *people: User | None) -> list[User]:
    skip = {p.pk for p in people if p is not None}
    result: dict[int, User] = {}
    for user in users:
        if user.pk not in skip:
            result.setdefault(user.pk, user)
    return list(result.values())


def _chairs(solution: Solution, stage: str | None) -> list[User]:
    ids = selectors.chairs_of(solution, stage)
    return list(User.objects.filter(pk__in=ids, is_active=True)) if ids else []


def _relevant_chairs(transition: Transition) -> list[User]:
    solution = transition.solution
    if transition.kind == Transition.Kind.ADVANCE:
        if transition.to_stage == Stage.PILOT:
            return _chairs(solution, ReviewStage.TESTING)
        if transition.to_stage in (Stage.EFFECTIVENESS, Stage.SCALE):
            return _chairs(solution, ReviewStage.EFFECTIVENESS)
        return []
    if transition.kind in (
        Transition.Kind.SEND_BACK,
        Transition.Kind.REJECT,
        Transition.Kind.WITHDRAW,
    ):
        return _chairs(solution, None)
    return []


def transition_notify(*, transition: Transition) -> None:
    """Tell the parties of a solution that it changed stage.

    Called by ``services._record`` in the transition's transaction, so the
    notifications roll back with it and are e-mailed after commit.
    """
    solution = transition.solution
    recipients = _without(
        [
            *organisation_people_list([solution.organisation_id]),
            *organisation_writer_list([solution.scenario.owner_id]),
            *_relevant_chairs(transition),
        ],
        transition.actor,
        transition.true_actor,
    )
    if not recipients:
        return
    to_label = Stage(transition.to_stage).label
    if transition.from_stage and transition.from_stage != transition.to_stage:
        subject = format_lazy(
            _("{code}: {name} moved from {from_stage} to {to_stage}"),
            code=solution.scenario.code,
            name=solution.name,
            from_stage=Stage(transition.from_stage).label,
            to_stage=to_label,
        )
    else:
        subject = format_lazy(
            _("{code}: {name} is in {to_stage}"),
            code=solution.scenario.code,
            name=solution.name,
            to_stage=to_label,
        )
    body = format_lazy(
        _("{kind} by {actor}. {reasons}"),
        kind=Transition.Kind(transition.kind).label,
        actor=transition.actor.get_username(),
        reasons=transition.reasons,
    )
    notification_send(
        users=recipients,
        subject=subject,
        body=body,
        url=solution.get_absolute_url(),
        category=NotificationCategory.LIFECYCLE,
    )


def _counterparts(solution: Solution, actor: User) -> list[User]:
    vendor = solution.organisation_id in organisation_ids_of(
        actor, kind=Organisation.Kind.VENDOR, verified=False
    )
    owner = solution.scenario.owner_id in organisation_ids_of(
        actor, kind=Organisation.Kind.ENERGY, verified=False
    )
    people: list[User] = []
    if not vendor:
        people += organisation_people_list([solution.organisation_id])
    if not owner:
        people += organisation_writer_list([solution.scenario.owner_id])
    return _without(people, actor)


@transaction.atomic
def gate_refusal_record(
    *, solution_id: int, actor_id: int, result: gates.GateResult, message: str
) -> GateRefusal:
    """Keep a transition refused by its gate and notify the counterparts.

    Runs after the refused transition rolled back, in a transaction of its
    own. A refusal like one notified less than ``REFUSAL_QUIET`` ago is
    kept without notifying anybody.
    """
    solution = Solution.objects.select_related("scenario").get(pk=solution_id)
    actor = User.objects.get(pk=actor_id)
    failed = sorted(c.code for c in result.failed)
    now = _now()
    repeated = GateRefusal.objects.filter(
        solution=solution,
        to_stage=result.stage,
        failed=failed,
        notified=True,
        created_at__gte=now - REFUSAL_QUIET,
    ).exists()
    recipients = [] if repeated else _counterparts(solution, actor)
    refusal = GateRefusal.objects.create(
        solution=solution,
        to_stage=result.stage,
        actor=actor,
        failed=failed,
        notified=bool(recipients),
        created_at=now,
    )
    if recipients:
        notification_send(
            users=recipients,
            subject=format_lazy(
                _("{code}: {name} did not pass the gate into {stage}"),
                code=solution.scenario.code,
                name=solution.name,
                stage=Stage(result.stage).label,
            ),
            body=format_lazy(
                _("{actor} tried to move it on. {message}"),
                actor=actor.get_username(),
                message=message,
            ),
            url=solution.get_absolute_url(),
            category=NotificationCategory.GATES,
        )
    return refusal


# --- pilot deadlines ----------------------------------------------------------


def _due(kind: str, today: date) -> QuerySet[Pilot]:
    pilots = Pilot.objects.exclude(status=Pilot.Status.CLOSED).select_related(
        "solution__scenario"
    )
    if kind == PilotReminder.Kind.ENDING:
        window = today + timedelta(days=settings.PILOT_REMINDER_DAYS)
        pilots = pilots.filter(ends_on__gte=today, ends_on__lte=window)
    else:
        pilots = pilots.filter(ends_on__lt=today)
    sent = PilotReminder.objects.filter(
        pilot=OuterRef("pk"), kind=kind, ends_on=OuterRef("ends_on")
    )
    return pilots.filter(~Exists(sent)).order_by("ends_on", "pk")


def _remind(pilot: Pilot, kind: str) -> bool:
    """Send one reminder unless it was sent; return whether it was."""
    solution = pilot.solution
    try:
        with transaction.atomic():
            # The unique (pilot, kind, end date) row is the claim: a second
            # run, or a concurrent one, fails here and sends nothing.
            reminder = PilotReminder.objects.create(
                pilot=pilot, kind=kind, ends_on=pilot.ends_on, sent_at=_now()
            )
            recipients = organisation_writer_list([solution.scenario.owner_id])
            if kind == PilotReminder.Kind.ENDING:
                subject = format_lazy(
                    _("Pilot at {site} ends on {date}"),
                    site=pilot.site,
                    date=pilot.ends_on.isoformat(),
                )
                body = format_lazy(
                    _(
                        "The pilot of {name} ({code}) ends on {date}. Enter "
                        "the last measurements and close it when it is over."
                    ),
                    name=solution.name,
                    code=solution.scenario.code,
                    date=pilot.ends_on.isoformat(),
                )
            else:
                subject = format_lazy(
                    _("Pilot at {site} is past its end date"),
                    site=pilot.site,
                )
                body = format_lazy(
                    _(
                        "The pilot of {name} ({code}) was to end on {date} and "
                        "is still open. Close it, so the effectiveness gate "
                        "can read its results."
                    ),
                    name=solution.name,
                    code=solution.scenario.code,
                    date=pilot.ends_on.isoformat(),
                )
            notification_send(
                users=recipients,
                subject=subject,
                body=body,
                url=pilot.get_absolute_url(),
                category=NotificationCategory.PILOTS,
            )
            reminder.recipients = [u.pk for u in recipients]
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return False
    return True


def pilot_deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind the owner's writers of open pilots about to end or past their
    end; return how many reminders were sent.

    1. Open pilots (planned or running) ending within
       ``settings.PILOT_REMINDER_DAYS`` get an "ends soon" reminder.
    2. Open pilots whose end date has passed get a "past its end"
       reminder.
    3. Each is sent once per pilot, kind and end date: a
       ``PilotReminder`` row records it (and its recipients) and its
       unique constraint is the claim, so reruns send nothing new.
    """
    today = today or timezone.localdate()
    sent = 0
    for kind in (PilotReminder.Kind.ENDING, PilotReminder.Kind.OVERDUE):
        for pilot in _due(kind, today):
            sent += _remind(pilot, kind)
    return sent
