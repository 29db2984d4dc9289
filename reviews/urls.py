from __future__ import annotations

from django.urls import path, re_path

from portal.lib import converters  # noqa: F401 - registers <id:...>
from reviews import case_views, scorecard_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("scenarios/<str:code>/new/", views.round_create, name="round_create"),
    path("rounds/<id:pk>/", views.round_detail, name="round"),
    path("rounds/<id:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<id:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<id:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<id:pk>/entries/", views.round_entries, name="round_entries"),
    path("rounds/<id:pk>/assign/", views.round_assign, name="round_assign"),
    path(
        "rounds/<id:pk>/auto-assign/",
        views.round_auto_assign,
        name="round_auto_assign",
    ),
    path("rounds/<id:pk>/detect-conflicts/", views.round_detect, name="round_detect"),
    path("assignments/<id:pk>/", views.review, name="review"),
    path("assignments/<id:pk>/decline/", views.decline, name="decline"),
    re_path(
        r"^rounds/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$",
        scorecard_views.round_export,
        name="round_export",
    ),
    path("entries/<id:pk>/", views.entry, name="entry"),
    path(
        "entries/<id:pk>/scorecard/",
        scorecard_views.entry_scorecard,
        name="entry_scorecard",
    ),
    path("entries/<id:pk>/comments/", views.comment, name="comment"),
    path("entries/<id:pk>/decide/", views.decide, name="decide"),
    path("entries/<id:pk>/vendor/", views.vendor_entry, name="vendor_entry"),
    path("entries/<id:pk>/response/", views.vendor_response, name="vendor_response"),
    path("entries/<id:pk>/conflict/", views.vendor_conflict, name="vendor_conflict"),
    path(
        "entries/<id:pk>/business-case/",
        case_views.case_business,
        name="case_business",
    ),
    path(
        "entries/<id:pk>/business-case/preview/",
        case_views.case_business_preview,
        name="case_business_preview",
    ),
    path("entries/<id:pk>/impact/", case_views.case_impact, name="case_impact"),
    path(
        "entries/<id:pk>/impact/preview/",
        case_views.case_impact_preview,
        name="case_impact_preview",
    ),
    path("entries/<id:pk>/users/", case_views.case_users, name="case_users"),
    path(
        "entries/<id:pk>/users/invite/",
        case_views.case_users_invite,
        name="case_users_invite",
    ),
    path(
        "entries/<id:pk>/users/pilot/",
        case_views.case_users_pilot,
        name="case_users_pilot",
    ),
    path(
        "entries/<id:pk>/questionnaire/",
        case_views.case_sus_respond,
        name="case_sus_respond",
    ),
]
