"""Case 42: write predictions.json nested 200,000 levels deep."""

depth = 200_000
with open("/out/predictions.json", "w") as handle:
    handle.write('{"schema_version": 1, "predictions": ' + "[" * depth + "]" * depth)
    handle.write("}")
