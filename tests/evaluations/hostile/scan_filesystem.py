"""Case 07: read every visible file, looking for anything canary-shaped.

/usr is the host's read-only /usr, and /venv (where bound) the evaluation
environment's packages; their names are walked but only files outside them
are read (reading all of them takes far longer than a run). An optional
argument caps, in seconds, the walk of their names; files elsewhere are
always read.
"""

import os
import re
import stat
import sys
import time

from _report import report

PATTERN = re.compile(("PORTAL" + "-CANARY-" + "[0-9a-z]+").encode())
SKIP = {"/proc", "/sys"}
budget = float(sys.argv[1]) if len(sys.argv) > 1 else float("inf")
deadline = time.monotonic() + budget
hits = []
read = 0
names = 0
for top in sorted(os.listdir("/")):
    root = "/" + top
    if root in SKIP or os.path.islink(root):
        continue  # /lib, /bin, ... are links into /usr
    for folder, dirs, files in os.walk(root):
        if root in ("/usr", "/venv") and time.monotonic() > deadline:
            break
        for name in dirs + files:
            names += 1
            hits += [m.decode() for m in PATTERN.findall(name.encode())]
        if root in ("/usr", "/venv"):
            continue
        for name in files:
            try:
                fd = os.open(os.path.join(folder, name), os.O_RDONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:
                # Regular files only: a pty or FIFO would block the scan.
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    continue
                data = os.read(fd, 1 << 20)
            except OSError:
                continue
            finally:
                os.close(fd)
            read += 1
            hits += [m.decode() for m in PATTERN.findall(data)]
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for part in ("environ", "cmdline"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as handle:
                    hits += [m.decode() for m in PATTERN.findall(handle.read())]
            except OSError:
                pass
report(hits=sorted(set(hits)), files_read=read, names=names)
