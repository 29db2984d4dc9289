# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S103
"""Case 15: write anywhere but /out."""

import os

from _report import outcome, report


def write(path):
    def attempt():
        with open(path, "a") as handle:
            handle.write("pwned")

    return attempt


targets = [
    "/in/features.csv",
    "/in/new",
    "/code/main.py",
    "/harness/new",
    "/usr/lib/python3/dist-packages/pwned.py",
    "/usr/bin/pwned",
    "/etc/passwd",
    "/etc/new",
    "/new",
    "/proc/sys/kernel/hostname",
]
results = {path: outcome(write(path)) for path in targets}
results["chmod /in/features.csv"] = outcome(lambda: os.chmod("/in/features.csv", 0o777))
results["rename /in/features.csv"] = outcome(
    lambda: os.rename("/in/features.csv", "/in/moved")
)
results["mkdir /in/x"] = outcome(lambda: os.mkdir("/in/x"))
report(results=results)
