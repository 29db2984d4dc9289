"""The OpenAPI schema describes the scenarios API completely and validly."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from scenarios import api_urls
from tests.base import PortalTestCase

SCENARIOS_API = [path("api/v1/", include("scenarios.api_urls"))]


class SchemaTestCase(PortalTestCase):
    def setUp(self) -> None:
        cache.clear()
        GENERATOR_STATS.reset()
        self.addCleanup(GENERATOR_STATS.reset)

    def test_it_serves_the_schema(self):
        response = APIClient().get("/api/schema/?format=json")
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        self.assertIn("/api/v1/scenarios/{code}/", paths)
        self.assertEqual(set(paths["/api/v1/scenarios/{code}/"]), {"get", "patch"})

    def test_it_generates_the_scenarios_api_without_warnings(self):
        """Like ``manage.py spectacular --validate --fail-on-warn``."""
        schema = SchemaGenerator(patterns=SCENARIOS_API).get_schema(
            request=None, public=True
        )
        validate_schema(schema)
        self.assertIs(bool(GENERATOR_STATS), False)
        # Every route is documented.
        self.assertEqual(len(schema["paths"]), len(api_urls.urlpatterns))

    def test_it_documents_the_list_filters_and_pagination(self):
        schema = SchemaGenerator(patterns=SCENARIOS_API).get_schema(
            request=None, public=True
        )
        for url, names in [
            ("/api/v1/scenarios/", {"q", "sector", "stage", "status", "owner", "sort"}),
            ("/api/v1/datasets/", {"q", "scenario", "sector", "access_policy"}),
            ("/api/v1/access-requests/", {"status"}),
        ]:
            with self.subTest(url=url):
                operation = schema["paths"][url]["get"]
                parameters = {p["name"] for p in operation["parameters"]}
                self.assertLessEqual(names | {"page"}, parameters)
                response = operation["responses"]["200"]["content"]["application/json"]
                self.assertTrue(
                    response["schema"]["$ref"].startswith(
                        "#/components/schemas/Paginated"
                    )
                )

    def test_it_generates_the_whole_schema_without_warnings(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        self.assertIs(bool(GENERATOR_STATS), False)
