"""Case 52: open files until the limit."""

import errno
import os

from _report import report

opened = 0
error = "ok"
handles = []
while opened < 100_000:
    try:
        handles.append(os.open("/dev/null", os.O_RDONLY))
        opened += 1
    except OSError as exc:
        error = errno.errorcode.get(exc.errno, str(exc.errno))
        break
report(opened=opened, error=error)
for handle in handles:
    os.close(handle)
