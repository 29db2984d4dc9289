"""Project-wide error views."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

from portal.lib.db import is_database_outage

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 503 when the database is away, else Django's plain 500.

    Django calls ``handler500`` inside its ``except`` block, so the error is
    at hand; any layer may raise it (a view, a template, the session
    middleware). The 503 page reads nothing from the database: no user, no
    context processors. API paths get JSON in the API's error format.
    """
    exc = sys.exc_info()[1]
    if exc is None or not is_database_outage(exc):
        return defaults.server_error(request)
    message = _(
        "The portal cannot reach its database at the moment. Nothing you sent "
        "in this request was saved; please try again in a minute."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": message, "code": "service_unavailable"}, status=503
        )
    else:
        html = loader.render_to_string(
            "503.html", {"message": message, "language": get_language()}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
