"""Writes of the review workflow.

Every function checks its own preconditions (role, round status, conflicts,
window) and raises ``PermissionDenied`` or a ``ValidationError`` a person
can act on. Views and API views only translate those into responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluations.models import Submission
from portal.accounts.models import (
    NotificationCategory,
    Organisation,
    ReviewerProfile,
    User,
)
from portal.accounts.selectors import AnyUser, organisation_ids_of
from portal.accounts.services import notification_send
from reviews import selectors
from reviews.evidence import Band
from reviews.models import (
    Assignment,
    Conflict,
    Review,
    ReviewRound,
    ReviewVersion,
    RoundEntry,
    RoundEvent,
)
from reviews.rubric import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    DEFAULT_WEIGHTS,
    DIMENSIONS,
    EVIDENCE_REQUIRED_FROM,
    SCORE_MAX,
    SCORE_MIN,
    Dimension,
)
from reviews.scorecard_selectors import entry_bands
from scenarios.models import Scenario


def _now() -> datetime:
    """The current time; a seam for tests."""
    return timezone.now()


def _record(
    review_round: ReviewRound, action: str, actor: AnyUser | None, message: str = ""
) -> RoundEvent:
    return RoundEvent.objects.create(
        round=review_round,
        action=action,
        actor=actor if isinstance(actor, User) else None,
        message=message,
    )


def _require_manager(user: AnyUser, review_round: ReviewRound) -> None:
    if not selectors.can_manage_round(user, review_round):
        raise PermissionDenied


def _require_status(review_round: ReviewRound, *allowed: str) -> None:
    if review_round.status not in allowed:
        raise ValidationError(
            format_lazy(
                _("This is not possible while the round is “{status}”."),
                status=review_round.get_status_display(),
            )
        )


def _lock(review_round: ReviewRound) -> ReviewRound:
    """Re-read the round under a row lock; status checks depend on it."""
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    review_round.status = locked.status
    review_round.weights = locked.weights
    return review_round


# --- rounds ------------------------------------------------------------------------

ROUND_FIELDS = [
    "title",
    "stage",
    "deadline",
    "reviewers_per_entry",
    "reviewer_cap",
    "blind",
    "weights",
    "response_limit",
]


def _apply_round_data(review_round: ReviewRound, data: dict[str, Any]) -> list[str]:
    changed = []
    for name in ROUND_FIELDS:
        if name in data and getattr(review_round, name) != data[name]:
            setattr(review_round, name, data[name])
            changed.append(name)
    return changed


def _check_chair(chair: User) -> None:
    if not chair.is_active:
        raise ValidationError({"chair": _("The chair must be an active user.")})


@transaction.atomic
def round_create(
    *,
    scenario: Scenario,
    user: AnyUser,
    data: dict[str, Any],
    chair: User | None = None,
) -> ReviewRound:
    """Create a draft round; weights default to the stage's (rubric)."""
    if not selectors.can_manage_scenario_rounds(user, scenario):
        raise PermissionDenied
    if not isinstance(user, User):
        raise PermissionDenied
    if scenario.status != Scenario.Status.PUBLISHED:
        raise ValidationError(_("Review rounds are for published scenarios."))
    review_round = ReviewRound(scenario=scenario, chair=chair or user, created_by=user)
    _apply_round_data(review_round, data)
    if not data.get("weights"):
        review_round.weights = dict(DEFAULT_WEIGHTS[review_round.stage])
    _check_chair(review_round.chair)
    review_round.full_clean(exclude=["scenario", "chair", "created_by"])
    review_round.save()
    _record(review_round, RoundEvent.Action.CREATED, user)
    return review_round


@transaction.atomic
def round_update(
    *,
    review_round: ReviewRound,
    user: AnyUser,
    data: dict[str, Any],
    chair: User | None = None,
) -> ReviewRound:
    """Change a draft round; everything is frozen once it opens."""
    _require_manager(user, review_round)
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.DRAFT)
    changed = _apply_round_data(review_round, data)
    if chair is not None and chair.pk != review_round.chair_id:
        _check_chair(chair)
        review_round.chair = chair
        changed.append("chair")
    if changed:
        review_round.full_clean(exclude=["scenario", "chair", "created_by"])
        review_round.save(update_fields=changed)
        _record(review_round, RoundEvent.Action.EDITED, user, ", ".join(changed))
    return review_round


