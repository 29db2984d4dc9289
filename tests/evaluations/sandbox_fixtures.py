"""Fixtures for the sandbox tests: hostile programs, canaries, host checks.

A hostile program is a small file in ``hostile/``; ``sandbox.run(name)``
copies it to ``/code/main.py`` of a fresh run (with ``hostile/_report.py``
beside it) and runs it through ``BubblewrapRunner`` with small limits.
The labels canary lives on the host *next to* the input folder, never in
it, exactly like real labels.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from evaluations.runners.base import KIB, MIB, Limits, RunResult, RunSpec
from evaluations.runners.bubblewrap import (
    BubblewrapRunner,
    RunTrace,
    hold_slot,
    mounts_under,
)

HOSTILE_DIR = Path(__file__).resolve().parent / "hostile"
PYTHON = ["/usr/bin/python3", "-E", "-s"]

# Small limits keep the containment suite fast on a 2-core machine.
SMALL = Limits(
    wall_seconds=2.0,
    cpu_seconds=1,
    memory_bytes=128 * MIB,
    processes=16,
    file_size_bytes=4 * MIB,
    open_files=64,
    tmp_bytes=16 * MIB,
    output_bytes=2 * MIB,
    output_files=16,
    stdout_bytes=64 * KIB,
    stderr_bytes=64 * KIB,
)

# A canary-shaped string the hostile scanner looks for. The decoy sits in
# the input on purpose, so a scan that finds nothing proves it looked.
CANARY_PREFIX = "PORTAL-CANARY-"
DECOY = CANARY_PREFIX + "decoy0000"


def bwrap_problems() -> list[str]:
    """Return what stops bubblewrap sandboxes here, the eval venv aside."""
    with override_settings(PORTAL_SANDBOX_EVAL_VENV=None):
        return BubblewrapRunner().check()


def primary(message: str) -> str:
    """Return ``message`` without the note on what the machine lacks."""
    return message.split(" (sandbox degraded: ", 1)[0]


@pytest.fixture
def require_bwrap(settings: Any) -> None:
    """Skip without a usable bwrap; fail instead when CI=true.

    The hostile programs need only the standard library, so the sandbox
    tests run without the evaluation virtualenv.
    """
    settings.PORTAL_SANDBOX_EVAL_VENV = None
    problems = bwrap_problems()
    if not problems:
        return
    reason = "bubblewrap sandbox unusable here: " + "; ".join(problems)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def canary() -> str:
    return CANARY_PREFIX + secrets.token_hex(16)


@dataclass
class SandboxRun:
    result: RunResult
    trace: RunTrace | None
    report: dict[str, object] = field(default_factory=dict)


class Sandbox:
    """Run hostile programs and check that the host is unchanged."""

    def __init__(self, root: Path, canary: str) -> None:
        self.root = root
        self.canary = canary
        self.input_dir = root / "input"
        self.labels = root / "labels.csv"
        self.input_dir.mkdir()
        (self.input_dir / "features.csv").write_text(f"x,y\n1,2\n3,4\n{DECOY}\n")
        self.labels.write_text(f"label\n{canary}\n")
        self.harness_dir = root / "harness"
        self.harness_dir.mkdir()
        (self.harness_dir / "README").write_text("harness placeholder\n")

    def spec(
        self,
        name: str,
        *args: str,
        limits: Limits = SMALL,
        expected_outputs: tuple[str, ...] = (),
    ) -> RunSpec:
        code_dir = self.root / f"code-{name}-{secrets.token_hex(4)}"
        code_dir.mkdir()
        shutil.copy(HOSTILE_DIR / f"{name}.py", code_dir / "main.py")
        shutil.copy(HOSTILE_DIR / "_report.py", code_dir / "_report.py")
        return RunSpec(
            run_id=f"test-{name}",
            code_dir=code_dir,
            input_dir=self.input_dir,
            harness_dir=self.harness_dir,
            argv=[*PYTHON, "/code/main.py", *args],
            expected_outputs=list(expected_outputs),
            limits=limits,
        )

    def run(self, name: str, *args: str, **options: object) -> SandboxRun:
        runner = BubblewrapRunner()
        spec = self.spec(name, *args, **options)  # type: ignore[arg-type]
        result = runner.run(spec)
        return SandboxRun(result, runner.last_trace, last_report(result))

    def assert_contained(self, run: SandboxRun, *secrets_: str) -> None:
        """Assert no canary left the sandbox and the host is as before."""
        result = run.result
        for secret in (self.canary, *secrets_):
            for blob in (result.stdout, result.stderr, *result.outputs.values()):
                assert secret.encode() not in blob
            assert secret not in result.message
        assert run.trace is not None
        assert_host_clean(run.trace)


def assert_host_clean(trace: RunTrace) -> None:
    """With the slot held, nothing of the run may be left on the host."""
    with hold_slot(trace.slot):
        # Zombies count too: the runner reaps the sandbox's pid 1 itself.
        survivors = processes_of_uid(trace.uid)
        assert survivors == [], f"processes of uid {trace.uid} survived: {survivors}"
        assert not os.path.lexists(trace.run_dir)
        assert mounts_under(trace.run_dir) == []
        for path in trace.cgroup_dirs:
            assert not path.exists()


def processes_of_uid(uid: int) -> list[tuple[int, str]]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uids = fields.get("Uid", "").split()
        if str(uid) in uids[:2]:
            found.append((int(entry), fields.get("State", "").strip()))
    return found


def last_report(result: RunResult) -> dict[str, object]:
    """Return the last JSON line a hostile program printed, if any."""
    for line in reversed(result.stdout.decode("utf-8", "replace").splitlines()):
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return {}


@pytest.fixture
def sandbox(require_bwrap: None, tmp_path: Path, canary: str) -> Sandbox:
    # The runner's slot users must reach nothing here: pytest's tmp_path is
    # private to root, which is the point (inputs are copied in as root).
    return Sandbox(tmp_path, canary)
