from __future__ import annotations

from django.urls import reverse

from portal.accounts.models import Notification
from tests.accounts.helpers import AccountsTestCase, mails_to


class OrganisationQueueTestCase(AccountsTestCase):
    def test_it_lists_unverified_organisations_for_operators(self):
        self.login(self.olivia)
        response = self.client.get(reverse("accounts:organisation_queue"))
        self.assertContains(response, 'id="queue-unverified-ai"')
        self.assertContains(response, "uma@example.com")
        self.assertNotContains(response, 'id="queue-vendor-a"')

    def test_it_keeps_its_query_count_constant(self):
        self.login(self.olivia)
        # Session, user, operator memberships, unread count, organisations,
        # their owners.
        with self.assertNumQueries(6):
            self.client.get(reverse("accounts:organisation_queue"))

    def test_it_is_for_operators_only(self):
        for user in (self.alice, self.uma, self.nobody):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(reverse("accounts:organisation_queue"))
                self.assertEqual(response.status_code, 403)


class OrganisationVerifyTestCase(AccountsTestCase):
    def url(self, slug: str = "unverified-ai") -> str:
        return reverse("accounts:organisation_verify", args=[slug])

    def test_it_verifies_and_notifies_the_owners(self):
        self.uma.language = "en"
        self.uma.save(update_fields=["language"])
        self.login(self.olivia)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url())
        self.assertRedirects(
            response,
            reverse("accounts:organisation_queue"),
            fetch_redirect_response=False,
        )
        org = self.unverified_vendor
        org.refresh_from_db()
        self.assertIsNotNone(org.verified_at)
        self.assertEqual(org.verified_by, self.olivia)
        notification = Notification.objects.get(user=self.uma)
        self.assertEqual(notification.subject, "Unverified Ai has been verified")
        self.assertEqual(len(mails_to("uma@example.com")), 1)

    def test_it_rejects_get(self):
        self.login(self.olivia)
        self.assertEqual(self.client.get(self.url()).status_code, 405)

    def test_it_is_for_operators_only(self):
        for user in (self.uma, self.alice):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.post(self.url()).status_code, 403)
        self.unverified_vendor.refresh_from_db()
        self.assertIsNone(self.unverified_vendor.verified_at)

    def test_it_returns_404_for_unknown_organisations(self):
        self.login(self.olivia)
        self.assertEqual(self.client.post(self.url("nope")).status_code, 404)

    def test_it_reports_an_already_verified_organisation(self):
        self.login(self.olivia)
        response = self.client.post(self.url("vendor-a"), follow=True)
        self.assertContains(response, "This organisation is already verified.")


class OrganisationRejectTestCase(AccountsTestCase):
    def reject(self, reason: str, slug: str = "unverified-ai"):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("accounts:organisation_reject", args=[slug]), {"reason": reason}
            )

    def test_it_rejects_with_a_reason_and_notifies_the_owners(self):
        self.login(self.olivia)
        self.reject("We could not find the company in the business register.")
        org = self.unverified_vendor
        org.refresh_from_db()
        self.assertIsNone(org.verified_at)
        self.assertIsNotNone(org.rejected_at)
        self.assertEqual(org.rejected_by, self.olivia)
        notification = Notification.objects.get(user=self.uma)
        self.assertIn("business register", notification.body)
        self.assertEqual(len(mails_to("uma@example.com")), 1)
        # A rejected organisation leaves the queue.
        response = self.client.get(reverse("accounts:organisation_queue"))
        self.assertNotContains(response, 'id="queue-unverified-ai"')

    def test_it_requires_a_reason(self):
        self.login(self.olivia)
        self.reject("   ")
        self.unverified_vendor.refresh_from_db()
        self.assertIsNone(self.unverified_vendor.rejected_at)

    def test_it_cannot_reject_a_verified_organisation(self):
        self.login(self.olivia)
        self.reject("No.", slug="vendor-a")
        self.vendor_a.refresh_from_db()
        self.assertIsNone(self.vendor_a.rejected_at)

    def test_it_is_for_operators_only(self):
        self.login(self.uma)
        self.assertEqual(self.reject("Self-rejection").status_code, 403)

    def test_it_rejects_get(self):
        self.login(self.olivia)
        response = self.client.get(
            reverse("accounts:organisation_reject", args=["unverified-ai"])
        )
        self.assertEqual(response.status_code, 405)
