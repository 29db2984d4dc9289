"""Public routes of the benchmark cases, under /cases/."""

from __future__ import annotations

from django.urls import path

from lifecycle import case_views

app_name = "cases"

urlpatterns = [
    path("", case_views.case_list, name="index"),
    path(
        "results/", case_views.case_list, {"results_only": True}, name="index_results"
    ),
    path("<slug:slug>/", case_views.case_detail, name="detail"),
]
