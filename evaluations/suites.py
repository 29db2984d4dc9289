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

A split may carry ``labels.arrow`` instead (``write_bundle(...,
labels_format="arrow")``): an Arrow IPC file with the column ``y_true`` and
one column ``column.<name>`` per label column, the calls one after another;
the schema's metadata lists the calls and their lengths. The scorer maps it
into memory as arrays, which is what a suite of millions of rows needs:
``labels.json`` becomes one Python object per value.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from evaluations.coded_labels import CodedLabels

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
QUOTA_PER_DAY = (1, 1000)
# Metric keys, probe names and input file names end up in URLs, folder names
# and table headers.
METRIC_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,59}$")
PROBE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
INPUT_NAME_RE = re.compile(
    r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,99})*$"
)


def _is_number(value: Any) -> bool:
    """A finite int or float; ``True`` is an int to Python, not to a config."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def validate_config(config: Any, *, task_kind: str | None = None) -> dict[str, Any]:
    """Return ``config`` if it is a valid suite configuration; raise otherwise.

    Checked: metric codes exist in the registry and get only parameters it
    knows (and every one it needs), gates refer to declared metrics with a
    known comparator and a number, limits are within sane bounds, leaderboard
    weights are numbers for declared metrics, the daily quota is a whole
    number, and the optional ``probes``, ``input_schema`` and ``development``
    declarations have their documented shapes (docs/suites.md), and the
    ``prediction_files`` block is well formed. Allowing prediction files
    needs the suite's ``task_kind``, because a rolling-origin forecasting
    suite must never allow them (see ``prediction_files_errors``). Keys this
    function does not know (``data``, the provenance of the demo suites) are
    kept as they are. Every problem is reported, not only the first.
    """
    from evaluations.metrics import get_metric

    if not isinstance(config, dict):
        raise ValidationError(_("The suite configuration must be an object."))
    errors: list[str] = []
    if config.get("schema_version") != CONFIG_SCHEMA_VERSION:
        errors.append(
            _("schema_version must be {version}.").format(version=CONFIG_SCHEMA_VERSION)
        )
    codes = _check_metrics(config.get("metrics"), errors, get_metric)
    _check_gates(config.get("gates", []), codes, errors)
    _check_limits(config.get("limits", {}), errors)
    _check_leaderboard(config.get("leaderboard", {}), codes, errors)
    _check_quotas(config.get("quotas", {}), errors)
    _check_probes(config.get("probes", {}), errors)
    _check_input_schema(config.get("input_schema", {}), errors)
    _check_development(config.get("development", {}), errors)
    errors.extend(prediction_files_errors(config.get("prediction_files"), task_kind))
    if errors:
        raise ValidationError(errors)
    return config


def _check_metrics(metrics: Any, errors: list[str], get_metric: Any) -> set[str]:
    codes: set[str] = set()
    if not isinstance(metrics, list) or not metrics:
        errors.append(_("Declare at least one metric."))
        return codes
    for item in metrics:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            errors.append(_("Metric entry {entry} has no code.").format(entry=item))
            continue
        try:
            metric = get_metric(code)
        except (KeyError, ValueError):
            errors.append(_("Unknown metric “{code}”.").format(code=code))
            continue
        key = item.get("key", code)
        if not isinstance(key, str) or not METRIC_KEY_RE.match(key):
            errors.append(
                _(
                    "Metric key {key} must be a name of letters, digits and "
                    "underscores (at most 60)."
                ).format(key=repr(key))
            )
            continue
        if key in codes:
            errors.append(_("Metric key “{key}” is declared twice.").format(key=key))
        codes.add(key)
        params = item.get("params", {})
        if not isinstance(params, dict):
            errors.append(_("Parameters of “{key}” must be an object.").format(key=key))
            continue
        unknown = sorted(set(params) - set(metric.param_names))
        if unknown:
            errors.append(
                _("“{key}” does not take {unknown}; it accepts: {accepted}.").format(
                    key=key,
                    unknown=", ".join(unknown),
                    accepted=", ".join(metric.param_names) or "–",
                )
            )
        missing = [p.name for p in metric.params if p.required and p.name not in params]
        if missing:
            errors.append(
                _("“{key}” needs the parameter {missing}.").format(
                    key=key, missing=", ".join(missing)
                )
            )
    return codes


def _check_gates(gates: Any, codes: set[str], errors: list[str]) -> None:
    if not isinstance(gates, list):
        errors.append(_("gates must be a list."))
        return
    for gate in gates:
        if not isinstance(gate, dict) or gate.get("metric") not in codes:
            errors.append(
                _("Gate {gate} refers to no declared metric.").format(gate=gate)
            )
        elif gate.get("comparator") not in COMPARATORS:
            errors.append(
                _("Gate on “{metric}” has an unknown comparator.").format(
                    metric=gate["metric"]
                )
            )
        elif not _is_number(gate.get("value")):
            errors.append(
                _("Gate on “{metric}” needs a numeric value.").format(
                    metric=gate["metric"]
                )
            )
        elif "probe" in gate and (
            not isinstance(gate["probe"], str) or not gate["probe"]
        ):
            errors.append(
                _("Gate on “{metric}” names no probe.").format(metric=gate["metric"])
            )
        elif "delta" in gate and (
            not isinstance(gate["delta"], bool) or "probe" not in gate
        ):
            errors.append(
                _(
                    "Gate on “{metric}”: delta must be true or false, and only on "
                    "a probe gate."
                ).format(metric=gate["metric"])
            )


def _check_limits(limits: Any, errors: list[str]) -> None:
    if not isinstance(limits, dict):
        errors.append(_("limits must be an object."))
        return
    for key, value in limits.items():
        bounds = LIMIT_KEYS.get(key)
        if bounds is None:
            errors.append(
                _("Unknown limit “{key}”; known limits: {known}.").format(
                    key=key, known=", ".join(LIMIT_KEYS)
                )
            )
        elif not _is_number(value) or not bounds[0] <= value <= bounds[1]:
            errors.append(
                _("Limit “{key}” must be between {low} and {high}.").format(
                    key=key, low=bounds[0], high=bounds[1]
                )
            )


def _check_leaderboard(leaderboard: Any, codes: set[str], errors: list[str]) -> None:
    if not isinstance(leaderboard, dict):
        errors.append(_("leaderboard must be an object."))
        return
    weights = leaderboard.get("weights", {})
    if not isinstance(weights, dict):
        errors.append(_("leaderboard.weights must be an object."))
        return
    for key, weight in weights.items():
        if key not in codes:
            errors.append(
                _("Leaderboard weight “{key}” refers to no declared metric.").format(
                    key=key
                )
            )
        elif not _is_number(weight) or weight < 0:
            errors.append(
                _("Leaderboard weight “{key}” must be a number of 0 or more.").format(
                    key=key
                )
            )


def _check_quotas(quotas: Any, errors: list[str]) -> None:
    if not isinstance(quotas, dict):
        errors.append(_("quotas must be an object."))
        return
    if "per_day" in quotas:
        per_day = quotas["per_day"]
        low, high = QUOTA_PER_DAY
        if (
            not isinstance(per_day, int)
            or isinstance(per_day, bool)
            or not (low <= per_day <= high)
        ):
            errors.append(
                _("quotas.per_day must be a whole number from {low} to {high}.").format(
                    low=low, high=high
                )
            )


def _check_probes(probes: Any, errors: list[str]) -> None:
    if not isinstance(probes, dict):
        errors.append(_("probes must be an object of probe names."))
        return
    for name, probe in probes.items():
        if not PROBE_NAME_RE.match(name):
            errors.append(
                _(
                    "Probe name {name} must use lower-case letters, digits, "
                    "“-” and “_” (at most 60)."
                ).format(name=repr(name))
            )
        elif not isinstance(probe, dict) or not isinstance(
            probe.get("description", ""), str
        ):
            errors.append(
                _("Probe “{name}” must be an object with a text description.").format(
                    name=name
                )
            )


def _check_input_schema(schema: Any, errors: list[str]) -> None:
    if not isinstance(schema, dict) or not isinstance(schema.get("files", []), list):
        errors.append(_("input_schema must be an object with a list of files."))
        return
    seen: set[str] = set()
    for entry in schema.get("files", []):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not INPUT_NAME_RE.match(name):
            errors.append(
                _(
                    "Input file {entry} needs a name: a path inside the call's "
                    "input folder, such as history.csv."
                ).format(entry=entry)
            )
            continue
        if name in seen:
            errors.append(_("Input file “{name}” is declared twice.").format(name=name))
        seen.add(name)
        columns = entry.get("columns", [])
        if not isinstance(columns, list) or not all(
            isinstance(c, str) and c for c in columns
        ):
            errors.append(
                _("The columns of input file “{name}” must be a list of names.").format(
                    name=name
                )
            )
        elif columns and not name.endswith((".csv", ".parquet")):
            errors.append(
                _(
                    "Input file “{name}” declares columns, but only .csv and "
                    ".parquet files have columns."
                ).format(name=name)
            )
        if not isinstance(entry.get("optional", False), bool):
            errors.append(
                _("“optional” of input file “{name}” must be true or false.").format(
                    name=name
                )
            )
        if not isinstance(entry.get("description", ""), str):
            errors.append(
                _("The description of input file “{name}” must be text.").format(
                    name=name
                )
            )


def _check_development(development: Any, errors: list[str]) -> None:
    if not isinstance(development, dict):
        errors.append(_("development must be an object."))
        return
    if not development:
        return
    if not isinstance(development.get("dataset"), str) or not development["dataset"]:
        errors.append(
            _("development.dataset must be the slug of one of the scenario's datasets.")
        )
    if not isinstance(development.get("description", ""), str):
        errors.append(_("development.description must be text."))


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
        return [_("prediction_files must be an object.")]
    errors: list[str] = []
    unknown = sorted(set(block) - PREDICTION_FILE_KEYS)
    if unknown:
        errors.append(
            _("Unknown prediction_files key(s): {keys}.").format(
                keys=", ".join(unknown)
            )
        )
    allowed = block.get("allowed", False)
    if not isinstance(allowed, bool):
        errors.append(_("prediction_files.allowed must be true or false."))
    access = block.get("inputs_access", DEFAULT_INPUTS_ACCESS)
    if access not in INPUTS_ACCESS:
        errors.append(
            _("prediction_files.inputs_access must be one of {values}.").format(
                values=", ".join(sorted(INPUTS_ACCESS))
            )
        )
    if allowed is True:
        if task_kind is None:
            errors.append(
                _(
                    "Prediction files are allowed, so the suite's task kind is "
                    "needed to check them; rolling-origin forecasting suites may "
                    "not allow them."
                )
            )
        elif task_kind == "forecasting":
            errors.append(
                _(
                    "A rolling-origin forecasting suite cannot allow prediction "
                    "files: vendors would need the hidden test's inputs, and each "
                    "origin's inputs reveal the values observed after the earlier "
                    "origins, that is, the future the suite asks them to forecast."
                )
            )
        elif task_kind not in PREDICTION_FILE_KINDS:
            errors.append(_("Unknown task kind “{kind}”.").format(kind=task_kind))
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
        """The split's labels as ``labels.json`` holds them (lists)."""
        path = self.root / split / LABELS_ARROW
        if path.exists():
            return label_arrays_read(path).as_lists()
        data: dict[str, Any] = json.loads(
            (self.root / split / "labels.json").read_text(encoding="utf-8")
        )
        return data

    def label_arrays(self, split: str) -> LabelArrays:
        """The split's labels as arrays, the calls one after another."""
        path = self.root / split / LABELS_ARROW
        if path.exists():
            return label_arrays_read(path)
        return LabelArrays.from_lists(self.labels(split))