@transaction.atomic
def round_open(*, review_round: ReviewRound, user: AnyUser) -> ReviewRound:
    """Open a draft round: freeze its weights and tell its reviewers.

    1. Only a draft with at least one entry and a deadline in the future.
    2. The weights must be valid and add up to 100; from now on no service
       changes them.
    3. Every reviewer already assigned is notified.
    """
    _require_manager(user, review_round)
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.DRAFT)
    if not review_round.entries.exists():
        raise ValidationError(_("Add at least one entry before opening the round."))
    if review_round.deadline <= _now():
        raise ValidationError({"deadline": _("The deadline has passed.")})
    review_round.full_clean(exclude=["scenario", "chair", "created_by"])
    review_round.status = ReviewRound.Status.OPEN
    review_round.opened_at = _now()
    review_round.save(update_fields=["status", "opened_at"])
    _record(review_round, RoundEvent.Action.OPENED, user)
    assignments = Assignment.objects.filter(
        entry__round=review_round, status=Assignment.Status.ASSIGNED
    ).select_related("reviewer")
    _notify_assigned(review_round, list(assignments))
    return review_round


@transaction.atomic
def round_close(*, review_round: ReviewRound, user: AnyUser) -> ReviewRound:
    """Close an open round: reviews are final; decisions may now be made."""
    if not (
        selectors.can_manage_round(user, review_round)
        or selectors.is_chair(user, review_round)
    ):
        raise PermissionDenied
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.OPEN)
    review_round.status = ReviewRound.Status.CLOSED
    review_round.closed_at = _now()
    review_round.save(update_fields=["status", "closed_at"])
    _record(review_round, RoundEvent.Action.CLOSED, user)
    return review_round


# --- entries -----------------------------------------------------------------------


@transaction.atomic
def round_entries_add(
    *, review_round: ReviewRound, user: AnyUser, submissions: Sequence[Submission]
) -> list[RoundEntry]:
    """Add submissions of the round's scenario as entries (draft or open)."""
    _require_manager(user, review_round)
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.DRAFT, ReviewRound.Status.OPEN)
    existing = set(review_round.entries.values_list("submission_id", flat=True))
    number = review_round.entries.aggregate(n=Max("number"))["n"] or 0
    created = []
    for submission in submissions:
        if submission.suite_version.suite.scenario_id != review_round.scenario_id:
            raise ValidationError(
                {"submissions": _("Choose submissions to this round's scenario.")}
            )
        if submission.pk in existing:
            continue
        existing.add(submission.pk)
        number += 1
        created.append(
            RoundEntry.objects.create(
                round=review_round, submission=submission, number=number
            )
        )
    if created:
        _record(
            review_round,
            RoundEvent.Action.ENTRIES_ADDED,
            user,
            ", ".join(f"#{e.number}" for e in created),
        )
    return created


# --- assignment ------------------------------------------------------------------


def _notify_assigned(
    review_round: ReviewRound, assignments: Sequence[Assignment]
) -> None:
    """Tell reviewers of new assignments, once the round is open."""
    if review_round.status != ReviewRound.Status.OPEN:
        return
    for assignment in assignments:
        notification_send(
            category=NotificationCategory.REVIEWS,
            users=[assignment.reviewer],
            subject=format_lazy(
                _("Review assignment: {scenario}, {round}"),
                scenario=review_round.scenario.code,
                round=review_round.title,
            ),
            body=format_lazy(
                _("Please review entry {n} by {deadline}."),
                n=assignment.entry.number,
                deadline=timezone.localtime(review_round.deadline).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            ),
            url=reverse("reviews:review", args=[assignment.pk]),
        )


