"""Re-scoring the version under test on a new suite version (opt-in)."""

from __future__ import annotations

from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Run, Submission, SuiteVersion
from lifecycle import rescore_services, services
from lifecycle.models import Rescore
from portal.accounts.models import Notification
from portal.ledger.models import LedgerEntry
from tests.evaluations.helpers import make_blob, make_submission
from tests.lifecycle.helpers import LifecycleTestCase


class RescoreTestCase(LifecycleTestCase):
    def new_version(self, number: int = 2) -> SuiteVersion:
        SuiteVersion.objects.filter(suite=self.version.suite).update(
            status=SuiteVersion.Status.RETIRED
        )
        return SuiteVersion.objects.create(
            suite=self.version.suite,
            number=number,
            status=SuiteVersion.Status.PUBLISHED,
            config=self.version.config,
            bundle=self.version.bundle,
            published_at=timezone.now(),
        )

    def opt_in(self) -> None:
        rescore_services.solution_rescore_set(
            solution=self.solution, user=self.alice, enabled=True
        )
        self.refresh()


class OptInTests(RescoreTestCase):
    def test_the_vendors_writer_opts_in_with_a_ledger_entry(self):
        self.opt_in()
        self.assertIs(self.solution.rescore_on_new_suite, True)
        entry = LedgerEntry.objects.get(kind="lifecycle.rescore_opt_in")
        self.assertEqual(entry.payload, {"enabled": True})
        # Setting it again changes nothing and appends nothing.
        self.opt_in()
        self.assertEqual(
            LedgerEntry.objects.filter(kind="lifecycle.rescore_opt_in").count(), 1
        )

    def test_readers_owners_and_other_vendors_may_not(self):
        for user in (self.bob, self.gina, self.charlie, self.rita):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                rescore_services.solution_rescore_set(
                    solution=self.solution, user=user, enabled=True
                )

    def test_a_withdrawn_solution_cannot_opt_in(self):
        services.solution_withdraw(
            solution=self.solution, user=self.alice, reasons="Stopping."
        )
        with self.assertRaisesMessage(ValidationError, "left the lifecycle"):
            rescore_services.solution_rescore_set(
                solution=self.refresh(), user=self.olivia, enabled=True
            )


class RescoreServiceTests(RescoreTestCase):
    def test_an_opted_in_package_is_submitted_again_once(self):
        self.opt_in()
        version = self.new_version()
        with self.captureOnCommitCallbacks():
            (rescore,) = rescore_services.solutions_rescore(suite_version_id=version.pk)
        copy = rescore.submission
        self.assertEqual(copy.suite_version, version)
        self.assertEqual(copy.blob_id, self.submission_a.blob_id)
        self.assertEqual(
            (copy.organisation, copy.submitted_by, copy.name),
            (self.vendor_a, self.alice, self.submission_a.name),
        )
        self.assertEqual(
            list(copy.runs.values_list("split", "status")),
            [(Run.Split.SAMPLE, Run.Status.QUEUED)],
        )
        entry = LedgerEntry.objects.get(sequence=rescore.ledger_sequence)
        self.assertEqual(entry.kind, "lifecycle.rescored")
        self.assertIn(f"submission:{copy.pk}", entry.evidence)
        # In each recipient's language; the link names the solution.
        self.assertTrue(
            Notification.objects.filter(
                user=self.alice,
                url=self.solution.get_absolute_url(),
                category="lifecycle",
            ).exists()
        )
        # The version under test does not change.
        self.assertEqual(self.refresh().submission, self.submission_a)
        # A repeated task adds nothing.
        self.assertEqual(
            rescore_services.solutions_rescore(suite_version_id=version.pk), []
        )
        self.assertEqual(Rescore.objects.count(), 1)

    def test_solutions_that_did_not_opt_in_are_left_alone(self):
        version = self.new_version()
        self.assertEqual(
            rescore_services.solutions_rescore(suite_version_id=version.pk), []
        )
        self.assertFalse(Submission.objects.filter(suite_version=version).exists())

    def test_prediction_files_and_ended_solutions_are_skipped(self):
        prediction = make_submission(
            self.version, self.vendor_b, self.charlie, kind=Submission.Kind.PREDICTIONS
        )
        predicted = services.solution_register(submission=prediction, user=self.charlie)
        rescore_services.solution_rescore_set(
            solution=predicted, user=self.charlie, enabled=True
        )
        self.opt_in()
        services.solution_withdraw(
            solution=self.solution, user=self.alice, reasons="Stopping."
        )
        version = self.new_version()
        self.assertEqual(
            rescore_services.solutions_rescore(suite_version_id=version.pk), []
        )

    def test_an_unpublished_version_rescores_nothing(self):
        self.opt_in()
        version = self.new_version()
        SuiteVersion.objects.filter(pk=version.pk).update(
            status=SuiteVersion.Status.DRAFT
        )
        self.assertEqual(
            rescore_services.solutions_rescore(suite_version_id=version.pk), []
        )

    def test_publishing_a_suite_version_enqueues_the_task_after_commit(self):
        from evaluations import suite_services

        draft = SuiteVersion.objects.create(
            suite=self.version.suite,
            number=2,
            status=SuiteVersion.Status.DRAFT,
            config=self.version.config,
            bundle=make_blob(),
            bundle_summary=self.version.bundle_summary,
        )
        with (
            mock.patch("lifecycle.tasks.solutions_rescore.delay") as delay,
            mock.patch("evaluations.suite_services._checked_config"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            suite_services.suite_version_publish(version=draft, user=self.gina)
        delay.assert_called_once_with(draft.pk)


class RescoreViewTests(RescoreTestCase):
    def url(self) -> str:
        return reverse("lifecycle:rescore", args=[self.solution.pk])

    def test_the_vendor_switches_it_on_and_off(self):
        self.login(self.alice)
        response = self.client.post(self.url(), {"enabled": "on"})
        self.assertRedirects(response, self.solution.get_absolute_url())
        self.assertIs(self.refresh().rescore_on_new_suite, True)
        page = self.client.get(self.solution.get_absolute_url())
        self.assertContains(page, "Re-scoring is on.")
        self.assertContains(page, "Turn it off")
        self.client.post(self.url(), {"enabled": "off"})
        self.assertIs(self.refresh().rescore_on_new_suite, False)

    def test_the_page_lists_rescores_with_their_hidden_run(self):
        self.opt_in()
        version = self.new_version()
        (rescore,) = rescore_services.solutions_rescore(suite_version_id=version.pk)
        self.login(self.gina)
        page = self.client.get(self.solution.get_absolute_url())
        self.assertContains(page, f"#{rescore.submission.pk}")
        self.assertContains(page, "waiting for the validation run")
        self.assertNotContains(page, "Turn it on")

    def test_an_unknown_choice_changes_nothing(self):
        self.opt_in()
        self.login(self.alice)
        response = self.client.post(self.url(), {"enabled": "maybe"}, follow=True)
        self.assertContains(response, "Choose whether re-scoring is on or off.")
        self.assertIs(self.refresh().rescore_on_new_suite, True)

    def test_ownership_write_access_and_method(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.post(self.url(), {"enabled": "on"}).status_code, 404
        )
        self.login(self.bob)
        self.assertEqual(
            self.client.post(self.url(), {"enabled": "on"}).status_code, 403
        )
        self.assertIs(self.refresh().rescore_on_new_suite, False)
        self.login(self.alice)
        self.assertEqual(self.client.get(self.url()).status_code, 405)