LABELS_ARROW = "labels.arrow"
_LABEL_CALLS_KEY = b"portal.calls"
_COLUMN_PREFIX = "column."


@dataclass(frozen=True)
class LabelArrays:
    """One split's truth and label columns, the calls concatenated."""

    # (call id, number of points), in the scorer's order.
    calls: list[tuple[str, int]]
    # Text labels read from labels.arrow come as codes (CodedLabels).
    y_true: npt.NDArray[Any] | CodedLabels
    columns: dict[str, npt.NDArray[Any]]

    @classmethod
    def from_lists(cls, labels: dict[str, Any]) -> LabelArrays:
        calls = [
            (str(call_id), len(entry["y_true"]))
            for call_id, entry in labels["calls"].items()
        ]
        truth = [v for entry in labels["calls"].values() for v in entry["y_true"]]
        names: list[str] = []
        for call_id, entry in labels["calls"].items():
            for name, values in entry.get("columns", {}).items():
                if len(values) != len(entry["y_true"]):
                    from evaluations.scoring import ScoringError

                    raise ScoringError(
                        f"Call {call_id}: column {name} has the wrong length."
                    )
                if name not in names:
                    names.append(name)
        columns = {
            name: np.asarray(
                [
                    v
                    for entry in labels["calls"].values()
                    for v in entry.get("columns", {}).get(name, [])
                ]
            )
            for name in names
        }
        return cls(calls, _truth_of_list(truth), columns)

    def as_lists(self) -> dict[str, Any]:
        result: dict[str, Any] = {"calls": {}}
        at = 0
        for call_id, points in self.calls:
            result["calls"][call_id] = {
                "y_true": self.y_true[at : at + points].tolist(),
                "columns": {
                    name: values[at : at + points].tolist()
                    for name, values in self.columns.items()
                },
            }
            at += points
        return result


