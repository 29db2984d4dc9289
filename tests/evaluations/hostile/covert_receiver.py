"""Case 45, run B: read the neighbour's lock as a bit, and other channels."""

import fcntl
import os
import sys
import time

from _report import outcome, report

path, seconds = sys.argv[1], float(sys.argv[2])
seen = set()
deadline = time.monotonic() + seconds
with open(path, "rb") as handle:
    while time.monotonic() < deadline:

        def probe():
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)

        seen.add(outcome(probe))
        time.sleep(0.05)
report(
    flock=sorted(seen),
    shm=sorted(os.listdir("/dev/shm")),  # noqa: S108
    tmp=sorted(os.listdir("/tmp")),  # noqa: S108
    mqueue=outcome(lambda: os.listdir("/dev/mqueue")),
)
