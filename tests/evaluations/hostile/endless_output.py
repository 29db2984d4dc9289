"""Cases 27, 28: write to stdout or stderr forever."""

import os
import sys

fd = 1 if sys.argv[1] == "stdout" else 2
block = b"x" * 65536
while True:
    os.write(fd, block)
