from __future__ import annotations

from django.urls import reverse

from portal.accounts.models import Organisation, User
from tests.accounts.helpers import AccountsTestCase


class AdminTestCase(AccountsTestCase):
    def test_it_lets_operators_use_the_admin(self):
        self.login(self.olivia)
        for name in (
            "admin:accounts_user_changelist",
            "admin:accounts_organisation_changelist",
            "admin:accounts_reviewerprofile_changelist",
            "admin:accounts_notification_changelist",
        ):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        response = self.client.get(
            reverse("admin:accounts_organisation_change", args=[self.vendor_a.pk])
        )
        self.assertContains(response, "alice")
        response = self.client.get(
            reverse("admin:accounts_user_change", args=[self.alice.pk])
        )
        self.assertContains(response, "email_verified_at")

    def test_it_filters_organisations(self):
        self.login(self.olivia)
        response = self.client.get(
            reverse("admin:accounts_organisation_changelist")
            + "?verified=no&kind=vendor"
        )
        self.assertContains(response, "Unverified Ai")
        self.assertNotContains(response, "Vendor B")

    def test_it_verifies_selected_organisations(self):
        self.login(self.olivia)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:accounts_organisation_changelist"),
                {
                    "action": "verify_selected",
                    "_selected_action": [self.unverified_vendor.pk, self.vendor_a.pk],
                },
                follow=True,
            )
        self.assertContains(response, "1 organisation verified.")
        org = Organisation.objects.get(pk=self.unverified_vendor.pk)
        self.assertEqual(org.verified_by, self.olivia)
        self.assertEqual(self.uma.notifications.count(), 1)

    def test_it_keeps_superuser_powers_from_operators(self):
        root = User.objects.create_superuser("root", "root@example.com", "x")
        self.login(self.olivia)
        response = self.client.get(
            reverse("admin:accounts_user_change", args=[root.pk])
        )
        # Operators may view a superuser but not change it.
        self.assertNotContains(response, 'name="email"')
        response = self.client.post(
            reverse("admin:accounts_user_change", args=[root.pk]),
            {"username": "root", "email": "mine@example.com"},
        )
        self.assertEqual(response.status_code, 403)

    def test_it_refuses_staff_who_are_not_operators(self):
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.login(self.alice)
        response = self.client.get(reverse("admin:accounts_organisation_changelist"))
        self.assertEqual(response.status_code, 403)

    def test_it_refuses_non_staff(self):
        self.login(self.gina)
        response = self.client.get(reverse("admin:accounts_organisation_changelist"))
        self.assertEqual(response.status_code, 302)

    def test_it_lets_operators_add_users(self):
        self.login(self.olivia)
        url = reverse("admin:accounts_user_add")
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url,
            {
                "username": "newcomer",
                "email": "newcomer@example.com",
                "usable_password": "true",
                "password1": "a long enough passphrase 42",
                "password2": "a long enough passphrase 42",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertIs(User.objects.filter(email="newcomer@example.com").exists(), True)
