"""Case 39: real-time scheduling and a higher priority."""

import os

from _report import outcome, report

results = {
    "fifo": outcome(
        lambda: os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
    ),
    "rr": outcome(lambda: os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(50))),
    "nice": outcome(lambda: os.nice(-10)),
    "setpriority": outcome(lambda: os.setpriority(os.PRIO_PROCESS, 0, -20)),
}
report(results=results, policy=os.sched_getscheduler(0))
