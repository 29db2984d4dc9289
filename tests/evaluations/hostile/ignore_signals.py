"""Case 31: ignore every catchable signal, then spin."""

import signal

for number in (signal.SIGTERM, signal.SIGXCPU, signal.SIGHUP, signal.SIGINT):
    signal.signal(number, signal.SIG_IGN)
while True:
    pass
