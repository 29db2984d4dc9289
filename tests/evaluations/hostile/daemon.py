# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: T201
"""Case 32: double fork and setsid a daemon that outlives main."""

import os
import signal
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        for fd in (0, 1, 2):
            os.close(fd)
        while True:
            time.sleep(0.1)
    os._exit(0)
time.sleep(0.2)
print("main exits")
