from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.lib.env import env_bool, env_int, env_list, env_secret, env_str

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("False", False), ("1", True), ("0", False), ("", None)],
)
def test_env_bool_parses_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("PG_TEST_FLAG", raw)
    default = object()
    result = env_bool("PG_TEST_FLAG", default)  # type: ignore[arg-type]
    assert result is (default if expected is None else expected)


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("PG_TEST_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="PG_TEST_FLAG must be one of"):
        env_bool("PG_TEST_FLAG", False)


def test_env_int_checks_type_and_minimum(monkeypatch):
    monkeypatch.setenv("PG_TEST_INT", "12")
    assert env_int("PG_TEST_INT", 1) == 12
    monkeypatch.setenv("PG_TEST_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="must be an integer"):
        env_int("PG_TEST_INT", 1)
    monkeypatch.setenv("PG_TEST_INT", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("PG_TEST_INT", 1, minimum=0)


def test_env_str_requires_a_value_without_default(monkeypatch):
    monkeypatch.delenv("PG_TEST_STR", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PG_TEST_STR is required"):
        env_str("PG_TEST_STR")
    assert env_str("PG_TEST_STR", "x") == "x"


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("PG_TEST_LIST", " a.example , b.example ,, ")
    assert env_list("PG_TEST_LIST", []) == ["a.example", "b.example"]


def test_env_secret_reads_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.delenv("PG_TEST_SECRET", raising=False)
    monkeypatch.setenv("PG_TEST_SECRET_FILE", str(secret))
    assert env_secret("PG_TEST_SECRET") == "s3cret"
    monkeypatch.setenv("PG_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_secret("PG_TEST_SECRET")


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_require_a_secret_key_outside_debug(tmp_path):
    result = _import_settings(DJANGO_DEBUG="false", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required" in result.stderr
    result = _import_settings(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="k" * 50, PORTAL_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr


def test_settings_refuse_a_malformed_flag(tmp_path):
    result = _import_settings(DJANGO_DEBUG="yes please", PORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_the_embedded_broker_polls_every_100_ms_unless_told(tmp_path):
    code = (
        "from portal import settings as s; "
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['polling_interval'])"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_", "CELERY_"))
    }
    env.update(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path))
    run = subprocess.run(  # noqa: S603 - the test's own interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.stdout.strip() == "0.1", run.stderr
    env["CELERY_BROKER_POLLING_MS"] = "250"
    run = subprocess.run(  # noqa: S603 - the test's own interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.stdout.strip() == "0.25", run.stderr


def test_a_pool_process_is_replaced_past_512_mib_unless_told(tmp_path):
    code = "from portal.celery import app; print(app.conf.worker_max_memory_per_child)"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_", "CELERY_"))
    }
    env.update(DJANGO_DEBUG="true", PORTAL_VAR_DIR=str(tmp_path))
    outputs = []
    for limit in (None, "1024"):
        if limit is not None:
            env["CELERY_WORKER_MAX_MEMORY_MB"] = limit
        run = subprocess.run(  # noqa: S603 - the test's own interpreter
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        outputs.append(run.stdout.strip() or run.stderr)
    # Celery counts in KiB.
    assert outputs == ["524288", "1048576"]
