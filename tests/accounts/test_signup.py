from __future__ import annotations

from django.urls import reverse

from portal.accounts.models import Membership, Organisation, User
from tests.accounts.helpers import AccountsTestCase, mails_to, verification_link
from tests.base import PASSWORD


class SignupTestCase(AccountsTestCase):
    def post(self, **overrides: str):
        data = {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "organisation_kind": "",
            "organisation_name_zh": "",
            "organisation_name_en": "",
            **overrides,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("accounts:signup"), data)

    def test_it_shows_the_form(self):
        response = self.client.get(reverse("accounts:signup"))
        self.assertContains(response, 'id="signup-form"')
        self.assertContains(response, 'name="organisation_kind"')

    def test_it_creates_an_unverified_user_and_sends_a_verification_mail(self):
        response = self.post()
        self.assertRedirects(
            response, reverse("accounts:profile"), fetch_redirect_response=False
        )
        user = User.objects.get(username="newbie")
        self.assertIsNone(user.email_verified_at)
        self.assertIs(user.check_password(PASSWORD), True)
        self.assertEqual(user.memberships.count(), 0)
        sent = mails_to("newbie@example.com")
        self.assertEqual(len(sent), 1)
        self.assertIn("/accounts/verify-email/", verification_link(sent[0]))
        # The new user is logged in.
        self.assertEqual(int(self.client.session["_auth_user_id"]), user.pk)

    def test_it_creates_an_unverified_organisation_owned_by_the_user(self):
        self.post(
            organisation_kind="vendor",
            organisation_name_zh="新智能",
            organisation_name_en="New Intelligence",
        )
        user = User.objects.get(username="newbie")
        membership = Membership.objects.get(user=user)
        self.assertEqual(membership.role, Membership.Role.OWNER)
        org = membership.organisation
        self.assertEqual(org.kind, Organisation.Kind.VENDOR)
        self.assertEqual(org.slug, "new-intelligence")
        self.assertEqual(org.name_zh, "新智能")
        self.assertIsNone(org.verified_at)
        self.assertEqual(len(mails_to("newbie@example.com")), 1)
        # Operators hear about the new organisation.
        self.assertEqual(self.olivia.notifications.count(), 1)

    def test_it_copies_a_single_name_to_both_languages(self):
        self.post(organisation_kind="energy", organisation_name_zh="华能新能源")
        org = Organisation.objects.get(memberships__user__username="newbie")
        self.assertEqual(org.name_en, "华能新能源")
        self.assertEqual(org.slug, "organisation")

    def test_it_requires_a_name_with_a_kind(self):
        response = self.post(organisation_kind="energy")
        self.assertContains(
            response, "Enter the organisation&#x27;s name in Chinese or English."
        )
        self.assertIs(User.objects.filter(username="newbie").exists(), False)

    def test_it_rejects_operator_organisations(self):
        response = self.post(organisation_kind="operator", organisation_name_en="Evil")
        self.assertContains(response, "Select a valid choice.")
        self.assertIs(User.objects.filter(username="newbie").exists(), False)

    def test_it_rejects_a_taken_email_in_any_case(self):
        response = self.post(email="ALICE@example.com")
        self.assertContains(
            response, "An account with this e-mail address already exists."
        )
        self.assertIs(User.objects.filter(username="newbie").exists(), False)

    def test_it_rejects_mismatched_passwords(self):
        response = self.post(password2="something else entirely 42")
        self.assertContains(response, "The two password fields")
        self.assertIs(User.objects.filter(username="newbie").exists(), False)

    def test_it_redirects_a_logged_in_user(self):
        self.login(self.alice)
        response = self.client.get(reverse("accounts:signup"))
        self.assertRedirects(
            response, reverse("accounts:profile"), fetch_redirect_response=False
        )
