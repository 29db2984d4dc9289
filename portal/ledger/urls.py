"""HTML routes of the ledger, under /ledger/."""

from __future__ import annotations

from django.urls import path

from portal.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.index, name="index"),
    path("verify/", views.verify, name="verify"),
]
