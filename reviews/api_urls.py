"""Routes of the reviews API, mounted at /api/v1/ by portal/api_urls.py.

Each route names its HTTP methods; any other method answers 405.
"""

from __future__ import annotations

from django.urls import path

from portal.lib import converters  # noqa: F401 - registers <id:...>
from reviews import case_api
from reviews.api import (
    AssignmentViewSet,
    DecisionViewSet,
    RoundScorecardViewSet,
    RoundViewSet,
)

urlpatterns = [
    path(
        "reviews/assignments/",
        AssignmentViewSet.as_view({"get": "list"}),
        name="api-review-assignment-list",
    ),
    path(
        "reviews/assignments/<id:pk>/review/",
        AssignmentViewSet.as_view({"get": "review", "post": "save"}),
        name="api-review-detail",
    ),
    path(
        "reviews/assignments/<id:pk>/review/submit/",
        AssignmentViewSet.as_view({"post": "submit"}),
        name="api-review-submit",
    ),
    path(
        "reviews/rounds/<id:pk>/",
        RoundViewSet.as_view({"get": "retrieve"}),
        name="api-review-round-detail",
    ),
    path(
        "reviews/rounds/<id:pk>/scorecard/",
        RoundScorecardViewSet.as_view({"get": "retrieve"}),
        name="api-review-round-scorecard",
    ),
    path(
        "reviews/decisions/",
        DecisionViewSet.as_view({"get": "list"}),
        name="api-review-decision-list",
    ),
    path(
        "reviews/entries/<id:pk>/business-case/",
        case_api.BusinessCaseDetailApi.as_view(),
        name="api-review-business-case",
    ),
    path(
        "reviews/entries/<id:pk>/business-case/update/",
        case_api.BusinessCaseUpdateApi.as_view(),
        name="api-review-business-case-update",
    ),
    path(
        "reviews/entries/<id:pk>/impact/",
        case_api.ImpactDetailApi.as_view(),
        name="api-review-impact",
    ),
    path(
        "reviews/entries/<id:pk>/impact/update/",
        case_api.ImpactUpdateApi.as_view(),
        name="api-review-impact-update",
    ),
    path(
        "reviews/entries/<id:pk>/usability/",
        case_api.UsabilitySummaryApi.as_view(),
        name="api-review-usability",
    ),
    path(
        "reviews/entries/<id:pk>/usability/responses/",
        case_api.SusResponseCreateApi.as_view(),
        name="api-review-sus-response-create",
    ),
]
