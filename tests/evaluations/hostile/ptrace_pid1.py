"""Case 35: trace the sandbox's pid 1 (bwrap's reaper), then exit.

Without seccomp the attach succeeds: the stopped reaper never reports the
exit, so the run only ends at the wall clock. With seccomp it is EPERM.
"""

import ctypes
import errno

from _report import report

libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(16, 1, None, None) == 0:  # PTRACE_ATTACH
    result = "ok"
else:
    result = errno.errorcode.get(ctypes.get_errno(), "?")
report(ptrace_pid1=result)
