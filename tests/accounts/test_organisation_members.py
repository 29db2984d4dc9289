from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Membership
from tests.accounts.helpers import AccountsTestCase
from tests.base import make_user


class MembersPageTestCase(AccountsTestCase):
    def test_it_lists_members_for_owners(self):
        self.login(self.alice)
        response = self.client.get(
            reverse("accounts:organisation_members", args=["vendor-a"])
        )
        self.assertContains(response, "bob@example.com")
        self.assertContains(response, 'id="add-member"')

    def test_it_checks_ownership(self):
        self.login(self.bob)
        response = self.client.get(
            reverse("accounts:organisation_members", args=["vendor-b"])
        )
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_access(self):
        self.login(self.bob)
        response = self.client.get(
            reverse("accounts:organisation_members", args=["vendor-a"])
        )
        self.assertEqual(response.status_code, 403)

    def test_it_rejects_get_on_post_only_endpoints(self):
        self.login(self.alice)
        pk = Membership.objects.get(user=self.bob).pk
        urls = [
            reverse("accounts:organisation_member_add", args=["vendor-a"]),
            reverse("accounts:organisation_member_role", args=["vendor-a", pk]),
            reverse("accounts:organisation_member_remove", args=["vendor-a", pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 405)


class MemberAddTestCase(AccountsTestCase):
    url = "accounts:organisation_member_add"

    def test_it_adds_an_existing_user_by_email(self):
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse(self.url, args=["vendor-a"]),
                {"email": "NOBODY@example.com", "role": "admin"},
            )
        self.assertRedirects(
            response,
            reverse("accounts:organisation_members", args=["vendor-a"]),
            fetch_redirect_response=False,
        )
        membership = Membership.objects.get(user=self.nobody)
        self.assertEqual(membership.organisation, self.vendor_a)
        self.assertEqual(membership.role, "admin")
        self.assertEqual(self.nobody.notifications.count(), 1)

    def test_it_reports_unknown_addresses(self):
        self.login(self.alice)
        response = self.client.post(
            reverse(self.url, args=["vendor-a"]),
            {"email": "ghost@example.com", "role": "member"},
        )
        self.assertContains(response, "Nobody has signed up with this e-mail address.")

    def test_it_reports_existing_members(self):
        self.login(self.alice)
        response = self.client.post(
            reverse(self.url, args=["vendor-a"]),
            {"email": "bob@example.com", "role": "member"},
        )
        self.assertContains(response, "This person is already a member.")

    def test_it_checks_ownership(self):
        self.login(self.charlie)
        response = self.client.post(
            reverse(self.url, args=["vendor-a"]),
            {"email": "nobody@example.com", "role": "member"},
        )
        self.assertEqual(response.status_code, 404)

    def test_it_requires_write_access(self):
        self.login(self.bob)
        response = self.client.post(
            reverse(self.url, args=["vendor-a"]),
            {"email": "nobody@example.com", "role": "member"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertIs(Membership.objects.filter(user=self.nobody).exists(), False)

    def test_it_does_not_let_admins_add_owners(self):
        admin = make_user("adam", self.vendor_a, role=Membership.Role.ADMIN)
        self.login(admin)
        response = self.client.post(
            reverse(self.url, args=["vendor-a"]),
            {"email": "nobody@example.com", "role": "owner"},
        )
        self.assertEqual(response.status_code, 403)


class MemberRoleTestCase(AccountsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.adam = make_user("adam", cls.vendor_a, role=Membership.Role.ADMIN)

    def change(self, user, role: str):
        membership = Membership.objects.get(user=user, organisation=self.vendor_a)
        return self.client.post(
            reverse(
                "accounts:organisation_member_role", args=["vendor-a", membership.pk]
            ),
            {"role": role},
        )

    def role_of(self, user) -> str:
        return Membership.objects.get(user=user, organisation=self.vendor_a).role

    def test_it_changes_a_role(self):
        self.login(self.alice)
        response = self.change(self.bob, "admin")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.role_of(self.bob), "admin")

    def test_it_lets_owners_promote_to_owner(self):
        self.login(self.alice)
        self.change(self.bob, "owner")
        self.assertEqual(self.role_of(self.bob), "owner")

    def test_it_does_not_let_admins_promote_to_owner(self):
        self.login(self.adam)
        response = self.change(self.bob, "owner")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.role_of(self.bob), "member")

    def test_it_does_not_let_admins_demote_an_owner(self):
        self.login(self.adam)
        response = self.change(self.alice, "member")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.role_of(self.alice), "owner")

    def test_it_keeps_the_last_owner(self):
        self.login(self.alice)
        response = self.change(self.alice, "admin")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.role_of(self.alice), "owner")
        response = self.client.get(response["Location"])
        self.assertContains(response, "An organisation must keep at least one owner.")

    def test_it_requires_write_access(self):
        self.login(self.bob)
        response = self.change(self.bob, "admin")
        self.assertEqual(response.status_code, 403)

    def test_it_checks_ownership(self):
        self.login(self.charlie)
        response = self.change(self.bob, "admin")
        self.assertEqual(response.status_code, 404)

    def test_it_returns_404_for_a_member_of_another_organisation(self):
        self.login(self.alice)
        other = Membership.objects.get(user=self.charlie)
        response = self.client.post(
            reverse("accounts:organisation_member_role", args=["vendor-a", other.pk]),
            {"role": "member"},
        )
        self.assertEqual(response.status_code, 404)
        other.refresh_from_db()
        self.assertEqual(other.role, "owner")


