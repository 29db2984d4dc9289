from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from scenarios import views as scenario_views

admin.site.site_header = "Energy AI Proving Ground"
admin.site.site_title = "Proving Ground admin"

urlpatterns = [
    path("", scenario_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("", include("scenarios.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema"),
        name="api_docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api_schema"),
        name="api_redoc",
    ),
    path("admin/", admin.site.urls),
]
