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
bundle's SHA-256, so they can never go stale. The cache is an Arrow IPC
file of one text column, which ``suite_id_arrays`` maps into memory as one
Arrow array: ten million ids never become ten million Python strings, nor
a second copy of themselves.
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
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import numpy.typing as npt

from evaluations.coded_labels import CodedLabels
from evaluations.execution import bundle_for, work_dir
from evaluations.intake.prediction_matching import ExpectedIds
from evaluations.models import Run, SuiteVersion
from evaluations.suites import Bundle

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

SPLITS = (Run.Split.SAMPLE, Run.Split.HIDDEN)
# task.json key naming the file that carries the ids, per task kind.
ID_FILE_KEY = {"classification": "inputs", "event_detection": "series"}
IDS_FILE = "ids.csv"
# The derived cache: column "id"; its metadata lists each split's calls
# with their number of ids, in order.
_IDS_CACHE = "ids.arrow"
_CALLS_KEY = b"portal.calls"
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
class SuiteIdArrays:
    """Every id a prediction file covers, as one Arrow array in scoring
    order (the sample's calls, then the test's), and where each call's ids
    are in it."""

    expected: ExpectedIds
    # split -> [(call id, start, stop)], slices of ``expected``.
    calls: dict[str, list[tuple[str, int, int]]]

    def split_slice(self, split: str) -> tuple[int, int]:
        spans = self.calls[split]
        return (spans[0][1], spans[-1][2]) if spans else (0, 0)

    def split_values(
        self,
        values: npt.NDArray[Any] | CodedLabels,
        split: str,
        order: list[tuple[str, int]],
    ) -> npt.NDArray[Any] | CodedLabels:
        """The values of ``split``'s rows, call by call in ``order``.

        ``order`` lists (call id, number of points) as the labels hold
        them; when it is the order of the ids, the result is a view.
        """
        from evaluations.scoring import ScoringError

        if isinstance(values, CodedLabels):
            codes = self.split_values(values.codes, split, order)
            assert not isinstance(codes, CodedLabels)  # noqa: S101  # narrows
            return CodedLabels(codes, values.names)
        spans = {call_id: (start, stop) for call_id, start, stop in self.calls[split]}
        pieces = []
        for call_id, points in order:
            if call_id not in spans:
                raise ScoringError(f"No predictions for call {call_id}.")
            start, stop = spans[call_id]
            if stop - start != points:
                raise ScoringError(
                    f"Call {call_id}: {stop - start} predictions for {points} points."
                )
            pieces.append((start, stop))
        contiguous = all(left[1] == right[0] for left, right in pairwise(pieces))
        if contiguous and pieces:
            return values[pieces[0][0] : pieces[-1][1]]
        if not pieces:
            return values[:0]
        return np.concatenate([values[start:stop] for start, stop in pieces])


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
    """Return the ids a prediction file for ``version`` must cover, as
    Python lists (for the published ``ids.csv`` and small suites).

    Raise ``InputsError`` as ``suite_id_arrays`` does.
    """
    arrays = suite_id_arrays(version)
    everything = arrays.expected.array.to_pylist()
    splits = [
        SplitIds(
            {
                call_id: [str(i) for i in everything[start:stop]]
                for call_id, start, stop in arrays.calls[split]
            }
        )
        for split in SPLITS
    ]
    return SuiteIds(splits[0], splits[1])


def suite_id_arrays(version: SuiteVersion) -> SuiteIdArrays:
    """Return the ids a prediction file for ``version`` must cover.

    Raise ``InputsError`` when the version does not allow prediction files
    or its bundle's inputs do not give every row a distinct id.
    """
    bundle = _checked_bundle(version)
    cache = _derived_path(version, _IDS_CACHE)
    with _locked(version):
        if not cache.exists():
            _derive_ids(bundle, cache)
        return id_arrays_read(cache)


