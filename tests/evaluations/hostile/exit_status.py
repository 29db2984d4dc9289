"""A plain failure: exit with status 3."""

import sys

sys.stderr.write("giving up\n")
sys.exit(3)
