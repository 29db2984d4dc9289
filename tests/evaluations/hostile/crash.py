"""Case 41: crash with SIGSEGV (no core file may appear)."""

import os
import signal

os.kill(os.getpid(), signal.SIGSEGV)
