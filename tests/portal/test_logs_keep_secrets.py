"""No secret reaches the logs.

Every logger is captured at DEBUG while a user signs in (wrongly, then
rightly), asks the API for a token with a password, uses the token (and a
forged one), changes the password, asks for a reset link, and rotates the
token. The captured records, formatted exactly as the production handler
formats them plus their arguments and tracebacks, must contain none of the
secrets that went by: passwords, API token keys, the session and CSRF
cookie values, the reset link's token and the secret key.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from portal.accounts.models import User
from tests.base import PASSWORD, PortalTestCase

NEW_PASSWORD = "a much longer passphrase for 2027"


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        )
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Everything a handler could write: the formatted line (with any
        # traceback), the raw arguments, and whatever extra was attached.
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))
        self.texts.append(repr(record.__dict__))


@override_settings(
    AXES_ENABLED=True,
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
class LogsKeepSecretsTests(PortalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.capture = _Capture()
        self.root = logging.getLogger()
        self.saved = (self.root.level, {})
        self.root.addHandler(self.capture)
        self.root.setLevel(logging.DEBUG)
        # Loggers configured with their own level would drop DEBUG records.
        for name in list(logging.root.manager.loggerDict):
            logger = logging.getLogger(name)
            self.saved[1][name] = (logger.level, logger.disabled)
            logger.setLevel(logging.NOTSET)
            logger.disabled = False

    def tearDown(self) -> None:
        self.root.removeHandler(self.capture)
        self.root.setLevel(self.saved[0])
        for name, (level, disabled) in self.saved[1].items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.disabled = disabled
        super().tearDown()

    def _journey(self) -> list[str]:
        """Walk the flows; return every secret that went over the wire."""
        secrets = [PASSWORD, NEW_PASSWORD, settings.SECRET_KEY]
        login = reverse("accounts:login")
        self.client.post(login, {"username": "alice", "password": "wrong " + PASSWORD})
        response = self.client.post(login, {"username": "alice", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        secrets.append(self.client.cookies[settings.SESSION_COOKIE_NAME].value)

        api = self.client_class(enforce_csrf_checks=False)
        token_url = reverse("api-auth-token")
        refused = api.post(token_url, {"username": "alice", "password": "x" + PASSWORD})
        assert refused.status_code == 400, refused.status_code
        issued = api.post(token_url, {"username": "alice", "password": PASSWORD})
        assert issued.status_code == 200, issued.content
        key = issued.json()["token"]
        secrets.append(key)
        me = api.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {key}")
        assert me.status_code == 200
        forged = "f" * 40
        secrets.append(forged)
        assert (
            api.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {forged}").status_code
            == 401
        )

        page = self.client.get(reverse("accounts:password_change"))
        secrets.append(page.cookies[settings.CSRF_COOKIE_NAME].value)
        changed = self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert changed.status_code == 302, changed.content
        created = self.client.post(
            reverse("accounts:api_token"),
            {"name": "scripts", "scope": "read", "expires_in_days": "30"},
        )
        assert created.status_code == 200, created.content
        secrets.append(created.context["new_key"])

        anonymous = self.client_class()
        anonymous.post(reverse("accounts:password_reset"), {"email": "bob@example.com"})
        assert len(mail.outbox) == 1
        link = re.search(r"/password/reset/([^/]+)/([^/\s]+)/", mail.outbox[0].body)
        assert link, mail.outbox[0].body
        secrets.append(link.group(2))
        return secrets

    def test_no_secret_of_a_sign_in_and_token_journey_reaches_the_logs(self):
        secrets = self._journey()
        logged = "\n".join(self.capture.texts)

        # The capture works: the failed sign-in and the forged token were
        # logged (axes masks the user name and address itself).
        assert "New login failure" in logged
        assert "Unauthorized: /api/v1/me/" in logged
        for secret in secrets:
            assert secret and secret not in logged, (
                f"a secret was logged: {secret[:6]}…"
            )
        assert User.objects.get(username="alice").check_password(NEW_PASSWORD)
