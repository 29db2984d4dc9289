"""DRF authentication with personal access tokens (``ApiToken``).

Clients send ``Authorization: Token <key>``, the header of DRF's
``TokenAuthentication``, whose parsing is reused: scripts written for the
single plaintext token of earlier versions keep working.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from portal.accounts import services
from portal.accounts.models import ApiToken, User


class ApiTokenAuthentication(TokenAuthentication):
    """Authenticate with an ``ApiToken``; ``request.auth`` is the token.

    1. Find the token by the hash of the presented key (401 if none).
    2. Refuse a revoked or expired token, or an inactive user (401).
    3. Refuse a read-only token on an unsafe method (403).
    4. Note the use (``last_used_at``, at most once a minute).
    """

    # Subclassing keeps the header parsing, the ``WWW-Authenticate: Token``
    # challenge and drf-spectacular's "tokenAuth" scheme, which matches
    # subclasses of TokenAuthentication.
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if token.is_read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token is read-only."))
        return user, token

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired(now):
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        services.api_token_record_use(token=token, now=now)
        return token.user, token
