"""Warm sessions: one harness serves every call of a pass.

Three layers: the harness's ``--session`` protocol run as a plain
subprocess; the host's ``CallDriver`` and ``session_results`` on their
own; and whole sessions in the bubblewrap sandbox with the evaluation
environment, where the rolling-origin rule, the per-call limits and a
solution that answers for the harness are checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from evaluations.harness import EXIT_INTERNAL, EXIT_OK, EXIT_RAISED
from evaluations.runners.base import MIB, Limits, Outcome, RunResult
from evaluations.runners.bubblewrap import BubblewrapRunner
from evaluations.runners.session import (
    CallDriver,
    SessionSpec,
    session_limits,
    session_results,
)
from tests.evaluations.sandbox_fixtures import bwrap_problems
from tests.evaluations.test_harness import forecasting_input, make_package

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "evaluations" / "harness" / "harness.py"
EVAL_ENV = Path(os.environ.get("PORTAL_SANDBOX_EVAL_VENV") or ROOT / "var" / "eval-env")

# Counts the calls this process has served and encodes what /in shows.
COUNTING = """
import os

CALLS = []

def predict(history, exogenous, horizon):
    CALLS.append(len(history))
    visible = sorted(int(name) for name in os.listdir(os.environ["PORTAL_IN_DIR"]))
    # One value per horizon step: how many calls this process served, then
    # the largest input folder it can see (-1 for none).
    values = [float(len(CALLS)), float(max(visible, default=-1))]
    return values + [0.0] * (len(horizon) - 2)