def _derive_ids(bundle: Bundle, cache: Path) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    arrays: list[pa.Array] = []
    calls: dict[str, list[tuple[str, int]]] = {}
    for split in SPLITS:
        split_arrays = _split_ids(bundle, split)
        calls[split] = [(call_id, len(ids)) for call_id, ids in split_arrays]
        arrays.extend(ids for _call_id, ids in split_arrays)
    everything = pa.concat_arrays(arrays) if arrays else pa.array([], pa.string())
    sample_size = sum(count for _call_id, count in calls[Run.Split.SAMPLE])
    sample, hidden = everything.slice(0, sample_size), everything.slice(sample_size)
    overlap = pc.unique(hidden.filter(pc.is_in(hidden, value_set=sample)))
    if len(overlap):
        raise InputsError(
            f"{len(overlap):,} ids are in both the sample and the hidden test, "
            f"for example {pc.min(overlap).as_py()!r}."
        )
    with _atomic(cache) as out:
        id_arrays_write(out, everything, calls)


def id_arrays_write(
    out: BinaryIO | Path, ids: pa.Array, calls: dict[str, list[tuple[str, int]]]
) -> None:
    """Write the ids cache: ``ids`` in scoring order, and per split its
    calls with their number of ids (an Arrow IPC file, uncompressed, so
    that it can be mapped)."""
    import pyarrow as pa

    table = pa.table({"id": ids}).replace_schema_metadata(
        {_CALLS_KEY: json.dumps(calls).encode()}
    )
    with pa.ipc.new_file(out, table.schema) as writer:
        writer.write_table(table)


def id_arrays_read(cache: Path) -> SuiteIdArrays:
    """Map the ids cache into memory: one Arrow array and the calls' spans.

    The pages are the file's, shared with the page cache: reading a
    Parquet file instead took three times its size in memory.
    """
    import pyarrow as pa

    # Not closed here: the array's buffers are the mapping, which lives as
    # long as they do.
    table = pa.ipc.open_file(pa.memory_map(str(cache))).read_all()
    counts = json.loads(table.schema.metadata[_CALLS_KEY])
    calls: dict[str, list[tuple[str, int, int]]] = {}
    at = 0
    for split in SPLITS:
        calls[split] = []
        for call_id, count in counts[split]:
            calls[split].append((str(call_id), at, at + int(count)))
            at += int(count)
    return SuiteIdArrays(ExpectedIds(table.column("id")), calls)


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


def _split_ids(bundle: Bundle, split: str) -> list[tuple[str, pa.Array]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    from evaluations.intake.prediction_matching import _WHITESPACE

    calls: list[tuple[str, pa.Array]] = []
    for call_id in bundle.calls(split):
        task = _task(bundle, split, call_id)
        name, column = task.get(ID_FILE_KEY[bundle.kind]), task.get("id_column")
        if not isinstance(name, str) or not isinstance(column, str):
            raise InputsError(f"Call {call_id} of {split}: task.json names no ids.")
        folder = bundle.call_input_dir(split, call_id)
        path = _inside(folder, name)
        ids = _read_ids(path, column)
        blank = pc.equal(pc.utf8_length(pc.utf8_trim(ids, characters=_WHITESPACE)), 0)
        if pc.any(blank).as_py():
            raise InputsError(f"Call {call_id} of {split}: a row has no id.")
        calls.append((call_id, ids))
    # Unique within each call and across the split's calls: the first call
    # that repeats an id is named.
    if calls:
        everything = pa.concat_arrays([ids for _call_id, ids in calls])
        if len(pc.unique(everything)) != len(everything):
            seen: pa.Array = pa.array([], pa.string())
            for call_id, ids in calls:
                if (
                    len(pc.unique(ids)) != len(ids)
                    or pc.any(pc.is_in(ids, value_set=seen)).as_py()
                ):
                    raise InputsError(f"Call {call_id} of {split}: ids are not unique.")
                seen = pa.concat_arrays([seen, ids])
    return calls


def _read_ids(path: Path, column: str) -> pa.Array:
    """Read the id column as the harness does: text, exactly as stored."""
    import pandas as pd
    import pyarrow as pa

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
    return pa.array(values.astype(str), type=pa.string())


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
