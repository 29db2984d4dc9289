"""Case 06: read the labels file by its host path and by tricks."""

import sys

from _report import report

path = sys.argv[1]
attempts = [
    path,
    "/proc/1/root" + path,
    "/proc/self/root" + path,
    "/proc/self/cwd/../.." + path,
    "/in/../.." + path,
    "/code/../../.." + path,
]
results = {}
for candidate in attempts:
    try:
        with open(candidate, "rb") as handle:
            results[candidate] = handle.read(4096).decode("utf-8", "replace")
    except OSError as exc:
        results[candidate] = f"error {exc.errno}"
report(results=results)
