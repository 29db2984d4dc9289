"""The interface every sandbox runner implements.

A runner executes one untrusted program (the harness that imports the
vendor's solution) with a read-only view of the solution code and of the
run's *inputs*, and a small writable output folder. It never sees labels:
scoring happens afterwards, on the host, in trusted code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


class Outcome(enum.StrEnum):
    """How a sandboxed run ended. Everything but OK is final for the run."""

    OK = "ok"
    RUNTIME_ERROR = "runtime_error"  # non-zero exit
    SIGNALLED = "signalled"  # killed by a signal it raised or received
    CPU_TIME = "cpu_time"  # RLIMIT_CPU
    MEMORY = "memory"  # memory limit (cgroup OOM or MemoryError)
    WALL_TIME = "wall_time"  # wall-clock limit
    OUTPUT_LIMIT = "output_limit"  # stdout/stderr cap or output folder full
    INVALID_OUTPUT = "invalid_output"  # outputs missing, unsafe or malformed
    PLATFORM_ERROR = "platform_error"  # the runner itself failed


@dataclass(frozen=True)
class Limits:
    """Resource budget of one run (a suite declares its own)."""

    wall_seconds: float = 60.0
    cpu_seconds: int = 60
    memory_bytes: int = 2 * GIB
    processes: int = 64
    file_size_bytes: int = 64 * MIB
    open_files: int = 256
    tmp_bytes: int = 256 * MIB
    output_bytes: int = 64 * MIB
    output_files: int = 64
    stdout_bytes: int = 256 * KIB
    stderr_bytes: int = 256 * KIB


@dataclass(frozen=True)
class RunSpec:
    """What to run.

    ``code_dir`` appears read-only at ``/code`` and ``input_dir`` at
    ``/in`` (an empty folder when None: a session stages its calls there);
    ``/out`` is the only writable folder that survives the run.
    ``argv`` is the command inside the sandbox, e.g.
    ``["python3", "-I", "/harness/harness.py"]``; ``harness_dir`` is bound
    read-only at ``/harness``. ``expected_outputs`` names the files of
    ``/out`` the host will read back (nothing else is read).
    """

    run_id: str
    code_dir: Path
    input_dir: Path | None
    harness_dir: Path
    argv: list[str]
    expected_outputs: list[str]
    limits: Limits = field(default_factory=Limits)


@dataclass
class RunResult:
    outcome: Outcome
    message: str = ""
    exit_code: int | None = None
    signal: int | None = None
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_memory_bytes: int | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    # Contents of ``RunSpec.expected_outputs`` that were safely readable.
    outputs: dict[str, bytes] = field(default_factory=dict)
    sandboxed: bool = True


class Runner(Protocol):
    name: str

    def check(self) -> list[str]:
        """Return the problems that stop this runner from working here."""
        ...

    def run(self, spec: RunSpec) -> RunResult:
        """Run ``spec`` to completion and return its result. Never raises
        for anything the sandboxed program does."""
        ...
