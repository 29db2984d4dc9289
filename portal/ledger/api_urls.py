"""Routes of the ledger API, included under /api/v1/."""

from __future__ import annotations

from django.urls import path

from portal.ledger import api

urlpatterns = [
    path("ledger/verify/", api.LedgerVerifyApi.as_view(), name="api-ledger-verify"),
    path(
        "ledger/checks/latest/",
        api.LedgerCheckLatestApi.as_view(),
        name="api-ledger-check-latest",
    ),
]
