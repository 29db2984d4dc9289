"""Case 41: raise RLIMIT_CORE, then crash to leave a core file."""

import os
import resource
import signal
import sys

from _report import outcome, report

os.chdir("/out")
report(
    raise_core=outcome(
        lambda: resource.setrlimit(resource.RLIMIT_CORE, (1 << 30, 1 << 30))
    ),
    core=resource.getrlimit(resource.RLIMIT_CORE),
)
sys.stdout.flush()
os.kill(os.getpid(), signal.SIGABRT)
