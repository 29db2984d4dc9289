"""Fixtures for the accounts tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="package")
def _fast_password_hasher() -> Iterator[None]:
    # Every test class creates ten personas; PBKDF2 would spend about six
    # seconds per class hashing their passwords.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield
