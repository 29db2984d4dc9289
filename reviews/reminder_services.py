"""Deadline reminders for reviewers, sent by a periodic task."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory
from portal.accounts.services import notification_send
from reviews.models import Assignment, ReviewRound

# How long before a round's deadline an unfinished review is reminded.
REMINDER_WINDOW = timedelta(hours=48)


def deadline_reminders_send(*, now: datetime | None = None) -> int:
    """Remind each reviewer whose review is not submitted, once, when the
    round's deadline is less than ``REMINDER_WINDOW`` away; return how
    many were sent.

    Each assignment is claimed with a conditional update of
    ``reminded_at``, so concurrent or repeated runs send one reminder.
    Declined and submitted assignments, and rounds that are not open, are
    left alone.
    """
    now = now or timezone.now()
    due = Assignment.objects.filter(
        status=Assignment.Status.ASSIGNED,
        reminded_at__isnull=True,
        entry__round__status=ReviewRound.Status.OPEN,
        entry__round__deadline__gt=now,
        entry__round__deadline__lte=now + REMINDER_WINDOW,
    ).select_related("reviewer", "entry__round")
    sent = 0
    for assignment in due:
        claimed = Assignment.objects.filter(
            pk=assignment.pk, reminded_at__isnull=True
        ).update(reminded_at=now)
        if claimed != 1:
            continue
        review_round = assignment.entry.round
        notification_send(
            category=NotificationCategory.REVIEWS,
            users=[assignment.reviewer],
            subject=format_lazy(
                _("Review due {deadline}: {round}"),
                deadline=timezone.localtime(review_round.deadline).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                round=review_round.title,
            ),
            body=format_lazy(
                _(
                    "Your review of entry {number} in {round} is not submitted "
                    "yet. The round's deadline is {deadline}."
                ),
                number=assignment.entry.number,
                round=review_round.title,
                deadline=timezone.localtime(review_round.deadline).strftime(
                    "%Y-%m-%d %H:%M"
                ),
            ),
            url=reverse("reviews:review", args=[assignment.pk]),
        )
        sent += 1
    return sent
