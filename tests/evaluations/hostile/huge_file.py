# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S108
"""Case 26: one file larger than RLIMIT_FSIZE."""

import errno
import os

from _report import report

size = 0
error = "ok"
with open("/tmp/huge", "wb", buffering=0) as handle:
    while size < 1 << 30:
        try:
            size += handle.write(b"x" * (1 << 20))
        except OSError as exc:
            error = errno.errorcode.get(exc.errno, str(exc.errno))
            break
report(error=error, size=os.path.getsize("/tmp/huge"))
