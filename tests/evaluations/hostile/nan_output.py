"""Case 43: predictions.json with NaN and an object among the numbers."""

import sys

values = "NaN" if sys.argv[1] == "nan" else '{"score": 1}'
with open("/out/predictions.json", "w") as handle:
    handle.write('{"schema_version": 1, "predictions": [' + values + "]}")
