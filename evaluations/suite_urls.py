"""Routes of the suite management pages, part of the ``evaluations`` URLs.

``suites/<pk>/`` is a suite version (the public page); ``test-suites/<pk>/``
is a suite.
"""

from __future__ import annotations

from django.urls import path

from evaluations import suite_views
from portal.lib import converters  # noqa: F401 - registers <id:...>

urlpatterns = [
    path(
        "scenarios/<str:code>/suites/",
        suite_views.scenario_suites,
        name="scenario_suites",
    ),
    path("test-suites/<id:pk>/edit/", suite_views.suite_edit, name="suite_edit"),
    path(
        "test-suites/<id:pk>/versions/new/",
        suite_views.suite_version_create,
        name="suite_version_create",
    ),
    path(
        "suites/<id:pk>/manage/",
        suite_views.suite_version_manage,
        name="suite_version_manage",
    ),
    path(
        "suites/<id:pk>/publish/",
        suite_views.suite_version_publish,
        name="suite_version_publish",
    ),
    path(
        "suites/<id:pk>/retire/",
        suite_views.suite_version_retire,
        name="suite_version_retire",
    ),
    path(
        "suites/<id:pk>/discard/",
        suite_views.suite_version_discard,
        name="suite_version_discard",
    ),
]
