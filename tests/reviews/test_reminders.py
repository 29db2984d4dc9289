"""Deadline reminders: once per unfinished review, only near the deadline."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from portal.accounts.models import Notification
from reviews import services
from reviews.reminder_services import deadline_reminders_send
from reviews.tasks import review_deadline_reminders
from tests.reviews.helpers import ReviewTestCase


class ReminderTests(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.rosa_a = self.assign(self.entry_a, self.rosa)
        self.ravi_b = self.assign(self.entry_b, self.ravi)
        self.open_round()
        Notification.objects.all().delete()

    def reminded(self):
        return sorted(
            n.user.username
            for n in Notification.objects.select_related("user")
            if "/reviews/assignments/" in n.url
        )

    def test_nothing_is_sent_while_the_deadline_is_far(self):
        self.assertEqual(deadline_reminders_send(), 0)  # 14 days away
        self.assertEqual(self.reminded(), [])

    def test_unfinished_reviews_are_reminded_once(self):
        self.submit(self.rosa_a, 2)
        services.assignment_decline(
            assignment=self.ravi_b, user=self.ravi, reason="Too busy"
        )
        Notification.objects.all().delete()
        near = self.round.deadline - timedelta(hours=24)
        self.assertEqual(deadline_reminders_send(now=near), 1)
        self.assertEqual(self.reminded(), ["rita"])
        notification = Notification.objects.get(user=self.rita)
        self.assertEqual(notification.url, f"/reviews/assignments/{self.rita_a.pk}/")
        # Running again sends nothing more.
        self.assertEqual(deadline_reminders_send(now=near + timedelta(hours=1)), 0)
        self.assertEqual(self.reminded(), ["rita"])

    def test_a_passed_deadline_or_a_closed_round_sends_nothing(self):
        after = self.round.deadline + timedelta(minutes=1)
        self.assertEqual(deadline_reminders_send(now=after), 0)
        services.round_close(review_round=self.round, user=self.gina)
        near = self.round.deadline - timedelta(hours=1)
        self.assertEqual(deadline_reminders_send(now=near), 0)

    def test_the_task_calls_the_service(self):
        self.round.deadline = timezone.now() + timedelta(hours=3)
        self.round.save(update_fields=["deadline"])
        self.assertEqual(review_deadline_reminders(), 3)
