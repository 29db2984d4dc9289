"""Case 14: host secrets and settings by path."""

import sys

from _report import report


def read(path):
    try:
        with open(path, "rb") as handle:
            return "read " + handle.read(4096).decode("utf-8", "replace")
    except OSError as exc:
        return f"error {exc.errno}"


targets = [
    "/etc/shadow",
    "/etc/ssh/ssh_host_ed25519_key",
    "/root/.ssh/id_rsa",
    "/root/.bash_history",
    "/home",
    "/var/run/docker.sock",
    "/proc/1/root/etc/shadow",
    *sys.argv[1:],
]
with open("/etc/passwd") as handle:
    passwd = handle.read().splitlines()
report(results={path: read(path) for path in targets}, passwd=passwd)
