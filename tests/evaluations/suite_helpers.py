"""Small suite bundles and configurations for the suite management tests.

``bundle_files`` returns a valid forecasting bundle as a mapping of paths to
bytes; tests change, add or remove entries and pack the result with
``tar_gz``, so each bad bundle differs from a good one in one place.
"""

from __future__ import annotations

import copy
import gzip
import io
import json
import tarfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

SAMPLE = ("s1", "s2")
HIDDEN = ("h1", "h2", "h3")
HORIZON = 2


def task(origin: int, *, kind: str = "forecasting") -> dict[str, Any]:
    if kind == "classification":
        return {
            "schema_version": 1,
            "kind": "classification",
            "inputs": "inputs.csv",
            "id_column": "id",
        }
    return {
        "schema_version": 1,
        "kind": "forecasting",
        "origin": f"2026-01-{origin:02d}T00:00:00",
        "horizon": [
            f"2026-01-{origin:02d}T{hour:02d}:00:00" for hour in range(HORIZON)
        ],
        "time_column": "timestamp",
        "target": "load_mw",
        "history": "history.csv",
        "exogenous": None,
    }


def history(origin: int) -> bytes:
    rows = [f"2026-01-{day:02d}T00:00:00,{100 + day}" for day in range(1, origin)]
    return ("timestamp,load_mw\n" + "\n".join(rows) + "\n").encode()


def bundle_files(
    *, probes: tuple[str, ...] = ("noise",), kind: str = "forecasting"
) -> dict[str, bytes]:
    """A valid bundle: 2 sample calls, 3 hidden calls, one probe."""
    files: dict[str, bytes] = {}
    manifest: dict[str, Any] = {
        "schema_version": 1,
        "kind": kind,
        "splits": {
            "sample": {"calls": list(SAMPLE)},
            "hidden": {"calls": list(HIDDEN)},
        },
        "probes": {name: {"calls": list(HIDDEN)} for name in probes},
    }
    files["manifest.json"] = json.dumps(manifest).encode()
    origin = 5
    for split, calls in (("sample", SAMPLE), ("hidden", HIDDEN)):
        labels: dict[str, Any] = {"calls": {}}
        for call_id in calls:
            origin += 1
            inputs = _inputs(origin, kind)
            for name, content in inputs.items():
                files[f"{split}/calls/{call_id}/in/{name}"] = content
                if split == "hidden":
                    for probe in probes:
                        files[f"probes/{probe}/calls/{call_id}/in/{name}"] = content
            labels["calls"][call_id] = {
                "y_true": [float(origin), float(origin + 1)]
                if kind == "forecasting"
                else [0, 1],
                "columns": {"day": [origin, origin]},
            }
        files[f"{split}/labels.json"] = json.dumps(labels).encode()
    return files


def _inputs(origin: int, kind: str) -> dict[str, bytes]:
    if kind == "classification":
        return {
            "task.json": json.dumps(task(origin, kind=kind)).encode(),
            "inputs.csv": b"id,feature\na,1.0\nb,2.0\n",
        }
    return {
        "task.json": json.dumps(task(origin)).encode(),
        "history.csv": history(origin),
    }


def edit_json(files: dict[str, bytes], path: str, change: Any) -> dict[str, bytes]:
    """Return a copy of ``files`` with ``change(data)`` applied to a JSON file."""
    files = dict(files)
    data = json.loads(files[path])
    change(data)
    files[path] = json.dumps(data).encode()
    return files


def tar_gz(files: dict[str, bytes], *, extra: list[tarfile.TarInfo] = ()) -> bytes:
    """Pack ``files`` (and raw tar members) into a deterministic tar.gz."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w") as archive,
    ):
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(files[name]))
        for info in extra:
            archive.addfile(info)
    return buffer.getvalue()


def upload(data: bytes, name: str = "bundle.tar.gz") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/gzip")


CONFIG: dict[str, Any] = {
    "schema_version": 1,
    "metrics": [{"code": "mae"}, {"code": "peak_error", "params": {"day": "@day"}}],
    "gates": [{"metric": "mae", "comparator": "<=", "value": 5.0}],
    "limits": {"wall_seconds": 30, "cpu_seconds": 30, "memory_mb": 512},
    "leaderboard": {"weights": {"mae": 1.0}},
    "quotas": {"per_day": 4},
    "probes": {"noise": {"description": "Gaussian noise on the history"}},
    "input_schema": {
        "files": [
            {"name": "task.json"},
            {
                "name": "history.csv",
                "columns": ["timestamp", "load_mw"],
                "description": "Load before the origin",
            },
        ]
    },
}


def config(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(CONFIG)
    data.update(changes)
    return data
