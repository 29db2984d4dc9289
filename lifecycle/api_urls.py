"""Routes of the lifecycle API, mounted at /api/v1/ by portal/api_urls.py.

Each view names its HTTP methods; any other method answers 405.
"""

from __future__ import annotations

from django.urls import path

from lifecycle import api
from portal.lib import converters  # noqa: F401 - registers <id:...>

urlpatterns = [
    path("solutions/", api.SolutionListApi.as_view(), name="api-solution-list"),
    path(
        "solutions/register/",
        api.SolutionRegisterApi.as_view(),
        name="api-solution-register",
    ),
    path("solutions/<id:pk>/", api.SolutionDetailApi.as_view(), name="api-solution"),
    path(
        "solutions/<id:pk>/gate/",
        api.GateCheckApi.as_view(),
        name="api-solution-gate",
    ),
    path(
        "solutions/<id:pk>/transitions/",
        api.TransitionCreateApi.as_view(),
        name="api-solution-transition",
    ),
    path(
        "solutions/<id:pk>/evidence-pack/",
        api.EvidencePackApi.as_view(),
        name="api-solution-evidence-pack",
    ),
    path(
        "solutions/<id:pk>/pilots/",
        api.PilotCreateApi.as_view(),
        name="api-pilot-create",
    ),
    path(
        "scenarios/<str:code>/gates/",
        api.GateConfigDetailApi.as_view(),
        name="api-gate-config",
    ),
    path(
        "scenarios/<str:code>/gates/update/",
        api.GateConfigUpdateApi.as_view(),
        name="api-gate-config-update",
    ),
    path("pilots/<id:pk>/", api.PilotDetailApi.as_view(), name="api-pilot"),
    path("pilots/<id:pk>/close/", api.PilotCloseApi.as_view(), name="api-pilot-close"),
    path("pilots/<id:pk>/kpis/", api.KpiCreateApi.as_view(), name="api-pilot-kpi"),
    path(
        "pilots/<id:pk>/measurements/upload/",
        api.MeasurementUploadApi.as_view(),
        name="api-pilot-upload",
    ),
    path(
        "pilots/<id:pk>/incidents/",
        api.IncidentCreateApi.as_view(),
        name="api-pilot-incident",
    ),
]
