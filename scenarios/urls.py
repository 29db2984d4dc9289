from __future__ import annotations

from django.urls import path

from portal.lib import converters  # noqa: F401 - registers <id:...>
from scenarios import dataset_views, views

app_name = "scenarios"

urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
    path("scenarios/", views.index, name="index"),
    path(
        "scenarios/results/", views.index, {"results_only": True}, name="index_results"
    ),
    path("scenarios/new/", views.create, name="create"),
    path("scenarios/<str:code>/", views.detail, name="detail"),
    path("scenarios/<str:code>/edit/", views.edit, name="edit"),
    path(
        "scenarios/<str:code>/versions/<id:number>/",
        views.version_detail,
        name="version",
    ),
    path("scenarios/<str:code>/submit/", views.submit, name="submit"),
    path("scenarios/<str:code>/withdraw/", views.withdraw, name="withdraw"),
    path("scenarios/<str:code>/publish/", views.publish, name="publish"),
    path("scenarios/<str:code>/reject/", views.reject, name="reject"),
    path("scenarios/<str:code>/close/", views.close, name="close"),
    path("scenarios/<str:code>/reopen/", views.reopen, name="reopen"),
    path("scenarios/<str:code>/archive/", views.archive, name="archive"),
    path("scenarios/<str:code>/register/", views.register, name="register"),
    path("scenarios/<str:code>/assessment/", views.assess, name="assess"),
    path(
        "scenarios/<str:code>/datasets/new/",
        dataset_views.dataset_create,
        name="dataset_create",
    ),
    path("map/", views.scenario_map, name="map"),
    path("lists/", views.lists, name="lists"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/<slug:slug>/", views.list_detail, name="list_detail"),
    path("lists/<slug:slug>/entries/", views.list_entries, name="list_entries"),
    path("lists/<slug:slug>/export.csv", views.list_export, name="list_export"),
    path("datasets/", dataset_views.datasets, name="datasets"),
    path("datasets/<slug:slug>/", dataset_views.dataset, name="dataset"),
    path("datasets/<slug:slug>/edit/", dataset_views.dataset_edit, name="dataset_edit"),
    path(
        "datasets/<slug:slug>/versions/",
        dataset_views.dataset_upload,
        name="dataset_upload",
    ),
    path(
        "datasets/<slug:slug>/files/<id:file_id>/download/",
        dataset_views.dataset_download,
        name="dataset_download",
    ),
    path(
        "datasets/<slug:slug>/access-requests/",
        dataset_views.access_request_create,
        name="access_request_create",
    ),
    path("access-requests/", dataset_views.access_requests, name="access_requests"),
    path(
        "access-requests/<id:pk>/", dataset_views.access_request, name="access_request"
    ),
    path(
        "access-requests/<id:pk>/decide/",
        dataset_views.access_request_decide,
        name="access_request_decide",
    ),
    path(
        "access-requests/<id:pk>/withdraw/",
        dataset_views.access_request_withdraw,
        name="access_request_withdraw",
    ),
    path(
        "access-requests/<id:pk>/revoke/",
        dataset_views.access_request_revoke,
        name="access_request_revoke",
    ),
]