def _check_assignable(reviewer: User, entry: RoundEntry) -> None:
    if not ReviewerProfile.objects.filter(user=reviewer).exists():
        raise ValidationError({"reviewer": _("This person has no reviewer profile.")})
    if not reviewer.is_active:
        raise ValidationError({"reviewer": _("This account is not active.")})
    if selectors.is_conflicted(reviewer, entry):
        raise ValidationError(
            {"reviewer": _("This reviewer has a conflict of interest with the entry.")}
        )


@transaction.atomic
def assignment_create(
    *, entry: RoundEntry, reviewer: User, user: AnyUser
) -> Assignment:
    """Assign a reviewer by hand; refused for conflicted reviewers."""
    review_round = entry.round
    _require_manager(user, review_round)
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.DRAFT, ReviewRound.Status.OPEN)
    _check_assignable(reviewer, entry)
    if Assignment.objects.filter(entry=entry, reviewer=reviewer).exists():
        raise ValidationError(
            {"reviewer": _("This reviewer is already assigned to the entry.")}
        )
    assignment = Assignment.objects.create(
        entry=entry,
        reviewer=reviewer,
        source=Assignment.Source.MANUAL,
        created_by=user if isinstance(user, User) else None,
    )
    _record(
        review_round,
        RoundEvent.Action.ASSIGNED,
        user,
        f"#{entry.number} {reviewer.username}",
    )
    _notify_assigned(review_round, [assignment])
    return assignment


def expertise_score(profile: ReviewerProfile, scenario: Scenario) -> int:
    """How well a reviewer's declared expertise fits a scenario (0–2)."""
    return int(scenario.sector in profile.sectors) + int(
        scenario.task_type in profile.task_types
    )


@dataclass
class AssignmentReport:
    created: list[Assignment] = field(default_factory=list)
    anchor: RoundEntry | None = None
    # Entry number → how many reviewers it still lacks.
    shortfalls: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def assignments_auto(*, review_round: ReviewRound, user: AnyUser) -> AssignmentReport:
    """Assign reviewers by expertise with load balancing and a cap.

    1. The pool: active reviewers whose profile matches the scenario's
       sector or task type. A reviewer is never assigned to an entry they
       are conflicted with, nor again to one they declined.
    2. Load is the number of active assignments in this round; nobody goes
       above the round's ``reviewer_cap``.
    3. Calibration needs overlap: when the pool's spare capacity covers it,
       one anchor entry (the one with the most eligible reviewers) goes to
       every eligible reviewer, which connects all reviewers through it.
    4. The other entries, the most constrained first, are filled up to
       ``reviewers_per_entry`` with the least-loaded eligible reviewers,
       better expertise first on equal load.
    5. Entries left short are reported, not forced.
    """
    _require_manager(user, review_round)
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.DRAFT, ReviewRound.Status.OPEN)
    scenario = review_round.scenario
    k = review_round.reviewers_per_entry
    cap = review_round.reviewer_cap
    entries = list(
        review_round.entries.select_related("submission__organisation").order_by(
            "number"
        )
    )
    pool = [
        reviewer
        for reviewer in selectors.reviewer_pool()
        if expertise_score(reviewer.reviewer_profile, scenario) > 0
    ]
    members = selectors.memberships_by_user(pool)
    stored = list(
        Conflict.objects.filter(reviewer__in=pool).values_list(
            "reviewer_id", "organisation_id", "entry_id"
        )
    )
    existing = list(Assignment.objects.filter(entry__round=review_round))
    taken = {(a.entry_id, a.reviewer_id) for a in existing}
    load = {r.pk: 0 for r in pool}
    active_count = {e.pk: 0 for e in entries}
    for a in existing:
        if a.is_active:
            active_count[a.entry_id] += 1
            if a.reviewer_id in load:
                load[a.reviewer_id] += 1
    score = {r.pk: expertise_score(r.reviewer_profile, scenario) for r in pool}

    def conflicted(reviewer: User, entry: RoundEntry) -> bool:
        vendor = entry.submission.organisation
        return any(
            rid == reviewer.pk and (org == vendor.pk or eid == entry.pk)
            for rid, org, eid in stored
        ) or bool(
            selectors.detected_conflict_reasons(
                member_of=members[reviewer.pk],
                organisation=vendor,
                profile=reviewer.reviewer_profile,
            )
        )

    eligible = {
        e.pk: [r for r in pool if (e.pk, r.pk) not in taken and not conflicted(r, e)]
        for e in entries
    }
    report = AssignmentReport()
    automatic = user if isinstance(user, User) else None

    def assign(entry: RoundEntry, reviewer: User, *, anchor: bool = False) -> None:
        assignment = Assignment.objects.create(
            entry=entry,
            reviewer=reviewer,
            source=Assignment.Source.AUTOMATIC,
            is_anchor=anchor,
            created_by=automatic,
        )
        taken.add((entry.pk, reviewer.pk))
        load[reviewer.pk] += 1
        active_count[entry.pk] += 1
        report.created.append(assignment)

    if entries and pool:
        anchor = max(entries, key=lambda e: (len(eligible[e.pk]), -e.number))
        others_need = sum(
            max(0, k - active_count[e.pk]) for e in entries if e != anchor
        )
        spare = sum(max(0, cap - n) for n in load.values())
        if (
            len(eligible[anchor.pk]) > k
            and spare >= len(eligible[anchor.pk]) + others_need
        ):
            report.anchor = anchor
            for reviewer in eligible[anchor.pk]:
                if load[reviewer.pk] < cap:
                    assign(anchor, reviewer, anchor=True)
        for entry in sorted(entries, key=lambda e: (len(eligible[e.pk]), e.number)):
            candidates = sorted(
                (
                    r
                    for r in eligible[entry.pk]
                    if (entry.pk, r.pk) not in taken and load[r.pk] < cap
                ),
                key=lambda r: (load[r.pk], -score[r.pk], r.username),
            )
            for reviewer in candidates[: max(0, k - active_count[entry.pk])]:
                assign(entry, reviewer)
    for entry in entries:
        if active_count[entry.pk] < k:
            report.shortfalls[entry.number] = k - active_count[entry.pk]
    if report.created:
        _record(
            review_round,
            RoundEvent.Action.ASSIGNED,
            user,
            str(format_lazy(_("{n} automatic assignments"), n=len(report.created))),
        )
        _notify_assigned(review_round, report.created)
    return report


