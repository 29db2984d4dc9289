"""Routes of the scenarios API, mounted at /api/v1/ by portal/api_urls.py.

Each route names its HTTP methods and the view-set method that serves them,
so this file reads as the public contract; any other method answers 405.
"""

from __future__ import annotations

from django.urls import path

from portal.lib import converters  # noqa: F401 - registers <id:...>
from scenarios.api import (
    AccessRequestViewSet,
    DatasetViewSet,
    HighValueListViewSet,
    ScenarioEventViewSet,
    ScenarioMapApi,
    ScenarioVersionViewSet,
    ScenarioViewSet,
)

urlpatterns = [
    # Scenarios and their workflow.
    path(
        "scenarios/",
        ScenarioViewSet.as_view({"get": "list", "post": "create"}),
        name="api-scenario-list",
    ),
    path(
        "scenarios/<str:code>/",
        ScenarioViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-scenario-detail",
    ),
    path(
        "scenarios/<str:code>/submit/",
        ScenarioViewSet.as_view({"post": "submit"}),
        name="api-scenario-submit",
    ),
    path(
        "scenarios/<str:code>/withdraw/",
        ScenarioViewSet.as_view({"post": "withdraw"}),
        name="api-scenario-withdraw",
    ),
    path(
        "scenarios/<str:code>/publish/",
        ScenarioViewSet.as_view({"post": "publish"}),
        name="api-scenario-publish",
    ),
    path(
        "scenarios/<str:code>/reject/",
        ScenarioViewSet.as_view({"post": "reject"}),
        name="api-scenario-reject",
    ),
    path(
        "scenarios/<str:code>/close/",
        ScenarioViewSet.as_view({"post": "close"}),
        name="api-scenario-close",
    ),
    path(
        "scenarios/<str:code>/reopen/",
        ScenarioViewSet.as_view({"post": "reopen"}),
        name="api-scenario-reopen",
    ),
    path(
        "scenarios/<str:code>/archive/",
        ScenarioViewSet.as_view({"post": "archive"}),
        name="api-scenario-archive",
    ),
    path(
        "scenarios/<str:code>/register/",
        ScenarioViewSet.as_view({"post": "register"}),
        name="api-scenario-register",
    ),
    path(
        "scenarios/<str:code>/unregister/",
        ScenarioViewSet.as_view({"post": "unregister"}),
        name="api-scenario-unregister",
    ),
    path(
        "scenarios/<str:code>/assessment/",
        ScenarioViewSet.as_view({"put": "assessment"}),
        name="api-scenario-assessment",
    ),
    path(
        "scenarios/<str:code>/versions/",
        ScenarioVersionViewSet.as_view({"get": "list"}),
        name="api-scenario-version-list",
    ),
    path(
        "scenarios/<str:code>/versions/<id:number>/",
        ScenarioVersionViewSet.as_view({"get": "retrieve"}),
        name="api-scenario-version-detail",
    ),
    path(
        "scenarios/<str:code>/history/",
        ScenarioEventViewSet.as_view({"get": "list"}),
        name="api-scenario-history",
    ),
    path(
        "scenarios/<str:code>/datasets/",
        DatasetViewSet.as_view({"post": "create"}),
        name="api-scenario-dataset-create",
    ),
    path("scenario-map/", ScenarioMapApi.as_view(), name="api-scenario-map"),
    # High-value lists.
    path(
        "high-value-lists/",
        HighValueListViewSet.as_view({"get": "list", "post": "create"}),
        name="api-high-value-list-list",
    ),
    path(
        "high-value-lists/<slug:slug>/",
        HighValueListViewSet.as_view({"get": "retrieve"}),
        name="api-high-value-list-detail",
    ),
    path(
        "high-value-lists/<slug:slug>/publish/",
        HighValueListViewSet.as_view({"post": "publish"}),
        name="api-high-value-list-publish",
    ),
    path(
        "high-value-lists/<slug:slug>/entries/",
        HighValueListViewSet.as_view({"post": "entry_add"}),
        name="api-high-value-list-entry-add",
    ),
    path(
        "high-value-lists/<slug:slug>/entries/<str:code>/",
        HighValueListViewSet.as_view({"delete": "entry_remove"}),
        name="api-high-value-list-entry-remove",
    ),
    # Datasets and files.
    path(
        "datasets/",
        DatasetViewSet.as_view({"get": "list"}),
        name="api-dataset-list",
    ),
    path(
        "datasets/<slug:slug>/",
        DatasetViewSet.as_view({"get": "retrieve"}),
        name="api-dataset-detail",
    ),
    path(
        "datasets/<slug:slug>/versions/",
        DatasetViewSet.as_view({"post": "version_create"}),
        name="api-dataset-version-create",
    ),
    path(
        "datasets/<slug:slug>/files/<id:file_id>/download/",
        DatasetViewSet.as_view({"get": "download"}),
        name="api-dataset-file-download",
    ),
    # Access requests.
    path(
        "access-requests/",
        AccessRequestViewSet.as_view({"get": "list", "post": "create"}),
        name="api-access-request-list",
    ),
    path(
        "access-requests/<id:pk>/",
        AccessRequestViewSet.as_view({"get": "retrieve"}),
        name="api-access-request-detail",
    ),
    path(
        "access-requests/<id:pk>/approve/",
        AccessRequestViewSet.as_view({"post": "approve"}),
        name="api-access-request-approve",
    ),
    path(
        "access-requests/<id:pk>/deny/",
        AccessRequestViewSet.as_view({"post": "deny"}),
        name="api-access-request-deny",
    ),
    path(
        "access-requests/<id:pk>/withdraw/",
        AccessRequestViewSet.as_view({"post": "withdraw"}),
        name="api-access-request-withdraw",
    ),
    path(
        "access-requests/<id:pk>/revoke/",
        AccessRequestViewSet.as_view({"post": "revoke"}),
        name="api-access-request-revoke",
    ),
]
