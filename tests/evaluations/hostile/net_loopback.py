"""Case 01: connect to a service listening on the host's loopback."""

import socket
import sys

from _report import outcome, report

port = int(sys.argv[1])


def connect(family, address):
    def attempt():
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(address)

    return attempt


report(
    v4=outcome(connect(socket.AF_INET, ("127.0.0.1", port))),
    v6=outcome(connect(socket.AF_INET6, ("::1", port))),
    localhost=outcome(connect(socket.AF_INET, ("localhost", port))),
)
