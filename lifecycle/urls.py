from __future__ import annotations

from django.urls import path

from lifecycle import case_views, dashboard_views, pilot_views, views
from portal.lib import converters  # noqa: F401 - registers <id:...>

app_name = "lifecycle"

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/results/",
        dashboard_views.dashboard,
        {"results_only": True},
        name="dashboard_results",
    ),
    path(
        "dashboard/funnel.csv",
        dashboard_views.dashboard_export,
        {"part": "funnel"},
        name="dashboard_funnel_csv",
    ),
    path(
        "dashboard/monitoring.csv",
        dashboard_views.dashboard_export,
        {"part": "monitoring"},
        name="dashboard_monitoring_csv",
    ),
    path("scenarios/<str:code>/gates/", views.gate_config, name="gate_config"),
    path("<id:pk>/", views.solution_detail, name="solution"),
    path(
        "<id:pk>/gate/",
        views.solution_detail,
        {"gate_only": True},
        name="solution_gate",
    ),
    path("<id:pk>/advance/", views.advance, name="advance"),
    path("<id:pk>/send-back/", views.send_back, name="send_back"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<id:pk>/reject/", views.reject, name="reject"),
    path("<id:pk>/version/", views.new_version, name="new_version"),
    path("<id:pk>/rescore/", views.rescore, name="rescore"),
    path("<id:pk>/case/", case_views.case_save, name="case_save"),
    path("<id:pk>/case/publish/", case_views.case_publish, name="case_publish"),
    path("<id:pk>/case/withdraw/", case_views.case_withdraw, name="case_withdraw"),
    path(
        "<id:pk>/evidence-pack/",
        views.evidence_pack_download,
        name="evidence_pack",
    ),
    path("<id:pk>/pilots/new/", views.pilot_create, name="pilot_create"),
    path("pilots/<id:pk>/", views.pilot_detail, name="pilot"),
    path(
        "pilots/<id:pk>/start/",
        views.pilot_status,
        {"close": False},
        name="pilot_start",
    ),
    path(
        "pilots/<id:pk>/close/",
        views.pilot_status,
        {"close": True},
        name="pilot_close",
    ),
    path("pilots/<id:pk>/kpis/", views.kpi_add, name="kpi_add"),
    path("pilots/<id:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path(
        "pilots/<id:pk>/measurements/upload/",
        views.measurement_upload,
        name="measurement_upload",
    ),
    path("pilots/<id:pk>/incidents/", views.incident_add, name="incident_add"),
    path("pilots/<id:pk>/usage/", pilot_views.usage_add, name="pilot_usage_add"),
    path("pilots/<id:pk>/sus/", pilot_views.sus_invite, name="pilot_sus_invite"),
    path(
        "pilots/<id:pk>/business-case/",
        pilot_views.business_case,
        name="pilot_business_case",
    ),
    path(
        "pilots/<id:pk>/business-case/new/",
        pilot_views.business_case_create,
        name="pilot_business_case_create",
    ),
    path(
        "pilots/<id:pk>/kpis/<id:kpi_pk>/benefit/",
        pilot_views.kpi_benefit,
        name="pilot_kpi_benefit",
    ),
]
