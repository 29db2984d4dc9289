"""Version 1 of the REST API: each app contributes its routes."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("portal.accounts.api_urls")),
    path("", include("portal.ledger.api_urls")),
    path("", include("scenarios.api_urls")),
    path("", include("evaluations.api_urls")),
    path("", include("reviews.api_urls")),
    path("", include("lifecycle.api_urls")),
]
