"""The end of a review: discussion, the vendor's response, the decision.

Split from ``reviews.services`` (rounds, entries, assignment, conflicts and
the reviews themselves), whose round helpers it shares.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory, User
from portal.accounts.selectors import AnyUser
from portal.accounts.services import notification_send
from reviews import selectors
from reviews.models import (
    Comment,
    Decision,
    ReviewRound,
    RoundEntry,
    RoundEvent,
    VendorResponse,
)
from reviews.scorecard_selectors import round_scorecard
from reviews.services import _lock, _now, _record, _require_status

# --- discussion, response, decision ----------------------------------------------


@transaction.atomic
def comment_post(*, entry: RoundEntry, user: AnyUser, body: str) -> Comment:
    """Post to an entry's discussion: its reviewers, the chair, managers.

    Open until the round is decided.
    """
    access = selectors.get_entry_for_user(user, entry.pk)
    if not (access.assignment or access.is_chair or access.can_manage):
        raise PermissionDenied
    _require_status(entry.round, ReviewRound.Status.OPEN, ReviewRound.Status.CLOSED)
    if not isinstance(user, User):
        raise PermissionDenied
    comment = Comment(entry=entry, author=user, body=body.strip())
    comment.full_clean(exclude=["entry", "author"])
    comment.save()
    return comment


def _check_decision_gates(entry: RoundEntry, user: User, outcome: str) -> None:
    """What the scorecard forbids, whatever the composite.

    1. Flags that ask for discussion (spread, SD, a score two levels
       outside its evidence band) need at least one comment in the entry's
       discussion before any decision.
    2. An entry cannot advance when its calibrated safety score is below
       the gate of the stage it would enter, or has no safety score.
    """
    rows = selectors.round_table(entry.round, user)
    card = round_scorecard(entry.round, rows).card(entry)
    if card is None:  # the entry is not on the chair's table
        raise PermissionDenied
    if card.needs_discussion and not entry.comments.exists():
        raise ValidationError(
            _(
                "The reviewers' scores disagree or stray from the evidence: "
                "discuss the entry before deciding."
            )
        )
    if outcome == Decision.Outcome.ADVANCE:
        if card.safety is None:
            raise ValidationError(
                _("No safety score: the entry cannot advance without one.")
            )
        if card.safety.blocks:
            raise ValidationError(
                format_lazy(
                    _(
                        "Safety is {score:.2f}, below the gate of {gate:g}: the "
                        "entry cannot advance, whatever its composite."
                    ),
                    score=card.safety.safety,
                    gate=card.safety.threshold,
                )
            )


def response_window_open(entry: RoundEntry) -> bool:
    """The vendor may respond while the round is open, up to its deadline."""
    review_round = entry.round
    return review_round.status == ReviewRound.Status.OPEN and (
        _now() <= review_round.deadline
    )


@transaction.atomic
def vendor_response_submit(
    *, entry: RoundEntry, user: AnyUser, body: str
) -> VendorResponse:
    """The vendor's one response per entry, within the window and limit."""
    selectors.get_vendor_entry_for_user(user, entry.pk, write=True)
    if not isinstance(user, User):
        raise PermissionDenied
    RoundEntry.objects.select_for_update().get(pk=entry.pk)
    if not response_window_open(entry):
        raise ValidationError(_("The response window is closed."))
    if VendorResponse.objects.filter(entry=entry).exists():
        raise ValidationError(_("This entry already has its response."))
    text = body.strip()
    limit = entry.round.response_limit
    if not text:
        raise ValidationError({"body": _("Write your response.")})
    if len(text) > limit:
        raise ValidationError(
            {
                "body": format_lazy(
                    _("Keep the response to {limit} characters (it has {n})."),
                    limit=limit,
                    n=len(text),
                )
            }
        )
    response = VendorResponse.objects.create(entry=entry, author=user, body=text)
    notification_send(
        category=NotificationCategory.REVIEWS,
        users=[entry.round.chair],
        subject=format_lazy(
            _("Vendor response on entry {n} of {round}"),
            n=entry.number,
            round=entry.round.title,
        ),
        body="",
        url=reverse("reviews:entry", args=[entry.pk]),
    )
    return response


def _vendor_people(organisation_id: int) -> Iterable[User]:
    return User.objects.filter(
        is_active=True, memberships__organisation_id=organisation_id
    ).distinct()


@transaction.atomic
def decision_record(
    *,
    entry: RoundEntry,
    user: AnyUser,
    outcome: str,
    reasons: str,
    meta_review: str = "",
) -> Decision:
    """The chair decides on an entry of a closed round, with written reasons.

    One decision per entry. When every entry is decided the round becomes
    "decided". The vendor's people are notified.
    """
    review_round = entry.round
    if not selectors.is_chair(user, review_round) or selectors.is_conflicted(
        user, entry
    ):
        raise PermissionDenied
    if not isinstance(user, User):
        raise PermissionDenied
    _lock(review_round)
    _require_status(review_round, ReviewRound.Status.CLOSED)
    if Decision.objects.filter(entry=entry).exists():
        raise ValidationError(_("This entry already has a decision."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Write the reasons for the decision.")})
    _check_decision_gates(entry, user, outcome)
    decision = Decision(
        entry=entry,
        chair=user,
        outcome=outcome,
        reasons=reasons.strip(),
        meta_review=meta_review.strip(),
    )
    decision.full_clean(exclude=["entry", "chair"])
    decision.save()
    _record(
        review_round,
        RoundEvent.Action.DECIDED,
        user,
        f"#{entry.number} {outcome}",
    )
    if not review_round.entries.filter(decision__isnull=True).exists():
        review_round.status = ReviewRound.Status.DECIDED
        review_round.save(update_fields=["status"])
    notification_send(
        category=NotificationCategory.REVIEWS,
        users=_vendor_people(entry.submission.organisation_id),
        subject=format_lazy(
            _("Decision on your entry in {round}: {outcome}"),
            round=review_round.title,
            outcome=decision.get_outcome_display(),
        ),
        body=decision.reasons,
        url=reverse("reviews:vendor_entry", args=[entry.pk]),
    )
    return decision
