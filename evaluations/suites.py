"""Suite configuration and the layout of a suite's data bundle.

A suite version's ``config`` declares what is measured and gated; its
``bundle`` (a tar.gz stored content-addressed) holds the prepared data::

    manifest.json                    kind, splits and probes with their calls
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

import io
import json
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

CONFIG_SCHEMA_VERSION = 1
COMPARATORS = {"<=", "<", ">=", ">"}
LIMIT_KEYS = {
    "wall_seconds": (1, 6 * 3600),
    "cpu_seconds": (1, 6 * 3600),
    "memory_mb": (16, 64 * 1024),
    "processes": (1, 4096),
    "disk_mb": (1, 64 * 1024),
    "output_mb": (1, 4096),
}


def validate_config(config: Any) -> dict[str, Any]:
    """Return ``config`` if it is a valid suite configuration; raise otherwise.

    Checked: metric codes exist in the registry, gates refer to declared
    metrics with a known comparator, limits are within sane bounds, and
    leaderboard weights refer to declared metrics.
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
    if errors:
        raise ValidationError(errors)
    return config


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
) -> Path:
    """Write a bundle folder and return it (used by data preparation).

    ``splits[split][call_id]`` is ``{"files": {name: bytes}, "y_true": [...],
    "columns": {...}}``; ``probes[name][call_id]`` maps file names to bytes.
    """
    target.mkdir(parents=True, exist_ok=False)
    manifest: dict[str, Any] = {"schema_version": 1, "kind": kind, "splits": {}}
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
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
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


def extract_bundle(data: io.BufferedIOBase | io.BytesIO, target: Path) -> Bundle:
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
