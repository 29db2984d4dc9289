"""Signed, expiring tokens for e-mail verification links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from portal.accounts.models import User


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Make and check the token in an e-mail verification link.

    The hash covers the address and ``email_verified_at``, so a link stops
    working once it has been used or once the address changes.
    """

    key_salt = "portal.accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        # Truncate microseconds so that tokens are consistent even if the
        # database does not store them.
        verified_at = (
            ""
            if user.email_verified_at is None
            else user.email_verified_at.replace(microsecond=0, tzinfo=None)
        )
        return f"{user.pk}{user.email}{verified_at}{user.is_active}{timestamp}"

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        """Return True if ``token`` is valid for ``user`` and not expired.

        The parent class checks the age against PASSWORD_RESET_TIMEOUT;
        verification links live for EMAIL_VERIFICATION_TIMEOUT instead.
        """
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            expected = self._make_token_with_timestamp(user, ts, secret)
            if constant_time_compare(expected, token):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= settings.EMAIL_VERIFICATION_TIMEOUT


email_verification_token = EmailVerificationTokenGenerator()
