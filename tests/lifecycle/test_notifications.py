"""Notifications of stage changes, gate refusals and pilot deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from lifecycle import notification_services, services
from lifecycle.models import GateRefusal, Pilot, PilotReminder, Transition
from lifecycle.tasks import pilot_deadline_reminders
from portal.accounts.models import Notification, User
from portal.accounts.services import notification_preferences_save
from tests.lifecycle.helpers import LifecycleTestCase


class NotificationTestCase(LifecycleTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Notifications are rendered in each recipient's language.
        User.objects.update(language="en")


def recipients(category: str) -> set[str]:
    return set(
        Notification.objects.filter(category=category).values_list(
            "user__username", flat=True
        )
    )


class StageChangeTests(NotificationTestCase):
    def test_the_parties_hear_of_a_stage_change_but_not_the_actor(self):
        Notification.objects.all().delete()
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        # bob is alice's teammate, gina the owner's writer; gary only reads.
        self.assertEqual(recipients("lifecycle"), {"bob", "gina"})
        row = Notification.objects.get(user=self.gina)
        self.assertIn("moved from Released to R&D", row.subject)
        self.assertEqual(row.url, self.solution.get_absolute_url())

    def test_registering_tells_the_owner(self):
        self.assertEqual(recipients("lifecycle"), {"bob", "gina"})

    def test_the_testing_chair_hears_of_the_move_into_pilot(self):
        self.to_testing()
        self.decide_testing()
        row = services.solution_advance(
            solution=self.refresh(), user=self.olivia, to_stage="pilot"
        )
        self.assertEqual(
            [u.username for u in notification_services._relevant_chairs(row)],
            ["gina"],
        )
        self.assertIn("gina", recipients("lifecycle"))
        self.assertNotIn("olivia", recipients("lifecycle"))

    def test_preferences_switch_stage_changes_off(self):
        notification_preferences_save(
            user=self.gina, preferences={"lifecycle": (False, False)}
        )
        Notification.objects.all().delete()
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        self.assertEqual(recipients("lifecycle"), {"bob"})


class GateRefusalTests(NotificationTestCase):
    def refuse(self, user=None):
        with self.assertRaisesMessage(ValidationError, "The gate into Testing"):
            services.solution_advance(
                solution=self.refresh(), user=user or self.alice, to_stage="testing"
            )

    def setUp(self) -> None:
        super().setUp()
        self.sample_run.delete()
        services.solution_advance(
            solution=self.solution, user=self.alice, to_stage="rnd"
        )
        Notification.objects.all().delete()

    def test_a_refusal_is_kept_and_told_to_the_counterparts(self):
        self.refuse()
        refusal = GateRefusal.objects.get()
        self.assertEqual(refusal.actor, self.alice)
        self.assertEqual(refusal.to_stage, "testing")
        self.assertEqual(refusal.failed, ["sample_run_succeeded"])
        self.assertIs(refusal.notified, True)
        # The vendor's own side is not told; the owner's writers are.
        self.assertEqual(recipients("gates"), {"gina"})
        row = Notification.objects.get(category="gates")
        self.assertIn("did not pass the gate into Testing and validation", row.subject)
        self.assertIn("Validation run succeeded: observed missing", row.body)
        # The refused move itself left nothing behind.
        self.assertEqual(self.refresh().stage, "rnd")
        self.assertEqual(self.solution.transitions.count(), 2)

    def test_the_same_refusal_is_not_told_twice_a_day(self):
        self.refuse()
        self.refuse()
        self.assertEqual(GateRefusal.objects.count(), 2)
        self.assertEqual(
            list(GateRefusal.objects.order_by("pk").values_list("notified", flat=True)),
            [True, False],
        )
        self.assertEqual(Notification.objects.filter(category="gates").count(), 1)

    def test_it_is_told_again_after_the_quiet_time(self):
        self.refuse()
        GateRefusal.objects.update(
            created_at=GateRefusal.objects.get().created_at - timedelta(days=2)
        )
        self.refuse()
        self.assertEqual(Notification.objects.filter(category="gates").count(), 2)

    def test_a_role_refusal_is_not_told(self):
        with self.assertRaises(PermissionDenied):
            services.solution_advance(
                solution=self.refresh(), user=self.bob, to_stage="testing"
            )
        self.assertIs(GateRefusal.objects.exists(), False)
        self.assertIs(Notification.objects.exists(), False)

    def test_an_owners_refusal_is_told_to_the_vendor(self):
        self.put_in("testing")
        with self.assertRaises(ValidationError):
            services.solution_advance(
                solution=self.refresh(), user=self.gina, to_stage="pilot"
            )
        self.assertEqual(recipients("gates"), {"alice", "bob"})

    def test_preferences_switch_gate_failures_off(self):
        notification_preferences_save(
            user=self.gina, preferences={"gates": (False, False)}
        )
        self.refuse()
        self.assertEqual(recipients("gates"), set())


class PilotReminderTests(NotificationTestCase):
    today = date(2026, 5, 25)

    def setUp(self) -> None:
        super().setUp()
        self.put_in("pilot")
        self.pilot = self.make_pilot(ends_on=date(2026, 5, 31))
        Notification.objects.all().delete()

    def make_pilot(self, ends_on: date) -> Pilot:
        return services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site=f"Site {ends_on}",
            starts_on=date(2026, 3, 1),
            ends_on=ends_on,
            mode=Pilot.Mode.SHADOW,
        )

    def send(self, today=None) -> int:
        return notification_services.pilot_deadline_reminders_send(
            today=today or self.today
        )

    def test_it_reminds_the_owners_writers_once(self):
        self.assertEqual(self.send(), 1)
        self.assertEqual(self.send(), 0)
        self.assertEqual(recipients("pilots"), {"gina"})
        reminder = PilotReminder.objects.get()
        self.assertEqual(reminder.kind, PilotReminder.Kind.ENDING)
        self.assertEqual(reminder.ends_on, date(2026, 5, 31))
        self.assertEqual(reminder.recipients, [self.gina.pk])
        row = Notification.objects.get()
        self.assertEqual(row.subject, "Pilot at Site 2026-05-31 ends on 2026-05-31")
        self.assertEqual(row.url, self.pilot.get_absolute_url())

    def test_it_leaves_pilots_far_from_their_end_alone(self):
        self.assertEqual(self.send(today=date(2026, 5, 1)), 0)

    @override_settings(PILOT_REMINDER_DAYS=40)
    def test_the_window_is_a_setting(self):
        self.assertEqual(self.send(today=date(2026, 5, 1)), 1)

    def test_it_reminds_of_an_open_pilot_past_its_end_once(self):
        self.send()
        self.assertEqual(self.send(today=date(2026, 6, 2)), 1)
        self.assertEqual(self.send(today=date(2026, 6, 3)), 0)
        self.assertEqual(
            sorted(PilotReminder.objects.values_list("kind", flat=True)),
            ["ending", "overdue"],
        )
        self.assertEqual(Notification.objects.count(), 2)
        self.assertIn("past its end date", Notification.objects.first().subject)

    def test_closed_pilots_are_not_reminded(self):
        services.pilot_close(pilot=self.pilot, user=self.gina)
        self.assertEqual(self.send(today=date(2026, 6, 2)), 0)

    def test_an_extended_pilot_is_reminded_again(self):
        self.send()
        Pilot.objects.filter(pk=self.pilot.pk).update(ends_on=date(2026, 6, 28))
        self.assertEqual(self.send(today=date(2026, 6, 25)), 1)

    def test_the_task_is_idempotent(self):
        self.make_pilot(ends_on=self.today - timedelta(days=1))
        with self.captureOnCommitCallbacks(execute=True):
            first = pilot_deadline_reminders()
            second = pilot_deadline_reminders()
        # The beat task runs on today's date: at most one of each per pilot.
        self.assertEqual(second, 0)
        self.assertEqual(PilotReminder.objects.count(), first)

    def test_preferences_switch_pilot_deadlines_off(self):
        notification_preferences_save(
            user=self.gina, preferences={"pilots": (False, False)}
        )
        self.assertEqual(self.send(), 1)
        self.assertIs(Notification.objects.exists(), False)
        # Still recorded as sent: switching back on does not resend it.
        self.assertEqual(PilotReminder.objects.get().recipients, [self.gina.pk])


class TransitionKindsTests(LifecycleTestCase):
    def test_every_transition_kind_has_a_label(self):
        for kind in Transition.Kind:
            self.assertTrue(str(kind.label))
