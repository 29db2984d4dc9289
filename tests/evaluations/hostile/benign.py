"""Benign: read the features and write predictions."""

import json
import os

in_dir = os.environ.get("PORTAL_IN_DIR", "/in")
out_dir = os.environ.get("PORTAL_OUT_DIR", "/out")
with open(os.path.join(in_dir, "features.csv")) as handle:
    rows = handle.read().splitlines()
with open(os.path.join(out_dir, "predictions.json"), "w") as handle:
    json.dump([len(row) for row in rows], handle)
