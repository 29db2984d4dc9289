"""Case 40: lower its own oom_score_adj so the host is killed first."""

import os

from _report import outcome, report


def write(path, value):
    def attempt():
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, value)
        finally:
            os.close(fd)

    return attempt


results = {
    "adj": outcome(write("/proc/self/oom_score_adj", b"-1000")),
    "adj_0": outcome(write("/proc/self/oom_score_adj", b"0")),
    "legacy": outcome(write("/proc/self/oom_adj", b"-17")),
}
with open("/proc/self/oom_score_adj") as handle:
    value = handle.read().strip()
report(results=results, oom_score_adj=value)
