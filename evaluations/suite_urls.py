"""Routes of the suite management pages, part of the ``evaluations`` URLs.

``suites/<pk>/`` is a suite version (the public page); ``test-suites/<pk>/``
is a suite.
"""

from __future__ import annotations

from django.urls import path

from evaluations import suite_views

urlpatterns = [
    path(
        "scenarios/<str:code>/suites/",
        suite_views.scenario_suites,
        name="scenario_suites",
    ),
    path("test-suites/<int:pk>/edit/", suite_views.suite_edit, name="suite_edit"),
    path(
        "test-suites/<int:pk>/versions/new/",
        suite_views.suite_version_create,
        name="suite_version_create",
    ),
    path(
        "suites/<int:pk>/manage/",
        suite_views.suite_version_manage,
        name="suite_version_manage",
    ),
    path(
        "suites/<int:pk>/publish/",
        suite_views.suite_version_publish,
        name="suite_version_publish",
    ),
    path(
        "suites/<int:pk>/retire/",
        suite_views.suite_version_retire,
        name="suite_version_retire",
    ),
    path(
        "suites/<int:pk>/discard/",
        suite_views.suite_version_discard,
        name="suite_version_discard",
    ),
]