class MemberRemoveTestCase(AccountsTestCase):
    def remove(self, user):
        membership = Membership.objects.get(user=user, organisation=self.vendor_a)
        return self.client.post(
            reverse(
                "accounts:organisation_member_remove", args=["vendor-a", membership.pk]
            )
        )

    def is_member(self, user) -> bool:
        return Membership.objects.filter(user=user, organisation=self.vendor_a).exists()

    def test_it_removes_a_member(self):
        self.login(self.alice)
        self.remove(self.bob)
        self.assertIs(self.is_member(self.bob), False)

    def test_it_keeps_the_last_owner(self):
        self.login(self.alice)
        self.remove(self.alice)
        self.assertIs(self.is_member(self.alice), True)

    def test_it_does_not_let_admins_remove_an_owner(self):
        admin = make_user("adam", self.vendor_a, role=Membership.Role.ADMIN)
        self.login(admin)
        response = self.remove(self.alice)
        self.assertEqual(response.status_code, 403)
        self.assertIs(self.is_member(self.alice), True)

    def test_it_lets_an_owner_remove_another_owner(self):
        second = make_user("olga", self.vendor_a, role=Membership.Role.OWNER)
        self.login(second)
        self.remove(self.alice)
        self.assertIs(self.is_member(self.alice), False)

    def test_it_requires_write_access(self):
        self.login(self.bob)
        response = self.remove(self.alice)
        self.assertEqual(response.status_code, 403)

    def test_it_checks_ownership(self):
        self.login(self.charlie)
        response = self.remove(self.bob)
        self.assertEqual(response.status_code, 404)


class MembershipServiceTestCase(AccountsTestCase):
    def test_it_refuses_to_remove_the_last_owner(self):
        membership = Membership.objects.get(user=self.alice)
        with self.assertRaisesMessage(
            ValidationError, "An organisation must keep at least one owner."
        ):
            services.membership_remove(actor=self.alice, membership=membership)

    def test_it_refuses_read_only_actors(self):
        membership = Membership.objects.get(user=self.bob)
        with self.assertRaisesMessage(
            PermissionDenied, "Only owners and administrators can manage members."
        ):
            services.membership_change_role(
                actor=self.bob, membership=membership, role="admin"
            )
