"""A database that is away answers 503 with a clear page, not a 500."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError, connection
from django.test import Client

from tests.base import PortalTestCase


def _refuse(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: refused")


class DatabaseOutageTests(PortalTestCase):
    def setUp(self):
        # The client must return the error response, as a browser sees it.
        self.client = Client(raise_request_exception=False)
        self.client.force_login(self.alice)

    def test_it_answers_a_page_with_503(self):
        with connection.execute_wrapper(_refuse):
            response = self.client.get("/")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, "Temporarily unavailable", status_code=503)
        self.assertContains(
            response,
            "The portal cannot reach its database at the moment. Nothing you "
            "sent in this request was saved; please try again in a minute.",
            status_code=503,
        )

    def test_it_answers_in_chinese_when_asked(self):
        with connection.execute_wrapper(_refuse):
            response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")

        self.assertContains(response, "服务暂时不可用", status_code=503)
        self.assertContains(response, "平台暂时无法连接数据库", status_code=503)

    def test_it_answers_the_api_with_json(self):
        with connection.execute_wrapper(_refuse):
            response = self.client.get("/api/v1/scenarios/")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Retry-After"], "30")
        self.assertEqual(
            response.json(),
            {
                "detail": "The portal cannot reach its database at the moment. "
                "Nothing you sent in this request was saved; please try again "
                "in a minute.",
                "code": "service_unavailable",
            },
        )

    def test_other_errors_stay_500(self):
        with mock.patch(
            "scenarios.views.selectors.scenario_queryset",
            side_effect=ValueError("a bug"),
        ):
            response = self.client.get("/scenarios/")

        self.assertEqual(response.status_code, 500)
        self.assertNotIn("Retry-After", response)
