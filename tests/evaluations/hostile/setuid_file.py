# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S103, S108, S603
"""Case 20: setuid and device files in /out and /tmp, then run them."""

import os
import shutil
import subprocess

from _report import outcome, report


def setuid_copy(folder):
    def attempt():
        shutil.copy("/usr/bin/id", f"{folder}/id")
        os.chmod(f"{folder}/id", 0o6755)
        done = subprocess.run(
            [f"{folder}/id", "-u"], capture_output=True, check=True, text=True
        )
        if done.stdout.strip() == "0":
            raise RuntimeError("became root")

    return attempt


results = {
    "out": outcome(setuid_copy("/out")),
    "tmp": outcome(setuid_copy("/tmp")),
    "mknod": outcome(lambda: os.mknod("/out/mem", 0o666 | 0o020000, os.makedev(1, 1))),
}
report(results=results, uid=os.getuid(), euid=os.geteuid())
