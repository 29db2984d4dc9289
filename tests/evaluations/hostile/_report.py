"""Shared helper for hostile programs: copied next to each one as /code/_report.py."""

import errno
import json
import sys

# The last report, for a wrapper that runs the program in-process (the
# hostile solution packages of test_hostile_suite.py).
last = {}


def outcome(action):
    """Run ``action`` and return "ok" or the errno name it failed with."""
    try:
        action()
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, str(exc))
    except Exception as exc:
        return type(exc).__name__
    return "ok"


def report(**values):
    last.clear()
    last.update(values)
    sys.stdout.write(json.dumps(values, default=str) + "\n")
    sys.stdout.flush()
