"""Routes of the accounts API, included under /api/v1/."""

from __future__ import annotations

from django.urls import path

from portal.accounts import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api-me"),
    path(
        "me/notification-preferences/",
        api.NotificationPreferencesApi.as_view(),
        name="api-me-notification-preferences",
    ),
    path("auth/token/", api.TokenObtainApi.as_view(), name="api-auth-token"),
    path(
        "organisations/",
        api.OrganisationListApi.as_view(),
        name="api-organisation-list",
    ),
    path(
        "organisations/<slug:slug>/",
        api.OrganisationDetailApi.as_view(),
        name="api-organisation-detail",
    ),
    path(
        "organisations/<slug:slug>/verify/",
        api.OrganisationVerifyApi.as_view(),
        name="api-organisation-verify",
    ),
]
