"""The command-line client, over real HTTP against Django's live server.

``live_server`` implies ``transactional_db``: rows made here are committed,
so the server thread sees them, and on-commit hooks run at once (submitting
would start an evaluation, so that enqueue is patched out).
"""

from __future__ import annotations

import io
import socket
import zipfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings

from evaluations.intake import pack_solution
from evaluations.models import Run, Submission
from portal.accounts.models import Organisation
from portal.accounts.services import api_token_create
from tests.base import make_org, make_user
from tests.evaluations.helpers import (
    make_prediction_suite,
    make_run,
    make_submission,
    make_suite_version,
    prediction_csv,
)
from tests.evaluations.test_leaderboard import finish_hidden
from tests.scenarios.helpers import make_scenario
from tools import portal_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "solutions"


class World:
    """Personas and a published suite version (see tests/base.py)."""

    def __init__(self) -> None:
        operators = make_org("platform-ops", Organisation.Kind.OPERATOR)
        grid = make_org("demo-grid", Organisation.Kind.ENERGY)
        self.vendor_a = make_org("vendor-a", Organisation.Kind.VENDOR)
        self.vendor_b = make_org("vendor-b", Organisation.Kind.VENDOR)
        olivia = make_user("olivia", operators)
        self.gina = make_user("gina", grid)
        self.alice = make_user("alice", self.vendor_a)
        self.charlie = make_user("charlie", self.vendor_b)
        scenario = make_scenario(self.gina, grid, "GRID-PO-FC-001", operator=olivia)
        self.version = make_suite_version(scenario)
        self.submission = make_submission(self.version, self.vendor_a, self.alice)
        self.sample = make_run(self.submission, log="epoch 1 done\n")
        _token, self.alice_token = api_token_create(user=self.alice, name="cli")
        _token, self.charlie_token = api_token_create(user=self.charlie, name="cli")


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


@pytest.fixture
def media(tmp_path: Path):
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


