"""Routes of the suite management API, mounted at /api/v1/ with the other
evaluations routes (``evaluations.api_urls``).

Each route names its HTTP methods and the view-set method that serves them;
any other method answers 405.
"""

from __future__ import annotations

from django.urls import path

from evaluations.suite_api import (
    ScenarioSuiteViewSet,
    SuiteVersionManageViewSet,
    SuiteViewSet,
)
from portal.lib import converters  # noqa: F401 - registers <id:...>

urlpatterns = [
    path(
        "scenarios/<str:code>/suites/",
        ScenarioSuiteViewSet.as_view({"get": "list", "post": "create"}),
        name="api-scenario-suites",
    ),
    path(
        "test-suites/<id:pk>/",
        SuiteViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-test-suite-detail",
    ),
    path(
        "test-suites/<id:pk>/versions/",
        SuiteViewSet.as_view({"get": "versions", "post": "version_create"}),
        name="api-test-suite-versions",
    ),
    path(
        "suite-versions/<id:pk>/manage/",
        SuiteVersionManageViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-suite-version-manage",
    ),
    path(
        "suite-versions/<id:pk>/publish/",
        SuiteVersionManageViewSet.as_view({"post": "publish"}),
        name="api-suite-version-publish",
    ),
    path(
        "suite-versions/<id:pk>/retire/",
        SuiteVersionManageViewSet.as_view({"post": "retire"}),
        name="api-suite-version-retire",
    ),
]
