from __future__ import annotations

from django.urls import reverse

from tests.reviews.helpers import ReviewTestCase


class AdminTests(ReviewTestCase):
    def test_operators_look_up_rounds_read_only(self):
        self.login(self.olivia)
        for name in (
            "reviews_reviewround",
            "reviews_assignment",
            "reviews_conflict",
            "reviews_reviewversion",
            "reviews_decision",
        ):
            with self.subTest(name=name):
                url = reverse(f"admin:{name}_changelist")
                self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.get(
            reverse("admin:reviews_reviewround_change", args=[self.round.pk])
        )
        self.assertContains(response, "Testing round 1")
        self.assertEqual(
            self.client.get(reverse("admin:reviews_reviewround_add")).status_code, 403
        )

    def test_others_are_kept_out(self):
        self.login(self.gina)
        url = reverse("admin:reviews_reviewround_changelist")
        self.assertEqual(self.client.get(url).status_code, 302)
