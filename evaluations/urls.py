from __future__ import annotations

from django.urls import path

from evaluations import suite_urls, views
from portal.lib import converters  # noqa: F401 - registers <id:...>

app_name = "evaluations"

urlpatterns = [
    path("suites/<id:pk>/", views.suite, name="suite"),
    path("suites/<id:pk>/submit/", views.submit, name="submit"),
    path("suites/<id:pk>/inputs/<str:split>/", views.inputs, name="inputs"),
    path("suites/<id:pk>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("runs/<id:pk>/", views.run, name="run"),
    path("runs/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("submissions/", views.submissions, name="submissions"),
    *suite_urls.urlpatterns,
]
