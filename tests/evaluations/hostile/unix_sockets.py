"""Case 04: host unix sockets, abstract and on the filesystem."""

import socket
import sys

from _report import outcome, report


def connect(address):
    def attempt():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(address)

    return attempt


abstract, path = sys.argv[1], sys.argv[2]
results = {
    "abstract": outcome(connect("\0" + abstract)),
    "path": outcome(connect(path)),
}
for known in (
    "/var/run/docker.sock",
    "/run/redis/redis-server.sock",
    "/var/run/postgresql/.s.PGSQL.5432",
    "/run/systemd/private",
):
    results[known] = outcome(connect(known))
report(results=results)
