"""The operator's ledger page and its "verify now" button."""

from __future__ import annotations

from django.urls import reverse

from portal.ledger.models import LedgerCheck, LedgerEntry
from portal.ledger.services import ledger_append
from tests.base import PortalTestCase
from tests.portal.test_ledger_services import tampering


def fill(n: int, start: int = 1, **kwargs) -> None:
    for i in range(start, start + n):
        ledger_append(
            **{
                "kind": "scenario.published",
                "actor": None,
                "subject": f"scenario:{i}",
                "payload": {"version": i},
                **kwargs,
            }
        )


class LedgerIndexTests(PortalTestCase):
    url = reverse("ledger:index")

    def test_it_lists_entries_newest_first_with_the_head(self):
        fill(2)
        ledger_append(
            kind="dataset.downloaded",
            actor=self.alice,
            true_actor=self.olivia,
            organisation=self.vendor_a,
            subject="dataset_file:7",
            payload={"sha256": "ab" * 32},
            evidence=["blob:sha256:" + "ab" * 32],
        )
        self.login(self.olivia)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        page = list(response.context["page"])
        self.assertEqual([e.sequence for e in page], [3, 2, 1])
        head = LedgerEntry.objects.get(sequence=3)
        self.assertContains(response, head.entry_hash)
        self.assertContains(response, "(by olivia)")
        self.assertContains(response, "Never verified.")

    def test_it_filters_by_kind_and_subject(self):
        fill(3)
        fill(1, start=9, kind="run.scored")
        self.login(self.olivia)
        response = self.client.get(self.url, {"kind": "run.scored"})
        self.assertEqual([e.sequence for e in response.context["page"]], [4])
        response = self.client.get(self.url, {"subject": "scenario:2"})
        self.assertEqual([e.sequence for e in response.context["page"]], [2])
        # An unknown kind is not a choice: the filter is ignored.
        response = self.client.get(self.url, {"kind": "nope.nope"})
        self.assertEqual(len(response.context["page"]), 4)

    def test_it_paginates_with_a_constant_number_of_queries(self):
        self.login(self.olivia)
        fill(3)
        # Session, user, operator memberships, unread count, kinds, the
        # page's count and rows, the head, the latest check, the recent
        # checks.
        with self.assertNumQueries(10):
            self.client.get(self.url)
        fill(60, start=4)
        with self.assertNumQueries(10):
            response = self.client.get(self.url, {"page": 2})
        self.assertEqual(len(response.context["page"]), 13)

    def test_it_shows_zh_hans(self):
        self.login(self.olivia)
        response = self.client.get(self.url, headers={"accept-language": "zh-hans"})
        self.assertContains(response, "立即验证")

    def test_it_is_for_operators_only(self):
        for user in (self.alice, self.gina, self.rita, self.nobody):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_it_sends_anonymous_users_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_it_rejects_post(self):
        self.login(self.olivia)
        self.assertEqual(self.client.post(self.url).status_code, 405)


class LedgerVerifyViewTests(PortalTestCase):
    url = reverse("ledger:verify")

    def test_it_records_an_intact_chain(self):
        fill(3)
        self.login(self.olivia)
        response = self.client.post(self.url, follow=True)
        self.assertRedirects(response, reverse("ledger:index"))
        self.assertContains(response, "The ledger is intact: 3 entries checked.")
        self.assertContains(response, "Chain intact")
        check = LedgerCheck.objects.get()
        self.assertEqual((check.ok, check.ran_by), (True, self.olivia))

    def test_it_reports_a_broken_chain(self):
        fill(3)
        with tampering():
            LedgerEntry.objects.filter(sequence=2).delete()
        self.login(self.olivia)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "Entry 2 is missing: the entry after 1 is 3.")
        self.assertContains(response, "Chain broken")
        self.assertIs(LedgerCheck.objects.get().ok, False)

    def test_it_is_for_operators_only(self):
        for user in (self.alice, self.gina, self.nobody):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.post(self.url).status_code, 403)
        self.assertFalse(LedgerCheck.objects.exists())

    def test_it_rejects_get(self):
        self.login(self.olivia)
        self.assertEqual(self.client.get(self.url).status_code, 405)


class LedgerAdminTests(PortalTestCase):
    def test_operators_see_entries_read_only(self):
        fill(1)
        entry = LedgerEntry.objects.get()
        self.login(self.olivia)
        changelist = reverse("admin:ledger_ledgerentry_changelist")
        self.assertContains(self.client.get(changelist), "scenario:1")
        response = self.client.get(
            reverse("admin:ledger_ledgerentry_change", args=[entry.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')
        for url in (
            reverse("admin:ledger_ledgerentry_add"),
            reverse("admin:ledger_ledgerentry_delete", args=[entry.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(
            reverse("admin:ledger_ledgerentry_change", args=[entry.pk]),
            {"subject": "scenario:2"},
        )
        self.assertEqual(response.status_code, 403)
        entry.refresh_from_db()
        self.assertEqual(entry.subject, "scenario:1")

    def test_others_cannot_see_the_ledger_in_the_admin(self):
        self.alice.is_staff = True
        self.alice.save(update_fields=["is_staff"])
        self.login(self.alice)
        response = self.client.get(reverse("admin:ledger_ledgerentry_changelist"))
        self.assertEqual(response.status_code, 403)
