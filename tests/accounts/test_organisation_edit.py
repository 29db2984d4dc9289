from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.accounts.helpers import AccountsTestCase


class OrganisationEditTestCase(AccountsTestCase):
    data = {
        "name_zh": "甲厂商",
        "name_en": "Vendor A Ltd",
        "description_zh": "",
        "description_en": "We forecast load.",
        "website": "https://vendor-a.example",
    }

    def url(self, slug: str = "vendor-a") -> str:
        return reverse("accounts:organisation_edit", args=[slug])

    def test_it_saves_the_details(self):
        self.login(self.alice)
        response = self.client.post(self.url(), self.data)
        self.assertRedirects(
            response, self.vendor_a.get_absolute_url(), fetch_redirect_response=False
        )
        self.vendor_a.refresh_from_db()
        self.assertEqual(self.vendor_a.name_en, "Vendor A Ltd")
        self.assertEqual(self.vendor_a.website, "https://vendor-a.example")

    def test_it_adds_a_scheme_to_the_website(self):
        self.login(self.alice)
        self.client.post(self.url(), {**self.data, "website": "vendor-a.example"})
        self.vendor_a.refresh_from_db()
        self.assertEqual(self.vendor_a.website, "https://vendor-a.example")

    def test_it_checks_ownership(self):
        self.login(self.charlie)
        for method in (self.client.get, self.client.post):
            with self.subTest(method=method.__name__):
                self.assertEqual(method(self.url()).status_code, 404)

    def test_it_requires_write_access(self):
        self.login(self.bob)
        for method in (self.client.get, self.client.post):
            with self.subTest(method=method.__name__):
                self.assertEqual(method(self.url(), self.data).status_code, 403)
        self.vendor_a.refresh_from_db()
        self.assertEqual(self.vendor_a.name_en, "Vendor A")

    def test_it_returns_a_rejected_organisation_to_the_queue(self):
        org = self.unverified_vendor
        org.rejected_at = timezone.now()
        org.rejection_reason = "Unknown company"
        org.save(update_fields=["rejected_at", "rejection_reason"])
        self.login(self.uma)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.url(org.slug), self.data)
        org.refresh_from_db()
        self.assertIsNone(org.rejected_at)
        self.assertEqual(org.rejection_reason, "")
        self.assertEqual(self.olivia.notifications.count(), 1)


class OrganisationCreateTestCase(AccountsTestCase):
    def test_it_creates_an_unverified_organisation(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:organisation_create"),
            {"kind": "review", "name_zh": "", "name_en": "Alice Lab", "website": ""},
        )
        self.assertRedirects(
            response,
            reverse("accounts:organisation", args=["alice-lab"]),
            fetch_redirect_response=False,
        )
        membership = self.alice.memberships.get(organisation__slug="alice-lab")
        self.assertEqual(membership.role, "owner")
        self.assertIs(membership.organisation.is_verified, False)

    def test_it_avoids_taken_and_reserved_slugs(self):
        self.login(self.alice)
        for name in ("Vendor A", "Queue"):
            with self.subTest(name=name):
                self.client.post(
                    reverse("accounts:organisation_create"),
                    {"kind": "vendor", "name_en": name},
                )
        slugs = set(self.alice.memberships.values_list("organisation__slug", flat=True))
        self.assertEqual(slugs, {"vendor-a", "vendor-a-2", "queue-organisation"})

    def test_it_rejects_the_operator_kind(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("accounts:organisation_create"),
            {"kind": "operator", "name_en": "Ops"},
        )
        self.assertContains(response, "Select a valid choice.")

    def test_it_requires_login(self):
        response = self.client.get(reverse("accounts:organisation_create"))
        self.assertEqual(response.status_code, 302)
