# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: S108
"""Case 24: fill the sandbox's /tmp and /dev/shm."""

import errno

from _report import report


def fill(folder):
    written = 0
    for index in range(10_000):
        try:
            with open(f"{folder}/fill-{index}", "wb") as handle:
                handle.write(b"x" * (1 << 20))
            written += 1 << 20
        except OSError as exc:
            return errno.errorcode.get(exc.errno, str(exc.errno)), written
    return "ok", written


tmp_error, tmp_written = fill("/tmp")
shm_error, shm_written = fill("/dev/shm")
report(tmp=tmp_error, tmp_written=tmp_written, shm=shm_error, shm_written=shm_written)