@transaction.atomic
def assignment_decline(
    *, assignment: Assignment, user: AnyUser, reason: str = ""
) -> Assignment:
    """The reviewer turns down an assignment they have not submitted."""
    if not user.is_authenticated or assignment.reviewer_id != user.pk:
        raise PermissionDenied
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError(
            _("Only an assignment not yet submitted can be declined.")
        )
    review_round = assignment.entry.round
    _require_status(review_round, ReviewRound.Status.DRAFT, ReviewRound.Status.OPEN)
    assignment.status = Assignment.Status.DECLINED
    assignment.decline_reason = reason.strip()[:2000]
    assignment.save(update_fields=["status", "decline_reason"])
    notification_send(
        category=NotificationCategory.REVIEWS,
        users=[review_round.chair],
        subject=format_lazy(
            _("A reviewer declined entry {n} of {round}"),
            n=assignment.entry.number,
            round=review_round.title,
        ),
        body=assignment.decline_reason,
        url=review_round.get_absolute_url(),
    )
    return assignment


# --- conflicts ---------------------------------------------------------------------


def _withdraw_conflicted(conflict: Conflict) -> int:
    """Decline the assignments a new conflict rules out, submitted or not."""
    assignments = Assignment.objects.filter(reviewer=conflict.reviewer).exclude(
        status=Assignment.Status.DECLINED
    )
    if conflict.entry_id is not None:
        assignments = assignments.filter(entry_id=conflict.entry_id)
    else:
        assignments = assignments.filter(
            entry__submission__organisation=conflict.organisation
        )
    return assignments.update(
        status=Assignment.Status.DECLINED,
        decline_reason=str(_("Conflict of interest")),
    )


