"""Project-wide pytest hooks.

Environment defaults (secret key, DEBUG off, a temporary var/ folder) are
set earlier, in tests/pytest_env.py, before Django's settings load.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # With DEBUG off, settings choose WhiteNoise's manifest storage, which
    # needs collectstatic's manifest before any template can use
    # {% static %}. Tests serve static files from the finders instead.
    # Tests assert English messages; the zh-hans catalogue has its own tests
    # and requests that ask for Chinese still get it.
    settings.LANGUAGE_CODE = "en"
    # Django caches the translation used when none is active; it may already
    # hold zh-hans. Drop it, as Django's own receiver does when LANGUAGE_CODE
    # changes under override_settings (django.test.signals.language_changed):
    # otherwise text outside a request comes out in Chinese while
    # get_language() says "en", and drf-spectacular, which caches its enum
    # names by get_language(), names one choice set twice.
    from django.utils.translation import trans_real

    trans_real._default = None
    # Hashing demo passwords with PBKDF2 dominates the suite's run time;
    # tests need a hasher, not a slow one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    # Browser-test artifacts from an earlier run would be mistaken for this
    # run's. Only the controller cleans, never an xdist worker.
    if not hasattr(session.config, "workerinput") and RESULTS_DIR.is_dir():
        shutil.rmtree(RESULTS_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # DRF throttles and django-axes count in the cache; one test's requests
    # must not count against the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reset_language() -> None:
    # LocaleMiddleware activates each request's language and leaves it
    # active in the thread: a test whose last request asked for Chinese
    # would otherwise hand Chinese to the next test's lazy messages.
    from django.utils import translation

    translation.deactivate()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (scripts/test.sh runs a PostgreSQL pass)")
