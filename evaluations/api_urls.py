"""Routes of the evaluations API, mounted at /api/v1/ by portal/api_urls.py.

Each route names its HTTP methods and the view-set method that serves them,
so this file reads as the public contract; any other method answers 405.
"""

from __future__ import annotations

from django.urls import path

from evaluations import suite_api_urls
from evaluations.api import RunViewSet, SubmissionViewSet, SuiteVersionViewSet
from portal.lib import converters  # noqa: F401 - registers <id:...>

urlpatterns = [
    path(
        "suite-versions/<id:pk>/",
        SuiteVersionViewSet.as_view({"get": "retrieve"}),
        name="api-suite-version-detail",
    ),
    path(
        "suite-versions/<id:pk>/leaderboard/",
        SuiteVersionViewSet.as_view({"get": "leaderboard"}),
        name="api-suite-version-leaderboard",
    ),
    path(
        "suite-versions/<id:pk>/submissions/",
        SuiteVersionViewSet.as_view({"post": "submit"}),
        name="api-suite-version-submit",
    ),
    path(
        "suite-versions/<id:pk>/inputs/<str:split>/",
        SuiteVersionViewSet.as_view({"get": "inputs"}),
        name="api-suite-version-inputs",
    ),
    path(
        "submissions/",
        SubmissionViewSet.as_view({"get": "list"}),
        name="api-submission-list",
    ),
    path(
        "runs/<id:pk>/", RunViewSet.as_view({"get": "retrieve"}), name="api-run-detail"
    ),
    path("runs/<id:pk>/log/", RunViewSet.as_view({"get": "log"}), name="api-run-log"),
    path(
        "runs/<id:pk>/cancel/",
        RunViewSet.as_view({"post": "cancel"}),
        name="api-run-cancel",
    ),
    *suite_api_urls.urlpatterns,
]
