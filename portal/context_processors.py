from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: demo flag and the unread notification count."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(in_inbox=True, read_at__isnull=True).count()
    return {"DEMO_MODE": settings.DEMO_MODE, "unread_notifications": unread}
