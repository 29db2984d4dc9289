from __future__ import annotations

from django.urls import path

from lifecycle import case_views, dashboard_views, pilot_views, views

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
    path("<int:pk>/", views.solution_detail, name="solution"),
    path(
        "<int:pk>/gate/",
        views.solution_detail,
        {"gate_only": True},
        name="solution_gate",
    ),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/send-back/", views.send_back, name="send_back"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/version/", views.new_version, name="new_version"),
    path("<int:pk>/rescore/", views.rescore, name="rescore"),
    path("<int:pk>/case/", case_views.case_save, name="case_save"),
    path("<int:pk>/case/publish/", case_views.case_publish, name="case_publish"),
    path("<int:pk>/case/withdraw/", case_views.case_withdraw, name="case_withdraw"),
    path(
        "<int:pk>/evidence-pack/",
        views.evidence_pack_download,
        name="evidence_pack",
    ),
    path("<int:pk>/pilots/new/", views.pilot_create, name="pilot_create"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot"),
    path(
        "pilots/<int:pk>/start/",
        views.pilot_status,
        {"close": False},
        name="pilot_start",
    ),
    path(
        "pilots/<int:pk>/close/",
        views.pilot_status,
        {"close": True},
        name="pilot_close",
    ),
    path("pilots/<int:pk>/kpis/", views.kpi_add, name="kpi_add"),
    path(
        "pilots/<int:pk>/measurements/", views.measurement_add, name="measurement_add"
    ),
    path(
        "pilots/<int:pk>/measurements/upload/",
        views.measurement_upload,
        name="measurement_upload",
    ),
    path("pilots/<int:pk>/incidents/", views.incident_add, name="incident_add"),
    path("pilots/<int:pk>/usage/", pilot_views.usage_add, name="pilot_usage_add"),
    path("pilots/<int:pk>/sus/", pilot_views.sus_invite, name="pilot_sus_invite"),
    path(
        "pilots/<int:pk>/business-case/",
        pilot_views.business_case,
        name="pilot_business_case",
    ),
    path(
        "pilots/<int:pk>/business-case/new/",
        pilot_views.business_case_create,
        name="pilot_business_case_create",
    ),
    path(
        "pilots/<int:pk>/kpis/<int:kpi_pk>/benefit/",
        pilot_views.kpi_benefit,
        name="pilot_kpi_benefit",
    ),
]
