"""Suite configuration and the layout of a suite's data bundle.

A suite version's ``config`` declares what is measured and gated; its
``bundle`` (a tar.gz stored content-addressed) holds the prepared data::

    manifest.json                    kind, splits and probes with their calls;
                                     "output": "flags" where only 0/1 count
    sample/calls/<id>/in/...         one sandbox invocation's inputs (/in)
    sample/labels.json               truth for the sample split
    hidden/calls/<id>/in/...
    hidden/labels.json               never bound into a sandbox
    probes/<name>/calls/<id>/in/...  perturbed hidden inputs; hidden labels

``labels.json`` maps each call id to ``{"y_true": [...], "columns": {...}}``;
columns are per-point arrays (day index, exclusion masks, units) that metric
parameters can reference as ``"@name"``.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError

CONFIG_SCHEMA_VERSION = 1
COMPARATORS = {"<=", "<", ">=", ">"}
# Task kinds whose hidden inputs may be published for prediction files: the
# items are independent of each other, so their features reveal no label.
PREDICTION_FILE_KINDS = ("classification", "event_detection")
PREDICTION_FILE_KEYS = {"allowed", "inputs_access"}
INPUTS_ACCESS = {"public", "registered"}
DEFAULT_INPUTS_ACCESS = "registered"
LIMIT_KEYS = {
    "wall_seconds": (1, 6 * 3600),
    "cpu_seconds": (1, 6 * 3600),
    "memory_mb": (16, 64 * 1024),
    "processes": (1, 4096),
    "disk_mb": (1, 64 * 1024),
    "output_mb": (1, 4096),
}


def validate_config(config: Any, *, task_kind: str | None = None) -> dict[str, Any]:
    """Return ``config`` if it is a valid suite configuration; raise otherwise.

    Checked: metric codes exist in the registry, gates refer to declared
    metrics with a known comparator, limits are within sane bounds,
    leaderboard weights refer to declared metrics, and the
    ``prediction_files`` block is well formed. Allowing prediction files
    needs the suite's ``task_kind``, because a rolling-origin forecasting
    suite must never allow them (see ``prediction_files_errors``).
    """
    from evaluations.metrics import get_metric

    errors: list[str] = []
    if not isinstance(config, dict):
        raise ValidationError("The suite configuration must be an object.")
    if config.get("schema_version") != CONFIG_SCHEMA_VERSION:
        errors.append(f"schema_version must be {CONFIG_SCHEMA_VERSION}.")
    metrics = config.get("metrics")
    codes: set[str] = set()
    if not isinstance(metrics, list) or not metrics:
        errors.append("Declare at least one metric.")
        metrics = []
    for item in metrics:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            errors.append(f"Metric entry {item!r} has no code.")
            continue
        try:
            get_metric(code)
        except (KeyError, ValueError):
            errors.append(f"Unknown metric “{code}”.")
            continue
        key = item.get("key", code)
        if key in codes:
            errors.append(f"Metric key “{key}” is declared twice.")
        codes.add(key)
        if not isinstance(item.get("params", {}), dict):
            errors.append(f"Parameters of “{key}” must be an object.")
    for gate in config.get("gates", []):
        if not isinstance(gate, dict) or gate.get("metric") not in codes:
            errors.append(f"Gate {gate!r} refers to no declared metric.")
        elif gate.get("comparator") not in COMPARATORS:
            errors.append(f"Gate on “{gate['metric']}” has an unknown comparator.")
        elif not isinstance(gate.get("value"), int | float):
            errors.append(f"Gate on “{gate['metric']}” needs a numeric value.")
        elif "probe" in gate and (
            not isinstance(gate["probe"], str) or not gate["probe"]
        ):
            errors.append(f"Gate on “{gate['metric']}” names no probe.")
        elif "delta" in gate and (
            not isinstance(gate["delta"], bool) or "probe" not in gate
        ):
            errors.append(
                f"Gate on “{gate['metric']}”: delta must be true or false, "
                "and only on a probe gate."
            )
    for key, value in config.get("limits", {}).items():
        bounds = LIMIT_KEYS.get(key)
        if bounds is None:
            errors.append(f"Unknown limit “{key}”.")
        elif not isinstance(value, int | float) or not bounds[0] <= value <= bounds[1]:
            errors.append(f"Limit “{key}” must be between {bounds[0]} and {bounds[1]}.")
    leaderboard = config.get("leaderboard", {})
    weights = leaderboard.get("weights", {}) if isinstance(leaderboard, dict) else {}
    for key in weights:
        if key not in codes:
            errors.append(f"Leaderboard weight “{key}” refers to no declared metric.")
    errors.extend(prediction_files_errors(config.get("prediction_files"), task_kind))
    if errors:
        raise ValidationError(errors)
    return config


def prediction_files_errors(block: Any, task_kind: str | None) -> list[str]:
    """Check the optional ``prediction_files`` block of a configuration.

    ``{"allowed": true, "inputs_access": "registered"}`` lets vendors upload
    a file of predictions instead of code. Vendors then need the inputs of
    the hidden test, which the portal publishes (features only, never
    labels) to whoever ``inputs_access`` names: ``"public"`` (anyone who may
    see the suite version) or ``"registered"`` (members of verified
    organisations, the default). Publishing the inputs of a rolling-origin
    forecasting suite would hand out the future it forecasts: each origin's
    inputs hold the values observed after every earlier origin. So such
    suites may not allow prediction files, and a suite of unknown kind may
    not either.
    """
    if block is None:
        return []
    if not isinstance(block, dict):
        return ["prediction_files must be an object."]
    errors: list[str] = []
    unknown = sorted(set(block) - PREDICTION_FILE_KEYS)
    if unknown:
        errors.append(f"Unknown prediction_files key(s): {', '.join(unknown)}.")
    allowed = block.get("allowed", False)
    if not isinstance(allowed, bool):
        errors.append("prediction_files.allowed must be true or false.")
    access = block.get("inputs_access", DEFAULT_INPUTS_ACCESS)
    if access not in INPUTS_ACCESS:
        errors.append(
            "prediction_files.inputs_access must be one of "
            f"{', '.join(sorted(INPUTS_ACCESS))}."
        )
    if allowed is True:
        if task_kind is None:
            errors.append(
                "Prediction files are allowed, so the suite's task kind is needed "
                "to check them; rolling-origin forecasting suites may not allow them."
            )
        elif task_kind == "forecasting":
            errors.append(
                "A rolling-origin forecasting suite cannot allow prediction files: "
                "vendors would need the hidden test's inputs, and each origin's "
                "inputs reveal the values observed after the earlier origins, "
                "that is, the future the suite asks them to forecast."
            )
        elif task_kind not in PREDICTION_FILE_KINDS:
            errors.append(f"Unknown task kind “{task_kind}”.")
    return errors


def prediction_files_allowed(config: Any, task_kind: str) -> bool:
    """Whether a (validated) configuration lets vendors upload predictions.

    Checked again wherever prediction files are used, so that a
    configuration saved without ``validate_config`` cannot open a
    forecasting suite's hidden inputs.
    """
    block = config.get("prediction_files") if isinstance(config, dict) else None
    return (
        isinstance(block, dict)
        and block.get("allowed") is True
        and task_kind in PREDICTION_FILE_KINDS
    )


def inputs_access(config: Any) -> str:
    """Who may download the inputs: ``"public"`` or ``"registered"``."""
    block = config.get("prediction_files") if isinstance(config, dict) else None
    access = block.get("inputs_access") if isinstance(block, dict) else None
    return access if access in INPUTS_ACCESS else DEFAULT_INPUTS_ACCESS


@dataclass(frozen=True)
class Bundle:
    """An extracted bundle on the worker's disk (never bound wholesale)."""

    root: Path
    manifest: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    def calls(self, split: str) -> list[str]:
        return [str(c) for c in self.manifest["splits"][split]["calls"]]

    def call_input_dir(self, split: str, call_id: str) -> Path:
        return self.root / split / "calls" / call_id / "in"

    @property
    def flags_only(self) -> bool:
        """Whether predictions must be flags, 0 or 1 (event suites)."""
        return self.manifest.get("output") == "flags"

    def probe_names(self) -> list[str]:
        return sorted(self.manifest.get("probes", {}))

    def probe_input_dir(self, probe: str, call_id: str) -> Path:
        return self.root / "probes" / probe / "calls" / call_id / "in"

    def labels(self, split: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (self.root / split / "labels.json").read_text(encoding="utf-8")
        )
        return data


