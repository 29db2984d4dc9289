"""Cases 08, 09: the environment and every visible /proc/*/environ."""

import os

from _report import report

environs = {}
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                environs[pid] = handle.read().decode("utf-8", "replace")
        except OSError as exc:
            environs[pid] = f"error {exc.errno}"
report(environ=dict(os.environ), proc=environs, pids=sorted(environs))
