"""Case 43: plant score files claiming a perfect result."""

import json

from _report import report

perfect = {"mae": 0.0, "mape": 0.0, "passed": True, "rank": 1}
written = []
for name in ("score.json", "metrics.json", "scores.json", "result.json"):
    with open(f"/out/{name}", "w") as handle:
        json.dump(perfect, handle)
    written.append(name)
report(written=written)
