"""Case 29: spin forever."""

while True:
    pass
