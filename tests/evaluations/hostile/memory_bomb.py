"""Case 23: allocate and touch memory until something gives."""

chunks = []
while True:
    chunks.append(bytearray(1 << 20))
