"""Case 18: hard links to inputs and inside /out."""

import os
import sys

from _report import outcome, report

source = sys.argv[1] if len(sys.argv) > 1 else "/in/features.csv"
to_input = outcome(lambda: os.link(source, "/out/stolen"))
to_python = outcome(lambda: os.link("/usr/bin/python3", "/out/python"))
with open("/out/first", "w") as handle:
    handle.write("[1, 2, 3]")
inside = outcome(lambda: os.link("/out/first", "/out/predictions.json"))
report(to_input=to_input, to_python=to_python, inside=inside)
