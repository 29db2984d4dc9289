"""Case 25: fill /out, the folder the host reads (bytes or inodes)."""

import errno
import sys

from _report import report

mode = sys.argv[1]
written = 0
created = 0
error = "ok"
for index in range(100_000):
    try:
        with open(f"/out/fill-{index}", "wb") as handle:
            if mode == "bytes":
                handle.write(b"x" * (1 << 20))
                written += 1 << 20
        created += 1
    except OSError as exc:
        error = errno.errorcode.get(exc.errno, str(exc.errno))
        break
report(error=error, written=written, created=created)
