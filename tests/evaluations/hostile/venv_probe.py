"""The evaluation virtualenv is visible at /venv, read-only."""

import os

from _report import outcome, report


def write():
    with open("/venv/pwned", "w") as handle:
        handle.write("pwned")


with open("/venv/pyvenv.cfg") as handle:
    config = handle.read()
report(listing=sorted(os.listdir("/venv")), config=config, write=outcome(write))
