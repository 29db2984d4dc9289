from __future__ import annotations

from django.urls import path

from evaluations import suite_urls, views

app_name = "evaluations"

urlpatterns = [
    path("suites/<int:pk>/", views.suite, name="suite"),
    path("suites/<int:pk>/submit/", views.submit, name="submit"),
    path("suites/<int:pk>/inputs/<str:split>/", views.inputs, name="inputs"),
    path("suites/<int:pk>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("submissions/", views.submissions, name="submissions"),
    *suite_urls.urlpatterns,
]