def write_bundle(
    target: Path,
    *,
    kind: str,
    splits: dict[str, dict[str, dict[str, Any]]],
    probes: dict[str, dict[str, dict[str, bytes]]] | None = None,
    output: str | None = None,
) -> Path:
    """Write a bundle folder and return it (used by data preparation).

    ``splits[split][call_id]`` is ``{"files": {name: bytes}, "y_true": [...],
    "columns": {...}}``; ``probes[name][call_id]`` maps file names to bytes.
    ``output="flags"`` makes the host refuse predictions other than 0 and 1,
    as the harness does when task.json says so.
    """
    target.mkdir(parents=True, exist_ok=False)
    manifest: dict[str, Any] = {"schema_version": 1, "kind": kind, "splits": {}}
    if output is not None:
        manifest["output"] = output
    for split, calls in splits.items():
        labels: dict[str, Any] = {"calls": {}}
        for call_id, call in calls.items():
            folder = target / split / "calls" / call_id / "in"
            folder.mkdir(parents=True)
            for name, content in call["files"].items():
                (folder / name).write_bytes(content)
            labels["calls"][call_id] = {
                "y_true": call["y_true"],
                "columns": call.get("columns", {}),
            }
        (target / split / "labels.json").write_text(
            json.dumps(labels), encoding="utf-8"
        )
        manifest["splits"][split] = {"calls": list(calls)}
    manifest["probes"] = {}
    for probe, calls_files in (probes or {}).items():
        for call_id, files in calls_files.items():
            folder = target / "probes" / probe / "calls" / call_id / "in"
            folder.mkdir(parents=True)
            for name, content in files.items():
                (folder / name).write_bytes(content)
        manifest["probes"][probe] = {"calls": list(calls_files)}
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def pack_bundle(folder: Path) -> bytes:
    """Return a deterministic tar.gz of a bundle folder."""
    buffer = io.BytesIO()
    # mtime=0 keeps the gzip header, and so the bundle's hash, reproducible.
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w") as archive,
    ):
        for path in sorted(folder.rglob("*")):
            info = archive.gettarinfo(str(path), arcname=str(path.relative_to(folder)))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            if path.is_file():
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
            else:
                archive.addfile(info)
    return buffer.getvalue()