"""


def _calls(root: Path, count: int) -> list[Path]:
    """``count`` one-origin forecasting inputs, one folder each."""
    folders = []
    root.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        folder = root / f"call-{index}"
        forecasting_input(folder, days=3 + index)
        folders.append(folder)
    return folders


# -- The harness's side -----------------------------------------------------------


def _serve(code: Path, input_root: Path, out: Path, commands: bytes):
    """Run ``harness.py --session`` with ``commands`` on its command pipe."""
    out.mkdir(exist_ok=True)
    command_r, command_w = os.pipe()
    reply_r, reply_w = os.pipe()
    proc = subprocess.Popen(  # noqa: S603 - the repository's own harness
        [
            sys.executable,
            "-I",
            str(HARNESS),
            "--session",
            f"{command_r},{reply_w}",
            "--code",
            str(code),
            "--input",
            str(input_root),
            "--output",
            str(out),
        ],
        pass_fds=[command_r, reply_w],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PORTAL_IN_DIR": str(input_root)},
    )
    os.close(command_r)
    os.close(reply_w)
    os.write(command_w, commands)
    os.close(command_w)
    _stdout, stderr = proc.communicate(timeout=120)
    with os.fdopen(reply_r, "rb") as replies:
        answers = replies.read()
    return proc.returncode, answers, stderr.decode()


def _staged(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for index, folder in enumerate(_calls(tmp_path / "sources", count)):
        folder.rename(root / str(index))
    return root


def test_a_session_imports_the_solution_once_and_serves_each_call(tmp_path):
    code = make_package(tmp_path / "code", COUNTING)
    root = _staged(tmp_path, 3)
    status, answers, stderr = _serve(
        code, root, tmp_path / "out", b"call 0\ncall 1\ncall 2\n"
    )
    assert status == EXIT_OK, stderr
    assert answers == b"done 0\ndone 1\ndone 2\n"
    for index in range(3):
        data = json.loads((tmp_path / "out" / f"predictions-{index}.json").read_text())
        assert data["predictions"][0] == index + 1  # the same process, warm
    assert "session ended after 3 calls" in stderr


def test_the_first_failing_call_ends_the_session_with_its_exit_code(tmp_path):
    code = make_package(
        tmp_path / "code",
        """
        SEEN = []

        def predict(history, exogenous, horizon):
            SEEN.append(1)
            if len(SEEN) == 2:
                raise RuntimeError("second call fails")
            return [0.0] * len(horizon)
        """,
    )
    root = _staged(tmp_path, 3)
    status, answers, stderr = _serve(
        code, root, tmp_path / "out", b"call 0\ncall 1\ncall 2\n"
    )
    assert status == EXIT_RAISED
    assert answers == b"done 0\n"
    assert "second call fails" in stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "predictions-0.json"
    ]


@pytest.mark.parametrize(
    "commands", [b"run 0\n", b"call ../0\n", b"call 0", b"call " + b"9" * 100]
)
def test_a_malformed_command_is_the_harness_own_error(tmp_path, commands):
    code = make_package(tmp_path / "code", COUNTING)
    root = _staged(tmp_path, 1)
    status, answers, _stderr = _serve(code, root, tmp_path / "out", commands)
    assert status == EXIT_INTERNAL
    assert answers == b""


def test_end_of_file_before_any_call_ends_cleanly(tmp_path):
    code = make_package(tmp_path / "code", COUNTING)
    status, answers, stderr = _serve(code, _staged(tmp_path, 1), tmp_path / "out", b"")
    assert (status, answers) == (EXIT_OK, b"")
    assert "after 0 calls" in stderr


# -- The host's side --------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _driver(tmp_path: Path, calls: int, **options: Any) -> tuple[CallDriver, list]:
    out = tmp_path / "out"
    out.mkdir()
    command_r, command_w = os.pipe()
    staged: list[int] = []
    options.setdefault("cpu_now", lambda: 1.0)
    driver = CallDriver(
        calls=calls,
        limits=Limits(wall_seconds=10, cpu_seconds=2),
        out_dir=out,
        command_fd=command_w,
        reply_fd=-1,
        stage=staged.append,
        **options,
    )
    driver.test_command_r = command_r  # type: ignore[attr-defined]
    return driver, staged


def _answer(driver: CallDriver, tmp_path: Path, index: int, body: bytes) -> None:
    (tmp_path / "out" / f"predictions-{index}.json").write_bytes(body)
    driver.feed(f"done {index}\n".encode())


def test_the_driver_stages_the_next_call_only_after_reading_the_last(tmp_path):
    driver, staged = _driver(tmp_path, 3)
    driver.start()
    assert staged == [0] and driver.pending == 0
    _answer(driver, tmp_path, 0, b'{"a": 0}')
    # Read and removed before call 1 was staged.
    assert not (tmp_path / "out" / "predictions-0.json").exists()
    assert staged == [0, 1] and driver.pending == 1
    _answer(driver, tmp_path, 1, b'{"a": 1}')
    _answer(driver, tmp_path, 2, b'{"a": 2}')
    assert driver.finished and driver.command_fd is None
    assert [r.outputs["predictions.json"] for r in driver.results] == [
        b'{"a": 0}',
        b'{"a": 1}',
        b'{"a": 2}',
    ]
    commands = os.read(driver.test_command_r, 100)  # type: ignore[attr-defined]
    assert commands == b"call 0\ncall 1\ncall 2\n"


def test_an_answer_out_of_turn_stops_the_session_without_staging_more(tmp_path):
    driver, staged = _driver(tmp_path, 3)
    driver.start()
    driver.feed(b"done 1\n")
    assert driver.failure is not None
    assert driver.failure.outcome is Outcome.INVALID_OUTPUT
    assert "out of turn" in driver.failure.message
    assert staged == [0] and driver.command_fd is None


def test_a_missing_predictions_file_is_invalid_output(tmp_path):
    driver, staged = _driver(tmp_path, 2)
    driver.start()
    driver.feed(b"done 0\n")
    assert driver.failure is not None
    assert "predictions-0.json" in driver.failure.message
    assert staged == [0]


def test_the_call_deadline_and_cpu_budget_restart_with_each_call(tmp_path):
    clock = _Clock()
    cpu = [0.0]
    driver, _staged_calls = _driver(tmp_path, 2, clock=clock, cpu_now=lambda: cpu[0])
    driver.start()
    assert driver.deadline() == 110.0
    cpu[0] = 1.9
    assert driver.poll() is None
    clock.now = 107.0
    _answer(driver, tmp_path, 0, b"{}")
    assert driver.results[0].wall_seconds == pytest.approx(7.0)
    assert driver.results[0].cpu_seconds == pytest.approx(1.9)
    assert driver.deadline() == 117.0  # a fresh 10 s for call 1
    cpu[0] = 3.8
    assert driver.poll() is None  # 1.9 s of call 1's own 2 s
    cpu[0] = 4.0
    assert driver.poll() == "cpu"


def test_a_verdict_after_the_last_call_fails_the_last_call(tmp_path):
    driver, _staged_calls = _driver(tmp_path, 1)
    driver.start()
    _answer(driver, tmp_path, 0, b"{}")
    verdict = RunResult(outcome=Outcome.OUTPUT_LIMIT, message="stdout cap")
    results = session_results(
        driver,
        verdict=verdict,
        peak_memory_bytes=5,
        stdout=b"log",
        stderr=b"",
        stdout_truncated=True,
        stderr_truncated=False,
        sandboxed=True,
    )
    assert [r.outcome for r in results] == [Outcome.OUTPUT_LIMIT]
    assert results[0].outputs == {} and results[0].stdout == b"log"


def test_an_exit_during_a_call_without_a_failure_is_invalid_output(tmp_path):
    driver, _staged_calls = _driver(tmp_path, 2)
    driver.start()
    _answer(driver, tmp_path, 0, b"{}")
    results = session_results(
        driver,
        verdict=RunResult(outcome=Outcome.OK),
        peak_memory_bytes=None,
        stdout=b"",
        stderr=b"",
        stdout_truncated=False,
        stderr_truncated=False,
        sandboxed=True,
    )
    assert [r.outcome for r in results] == [Outcome.OK, Outcome.INVALID_OUTPUT]
    assert "during call 2" in results[1].message


def test_session_limits_scale_the_process_wide_budget():
    limits = session_limits(Limits(cpu_seconds=3, stdout_bytes=10), 4)
    assert (limits.cpu_seconds, limits.stdout_bytes) == (12, 40)
    assert limits.memory_bytes == Limits().memory_bytes


# -- Whole sessions in the sandbox ----------------------------------------------

SESSION_LIMITS = Limits(
    wall_seconds=20.0,
    cpu_seconds=10,
    memory_bytes=1024 * MIB,
    processes=32,
    output_bytes=4 * MIB,
)


@pytest.fixture
def warm(settings: Any, tmp_path: Path):
    problems = bwrap_problems()
    if not (EVAL_ENV / "bin" / "python3").exists():
        problems.append(f"no evaluation environment at {EVAL_ENV}")
    if problems:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("; ".join(problems))
        pytest.skip("; ".join(problems))
    settings.PORTAL_SANDBOX_EVAL_VENV = str(EVAL_ENV)

    def run(source: str, calls: int = 3, limits: Limits = SESSION_LIMITS):
        code = make_package(tmp_path / f"code-{len(list(tmp_path.iterdir()))}", source)
        spec = SessionSpec(
            run_id="test-session",
            code_dir=code,
            harness_dir=HARNESS.parent,
            argv=["/venv/bin/python3", "-I", "/harness/harness.py"],
            calls=_calls(tmp_path / f"calls-{secrets_token()}", calls),
            limits=limits,
        )
        answered: list[int] = []
        results = BubblewrapRunner().run_session(spec, answered.append)
        return results, answered

    return run


def secrets_token() -> str:
    return os.urandom(4).hex()


def _values(result: RunResult) -> list[float]:
    return json.loads(result.outputs["predictions.json"])["predictions"]


def test_a_sandboxed_session_never_shows_a_later_origin(warm):
    results, answered = warm(COUNTING, calls=4)
    assert [r.outcome for r in results] == [Outcome.OK] * 4, results[-1].message
    assert answered == [1, 2, 3, 4]
    for index, result in enumerate(results):
        served, newest_visible = _values(result)[:2]
        assert served == index + 1  # one warm process
        assert newest_visible == index  # its own folder, never index + 1


def test_a_call_over_its_wall_clock_fails_alone(warm):
    results, _answered = warm(
        """
        import time
        CALLS = []

        def predict(history, exogenous, horizon):
            CALLS.append(1)
            if len(CALLS) == 2:
                time.sleep(60)
            return [0.0] * len(horizon)
        """,
        limits=Limits(**{**SESSION_LIMITS.__dict__, "wall_seconds": 4.0}),
    )
    assert [r.outcome for r in results] == [Outcome.OK, Outcome.WALL_TIME]
    assert "4 s" in results[1].message


def test_a_call_over_its_cpu_time_is_stopped(warm):
    results, _answered = warm(
        """
        CALLS = []

        def predict(history, exogenous, horizon):
            CALLS.append(1)
            while len(CALLS) == 2:
                pass
            return [0.0] * len(horizon)
        """,
        limits=Limits(**{**SESSION_LIMITS.__dict__, "cpu_seconds": 2}),
    )
    assert [r.outcome for r in results] == [Outcome.OK, Outcome.CPU_TIME]
    assert "in one call" in results[1].message
    # Stopped near its own budget, not the session's 6 s.
    assert results[1].wall_seconds < 5


def test_a_solution_answering_for_the_harness_gains_nothing(warm):
    results, _answered = warm(
        """
        import os
        import time

        def predict(history, exogenous, horizon):
            # Claim the call is done on every descriptor, before the harness
            # has written the predictions.
            for fd in range(3, 64):
                try:
                    os.write(fd, b"done 0\\n")
                except OSError:
                    pass
            time.sleep(0.5)  # so the host reads the claim first
            return [0.0] * len(horizon)
        """
    )
    # The host reads the claim, finds no predictions and stops the session.
    # (Even if it were slower than the harness, the harness's own answer
    # would then arrive out of turn and stop it one call later.)
    assert results[-1].outcome is Outcome.INVALID_OUTPUT
    assert len(results) <= 2
    assert (
        "predictions-0.json" in results[-1].message
        or "out of turn" in results[-1].message
    )


def test_a_solution_that_exits_mid_session_fails_that_call(warm):
    results, _answered = warm(
        """
        import os
        CALLS = []

        def predict(history, exogenous, horizon):
            CALLS.append(1)
            if len(CALLS) == 3:
                os._exit(0)
            return [0.0] * len(horizon)
        """
    )
    assert [r.outcome for r in results] == [
        Outcome.OK,
        Outcome.OK,
        Outcome.INVALID_OUTPUT,
    ]
    assert "during call 3" in results[2].message


def test_the_local_runner_serves_a_session_the_same_way(tmp_path, settings):
    from evaluations.runners.local import LocalRunner

    settings.PORTAL_ALLOW_UNSANDBOXED = True
    settings.DEBUG = True
    code = make_package(tmp_path / "code", COUNTING)
    spec = SessionSpec(
        run_id="test-local-session",
        code_dir=code,
        harness_dir=HARNESS.parent,
        argv=[sys.executable, "-I", "/harness/harness.py"],
        calls=_calls(tmp_path / "calls", 3),
        limits=SESSION_LIMITS,
    )
    results = LocalRunner().run_session(spec)
    assert [r.outcome for r in results] == [Outcome.OK] * 3, results[-1].message
    assert [_values(r)[:2] for r in results] == [[1, 0], [2, 1], [3, 2]]
    assert all(r.sandboxed is False for r in results)
