"""Environment for the test run, set before Django's settings are imported.

pyproject.toml loads this module with ``-p tests.pytest_env``, so it is
imported while pytest parses its options, before pytest-django imports
``portal.settings``. Anything set here therefore reaches the strict
parsers in ``portal.lib.env``.

The test run must never depend on, or write to, a developer's local state:
``PORTAL_VAR_DIR`` always points at a fresh temporary folder, and the
switches that change behaviour are pinned rather than defaulted.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Pinned: a developer's shell (for example after scripts/run.sh) may export
# DJANGO_DEBUG=true or a real broker; the tests must not inherit either.
_PINNED = {
    "DJANGO_DEBUG": "false",
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "PORTAL_HTTPS": "false",
    "PORTAL_SSL_REDIRECT": "false",
    "PORTAL_DEMO_MODE": "false",
}

# Defaults: CI or a developer may choose these (DATABASE_URL is set by
# scripts/test.sh for the PostgreSQL pass).
_DEFAULTS = {
    # A fixed, obviously fake key: the tests sign cookies and tokens.
    "DJANGO_SECRET_KEY": "test-only-secret-key-not-for-any-deployment-0123456789",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def _make_var_dir() -> str:
    folder = tempfile.mkdtemp(prefix="portal-test-var-")
    # STATIC_ROOT: WhiteNoise warns at start-up when it is missing.
    os.makedirs(os.path.join(folder, "static"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _apply() -> None:
    for name, value in _PINNED.items():
        os.environ[name] = value
    for name, value in _DEFAULTS.items():
        os.environ.setdefault(name, value)
    # Always a fresh folder, whatever the shell says, so tests never touch
    # var/ (the SQLite file, uploaded media, the filesystem broker).
    os.environ["PORTAL_VAR_DIR"] = _make_var_dir()
    # A production-style settings file without DEBUG allows no host at all;
    # the test client uses "testserver" and the live server 127.0.0.1.
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")


_apply()


def pytest_unconfigure(config: object) -> None:
    # atexit alone misses processes that end abruptly; this runs at the
    # normal end of every pytest process, xdist workers included.
    shutil.rmtree(os.environ["PORTAL_VAR_DIR"], ignore_errors=True)
