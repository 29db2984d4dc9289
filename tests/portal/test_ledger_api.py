"""GET /api/v1/ledger/verify/."""

from __future__ import annotations

from rest_framework.test import APIClient

from portal.ledger.models import LedgerEntry
from portal.ledger.services import ledger_append
from tests.base import PortalTestCase
from tests.portal.test_ledger_services import tampering

URL = "/api/v1/ledger/verify/"


class LedgerVerifyApiTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(1, 4):
            ledger_append(
                kind="run.scored", actor=None, subject=f"run:{n}", payload={"n": n}
            )

    def setUp(self):
        super().setUp()
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    def test_it_reports_an_intact_chain(self):
        self.api.force_authenticate(self.olivia)
        data = self.api.get(URL).json()
        self.assertEqual(
            data,
            {
                "ok": True,
                "start": 1,
                "end": None,
                "checked": 3,
                "total": 3,
                "head_sequence": 3,
                "head_hash": LedgerEntry.objects.get(sequence=3).entry_hash,
                "broken": None,
            },
        )

    def test_it_reports_the_first_broken_link(self):
        with tampering():
            LedgerEntry.objects.filter(sequence=2).update(payload={"n": 20})
        self.api.force_authenticate(self.olivia)
        data = self.api.get(URL).json()
        self.assertIs(data["ok"], False)
        self.assertEqual(data["broken"]["sequence"], 2)
        self.assertEqual(data["broken"]["check"], "content")
        self.assertTrue(data["broken"]["message"].startswith("Entry 2 was changed"))

    def test_it_takes_a_range(self):
        self.api.force_authenticate(self.olivia)
        data = self.api.get(URL, {"start": 2, "end": 3}).json()
        self.assertEqual((data["ok"], data["checked"], data["end"]), (True, 2, 3))

    def test_it_refuses_a_bad_range(self):
        self.api.force_authenticate(self.olivia)
        response = self.api.get(URL, {"start": 3, "end": 2})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(), {"end": ["The end must not come before the start."]}
        )
        self.assertEqual(self.api.get(URL, {"start": 0}).status_code, 400)

    def test_it_is_for_operators_only(self):
        for user in (self.alice, self.gina, self.rita, self.nobody):
            with self.subTest(user=user.username):
                self.api.force_authenticate(user)
                response = self.api.get(URL)
                self.assertEqual(response.status_code, 403)
                self.assertEqual(
                    response.json(),
                    {"detail": "Only platform operators can verify the ledger."},
                )

    def test_it_refuses_anonymous_users(self):
        self.assertIn(self.api.get(URL).status_code, (401, 403))

    def test_it_rejects_other_methods(self):
        self.api.force_authenticate(self.olivia)
        for method in ("post", "put", "patch", "delete"):
            with self.subTest(method=method):
                self.assertEqual(getattr(self.api, method)(URL).status_code, 405)
