from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from scenarios import views as scenario_views

# A database outage answers 503 with a clear page; anything else, Django's 500.
handler500 = "portal.views.server_error"

admin.site.site_header = "Energy AI Proving Ground"
admin.site.site_title = "Proving Ground admin"


class _FaviconRedirect(RedirectView):
    permanent = True

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("portal/favicon.svg")


# Swagger UI and ReDoc set inline styles, and ReDoc runs a web worker from a
# blob; the relaxation applies to these two documentation pages only.
def _docs_csp() -> dict[str, list[str]]:
    # A fresh dict per use: the decorator keeps a reference to it.
    return {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}


urlpatterns = [
    path("favicon.ico", _FaviconRedirect.as_view()),
    path("", scenario_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("portal.accounts.urls")),
    path("ledger/", include("portal.ledger.urls")),
    path("", include("scenarios.urls")),
    path("", include("evaluations.urls")),
    path("reviews/", include("reviews.urls")),
    path("solutions/", include("lifecycle.urls")),
    path("cases/", include("lifecycle.case_urls")),
    path("api/v1/", include("portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        csp_update(_docs_csp())(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema")
        ),
        name="api_docs",
    ),
    path(
        "api/redoc/",
        csp_update(_docs_csp())(SpectacularRedocView.as_view(url_name="api_schema")),
        name="api_redoc",
    ),
    path("admin/", admin.site.urls),
]
