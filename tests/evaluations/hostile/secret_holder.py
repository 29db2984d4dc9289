# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S108, T201
"""Case 44, run A: hold a secret everywhere a neighbour might look."""

import ctypes
import socket
import sys

secret = sys.argv[1].encode()
for path in ("/tmp/secret", "/dev/shm/secret", "/out/secret"):
    with open(path, "wb") as handle:
        handle.write(secret)
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind("\0portal-secret")
server.listen(1)
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
segment = libc.shmget(0x5EC2E7, 4096, 0o1666)  # IPC_CREAT | 0666
if segment >= 0:
    address = libc.shmat(segment, None, 0)
    ctypes.memmove(address, secret, len(secret))
print("holding", flush=True)
server.settimeout(float(sys.argv[2]))
try:
    connection, _ = server.accept()
    connection.sendall(secret)
except OSError:
    pass
