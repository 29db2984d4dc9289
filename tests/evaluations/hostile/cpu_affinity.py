"""Report the cores this process may use, then try to widen them to all."""

import json
import os
import sys

before = sorted(os.sched_getaffinity(0))
try:
    os.sched_setaffinity(0, range(os.cpu_count() or 1))
    widened = "allowed"
except OSError as exc:
    widened = f"refused: {exc.errno}"
after = sorted(os.sched_getaffinity(0))
report = {"before": before, "after": after, "widen": widened}
sys.stdout.write(json.dumps(report) + "\n")
