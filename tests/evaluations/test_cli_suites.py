"""The command-line client's suite commands, over real HTTP (live server)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from evaluations import suite_services
from evaluations.models import SuiteVersion
from portal.accounts.models import Membership, Organisation
from portal.accounts.services import api_token_create
from tests.base import make_org, make_user
from tests.evaluations.suite_helpers import bundle_files, config, tar_gz
from tests.scenarios.helpers import make_scenario
from tools import portal_cli


class World:
    def __init__(self) -> None:
        operators = make_org("platform-ops", Organisation.Kind.OPERATOR)
        grid = make_org("demo-grid", Organisation.Kind.ENERGY)
        olivia = make_user("olivia", operators)
        self.gina = make_user("gina", grid)
        self.gary = make_user("gary", grid, role=Membership.Role.MEMBER)
        scenario = make_scenario(self.gina, grid, "GRID-PO-FC-001", operator=olivia)
        self.suite = suite_services.suite_create(
            scenario=scenario,
            user=self.gina,
            slug="day-ahead",
            task_kind="forecasting",
            data={"title_zh": "日前", "title_en": "Day-ahead"},
        )
        _token, self.gina_token = api_token_create(user=self.gina, name="cli")
        _token, self.gary_token = api_token_create(user=self.gary, name="cli")


@pytest.fixture
def world(transactional_db: None, tmp_path: Path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield World()


def cli(live_server: Any, *argv: str, token: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    env = {"PORTAL_URL": live_server.url, "PORTAL_TOKEN": token}
    code = portal_cli.main(list(argv), stdout=stdout, stderr=stderr, env=env)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    bundle = tmp_path / "bundle.tar.gz"
    bundle.write_bytes(tar_gz(bundle_files()))
    config_file = tmp_path / "suite.json"
    config_file.write_text(json.dumps(config()))
    return bundle, config_file


def test_an_owner_drafts_and_publishes_a_version(live_server, world, files):
    bundle, config_file = files
    code, out, err = cli(
        live_server,
        "suite-version",
        "create",
        "--suite",
        str(world.suite.pk),
        "--config",
        str(config_file),
        "--notes",
        "Two hidden weeks.",
        str(bundle),
        token=world.gina_token,
    )
    assert (code, err) == (0, "")
    version = SuiteVersion.objects.get(suite=world.suite)
    assert out.splitlines() == [
        f"Draft version 1 of suite day-ahead (GRID-PO-FC-001) saved as suite "
        f"version {version.pk}.",
        f"Bundle SHA-256 {version.bundle.sha256}: sample 2 calls, hidden 3 calls; "
        "probes: noise.",
        "Publish it with:",
        f"  portal_cli.py suite-version publish {version.pk}",
    ]
    assert version.change_notes == "Two hidden weeks."
    code, out, err = cli(
        live_server, "suite-version", "publish", str(version.pk), token=world.gina_token
    )
    assert (code, out, err) == (
        0,
        "Version 1 of suite day-ahead (GRID-PO-FC-001) is published and locked.\n",
        "",
    )
    version.refresh_from_db()
    assert version.status == SuiteVersion.Status.PUBLISHED


def test_a_refused_bundle_is_explained(live_server, world, files, tmp_path):
    _bundle, config_file = files
    broken = bundle_files()
    del broken["hidden/labels.json"]
    bundle = tmp_path / "broken.tar.gz"
    bundle.write_bytes(tar_gz(broken))
    code, out, err = cli(
        live_server,
        "suite-version",
        "create",
        "--suite",
        str(world.suite.pk),
        "--config",
        str(config_file),
        str(bundle),
        token=world.gina_token,
    )
    assert (code, out) == (portal_cli.EXIT_INVALID, "")
    assert err == (
        "portal_cli: The portal refused the request:\n"
        "bundle: hidden/labels.json is missing: every split needs its truth.\n"
    )


def test_a_reader_may_not_draft(live_server, world, files):
    bundle, config_file = files
    code, _out, err = cli(
        live_server,
        "suite-version",
        "create",
        "--suite",
        str(world.suite.pk),
        "--config",
        str(config_file),
        str(bundle),
        token=world.gary_token,
    )
    assert code == portal_cli.EXIT_AUTH
    assert err.startswith("portal_cli: Not allowed:")
    assert not SuiteVersion.objects.exists()


def test_missing_files_are_usage_errors(live_server, world, tmp_path):
    code, _out, err = cli(
        live_server,
        "suite-version",
        "create",
        "--suite",
        str(world.suite.pk),
        "--config",
        str(tmp_path / "nope.toml"),
        str(tmp_path / "nope.tar.gz"),
        token=world.gina_token,
    )
    assert code == portal_cli.EXIT_USAGE
    assert err == f"portal_cli: No such file: {tmp_path / 'nope.toml'}\n"
