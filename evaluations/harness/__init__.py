"""The in-sandbox harness that imports and calls a vendor solution.

``harness.py`` is the program the runner starts inside the sandbox (bound
read-only at ``/harness``); see its docstring and docs/solution-contract.md
for the protocol. It imports only the standard library at module level, so
the host can import its constants from here.
"""

from __future__ import annotations

from pathlib import Path

from evaluations.harness.harness import (
    EXIT_BAD_TASK,
    EXIT_IMPORT,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_RAISED,
    PREDICTIONS_FILE,
    SCHEMA_VERSION,
    TASK_FILE,
)

# Bind this folder read-only at /harness (RunSpec.harness_dir).
HARNESS_DIR = Path(__file__).resolve().parent
# The command inside the sandbox (RunSpec.argv).
SANDBOX_ARGV = ["python3", "-I", "/harness/harness.py"]

# What each exit code means, for messages on the host.
EXIT_MEANINGS = {
    EXIT_OK: "the solution ran and its predictions were written",
    EXIT_INTERNAL: "the harness itself failed (a platform problem)",
    EXIT_BAD_TASK: "task.json, an input file or solution.toml is invalid",
    EXIT_IMPORT: "the solution could not be imported",
    EXIT_RAISED: "the solution's function raised an exception",
    EXIT_INVALID: "the solution's function returned invalid predictions",
}

__all__ = [
    "EXIT_BAD_TASK",
    "EXIT_IMPORT",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_MEANINGS",
    "EXIT_OK",
    "EXIT_RAISED",
    "HARNESS_DIR",
    "PREDICTIONS_FILE",
    "SANDBOX_ARGV",
    "SCHEMA_VERSION",
    "TASK_FILE",
]
