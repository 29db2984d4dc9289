# Hostile programs do unsafe things on purpose, inside the sandbox only.
# ruff: noqa: SIM105
"""Case 21: the classic fork bomb."""

import os

while True:
    try:
        os.fork()
    except OSError:
        pass
