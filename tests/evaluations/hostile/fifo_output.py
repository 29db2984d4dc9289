"""Case 19: the predictions file is a FIFO (a naive reader hangs)."""

import os

os.mkfifo("/out/predictions.json")
