"""Check a scenario owner's suite data bundle before it is stored.

The layout is the one ``evaluations.suites`` documents and the workers read
(docs/suites.md, "Building a suite bundle")::

    manifest.json                    kind, splits and probes with their calls
    sample/calls/<id>/in/...         one sandbox call's inputs
    sample/labels.json               truth of the public sample
    hidden/calls/<id>/in/...
    hidden/labels.json               never bound into a sandbox
    probes/<name>/calls/<id>/in/...  perturbed hidden inputs

``check_bundle`` works in five steps and reports every problem it finds (up
to ``MAX_PROBLEMS``), each with the path it concerns:

1. The archive passes the intake checks (``evaluations.intake.bundles``):
   a tar.gz within the caps, only files and folders, safe names, no
   duplicates, ``manifest.json`` at the top. Then it is extracted into a
   temporary folder with ``extract_archive``, which follows no link.
2. ``manifest.json`` declares the schema version, a task kind and the
   splits ``sample`` and ``hidden`` with their call ids; each probe has
   exactly the hidden split's calls.
3. Every file belongs to a declared call, a split's ``labels.json`` or the
   manifest; every declared call has an input folder with ``task.json``.
4. ``task.json`` passes the harness's own check (the harness reads it in the
   sandbox), has the bundle's kind and names input files that exist; no
   hidden or probe call carries a ``labels.json`` among its inputs.
5. ``labels.json`` of ``sample`` and ``hidden`` has one entry per call, each
   with a non-empty ``y_true`` of the right length (the forecast horizon, or
   the rows of the input table) and per-point columns of the same length.

The result is a ``BundleSummary``: counts, label column names and input file
names, never a label value. It is stored on the suite version and is all
``config_bundle_problems`` needs to check a configuration against the bundle.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from evaluations.models import TaskKind
from evaluations.suites import PROBE_NAME_RE

SPLITS = ("sample", "hidden")
CALL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MANIFEST_BYTES = 16 * 1024 * 1024
LABELS_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS = 20
# The input summary keeps this many distinct top-level input names at most
# (a bundle with one distinct file name per call needs no schema check).
MAX_INPUT_NAMES = 200
TABLE_SUFFIXES = (".csv", ".parquet")


class SplitSummary(TypedDict):
    calls: int
    points: int
    # Label columns every call of the split has (for "@name" parameters).
    label_columns: list[str]


class ProbeSummary(TypedDict):
    calls: int


class InputSummary(TypedDict):
    # How many calls (of every split and probe) have this input.
    calls: int
    # Columns every one of those tables has; None for other files.
    columns: list[str] | None


class BundleSummary(TypedDict):
    kind: str
    splits: dict[str, SplitSummary]
    probes: dict[str, ProbeSummary]
    inputs: dict[str, InputSummary]
    input_calls: int
    files: int
    bytes: int


class _TooMany(Exception):
    """Enough problems to report; stop looking."""


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)
        if len(self.messages) >= MAX_PROBLEMS:
            raise _TooMany

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError({"bundle": list(self.messages)})


def _some(items: Iterable[str]) -> str:
    ordered = sorted(items)
    shown = ", ".join(ordered[:5])
    if len(ordered) > 5:
        return _("{shown} and {n} more").format(shown=shown, n=len(ordered) - 5)
    return shown


def bundle_limits() -> Any:
    from evaluations.intake.bundles import BUNDLE_LIMITS

    return dataclasses.replace(
        BUNDLE_LIMITS, archive_bytes=int(settings.SUITE_BUNDLE_MAX_BYTES)
    )


def check_bundle(path: Path) -> BundleSummary:
    """Check the bundle archive at ``path``; return its summary or raise.

    Raise ``ValidationError`` with the problems under ``bundle``.
    """
    from evaluations.intake import IntakeError, extract_archive
    from evaluations.intake.bundles import inspect_bundle_archive

    try:
        report = inspect_bundle_archive(path, limits=bundle_limits())
    except IntakeError as exc:
        raise ValidationError({"bundle": f"{exc.message} ({exc.code})"}) from exc
    with tempfile.TemporaryDirectory(prefix="suite-bundle-") as folder:
        root = Path(folder) / "bundle"
        try:
            extract_archive(path, root, report)
        except IntakeError as exc:
            raise ValidationError({"bundle": f"{exc.message} ({exc.code})"}) from exc
        problems = _Problems()
        try:
            summary = _BundleChecker(root, problems).check()
        except _TooMany:
            summary = None
        problems.raise_if_any()
    assert summary is not None  # noqa: S101 (no problem means a summary)
    summary["files"] = sum(1 for m in report.members if not m.is_dir)
    summary["bytes"] = report.total_bytes
    return summary


def _read_json(path: Path, limit: int) -> tuple[Any, str | None]:
    """Return the JSON in ``path``, or None and what is wrong with it."""
    size = path.stat().st_size
    if size > limit:
        return None, _("it is larger than {limit} MiB").format(
            limit=limit // (1024 * 1024)
        )
    try:
        return json.loads(path.read_bytes().decode("utf-8")), None
    except UnicodeDecodeError:
        return None, _("it is not UTF-8 text")
    except (ValueError, RecursionError) as exc:
        return None, _("it is not valid JSON ({problem})").format(problem=exc)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_label(value: Any) -> bool:
    """A class: a number or a text label."""
    return _is_number(value) or isinstance(value, str)


class _BundleChecker:
    """Steps 2 to 5 of ``check_bundle`` on an extracted bundle folder."""

    def __init__(self, root: Path, problems: _Problems) -> None:
        self.root = root
        self.problems = problems
        self.kind = ""
        self.calls: dict[str, list[str]] = {}
        self.probes: dict[str, list[str]] = {}
        # Expected points per (folder, call id), from task.json and inputs.
        self.expected: dict[tuple[str, str], int] = {}
        self.horizons: dict[tuple[str, str], list[Any]] = {}
        self.inputs: dict[str, InputSummary] = {}
        self.input_calls = 0

    def add(self, message: str) -> None:
        self.problems.add(message)

    # -- step 2: the manifest --------------------------------------------

    def check(self) -> BundleSummary | None:
        if not self._manifest():
            return None
        self._layout()
        for split in SPLITS:
            for call_id in self.calls[split]:
                self._call(split, call_id, f"{split}/calls/{call_id}")
        for probe, calls in self.probes.items():
            for call_id in calls:
                self._call("hidden", call_id, f"probes/{probe}/calls/{call_id}")
        splits = {split: self._labels(split) for split in SPLITS}
        if self.problems.messages:
            return None
        return {
            "kind": self.kind,
            "splits": {s: summary for s, summary in splits.items() if summary},
            "probes": {p: {"calls": len(c)} for p, c in sorted(self.probes.items())},
            "inputs": dict(sorted(self.inputs.items())),
            "input_calls": self.input_calls,
            "files": 0,
            "bytes": 0,
        }

    def _manifest(self) -> bool:
        manifest, problem = _read_json(self.root / "manifest.json", MANIFEST_BYTES)
        if problem is not None or not isinstance(manifest, dict):
            self.add(
                _("manifest.json cannot be read: {problem}.").format(
                    problem=problem or _("it must hold a JSON object")
                )
            )
            return False
        ok = True
        if manifest.get("schema_version") != 1:
            self.add(_("manifest.json: schema_version must be 1."))
            ok = False
        kind = manifest.get("kind")
        if kind not in TaskKind.values:
            self.add(
                _("manifest.json: kind must be one of {kinds}, not {kind}.").format(
                    kinds=", ".join(TaskKind.values), kind=repr(kind)
                )
            )
            ok = False
        else:
            self.kind = str(kind)
        splits = manifest.get("splits")
        if not isinstance(splits, dict):
            self.add(_("manifest.json: splits must be an object."))
            return False
        for split in SPLITS:
            calls = self._call_list(
                splits.get(split), _("split “{name}”").format(name=split)
            )
            if calls is None:
                ok = False
            else:
                self.calls[split] = calls
        extra = set(splits) - set(SPLITS)
        if extra:
            self.add(
                _(
                    "manifest.json declares the split(s) {names}; a bundle has "
                    "only “sample” and “hidden” (the development data is a "
                    "dataset of the scenario)."
                ).format(names=_some(extra))
            )
            ok = False
        ok = self._manifest_probes(manifest.get("probes", {})) and ok
        return ok

    def _call_list(self, entry: Any, what: str) -> list[str] | None:
        calls = entry.get("calls") if isinstance(entry, dict) else None
        if not isinstance(calls, list) or not calls:
            self.add(
                _("manifest.json: {what} needs a non-empty list of calls.").format(
                    what=what
                )
            )
            return None
        bad = [c for c in calls if not isinstance(c, str) or not CALL_ID_RE.match(c)]
        if bad:
            self.add(
                _(
                    "manifest.json: {what} has call ids that are not names of "
                    "letters, digits, “.”, “-” and “_”: {ids}."
                ).format(what=what, ids=_some(repr(c) for c in bad))
            )
            return None
        if len(set(calls)) != len(calls):
            twice = {c for c in calls if calls.count(c) > 1}
            self.add(
                _("manifest.json: {what} lists calls twice: {ids}.").format(
                    what=what, ids=_some(twice)
                )
            )
            return None
        return [str(c) for c in calls]

    def _manifest_probes(self, probes: Any) -> bool:
        if not isinstance(probes, dict):
            self.add(_("manifest.json: probes must be an object."))
            return False
        ok = True
        hidden = set(self.calls.get("hidden", []))
        for name, entry in probes.items():
            if not PROBE_NAME_RE.match(name):
                self.add(
                    _(
                        "manifest.json: probe name {name} must use lower-case "
                        "letters, digits, “-” and “_”."
                    ).format(name=repr(name))
                )
                ok = False
                continue
            calls = self._call_list(entry, _("probe “{name}”").format(name=name))
            if calls is None:
                ok = False
                continue
            if "hidden" in self.calls and set(calls) != hidden:
                missing, extra = hidden - set(calls), set(calls) - hidden
                if missing:
                    self.add(
                        _(
                            "Probe “{name}” lacks hidden calls {ids}: a probe "
                            "perturbs every hidden call."
                        ).format(name=name, ids=_some(missing))
                    )
                if extra:
                    self.add(
                        _(
                            "Probe “{name}” has calls that are not hidden calls: {ids}."
                        ).format(name=name, ids=_some(extra))
                    )
                ok = False
                continue
            self.probes[name] = calls
        return ok

    # -- step 3: every file has its place ---------------------------------

    def _layout(self) -> None:
        known_calls = {(s, c) for s, calls in self.calls.items() for c in calls}
        known_probe_calls = {(p, c) for p, calls in self.probes.items() for c in calls}
        stray: list[str] = []
        stray_calls: set[str] = set()
        for current, dirs, files in os.walk(self.root):
            dirs.sort()
            relative = Path(current).relative_to(self.root).parts
            for name in sorted(files):
                parts = (*relative, name)
                path = "/".join(parts)
                if parts == ("manifest.json",):
                    continue
                if len(parts) == 2 and parts[0] in SPLITS and parts[1] == "labels.json":
                    continue
                if len(parts) >= 5 and parts[1] == "calls" and parts[3] == "in":
                    if parts[0] in SPLITS and (parts[0], parts[2]) in known_calls:
                        continue
                    if parts[0] in SPLITS:
                        stray_calls.add("/".join(parts[:3]))
                        continue
                if (
                    len(parts) >= 6
                    and parts[0] == "probes"
                    and parts[2] == "calls"
                    and parts[4] == "in"
                ):
                    if (parts[1], parts[3]) in known_probe_calls:
                        continue
                    stray_calls.add("/".join(parts[:4]))
                    continue
                stray.append(path)
        if stray_calls:
            self.add(
                _("These call folders are not in manifest.json: {paths}.").format(
                    paths=_some(stray_calls)
                )
            )
        if stray:
            self.add(
                _(
                    "These files have no place in a bundle: {paths}. Inputs go "
                    "in <split>/calls/<id>/in/, truth in <split>/labels.json."
                ).format(paths=_some(stray))
            )

    # -- step 4: one call's inputs ----------------------------------------

    def _call(self, labels_split: str, call_id: str, where: str) -> None:
        """Check the inputs of one call; ``labels_split`` holds its truth."""
        from evaluations.harness.harness import HarnessError, load_task

        in_dir = self.root / where / "in"
        if not in_dir.is_dir() or not any(in_dir.iterdir()):
            self.add(
                _("{where} has no inputs: add its in/ folder.").format(where=where)
            )
            return
        if not (in_dir / "task.json").is_file():
            self.add(
                _("{where}/in has no task.json, which the harness reads.").format(
                    where=where
                )
            )
            return
        self.input_calls += 1
        self._record_inputs(in_dir, where)
        if labels_split == "hidden" and (in_dir / "labels.json").exists():
            self.add(
                _(
                    "{where}/in/labels.json: hidden labels never go into a call's "
                    "inputs, which the solution reads."
                ).format(where=where)
            )
        try:
            task = load_task(in_dir)
        except HarnessError as exc:
            self.add(
                _("{where}/in/task.json: {problem}").format(
                    where=where, problem=exc.message.replace(str(in_dir) + "/", "")
                )
            )
            return
        if self.kind and task["kind"] != self.kind:
            self.add(
                _(
                    "{where}/in/task.json has the kind “{task_kind}”, the bundle "
                    "“{kind}”."
                ).format(where=where, task_kind=task["kind"], kind=self.kind)
            )
            return
        self._task_files(task, in_dir, where, labels_split, call_id)

    def _task_files(
        self,
        task: dict[str, Any],
        in_dir: Path,
        where: str,
        labels_split: str,
        call_id: str,
    ) -> None:
        kind = task["kind"]
        keys = {
            "forecasting": [("history", False), ("exogenous", False)],
            "classification": [("inputs", False), ("image_dir", True)],
            "event_detection": [("series", False)],
        }[kind]
        for key, folder in keys:
            name = task.get(key)
            if name is None:
                continue
            target = in_dir / str(name)
            exists = target.is_dir() if folder else target.is_file()
            if not exists:
                self.add(
                    _(
                        "{where}/in/task.json names {key} “{name}”, which is not there."
                    ).format(where=where, key=key, name=name)
                )
                return
        if kind == "forecasting":
            count = len(task["horizon"])
            horizon = list(task["horizon"])
            if where.startswith("probes/"):
                clean = self.horizons.get((labels_split, call_id))
                if clean is not None and clean != horizon:
                    self.add(
                        _(
                            "{where}/in/task.json forecasts another horizon than "
                            "hidden call {call}."
                        ).format(where=where, call=call_id)
                    )
            else:
                self.horizons[(labels_split, call_id)] = horizon
        else:
            table = str(task["inputs"] if kind == "classification" else task["series"])
            rows = _table_rows(in_dir / table)
            if rows is None:
                self.add(
                    _("{where}/in/{name} cannot be read as a table.").format(
                        where=where, name=table
                    )
                )
                return
            count = rows
        self.expected[(where, call_id)] = count

    def _record_inputs(self, in_dir: Path, where: str) -> None:
        for entry in sorted(in_dir.iterdir()):
            name = entry.name + ("/" if entry.is_dir() else "")
            summary = self.inputs.get(name)
            if summary is None:
                if len(self.inputs) >= MAX_INPUT_NAMES:
                    continue
                summary = {"calls": 0, "columns": None}
                self.inputs[name] = summary
            summary["calls"] += 1
            if entry.is_file() and entry.name.endswith(TABLE_SUFFIXES):
                columns = _table_columns(entry)
                if columns is None:
                    self.add(
                        _("{where}/in/{name} cannot be read as a table.").format(
                            where=where, name=entry.name
                        )
                    )
                    continue
                if summary["calls"] == 1:
                    summary["columns"] = columns
                elif summary["columns"] is not None:
                    summary["columns"] = [
                        c for c in summary["columns"] if c in set(columns)
                    ]

    # -- step 5: the labels -------------------------------------------------

    def _labels(self, split: str) -> SplitSummary | None:
        calls = self.calls.get(split)
        if calls is None:
            return None
        path = self.root / split / "labels.json"
        if not path.is_file():
            self.add(
                _(
                    "{split}/labels.json is missing: every split needs its truth."
                ).format(split=split)
            )
            return None
        labels, problem = _read_json(path, LABELS_BYTES)
        entries = labels.get("calls") if isinstance(labels, dict) else None
        if problem is not None or not isinstance(entries, dict):
            self.add(
                _("{split}/labels.json cannot be read: {problem}.").format(
                    split=split,
                    problem=problem
                    or _("it must hold an object with “calls”, one entry per call"),
                )
            )
            return None
        missing = set(calls) - set(entries)
        if missing:
            self.add(
                _("{split}/labels.json has no labels for the calls {ids}.").format(
                    split=split, ids=_some(missing)
                )
            )
        extra = set(entries) - set(calls)
        if extra:
            self.add(
                _(
                    "{split}/labels.json has labels for calls that are not in "
                    "manifest.json: {ids}."
                ).format(split=split, ids=_some(extra))
            )
        points = 0
        common: set[str] | None = None
        for call_id in calls:
            entry = entries.get(call_id)
            if entry is None:
                continue
            count, columns = self._label_entry(split, call_id, entry)
            points += count
            common = set(columns) if common is None else common & set(columns)
        return {
            "calls": len(calls),
            "points": points,
            "label_columns": sorted(common or ()),
        }

    def _label_entry(
        self, split: str, call_id: str, entry: Any
    ) -> tuple[int, list[str]]:
        where = f"{split}/labels.json, call {call_id}"
        y_true = entry.get("y_true") if isinstance(entry, dict) else None
        if not isinstance(y_true, list) or not y_true:
            self.add(_("{where}: y_true must be a non-empty list.").format(where=where))
            return 0, []
        allowed = _is_label if self.kind == TaskKind.CLASSIFICATION else _is_number
        bad = next((i for i, v in enumerate(y_true) if not allowed(v)), None)
        if bad is not None:
            self.add(
                _(
                    "{where}: y_true[{index}] is {value}, not a valid truth value."
                ).format(where=where, index=bad, value=repr(y_true[bad])[:40])
            )
        columns = entry.get("columns", {})
        if not isinstance(columns, dict):
            self.add(_("{where}: columns must be an object.").format(where=where))
            columns = {}
        for name, values in columns.items():
            if not isinstance(values, list) or len(values) != len(y_true):
                self.add(
                    _(
                        "{where}: column “{name}” must be a list with one value per "
                        "point ({n})."
                    ).format(where=where, name=name, n=len(y_true))
                )
        for folder in self._folders_of(split, call_id):
            expected = self.expected.get((folder, call_id))
            if expected is not None and expected != len(y_true):
                self.add(
                    _(
                        "{folder}: the inputs ask for {expected} predictions, "
                        "{split}/labels.json has {n} values."
                    ).format(
                        folder=folder, expected=expected, split=split, n=len(y_true)
                    )
                )
        return len(y_true), [str(name) for name in columns]

    def _folders_of(self, split: str, call_id: str) -> list[str]:
        folders = [f"{split}/calls/{call_id}"]
        if split == "hidden":
            folders += [f"probes/{p}/calls/{call_id}" for p in sorted(self.probes)]
        return folders


def _is_arrow_error(exc: Exception) -> bool:
    import pyarrow  # type: ignore[import-untyped]  # pyarrow ships no stubs

    return isinstance(exc, pyarrow.ArrowException)


def _table_columns(path: Path) -> list[str] | None:
    """Return the column names of a .csv or .parquet file, or None."""
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq  # type: ignore[import-untyped]  # no stubs

            return [str(name) for name in pq.read_schema(path).names]
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [c.strip() for c in next(csv.reader(handle), [])]
    except (OSError, ValueError, csv.Error, UnicodeDecodeError):
        return None
    except Exception as exc:  # pyarrow's errors are its own classes
        if _is_arrow_error(exc):
            return None
        raise


def _table_rows(path: Path) -> int | None:
    """Return the number of data rows of a .csv or .parquet file, or None."""
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = sum(1 for row in csv.reader(handle) if row)
        return max(rows - 1, 0)
    except (OSError, ValueError, csv.Error, UnicodeDecodeError):
        return None
    except Exception as exc:  # pyarrow's errors are its own classes
        if _is_arrow_error(exc):
            return None
        raise


def config_bundle_problems(
    config: dict[str, Any], summary: Mapping[str, Any], task_kind: str
) -> list[str]:
    """Return what keeps ``config`` from working on a bundle with ``summary``.

    ``config`` has passed ``validate_config``. Checked: the bundle's kind is
    the suite's; every ``"@name"`` parameter is a label column of every
    sample and hidden call; gated and declared probes are the bundle's
    probes; every file of ``input_schema`` is in every call, with its
    declared columns.
    """
    problems: list[str] = []
    kind = summary.get("kind")
    if kind != task_kind:
        problems.append(
            _(
                "The bundle's kind is “{kind}”, the suite's “{task_kind}”: make "
                "a suite of that kind for this bundle."
            ).format(kind=kind, task_kind=task_kind)
        )
    splits: dict[str, Any] = dict(summary.get("splits", {}))
    for item in config.get("metrics", []):
        key = item.get("key", item["code"])
        for param, value in item.get("params", {}).items():
            if not (isinstance(value, str) and value.startswith("@")):
                continue
            lacking = [
                split
                for split in SPLITS
                if value[1:] not in splits.get(split, {}).get("label_columns", [])
            ]
            if lacking:
                problems.append(
                    _(
                        "Metric “{key}”: parameter {param} refers to the label "
                        "column “{column}”, which not every call of {splits} has."
                    ).format(
                        key=key, param=param, column=value[1:], splits=_some(lacking)
                    )
                )
    declared = set(config.get("probes", {}))
    present = set(summary.get("probes", {}))
    for gate in config.get("gates", []):
        if gate.get("probe") and gate["probe"] not in present:
            problems.append(
                _(
                    "The gate on “{metric}” uses the probe “{probe}”, which the "
                    "bundle does not have."
                ).format(metric=gate["metric"], probe=gate["probe"])
            )
    if declared and declared != present:
        problems.append(
            _(
                "The configuration describes the probes {declared}; the bundle "
                "has {present}."
            ).format(declared=_some(declared) or "–", present=_some(present) or "–")
        )
    inputs = summary.get("inputs", {})
    total = summary.get("input_calls", 0)
    for entry in config.get("input_schema", {}).get("files", []):
        name = entry["name"]
        found = inputs.get(name) or inputs.get(f"{name}/")
        if entry.get("optional", False) and found is None:
            continue
        if found is None or (not entry.get("optional") and found["calls"] != total):
            problems.append(
                _(
                    "Input file “{name}” is declared, but {n} of {total} calls have it."
                ).format(name=name, n=found["calls"] if found else 0, total=total)
            )
            continue
        lacking_columns = [
            c for c in entry.get("columns", []) if c not in (found["columns"] or [])
        ]
        if lacking_columns:
            problems.append(
                _(
                    "Input file “{name}” lacks the columns {columns} in some calls."
                ).format(name=name, columns=_some(lacking_columns))
            )
    return problems
