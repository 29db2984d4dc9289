from __future__ import annotations

from django.urls import reverse

from tests.accounts.helpers import AccountsTestCase


class OrganisationPageTestCase(AccountsTestCase):
    def url(self, org) -> str:
        return reverse("accounts:organisation", args=[org.slug])

    def test_it_is_public_for_verified_organisations(self):
        response = self.client.get(self.url(self.vendor_a))
        self.assertContains(response, "Vendor A")
        self.assertContains(response, "Verified")
        self.assertNotContains(response, 'id="members"')

    def test_it_lists_members_to_members(self):
        self.login(self.bob)
        response = self.client.get(self.url(self.vendor_a))
        self.assertContains(response, 'id="members"')
        self.assertContains(response, "alice")
        # Read-only members see no management links.
        self.assertNotContains(
            response, reverse("accounts:organisation_members", args=["vendor-a"])
        )

    def test_it_lists_members_to_operators(self):
        self.login(self.olivia)
        response = self.client.get(self.url(self.vendor_a))
        self.assertContains(response, 'id="members"')

    def test_it_hides_members_from_outsiders(self):
        self.login(self.charlie)
        response = self.client.get(self.url(self.vendor_a))
        self.assertNotContains(response, 'id="members"')

    def test_it_shows_management_links_to_owners(self):
        self.login(self.alice)
        response = self.client.get(self.url(self.vendor_a))
        self.assertContains(
            response, reverse("accounts:organisation_members", args=["vendor-a"])
        )
        self.assertContains(
            response, reverse("accounts:organisation_edit", args=["vendor-a"])
        )

    def test_it_checks_ownership(self):
        """An unverified organisation is hidden from outsiders."""
        for user in (None, self.charlie):
            with self.subTest(user=user):
                if user is not None:
                    self.login(user)
                response = self.client.get(self.url(self.unverified_vendor))
                self.assertEqual(response.status_code, 404)

    def test_it_shows_an_unverified_organisation_to_its_members(self):
        self.login(self.uma)
        response = self.client.get(self.url(self.unverified_vendor))
        self.assertContains(response, "Awaiting verification")

    def test_it_shows_verification_actions_to_operators(self):
        self.login(self.olivia)
        response = self.client.get(self.url(self.unverified_vendor))
        self.assertContains(response, 'id="operator-actions"')

    def test_it_returns_404_for_unknown_slugs(self):
        response = self.client.get(reverse("accounts:organisation", args=["nope"]))
        self.assertEqual(response.status_code, 404)

    def test_it_rejects_post(self):
        response = self.client.post(self.url(self.vendor_a))
        self.assertEqual(response.status_code, 405)
