"""The documented way to build a bundle: the example, the packer, the check.

docs/suites.md ("Building a suite bundle") runs exactly these steps, so the
example there stays runnable and accepted by the portal's checks.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from evaluations.suite_bundles import check_bundle, config_bundle_problems
from evaluations.suite_services import config_from_text
from evaluations.suites import validate_config
from tools import portal_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "suites" / "day-ahead-load"
SERIES = ROOT / "scenarios" / "demo_files" / "taylor_demand_2000.csv"


@pytest.fixture
def bundle_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "my-bundle"
    subprocess.run(  # noqa: S603 (a fixed command: the example script)
        [sys.executable, str(EXAMPLE / "build_bundle.py"), str(SERIES), str(folder)],
        check=True,
        capture_output=True,
    )
    return folder


def pack(folder: Path, target: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = portal_cli.main(
        ["suite-bundle", "pack", str(folder), str(target)],
        stdout=out,
        stderr=err,
        env={},
    )
    return code, out.getvalue() + err.getvalue()


def test_the_example_bundle_and_configuration_are_accepted(bundle_folder, tmp_path):
    archive = tmp_path / "bundle.tar.gz"
    code, output = pack(bundle_folder, archive)
    assert code == 0, output
    summary = check_bundle(archive)
    assert summary["splits"] == {
        "sample": {
            "calls": 2,
            "points": 96,
            "label_columns": ["day", "seasonal_naive"],
        },
        "hidden": {
            "calls": 3,
            "points": 144,
            "label_columns": ["day", "seasonal_naive"],
        },
    }
    assert summary["probes"] == {"missing": {"calls": 3}}
    config = config_from_text((EXAMPLE / "config.toml").read_text(encoding="utf-8"))
    validate_config(config)
    assert config_bundle_problems(config, summary, "forecasting") == []


def test_every_history_ends_before_its_origin(bundle_folder):
    for task_path in bundle_folder.glob("*/calls/*/in/task.json"):
        task = json.loads(task_path.read_text())
        with (task_path.parent / "history.csv").open() as handle:
            last = list(csv.DictReader(handle))[-1]["timestamp"]
        assert last < task["origin"] <= task["horizon"][0]


def test_packing_is_deterministic(bundle_folder, tmp_path):
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    pack(bundle_folder, first)
    os.utime(bundle_folder / "manifest.json", (0, 0))
    pack(bundle_folder, second)
    assert first.read_bytes() == second.read_bytes()


def test_the_packer_needs_the_bundle_folder_itself(bundle_folder, tmp_path):
    code, output = pack(bundle_folder.parent, tmp_path / "x.tar.gz")
    assert code == portal_cli.EXIT_USAGE
    assert "has no manifest.json at its top" in output


def test_the_packer_refuses_links(bundle_folder, tmp_path):
    (bundle_folder / "hidden" / "calls" / "2000-08-14" / "in" / "answers").symlink_to(
        bundle_folder / "hidden" / "labels.json"
    )
    code, output = pack(bundle_folder, tmp_path / "x.tar.gz")
    assert code == portal_cli.EXIT_USAGE
    assert "is not a regular file or folder (a link?)" in output


def test_the_check_command_reports_the_summary(bundle_folder, tmp_path):
    archive = tmp_path / "bundle.tar.gz"
    pack(bundle_folder, archive)
    out = io.StringIO()
    call_command(
        "check_suite_bundle",
        str(archive),
        config=str(EXAMPLE / "config.toml"),
        stdout=out,
    )
    assert '"input_calls": 8' in out.getvalue()
    assert out.getvalue().endswith("The bundle and the configuration fit together.\n")


def test_the_check_command_explains_refusals(bundle_folder, tmp_path):
    (bundle_folder / "sample" / "labels.json").unlink()
    archive = tmp_path / "bundle.tar.gz"
    pack(bundle_folder, archive)
    with pytest.raises(CommandError) as caught:
        call_command("check_suite_bundle", str(archive))
    assert str(caught.value) == (
        "The bundle is refused:\n"
        "- sample/labels.json is missing: every split needs its truth."
    )


def test_the_check_command_checks_the_configuration_against_the_bundle(
    bundle_folder, tmp_path
):
    archive = tmp_path / "bundle.tar.gz"
    pack(bundle_folder, archive)
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "metrics": [{"code": "skill_rmse", "params": {"baseline": "@naive"}}],
            }
        )
    )
    with pytest.raises(CommandError) as caught:
        call_command(
            "check_suite_bundle", str(archive), config=str(config), stdout=io.StringIO()
        )
    assert str(caught.value) == (
        "The configuration is refused:\n"
        "- Metric “skill_rmse”: parameter baseline refers to the label column "
        "“naive”, which not every call of hidden, sample has."
    )
