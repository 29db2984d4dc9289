"""Case 30: sleep far beyond the wall-clock limit."""

import time

time.sleep(3600)
