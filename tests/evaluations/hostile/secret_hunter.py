# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S108
"""Case 44, run B: hunt for the neighbour's secret."""

import ctypes
import os
import socket

from _report import report

found = {}
for folder in ("/tmp", "/dev/shm", "/out"):
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as handle:
            found[f"{folder}/{name}"] = handle.read(256).decode("utf-8", "replace")
try:
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(1)
    client.connect("\0portal-secret")
    found["socket"] = client.recv(256).decode("utf-8", "replace")
except OSError as exc:
    found["socket_error"] = str(exc.errno)
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
segment = libc.shmget(0x5EC2E7, 4096, 0)
if segment >= 0:
    address = libc.shmat(segment, None, 0)
    found["shm"] = ctypes.string_at(address, 64).decode("utf-8", "replace")
else:
    found["shm_error"] = str(ctypes.get_errno())
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as handle:
                    found[f"/proc/{pid}/{part}"] = handle.read().decode(
                        "utf-8", "replace"
                    )
            except OSError:
                pass
report(found=found, pids=sorted(p for p in os.listdir("/proc") if p.isdigit()))
