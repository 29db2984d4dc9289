"""Case 38: a nested user namespace, or any other namespace."""

import ctypes
import errno
import subprocess

from _report import report

libc = ctypes.CDLL(None, use_errno=True)
results = {}
for name, flag in (("user", 0x10000000), ("mount", 0x20000), ("net", 0x40000000)):
    if libc.unshare(flag) == 0:
        results[name] = "ok"
    else:
        results[name] = errno.errorcode.get(ctypes.get_errno(), "?")
done = subprocess.run(
    ["/usr/bin/bwrap", "--ro-bind", "/", "/", "/usr/bin/true"],
    capture_output=True,
    check=False,
)
results["bwrap"] = done.returncode
report(results=results, bwrap_stderr=done.stderr.decode("utf-8", "replace"))
