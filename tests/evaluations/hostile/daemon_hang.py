"""Case 33: setsid daemons that ignore hangups, then the main process hangs."""

import os
import signal
import time

for _ in range(3):
    if os.fork() == 0:
        os.setsid()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(0.1)
time.sleep(3600)
