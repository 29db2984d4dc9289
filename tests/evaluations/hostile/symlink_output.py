"""Case 16: the predictions file is a link to a host secret."""

import os
import sys

os.symlink(sys.argv[1], "/out/predictions.json")
