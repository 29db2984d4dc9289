"""Case 34: kill the parent, pid 1 and everything (-1)."""

import os
import signal

from _report import outcome, report

results = {
    "parent": outcome(lambda: os.kill(os.getppid(), signal.SIGKILL)),
    "pid1": outcome(lambda: os.kill(1, signal.SIGKILL)),
    "all": outcome(lambda: os.kill(-1, signal.SIGKILL)),
    "host_pid": outcome(lambda: os.kill(int(os.environ.get("NOPE", "12345")), 0)),
}
pids = sorted(int(entry) for entry in os.listdir("/proc") if entry.isdigit())
report(results=results, pids=pids, ppid=os.getppid(), alive=True)