@transaction.atomic
def conflict_declare(
    *,
    user: AnyUser,
    reviewer: User,
    reason: str,
    organisation: Organisation | None = None,
    entry: RoundEntry | None = None,
) -> Conflict:
    """Record a declared conflict and withdraw the reviewer from what it covers.

    A reviewer declares their own conflicts with a vendor organisation or
    an entry. A vendor (owner or admin) declares conflicts of a reviewer
    with their own organisation or one of its entries.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    if organisation is None and entry is None:
        raise ValidationError(_("Name an organisation or an entry."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    vendor = organisation or (entry.submission.organisation if entry else None)
    if vendor is None:
        raise ValidationError(_("Name an organisation or an entry."))
    if vendor.kind != Organisation.Kind.VENDOR:
        raise ValidationError({"organisation": _("Choose a vendor organisation.")})
    if user.pk == reviewer.pk:
        source = Conflict.Source.REVIEWER
    elif vendor.pk in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False, write=True
    ):
        source = Conflict.Source.VENDOR
    else:
        raise PermissionDenied
    if entry is not None and entry.submission.organisation_id != vendor.pk:
        raise ValidationError(_("The entry belongs to another organisation."))
    conflict = Conflict(
        reviewer=reviewer,
        organisation=organisation,
        entry=entry,
        source=source,
        reason=reason.strip(),
        created_by=user if isinstance(user, User) else None,
    )
    conflict.full_clean(exclude=["reviewer", "organisation", "entry", "created_by"])
    conflict.save()
    _withdraw_conflicted(conflict)
    return conflict


@transaction.atomic
def conflicts_detect(*, review_round: ReviewRound, user: AnyUser) -> list[Conflict]:
    """Record the conflicts on file between the pool and the round's vendors.

    Same organisation, a declared affiliation or a declared recent
    collaboration (``selectors.detected_conflict_reasons``). Idempotent:
    a conflict already recorded for the pair is not repeated. Assignments
    the new conflicts cover are withdrawn.
    """
    _require_manager(user, review_round)
    pool = selectors.reviewer_pool()
    members = selectors.memberships_by_user(pool)
    vendors = {
        e.submission.organisation
        for e in review_round.entries.select_related("submission__organisation")
    }
    known = set(
        Conflict.objects.filter(
            reviewer__in=pool,
            organisation__in=vendors,
            source=Conflict.Source.DETECTED,
        ).values_list("reviewer_id", "organisation_id")
    )
    labels = {
        "member": _("member of the organisation"),
        "affiliation": _("declared affiliation"),
        "collaboration": _("declared recent collaboration"),
    }
    created = []
    for reviewer in pool:
        for vendor in sorted(vendors, key=lambda o: o.pk):
            if (reviewer.pk, vendor.pk) in known:
                continue
            reasons = selectors.detected_conflict_reasons(
                member_of=members[reviewer.pk],
                organisation=vendor,
                profile=reviewer.reviewer_profile,
            )
            if not reasons:
                continue
            conflict = Conflict.objects.create(
                reviewer=reviewer,
                organisation=vendor,
                source=Conflict.Source.DETECTED,
                reason="; ".join(str(labels[r]) for r in reasons),
                created_by=user if isinstance(user, User) else None,
            )
            _withdraw_conflicted(conflict)
            created.append(conflict)
    if created:
        _record(
            review_round,
            RoundEvent.Action.CONFLICT,
            user,
            str(format_lazy(_("{n} conflicts detected"), n=len(created))),
        )
    return created


# --- reviews -----------------------------------------------------------------------


def _clean_scores(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Normalise the per-dimension input; unknown keys are refused."""
    if not isinstance(raw, dict) or not set(raw) <= set(DIMENSIONS):
        raise ValidationError({"scores": _("Unknown dimension.")})
    result: dict[str, dict[str, Any]] = {}
    for dimension in DIMENSIONS:
        item = raw.get(dimension) or {}
        if not isinstance(item, dict):
            raise ValidationError({"scores": _("Unknown dimension.")})
        evidence = item.get("evidence") or []
        if isinstance(evidence, str):
            evidence = evidence.splitlines()
        if not isinstance(evidence, list):
            raise ValidationError({"scores": _("Evidence is a list of links.")})
        result[dimension] = {
            "score": _int_or_none(item.get("score"), SCORE_MIN, SCORE_MAX),
            "confidence": _int_or_none(
                item.get("confidence"), CONFIDENCE_MIN, CONFIDENCE_MAX
            ),
            "evidence": [" ".join(str(e).split()) for e in evidence if str(e).strip()],
            "justification": str(item.get("justification") or "").strip(),
        }
    return result


