"""Case 45, run A: hold a lock on an inode every sandbox shares."""

import fcntl
import sys
import time

from _report import outcome, report

path, seconds = sys.argv[1], float(sys.argv[2])
handle = open(path, "rb")  # noqa: SIM115 - held until the end
locked = outcome(lambda: fcntl.flock(handle, fcntl.LOCK_EX))
report(flock=locked)
sys.stdout.flush()
time.sleep(seconds)
