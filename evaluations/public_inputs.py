"""The published inputs of suites that accept prediction files.

A vendor who uploads predictions instead of code needs what the code would
have received. For a suite that allows prediction files (classification and
event detection only, ``evaluations.suites.prediction_files_errors``), the
portal publishes, per split, exactly the input folders a solution package
gets in the sandbox: each call's ``task.json`` and the files it names.
Labels live in ``<split>/labels.json`` of the bundle, outside those
folders, and are never read here.

The ids a prediction file must cover are read from the same files, in the
order the scorer concatenates the calls: the sample's calls, then the
hidden test's. Both are derived once per machine (web or worker) from the
content-addressed bundle and cached next to its extracted copy, keyed by the
bundle's SHA-256, so they can never go stale.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from evaluations.execution import bundle_for, work_dir
from evaluations.models import Run, SuiteVersion
from evaluations.suites import Bundle

SPLITS = (Run.Split.SAMPLE, Run.Split.HIDDEN)
# task.json key naming the file that carries the ids, per task kind.
ID_FILE_KEY = {"classification": "inputs", "event_detection": "series"}
IDS_FILE = "ids.csv"
# Zip entries get a fixed time, so an archive's bytes depend only on the data.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class InputsError(Exception):
    """A suite's inputs cannot be published (a fault of the suite's data)."""


@dataclass(frozen=True)
class SplitIds:
    """The ids of one split, call by call, in the scorer's order."""

    calls: dict[str, list[str]]

    @property
    def ids(self) -> list[str]:
        return [row_id for ids in self.calls.values() for row_id in ids]


@dataclass(frozen=True)
class SuiteIds:
    sample: SplitIds
    hidden: SplitIds

    def split(self, split: str) -> SplitIds:
        return self.sample if split == Run.Split.SAMPLE else self.hidden

    @property
    def expected(self) -> list[str]:
        """Every id a prediction file covers: the sample's, then the test's."""
        return self.sample.ids + self.hidden.ids


def suite_ids(version: SuiteVersion) -> SuiteIds:
    """Return the ids a prediction file for ``version`` must cover.

    Raise ``InputsError`` when the version does not allow prediction files
    or its bundle's inputs do not give every row a distinct id.
    """
    bundle = _checked_bundle(version)
    cache = _derived_path(version, "ids.json")
    with _locked(version):
        if cache.exists():
            data = json.loads(cache.read_text(encoding="utf-8"))
            return SuiteIds(SplitIds(data["sample"]), SplitIds(data["hidden"]))
        ids = SuiteIds(
            _split_ids(bundle, Run.Split.SAMPLE), _split_ids(bundle, Run.Split.HIDDEN)
        )
        overlap = set(ids.sample.ids) & set(ids.hidden.ids)
        if overlap:
            raise InputsError(
                f"{len(overlap):,} ids are in both the sample and the hidden test, "
                f"for example {sorted(overlap)[0]!r}."
            )
        data = {"sample": ids.sample.calls, "hidden": ids.hidden.calls}
        with _atomic(cache) as out:
            out.write(json.dumps(data).encode())
        return ids


def inputs_archive(version: SuiteVersion, split: str) -> Path:
    """Return a zip of the split's published inputs, built once per bundle.

    Layout: ``ids.csv`` (one ``id`` per row, in scoring order) and
    ``calls/<call id>/`` with each call's ``task.json`` and input files.
    """
    if split not in SPLITS:
        raise InputsError(f"Unknown split {split!r}.")
    ids = suite_ids(version).split(split)
    bundle = _checked_bundle(version)
    target = _derived_path(version, f"inputs-{split}.zip")
    with _locked(version):
        if not target.exists():
            with _atomic(target) as out:
                _zip_inputs(out, bundle, split, ids)
    return target


def inputs_file_name(version: SuiteVersion, split: str) -> str:
    suite = version.suite
    return f"{suite.scenario.code}-{suite.slug}-v{version.number}-{split}-inputs.zip"


# --- reading the bundle ------------------------------------------------------------------