def _int_or_none(value: Any, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"scores": _("Scores are whole numbers.")}) from None
    if not low <= number <= high:
        raise ValidationError(
            {
                "scores": format_lazy(
                    _("Choose a value from {low} to {high}."), low=low, high=high
                )
            }
        )
    return number


def _submission_errors(scores: dict[str, dict[str, Any]]) -> list[str]:
    errors = []
    for dimension in Dimension:
        item = scores[dimension.value]
        if item["score"] is None or item["confidence"] is None:
            errors.append(
                str(
                    format_lazy(
                        _("{dimension}: give a score and a confidence."),
                        dimension=dimension.label,
                    )
                )
            )
        elif item["score"] >= EVIDENCE_REQUIRED_FROM and not item["evidence"]:
            errors.append(
                str(
                    format_lazy(
                        _("{dimension}: a score of 4 or 5 needs an evidence link."),
                        dimension=dimension.label,
                    )
                )
            )
    return errors


def _band_errors(
    scores: dict[str, dict[str, Any]], bands: dict[str, Band]
) -> list[str]:
    """A score outside the band the automated evidence allows needs a
    written justification (rubric: evidence-bounded scoring)."""
    errors = []
    for dimension in Dimension:
        item = scores[dimension.value]
        band = bands.get(dimension.value)
        score = item["score"]
        if band is None or score is None or band.low <= score <= band.high:
            continue
        if not item["justification"].strip():
            errors.append(
                str(
                    format_lazy(
                        _(
                            "{dimension}: the automated evidence allows "
                            "{low}–{high}; justify a score of {score} in writing."
                        ),
                        dimension=dimension.label,
                        low=band.low,
                        high=band.high,
                        score=score,
                    )
                )
            )
    return errors


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    user: AnyUser,
    scores: dict[str, Any],
    comment: str = "",
    submit: bool = False,
) -> ReviewVersion:
    """Save a version of a review: a draft (autosave) or a submission.

    1. Only the assigned reviewer, not conflicted, while the round is open;
       a submitted review may be revised until the round closes.
    2. Every save adds a ``ReviewVersion``; none is ever changed.
    3. Submitting needs a score and confidence on every dimension, and an
       evidence link for every score of 4 or 5.
    """
    if not user.is_authenticated or assignment.reviewer_id != user.pk:
        raise PermissionDenied
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == Assignment.Status.DECLINED or selectors.is_conflicted(
        user, assignment.entry
    ):
        raise PermissionDenied
    review_round = assignment.entry.round
    if review_round.status != ReviewRound.Status.OPEN:
        raise ValidationError(_("The round is not open for reviews."))
    cleaned = _clean_scores(scores)
    if submit:
        errors = _submission_errors(cleaned)
        errors += _band_errors(cleaned, entry_bands(assignment.entry))
        if errors:
            raise ValidationError({"scores": errors})
    review, _created = Review.objects.get_or_create(assignment=assignment)
    number = (review.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReviewVersion(
        review=review,
        number=number,
        scores=cleaned,
        comment=comment.strip(),
        is_submitted=submit,
        created_at=_now(),
    )
    version.full_clean(exclude=["review"])
    version.save()
    review.current = version
    fields = ["current"]
    if submit:
        review.submitted = version
        fields.append("submitted")
    review.save(update_fields=fields)
    if submit and assignment.status != Assignment.Status.SUBMITTED:
        assignment.status = Assignment.Status.SUBMITTED
        assignment.save(update_fields=["status"])
    return version
