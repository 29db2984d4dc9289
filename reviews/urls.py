from __future__ import annotations

from django.urls import path, re_path

from reviews import case_views, scorecard_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("scenarios/<str:code>/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/entries/", views.round_entries, name="round_entries"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="round_assign"),
    path(
        "rounds/<int:pk>/auto-assign/",
        views.round_auto_assign,
        name="round_auto_assign",
    ),
    path("rounds/<int:pk>/detect-conflicts/", views.round_detect, name="round_detect"),
    path("assignments/<int:pk>/", views.review, name="review"),
    path("assignments/<int:pk>/decline/", views.decline, name="decline"),
    re_path(
        r"^rounds/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$",
        scorecard_views.round_export,
        name="round_export",
    ),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path(
        "entries/<int:pk>/scorecard/",
        scorecard_views.entry_scorecard,
        name="entry_scorecard",
    ),
    path("entries/<int:pk>/comments/", views.comment, name="comment"),
    path("entries/<int:pk>/decide/", views.decide, name="decide"),
    path("entries/<int:pk>/vendor/", views.vendor_entry, name="vendor_entry"),
    path("entries/<int:pk>/response/", views.vendor_response, name="vendor_response"),
    path("entries/<int:pk>/conflict/", views.vendor_conflict, name="vendor_conflict"),
    path(
        "entries/<int:pk>/business-case/",
        case_views.case_business,
        name="case_business",
    ),
    path(
        "entries/<int:pk>/business-case/preview/",
        case_views.case_business_preview,
        name="case_business_preview",
    ),
    path("entries/<int:pk>/impact/", case_views.case_impact, name="case_impact"),
    path(
        "entries/<int:pk>/impact/preview/",
        case_views.case_impact_preview,
        name="case_impact_preview",
    ),
    path("entries/<int:pk>/users/", case_views.case_users, name="case_users"),
    path(
        "entries/<int:pk>/users/invite/",
        case_views.case_users_invite,
        name="case_users_invite",
    ),
    path(
        "entries/<int:pk>/users/pilot/",
        case_views.case_users_pilot,
        name="case_users_pilot",
    ),
    path(
        "entries/<int:pk>/questionnaire/",
        case_views.case_sus_respond,
        name="case_sus_respond",
    ),
]
