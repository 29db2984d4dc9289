"""Cases 06, 10, 48: hunt for the labels through /proc."""

import os
import re
import sys

from _report import report

PATTERN = re.compile(("PORTAL" + "-CANARY-" + "[0-9a-z]+").encode())
labels = sys.argv[1]
hits = []
opened = {}
pids = sorted(p for p in os.listdir("/proc") if p.isdigit())
for pid in [*pids, "self", "thread-self"]:
    for suffix in ("root" + labels, "cwd/../../.." + labels):
        try:
            with open(f"/proc/{pid}/{suffix}", "rb") as handle:
                opened[f"{pid}/{suffix}"] = "read"
                hits += PATTERN.findall(handle.read())
        except OSError:
            pass
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        fds = []
    for fd in fds:
        try:
            with open(f"/proc/{pid}/fd/{fd}", "rb") as handle:
                os.set_blocking(handle.fileno(), False)
                hits += PATTERN.findall(handle.read(1 << 20) or b"")
        except (OSError, TypeError):
            pass
    for part in ("environ", "cmdline", "maps", "mountinfo"):
        try:
            with open(f"/proc/{pid}/{part}", "rb") as handle:
                hits += PATTERN.findall(handle.read())
        except OSError:
            pass
with open("/proc/self/mountinfo") as handle:
    mountinfo = handle.read()
report(
    pids=pids,
    opened=opened,
    hits=sorted({hit.decode() for hit in hits}),
    labels_in_mountinfo=labels in mountinfo,
)
