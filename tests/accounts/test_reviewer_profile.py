from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import ReviewerProfile
from tests.accounts.helpers import AccountsTestCase


class ReviewerProfileViewTestCase(AccountsTestCase):
    def post(self, **overrides):
        data = {
            "bio_zh": "电网调度专家",
            "bio_en": "Grid dispatch expert",
            "sectors": ["grid", "storage"],
            "task_types": ["forecasting"],
            "affiliations": "  State Grid \nstate grid\n\nTsinghua University\n",
            "collaborations": "Vendor A",
            **overrides,
        }
        return self.client.post(reverse("accounts:reviewer_profile"), data)

    def test_it_creates_a_profile_with_clean_lists(self):
        self.login(self.nobody)
        response = self.post()
        self.assertRedirects(
            response,
            reverse("accounts:reviewer_profile"),
            fetch_redirect_response=False,
        )
        profile = ReviewerProfile.objects.get(user=self.nobody)
        self.assertEqual(profile.sectors, ["grid", "storage"])
        self.assertEqual(profile.task_types, ["forecasting"])
        self.assertEqual(profile.affiliations, ["State Grid", "Tsinghua University"])
        self.assertEqual(profile.collaborations, ["Vendor A"])
        self.assertEqual(profile.bio_en, "Grid dispatch expert")

    def test_it_edits_an_existing_profile(self):
        self.login(self.rita)
        response = self.client.get(reverse("accounts:reviewer_profile"))
        self.assertContains(
            response,
            '<input type="checkbox" name="sectors" value="wind" id="id_sectors_3" checked>',
            html=True,
        )
        self.post(sectors=["solar"])
        profile = ReviewerProfile.objects.get(user=self.rita)
        self.assertEqual(profile.sectors, ["solar"])
        self.assertEqual(ReviewerProfile.objects.filter(user=self.rita).count(), 1)

    def test_it_rejects_unknown_sectors(self):
        self.login(self.nobody)
        response = self.post(sectors=["grid", "moon"])
        self.assertContains(
            response, "Select a valid choice. moon is not one of the available choices."
        )
        self.assertIs(ReviewerProfile.objects.filter(user=self.nobody).exists(), False)

    def test_it_rejects_too_many_lines(self):
        self.login(self.nobody)
        lines = "\n".join(f"Company {n}" for n in range(51))
        response = self.post(affiliations=lines)
        self.assertContains(response, "Enter at most 50 lines.")

    def test_it_rejects_long_lines(self):
        self.login(self.nobody)
        response = self.post(collaborations="x" * 201)
        self.assertContains(response, "Keep each line to 200 characters or fewer.")

    def test_it_requires_login(self):
        response = self.client.get(reverse("accounts:reviewer_profile"))
        self.assertEqual(response.status_code, 302)


class ReviewerProfileServiceTestCase(AccountsTestCase):
    def test_it_validates_values_in_the_service(self):
        with self.assertRaisesMessage(ValidationError, "Choose values from the list."):
            services.reviewer_profile_update(user=self.nobody, task_types=["juggling"])

    def test_it_deduplicates_case_insensitively(self):
        profile = services.reviewer_profile_update(
            user=self.nobody,
            sectors=["grid", "grid"],
            affiliations=["ACME", " acme ", "Acme  Corp"],
        )
        self.assertEqual(profile.sectors, ["grid"])
        self.assertEqual(profile.affiliations, ["ACME", "Acme Corp"])
