"""Helpers shared by the accounts tests."""

from __future__ import annotations

import re

from django.core import mail
from django.utils import translation

from tests.base import PortalTestCase

_VERIFY_LINK = re.compile(r"https?://\S+/accounts/verify-email/[^/\s]+/[^/\s]+/")


def mails_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def verification_link(message: mail.EmailMessage) -> str:
    """Return the path of the verification link in an e-mail."""
    match = _VERIFY_LINK.search(str(message.body))
    assert match is not None, message.body
    return "/" + match.group(0).split("/", 3)[3]


class AccountsTestCase(PortalTestCase):
    """Personas, with pages and messages in English.

    The default language is Chinese; asking for English keeps assertions
    on message texts independent of the zh-hans catalogue.
    """

    def setUp(self) -> None:
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        translation.activate("en")
        self.addCleanup(translation.deactivate)