def label_arrays_write(path: Path, arrays: LabelArrays) -> None:
    """Write a split's labels as ``labels.arrow`` (uncompressed, mappable)."""
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs

    y_true: Any = arrays.y_true
    if isinstance(y_true, CodedLabels):
        y_true = pa.array(y_true.tolist(), pa.string())
    table = pa.table(
        {
            "y_true": y_true,
            **{_COLUMN_PREFIX + name: v for name, v in arrays.columns.items()},
        }
    ).replace_schema_metadata({_LABEL_CALLS_KEY: json.dumps(arrays.calls).encode()})
    with pa.ipc.new_file(str(path), table.schema) as writer:
        writer.write_table(table)


def label_arrays_read(path: Path) -> LabelArrays:
    """Map ``labels.arrow``: numbers as numpy arrays over the file's pages;
    text truth as ``CodedLabels``, other text columns as fixed-width text
    arrays (as ``np.asarray`` makes of ``labels.json``'s lists)."""
    import pyarrow as pa

    # Not closed here: numeric arrays are views of the mapping.
    table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    calls = [
        (str(c), int(n)) for c, n in json.loads(table.schema.metadata[_LABEL_CALLS_KEY])
    ]
    columns = {
        name[len(_COLUMN_PREFIX) :]: _numpy(table.column(name))
        for name in table.column_names
        if name.startswith(_COLUMN_PREFIX)
    }
    return LabelArrays(calls, _truth(table.column("y_true")), columns)