def cli(
    live_server: Any, *argv: str, token: str | None = None, **kwargs: Any
) -> tuple[int, str, str]:
    """Run the CLI; return its exit code, stdout and stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    env = {"PORTAL_URL": live_server.url}
    if token:
        env["PORTAL_TOKEN"] = token
    code = portal_cli.main(list(argv), stdout=stdout, stderr=stderr, env=env, **kwargs)
    return code, stdout.getvalue(), stderr.getvalue()


# --- leaderboard ------------------------------------------------------------------


def test_it_prints_the_leaderboard_without_a_token(live_server, world):
    finish_hidden(world.submission, metrics={"mae": 2.0, "mape": 3.0})
    other = make_submission(world.version, world.vendor_b, world.charlie)
    finish_hidden(other, metrics={"mae": 4.0, "mape": 1.0})
    code, out, err = cli(live_server, "leaderboard", str(world.version.pk))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "Rank",
        "Organisation",
        "Solution",
        "Gates",
        "Composite",
        "mae↓",
        "mape↓",
        "Submitted",
    ]
    assert lines[1].split()[:6] == [
        "1",
        "vendor-b",
        "seasonal-naive",
        "1.0",
        "passed",
        "1.0000",
    ]
    assert lines[2].split()[:2] == ["2", "vendor-a"]
    assert "then mape, then the earlier submission" in out


def test_it_prints_the_leaderboard_as_json(live_server, world):
    code, out, _err = cli(live_server, "--json", "leaderboard", str(world.version.pk))
    assert code == 0
    assert '"rows": []' in out


def test_an_unknown_suite_version_is_not_found(live_server, world):
    code, out, err = cli(live_server, "leaderboard", "9999")
    assert (code, out) == (portal_cli.EXIT_NOT_FOUND, "")
    assert err == "portal_cli: Not found: No such suite version.\n"


# --- status -----------------------------------------------------------------------


def test_status_follows_a_run_until_it_succeeds(live_server, world):
    run_id = world.sample.pk
    steps = iter(
        [
            {"status": Run.Status.RUNNING, "stage": "running", "progress": 40},
            {
                "status": Run.Status.SUCCEEDED,
                "stage": "finished",
                "progress": 100,
                "metrics": {"mae": 1.5, "mape": 0.25},
            },
        ]
    )
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        # Each poll interval, the "worker" moves the run one step further.
        sleeps.append(seconds)
        Run.objects.filter(pk=run_id).update(**next(steps))

    code, out, err = cli(
        live_server,
        "status",
        str(run_id),
        "--follow",
        "--interval",
        "0.5",
        token=world.alice_token,
        sleep=sleep,
    )
    assert code == 0, err
    assert sleeps == [0.5, 0.5]
    assert err.splitlines() == [
        f"run {run_id}: queued, position 1 in the queue",
        f"run {run_id}: running 40%",
    ]
    assert out.splitlines()[0] == (
        f"Run {run_id} (validation) of submission {world.submission.pk}, "
        "vendor-a: succeeded"
    )
    assert "  mape  0.2500" in out
    assert f"Log: portal_cli.py logs {run_id}" in out


def test_status_exits_1_when_the_followed_run_fails(live_server, world):
    Run.objects.filter(pk=world.sample.pk).update(
        status=Run.Status.FAILED, failure=Run.Failure.CRASH, message="boom"
    )
    code, out, _err = cli(
        live_server,
        "status",
        str(world.sample.pk),
        "--follow",
        token=world.alice_token,
    )
    assert code == portal_cli.EXIT_RUN_FAILED
    assert "vendor-a: failed (crash)" in out
    assert "Message: boom" in out


def test_status_without_follow_shows_the_queue_position(live_server, world):
    code, out, _err = cli(
        live_server, "status", str(world.sample.pk), token=world.alice_token
    )
    assert code == 0
    assert f"run {world.sample.pk}: queued, position 1 in the queue" in out


def test_status_of_another_organisations_run_is_not_found(live_server, world):
    code, _out, err = cli(
        live_server, "status", str(world.sample.pk), token=world.charlie_token
    )
    assert code == portal_cli.EXIT_NOT_FOUND
    assert err == "portal_cli: Not found: No such run.\n"


def test_a_wrong_token_is_reported(live_server, world):
    code, _out, err = cli(live_server, "status", "1", token="not-a-token")
    assert code == portal_cli.EXIT_AUTH
    assert err.startswith("portal_cli: Not signed in: Invalid token.\n")
    assert "PORTAL_TOKEN" in err


def test_commands_that_need_a_token_say_so(live_server, world):
    for argv in (["status", "1"], ["logs", "1"], ["runs"]):
        code, _out, err = cli(live_server, *argv)
        assert code == portal_cli.EXIT_USAGE
        assert err.startswith("portal_cli: No API token. Set PORTAL_TOKEN")


# --- logs and runs ------------------------------------------------------------------


def test_logs_prints_the_validation_log(live_server, world):
    code, out, _err = cli(
        live_server, "logs", str(world.sample.pk), token=world.alice_token
    )
    assert (code, out) == (0, "epoch 1 done\n")


def test_logs_of_a_hidden_run_are_refused(live_server, world):
    hidden = make_run(world.submission, split=Run.Split.HIDDEN, log="secret")
    code, out, err = cli(live_server, "logs", str(hidden.pk), token=world.alice_token)
    assert (code, out) == (portal_cli.EXIT_NOT_FOUND, "")
    assert "only validation runs have logs" in err
    assert "secret" not in err


def test_runs_lists_my_submissions(live_server, world):
    make_submission(world.version, world.vendor_b, world.charlie)
    code, out, _err = cli(live_server, "runs", token=world.alice_token)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[1].split()[:3] == [
        str(world.submission.pk),
        str(world.version.pk),
        "vendor-a",
    ]
    assert lines[1].endswith(f"validation {world.sample.pk} queued")


def test_runs_follows_pages_up_to_the_limit(live_server, world):
    for _ in range(22):
        make_submission(world.version, world.vendor_a, world.alice)
    code, out, _err = cli(
        live_server, "--json", "runs", "--limit", "21", token=world.alice_token
    )
    assert code == 0
    assert out.count('"suite_version":') == 21


# --- submit ------------------------------------------------------------------------


def test_submit_uploads_a_package(live_server, world, media, tmp_path):
    archive = tmp_path / "solution.zip"
    pack_solution(EXAMPLES / "forecasting-seasonal-naive", archive)
    with mock.patch("evaluations.tasks.evaluation_run.apply_async") as enqueue:
        code, out, err = cli(
            live_server,
            "submit",
            "--suite-version",
            str(world.version.pk),
            "--organisation",
            "vendor-a",
            str(archive),
            token=world.alice_token,
        )
    assert code == 0, err
    run = Run.objects.exclude(pk=world.sample.pk).get()
    assert run.submission.organisation == world.vendor_a
    enqueue.assert_called_once_with(args=(run.pk,), countdown=0)
    assert f"Validation run {run.pk} is queued." in out
    assert f"portal_cli.py status {run.pk} --follow" in out


def test_submit_reports_a_refused_archive(live_server, world, media, tmp_path):
    bad = tmp_path / "solution.zip"
    bad.write_bytes(b"not an archive")
    code, out, err = cli(
        live_server,
        "submit",
        "--suite-version",
        str(world.version.pk),
        "--organisation",
        "vendor-a",
        str(bad),
        token=world.alice_token,
    )
    assert (code, out) == (portal_cli.EXIT_INVALID, "")
    assert err == (
        "portal_cli: The portal refused the request:\n"
        "file: The upload is neither a .zip nor a .tar.gz archive (judged by its "
        "content, not its name). (unknown_format)\n"
    )


def test_submit_for_another_organisation_is_not_allowed(
    live_server, world, media, tmp_path
):
    archive = tmp_path / "solution.zip"
    pack_solution(EXAMPLES / "forecasting-seasonal-naive", archive)
    code, _out, err = cli(
        live_server,
        "submit",
        "--suite-version",
        str(world.version.pk),
        "--organisation",
        "vendor-b",
        str(archive),
        token=world.alice_token,
    )
    assert code == portal_cli.EXIT_AUTH
    assert err.startswith("portal_cli: Not allowed:")


def test_a_read_only_token_reads_but_cannot_submit(live_server, world, tmp_path):
    _token, key = api_token_create(user=world.alice, name="dashboard", scope="read")
    code, _out, err = cli(live_server, "status", str(world.sample.pk), token=key)
    assert code == 0, err
    archive = tmp_path / "solution.zip"
    archive.write_bytes(b"never read")
    code, out, err = cli(
        live_server,
        "submit",
        "--suite-version",
        str(world.version.pk),
        "--organisation",
        "vendor-a",
        str(archive),
        token=key,
    )
    assert (code, out) == (portal_cli.EXIT_AUTH, "")
    assert err == "portal_cli: Not allowed: This token is read-only.\n"
    assert Submission.objects.count() == 1


# --- prediction files --------------------------------------------------------------


@pytest.fixture
def predictions_version(world, media, tmp_path):
    with override_settings(EVALUATION_WORK_DIR=tmp_path / "work"):
        yield make_prediction_suite(world.version.suite.scenario, tmp_path)


def test_inputs_saves_the_zip_of_a_split(
    live_server, world, predictions_version, tmp_path
):
    target = tmp_path / "hidden.zip"
    args = ["inputs", str(predictions_version.pk), "--output", str(target)]
    code, out, err = cli(live_server, *args, token=world.charlie_token)
    assert (code, err) == (0, "")
    assert out == (
        f"Saved the hidden test inputs to {target} ({target.stat().st_size:,} "
        "bytes). ids.csv lists the ids to predict.\n"
    )
    with zipfile.ZipFile(target) as archive:
        assert archive.read("ids.csv") == b"id\nh1\nh2\nh3\nh4\nh5\nh6\n"
    code, _out, err = cli(live_server, *args, token=world.charlie_token)
    assert code == portal_cli.EXIT_USAGE
    assert err == f"portal_cli: {target} exists; pass --force to replace it.\n"
    target.write_bytes(b"old")
    code, _out, err = cli(
        live_server, *args, "--split", "sample", "--force", token=world.charlie_token
    )
    assert code == 0, err
    with zipfile.ZipFile(target) as archive:
        assert archive.read("ids.csv") == b"id\ns1\ns2\ns3\ns4\n"


def test_inputs_of_a_registered_suite_need_a_token(
    live_server, world, predictions_version, tmp_path
):
    target = tmp_path / "hidden.zip"
    code, out, err = cli(
        live_server, "inputs", str(predictions_version.pk), "-o", str(target)
    )
    assert (code, out) == (portal_cli.EXIT_AUTH, "")
    assert err.startswith("portal_cli: Not signed in: Sign in to download the inputs.")
    assert not target.exists()
    assert not (tmp_path / "hidden.zip.partial").exists()


def test_submit_uploads_a_prediction_file(
    live_server, world, predictions_version, tmp_path
):
    path = tmp_path / "predictions.csv"
    path.write_bytes(prediction_csv())
    with mock.patch("evaluations.tasks.evaluation_run.apply_async"):
        code, out, err = cli(
            live_server,
            "submit",
            "--suite-version",
            str(predictions_version.pk),
            "--organisation",
            "vendor-a",
            "--name",
            "Threshold rule",
            "--version-label",
            "1.0",
            "--description",
            "Hot cells are defective.",
            str(path),
            token=world.alice_token,
        )
    assert code == 0, err
    submission = Submission.objects.get(suite_version=predictions_version)
    assert (submission.kind, submission.description) == (
        "predictions",
        "Hot cells are defective.",
    )
    assert out.startswith(
        f"Submission {submission.pk} accepted (prediction file): Threshold rule 1.0 "
        "for vendor-a.\n"
    )


def test_submit_reports_what_a_prediction_file_lacks(
    live_server, world, predictions_version, tmp_path
):
    path = tmp_path / "predictions.csv"
    path.write_bytes(prediction_csv())
    code, out, err = cli(
        live_server,
        "submit",
        "--suite-version",
        str(predictions_version.pk),
        "--organisation",
        "vendor-a",
        str(path),
        token=world.alice_token,
    )
    assert (code, out) == (portal_cli.EXIT_INVALID, "")
    assert err == (
        "portal_cli: The portal refused the request:\n"
        "name: Name the solution: a prediction file has no manifest.\n"
        "version_label: Give the solution a version: a prediction file has no "
        "manifest.\n"
    )


def test_prediction_files_are_marked_in_leaderboard_runs_and_status(
    live_server, world, predictions_version
):
    submission = make_submission(
        predictions_version, world.vendor_a, world.alice, kind="predictions"
    )
    hidden = finish_hidden(submission, metrics={"accuracy": 1.0, "f1": 1.0})
    code, out, _err = cli(live_server, "leaderboard", str(predictions_version.pk))
    assert code == 0
    assert out.splitlines()[1].split()[2:5] == ["seasonal-naive", "1.0", "[file]"]
    assert out.rstrip().endswith(portal_cli.FILE_NOTE)
    code, out, _err = cli(
        live_server,
        "runs",
        "--suite-version",
        str(predictions_version.pk),
        token=world.alice_token,
    )
    assert "seasonal-naive 1.0 [file]" in out
    code, out, _err = cli(
        live_server, "status", str(hidden.pk), token=world.alice_token
    )
    assert (
        "Probes and resources: not applicable (a prediction file runs no code)" in out
    )
    assert "Resources:" not in out


def test_a_package_is_not_marked(live_server, world):
    finish_hidden(world.submission, metrics={"mae": 2.0, "mape": 3.0})
    _code, out, _err = cli(live_server, "leaderboard", str(world.version.pk))
    assert "[file]" not in out


# --- configuration and usage (no server needed) ----------------------------------


def run_offline(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = portal_cli.main(argv, stdout=stdout, stderr=stderr, env=env)
    return code, stdout.getvalue(), stderr.getvalue()


def test_a_missing_file_is_a_usage_error(tmp_path):
    code, _out, err = run_offline(
        ["submit", "--suite-version", "1", "--organisation", "x", str(tmp_path / "no")],
        {"PORTAL_URL": "http://127.0.0.1:9", "PORTAL_TOKEN": "t"},
    )
    assert code == portal_cli.EXIT_USAGE
    assert err.startswith("portal_cli: No such file:")


def test_configuration_errors_are_usage_errors():
    for env, message in (
        ({}, "No portal address. Set PORTAL_URL or pass --url."),
        ({"PORTAL_URL": "ftp://x"}, "The portal URL must start with http://"),
    ):
        code, _out, err = run_offline(["leaderboard", "1"], env)
        assert code == portal_cli.EXIT_USAGE
        assert err.startswith(f"portal_cli: {message}")


def test_bad_arguments_are_usage_errors():
    code, _out, err = run_offline(["status", "abc"], {})
    assert code == portal_cli.EXIT_USAGE
    assert "invalid _positive_int value" in err or "not a number" in err


def test_options_work_before_and_after_the_command():
    parser = portal_cli.build_parser()
    before = parser.parse_args(["--url", "http://a", "status", "3"])
    after = parser.parse_args(["status", "3", "--url", "http://b", "--json"])
    assert (before.url, before.json) == ("http://a", False)
    assert (after.url, after.json) == ("http://b", True)


def test_an_unreachable_portal_is_reported():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: refused
        code, _out, err = run_offline(
            ["leaderboard", "1"], {"PORTAL_URL": f"http://127.0.0.1:{port}"}
        )
    assert code == portal_cli.EXIT_UNAVAILABLE
    assert err.startswith(
        f"portal_cli: Cannot reach the portal at http://127.0.0.1:{port}"
    )


def test_next_links_never_leave_the_portal():
    client = portal_cli.Client("https://portal.example.com", "t")
    assert (
        client.url("http://evil.example.org/api/v1/submissions/?page=2")
        == "https://portal.example.com/api/v1/submissions/?page=2"
    )


def test_multipart_bodies_carry_fields_and_files():
    body, content_type = portal_cli.encode_multipart(
        {"organisation": "vendor-a"}, {"file": ('a"b.zip', b"PK\x03\x04")}
    )
    boundary = content_type.split("boundary=")[1]
    assert body.startswith(f"--{boundary}\r\n".encode())
    assert b'name="organisation"\r\n\r\nvendor-a\r\n' in body
    assert b'filename="a_b.zip"' in body
    assert body.endswith(f"--{boundary}--\r\n".encode())
