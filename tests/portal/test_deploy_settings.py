"""Production settings: `check --deploy` is clean and the cookies are secure.

Each test starts a fresh interpreter with a production environment (no
DEBUG, a real secret, a host name), because the settings module reads the
environment once, at import.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    # A fresh key per run, as long and random as check --deploy wants.
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "proving-ground.example.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://proving-ground.example.cn",
    "PORTAL_SITE_URL": "https://proving-ground.example.cn",
    "PORTAL_BEHIND_PROXY": "true",
    "PORTAL_SSL_REDIRECT": "true",
    "PORTAL_HSTS_SECONDS": "31536000",
    "PORTAL_HSTS_INCLUDE_SUBDOMAINS": "true",
    "PORTAL_HSTS_PRELOAD": "true",
}


def _run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_", "CELERY_", "DATABASE_"))
    }
    env.update(PRODUCTION, PORTAL_VAR_DIR=str(tmp_path), **extra)
    return subprocess.run(  # noqa: S603 - the test's own interpreter
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    run = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_check_deploy_names_what_a_careless_deployment_forgets(tmp_path):
    # Without HSTS the check must complain: proof that it really checks.
    run = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        PORTAL_HSTS_SECONDS="0",
    )

    assert run.returncode != 0
    assert "security.W004" in run.stdout + run.stderr


def test_production_cookies_are_secure_and_hidden_from_scripts(tmp_path):
    code = (
        "import json; from portal import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session': s.SESSION_COOKIE_SECURE, "
        "'csrf': s.CSRF_COOKIE_SECURE, 'httponly': s.SESSION_COOKIE_HTTPONLY, "
        "'samesite': s.SESSION_COOKIE_SAMESITE, 'frame': s.X_FRAME_OPTIONS, "
        "'validators': len(s.AUTH_PASSWORD_VALIDATORS), 'axes': s.AXES_ENABLED}))"
    )
    # No HTTPS switches given: secure cookies are the production default.
    run = _run(
        ["-c", code],
        tmp_path,
        PORTAL_SSL_REDIRECT="false",
        PORTAL_HSTS_SECONDS="0",
    )

    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen == {
        "debug": False,
        "session": True,
        "csrf": True,
        "httponly": True,
        "samesite": "Lax",
        "frame": "DENY",
        "validators": seen["validators"],
        "axes": True,
    }
    assert seen["validators"] >= 4


def test_object_storage_needs_a_bucket(tmp_path):
    run = _run(
        ["manage.py", "check"],
        tmp_path,
        PORTAL_STORAGE_BACKEND="storages.backends.s3.S3Storage",
    )

    assert run.returncode != 0
    assert "PORTAL_S3_BUCKET is not set" in run.stderr


def test_object_storage_settings_reach_the_storage(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.location, s.endpoint_url,"
        " s.default_acl, s.file_overwrite)"
    )
    run = _run(
        ["-c", code],
        tmp_path,
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_STORAGE_BACKEND="storages.backends.s3.S3Storage",
        PORTAL_S3_BUCKET="grid-artefacts",
        PORTAL_S3_PREFIX="media",
        PORTAL_S3_ENDPOINT_URL="https://minio.internal:9000",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [
        "S3Storage",
        "grid-artefacts",
        "media",
        "https://minio.internal:9000",
        "private",
        "False",
    ]