def _checked_bundle(version: SuiteVersion) -> Bundle:
    if not version.accepts_prediction_files:
        raise InputsError("This suite version does not accept prediction files.")
    if version.bundle is None:
        raise InputsError("This suite version has no data bundle.")
    bundle = bundle_for(version)
    if bundle.kind not in ID_FILE_KEY or bundle.kind != version.suite.task_kind:
        raise InputsError(
            f"The bundle holds {bundle.kind} data and the suite's task kind is "
            f"{version.suite.task_kind}; its inputs are not published."
        )
    return bundle


def _task(bundle: Bundle, split: str, call_id: str) -> dict[str, Any]:
    path = bundle.call_input_dir(split, call_id) / "task.json"
    try:
        task = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputsError(f"Call {call_id} of {split}: no readable task.json.") from exc
    if not isinstance(task, dict):
        raise InputsError(f"Call {call_id} of {split}: task.json is not an object.")
    return task


def _split_ids(bundle: Bundle, split: str) -> SplitIds:
    calls: dict[str, list[str]] = {}
    seen: set[str] = set()
    for call_id in bundle.calls(split):
        task = _task(bundle, split, call_id)
        name, column = task.get(ID_FILE_KEY[bundle.kind]), task.get("id_column")
        if not isinstance(name, str) or not isinstance(column, str):
            raise InputsError(f"Call {call_id} of {split}: task.json names no ids.")
        folder = bundle.call_input_dir(split, call_id)
        path = _inside(folder, name)
        ids = _read_ids(path, column)
        if any(not i.strip() for i in ids):
            raise InputsError(f"Call {call_id} of {split}: a row has no id.")
        if len(set(ids)) != len(ids) or not seen.isdisjoint(ids):
            raise InputsError(f"Call {call_id} of {split}: ids are not unique.")
        seen.update(ids)
        calls[call_id] = ids
    return SplitIds(calls)


def _read_ids(path: Path, column: str) -> list[str]:
    """Read the id column as the harness does: text, exactly as stored."""
    import pandas as pd

    try:
        if path.suffix == ".parquet":
            values = pd.read_parquet(path, columns=[column])[column]
        else:
            values = pd.read_csv(path, usecols=[column], dtype={column: str})[column]
    except (OSError, ValueError, KeyError) as exc:
        raise InputsError(
            f"{path.name}: cannot read the id column {column!r}."
        ) from exc
    if values.isna().any():
        raise InputsError(f"{path.name}: a row has no id.")
    return [str(v) for v in values.astype(str)]


def _inside(folder: Path, name: str) -> Path:
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise InputsError(f"{name!r} is outside its call's input folder.")
    return path


def _zip_inputs(out: BinaryIO, bundle: Bundle, split: str, ids: SplitIds) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["id"])
        writer.writerows([row_id] for row_id in ids.ids)
        _add(archive, IDS_FILE, text.getvalue().encode())
        for call_id in bundle.calls(split):
            folder = bundle.call_input_dir(split, call_id)
            for path in sorted(folder.rglob("*")):
                # Bundles hold regular files and folders only (the tar
                # "data" filter); a link would be skipped, never followed.
                if path.is_file() and not path.is_symlink():
                    relative = path.relative_to(folder).as_posix()
                    _add(archive, f"calls/{call_id}/{relative}", path.read_bytes())


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


# --- the cache beside the extracted bundle ----------------------------------------------------


def _derived_path(version: SuiteVersion, suffix: str) -> Path:
    if version.bundle is None:
        raise InputsError("This suite version has no data bundle.")
    return work_dir() / "bundles" / f"{version.bundle.sha256}.{suffix}"


@contextlib.contextmanager
def _locked(version: SuiteVersion) -> Iterator[None]:
    import fcntl

    lock_path = _derived_path(version, "public.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextlib.contextmanager
def _atomic(target: Path) -> Iterator[BinaryIO]:
    """Write ``target`` through a temporary file; readers never see half."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as out:
            yield out
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