def _truth_of_list(truth: list[Any]) -> npt.NDArray[Any] | CodedLabels:
    """``labels.json``'s truth: text labels as codes, as ``_truth`` reads
    them from ``labels.arrow``; anything else as ``np.asarray`` makes it."""
    if truth and all(isinstance(value, str) for value in truth):
        import pyarrow as pa

        return CodedLabels.from_arrow(pa.array(truth, pa.string()))
    return np.asarray(truth)


def _truth(column: Any) -> npt.NDArray[Any] | CodedLabels:
    """The truth: numbers as ``_numpy``; text labels as codes (4 bytes a
    row, whatever their length), which the scorer maps to the predictions'."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return CodedLabels.from_arrow(array)
    return _numpy(column)


def _numpy(column: Any) -> npt.NDArray[Any]:
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        # One chunk is used as it is: combining would copy it.
        array = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    else:
        array = column
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return _text(array)
    return np.asarray(array.to_numpy(zero_copy_only=False))


def _text(array: Any) -> npt.NDArray[Any]:
    """A label column's text as a fixed-width array (what the metrics'
    parameters take)."""
    encoded = array.dictionary_encode()
    names = np.array(encoded.dictionary.to_pylist(), dtype=np.str_)
    result: npt.NDArray[Any] = names[encoded.indices.to_numpy()]
    return result


def write_bundle(
    target: Path,
    *,
    kind: str,
    splits: dict[str, dict[str, dict[str, Any]]],
    probes: dict[str, dict[str, dict[str, bytes]]] | None = None,
    output: str | None = None,
    labels_format: str = "json",
) -> Path:
    """Write a bundle folder and return it (used by data preparation).

    ``splits[split][call_id]`` is ``{"files": {name: bytes}, "y_true": [...],
    "columns": {...}}``; ``probes[name][call_id]`` maps file names to bytes.
    ``output="flags"`` makes the host refuse predictions other than 0 and 1,
    as the harness does when task.json says so. ``labels_format="parquet"``
    writes ``labels.arrow`` instead of ``labels.json``.
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
        if labels_format == "arrow":
            label_arrays_write(
                target / split / LABELS_ARROW, LabelArrays.from_lists(labels)
            )
        else:
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
