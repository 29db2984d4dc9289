"""Case 37: capability sets, no_new_privs, chown to root."""

import os

from _report import outcome, report

status = {}
with open("/proc/self/status") as handle:
    for line in handle:
        key, _, value = line.partition(":")
        if key.startswith("Cap") or key in {"NoNewPrivs", "Uid"}:
            status[key] = value.strip()
with open("/tmp/mine", "w") as handle:  # noqa: S108 - the sandbox's own /tmp
    handle.write("x")
report(
    status=status,
    chown0=outcome(lambda: os.chown("/tmp/mine", 0, 0)),  # noqa: S108
    setgid0=outcome(lambda: os.setgid(0)),
)