def extract_bundle(data: BinaryIO, target: Path) -> Bundle:
    """Extract a trusted bundle (written by ``pack_bundle``) into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, mode=0o700)
    with tarfile.open(fileobj=data, mode="r:gz") as archive:
        # Bundles are produced by the platform, yet the data filter still
        # refuses links and paths outside ``target``.
        archive.extractall(target, filter="data")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return Bundle(root=target, manifest=manifest)


def rolling_origin_calls(
    frame: Any,
    *,
    origins: list[Any],
    horizon: int,
    time_column: str,
    target: str,
    exogenous_columns: tuple[str, ...] = (),
    perturb: Any = None,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, bytes]]]:
    """Build the calls of a rolling-origin forecasting split.

    For each origin, the history holds every row strictly before the origin
    (so a solution never sees a value it must forecast), the exogenous file
    the known inputs of the next ``horizon`` rows, and the labels the
    target over those rows, with a ``day`` column for per-day metrics.
    ``perturb(history) -> history`` builds a robustness probe; the probe's
    files are returned second, keyed like the calls.
    """
    import pandas as pd

    frame = frame.sort_values(time_column).reset_index(drop=True)
    calls: dict[str, dict[str, Any]] = {}
    probe: dict[str, dict[str, bytes]] = {}
    for index, origin in enumerate(origins, start=1):
        origin = pd.Timestamp(origin)
        history = frame[frame[time_column] < origin][[time_column, target]]
        future = frame[frame[time_column] >= origin].head(horizon)
        if len(future) != horizon:
            raise ValueError(f"Origin {origin} has fewer than {horizon} rows after it.")
        call_id = f"{index:04d}"
        task = {
            "schema_version": 1,
            "kind": "forecasting",
            "origin": origin.isoformat(),
            "horizon": [t.isoformat() for t in future[time_column]],
            "time_column": time_column,
            "target": target,
            "history": "history.csv",
            "exogenous": "exogenous.csv" if exogenous_columns else None,
        }
        files = {
            "task.json": json.dumps(task).encode(),
            "history.csv": history.to_csv(index=False).encode(),
        }
        if exogenous_columns:
            files["exogenous.csv"] = (
                future[[time_column, *exogenous_columns]].to_csv(index=False).encode()
            )
        calls[call_id] = {
            "files": files,
            "y_true": [float(v) for v in future[target]],
            # Proleptic ordinal of the calendar day: unique across years.
            "columns": {"day": [d.toordinal() for d in future[time_column].dt.date]},
        }
        if perturb is not None:
            probe[call_id] = {
                **files,
                "history.csv": perturb(history.copy()).to_csv(index=False).encode(),
            }
    return calls, probe
