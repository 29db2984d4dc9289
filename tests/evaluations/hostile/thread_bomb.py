"""Case 22: start threads until the limit, then hang."""

import threading
import time

from _report import report

started = 0
error = ""
while True:
    try:
        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
        started += 1
    except RuntimeError as exc:
        error = str(exc)
        break
report(started=started, error=error)
time.sleep(60)
