# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S104
"""Cases 02, 03, 05: reach anything beyond loopback, resolve a name.

UDP connect() only looks the route up and sends nothing, so this probe
never puts a packet on a network even if containment failed.
"""

import socket

from _report import outcome, report


def udp(family, address):
    def attempt():
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect(address)

    return attempt


def read(path):
    try:
        with open(path) as handle:
            return handle.read()
    except OSError as exc:
        return f"error {exc.errno}"


def interfaces():
    # /proc/net/dev, not if_nameindex(): netlink sockets may be filtered.
    lines = read("/proc/net/dev").splitlines()[2:]
    return [line.split(":")[0].strip() for line in lines]


report(
    interfaces=interfaces(),
    route=read("/proc/net/route"),
    udp_v4=outcome(udp(socket.AF_INET, ("192.0.2.1", 53))),
    udp_v6=outcome(udp(socket.AF_INET6, ("2001:db8::1", 53))),
    dns=outcome(lambda: socket.getaddrinfo("example.com", 80)),
    raw=outcome(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, 1)),
    packet=outcome(lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW)),
    bind_80=outcome(lambda: socket.socket().bind(("0.0.0.0", 80))),
)
