"""Prediction files: CSV or Parquet with an ``id`` and a ``prediction``."""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from evaluations.intake._common import (
    MIB,
    _describe,
    _open_upload,
    _show,
    _size,
    _some,
)
from evaluations.intake.errors import IntakeCode, IntakeError
from evaluations.intake.manifest import TASK_KINDS

_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NON_FINITE_WORDS = {"nan", "inf", "infinity"}


@dataclass(frozen=True)
class PredictionFileLimits:
    file_bytes: int = 64 * MIB
    rows: int = 1_000_000
    # Parquet pages are decompressed in memory; their declared total is
    # checked before reading.
    parquet_uncompressed_bytes: int = 512 * MIB
    label_chars: int = 100


DEFAULT_PREDICTION_LIMITS = PredictionFileLimits()


def inspect_prediction_file(
    path: Path,
    *,
    expected_ids: Sequence[str | int],
    kind: str,
    limits: PredictionFileLimits = DEFAULT_PREDICTION_LIMITS,
) -> list[float] | list[str]:
    """Check a CSV or Parquet prediction file; return values in id order.

    The file has exactly the columns ``id`` and ``prediction``. Every
    expected id appears exactly once and no other id appears. Values are
    finite numbers; for classification they may instead all be labels
    (text up to ``limits.label_chars`` characters). Ids are compared as
    text, so ``7`` and ``"7"`` are the same id.
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"Unknown task kind {kind!r}.")
    expected = [str(i) for i in expected_ids]
    if len(set(expected)) != len(expected):
        raise ValueError("expected_ids contains duplicates.")
    upload = _open_upload(Path(path), limits.file_bytes, IntakeCode.FILE_TOO_LARGE)
    with upload as (f, size):
        if size == 0:
            raise IntakeError(IntakeCode.CORRUPT_FILE, "The file is empty.")
        head = f.read(4)
        f.seek(0)
        if head == b"PAR1":
            rows = _read_parquet_rows(f, limits)
        elif head[:2] in (b"PK", b"\x1f\x8b"):
            raise IntakeError(
                IntakeCode.UNKNOWN_FORMAT,
                "Compressed files are not accepted; upload a plain CSV or a "
                "Parquet file.",
            )
        else:
            rows = _read_csv_rows(f, limits)

    by_id = _check_ids(rows, expected)
    values = [by_id[i] for i in expected]
    return _check_values(values, expected, kind, limits)


def _read_csv_rows(
    f: BinaryIO, limits: PredictionFileLimits
) -> list[tuple[str, object]]:
    try:
        text = f.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IntakeError(
            IntakeCode.BAD_ENCODING,
            f"The CSV file is not UTF-8 text (byte {exc.start:,}). Save it as UTF-8.",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[str, object]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise IntakeError(IntakeCode.CORRUPT_FILE, "The file is empty.")
        columns = [c.strip() for c in header]
        _check_columns(columns)
        id_at = columns.index("id")
        for fields in reader:
            if not fields:
                continue
            if len(fields) != 2:
                raise IntakeError(
                    IntakeCode.CORRUPT_FILE,
                    f"Line {reader.line_num} has {len(fields)} fields; every "
                    "line needs exactly two (id and prediction).",
                )
            if len(rows) >= limits.rows:
                raise _too_many_rows(limits)
            rows.append((fields[id_at].strip(), fields[1 - id_at].strip()))
    except csv.Error as exc:
        raise IntakeError(
            IntakeCode.CORRUPT_FILE,
            f"The CSV file cannot be parsed at line {reader.line_num}: {exc}.",
        ) from None
    return rows


def _read_parquet_rows(
    f: BinaryIO, limits: PredictionFileLimits
) -> list[tuple[str, object]]:
    import pyarrow  # type: ignore[import-untyped]  # pyarrow ships no stubs
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        parquet = pq.ParquetFile(f)
        meta = parquet.metadata
        _check_columns(list(parquet.schema_arrow.names))
        if meta.num_rows > limits.rows:
            raise _too_many_rows(limits)
        declared = sum(
            meta.row_group(g).column(c).total_uncompressed_size
            for g in range(meta.num_row_groups)
            for c in range(meta.num_columns)
        )
        if declared > limits.parquet_uncompressed_bytes:
            raise IntakeError(
                IntakeCode.FILE_TOO_LARGE,
                f"The Parquet file expands to {_size(declared)}; the limit is "
                f"{_size(limits.parquet_uncompressed_bytes)}.",
            )
        table = parquet.read(columns=["id", "prediction"])
    except (pyarrow.ArrowException, OSError, ValueError) as exc:
        raise IntakeError(
            IntakeCode.CORRUPT_FILE,
            f"The Parquet file cannot be read ({_describe(exc)}).",
        ) from None
    if table.num_rows > limits.rows:
        raise _too_many_rows(limits)
    ids: list[object] = table.column("id").to_pylist()
    values: list[object] = table.column("prediction").to_pylist()
    rows: list[tuple[str, object]] = []
    for raw_id, value in zip(ids, values, strict=True):
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            raise IntakeError(
                IntakeCode.CORRUPT_FILE,
                "The id column must hold text or whole numbers; found "
                f"{_show(raw_id)}.",
            )
        rows.append((str(raw_id), value))
    return rows


def _check_columns(columns: list[str]) -> None:
    if sorted(columns) != ["id", "prediction"]:
        found = ", ".join(_show(c) for c in columns[:10]) or "none"
        raise IntakeError(
            IntakeCode.WRONG_COLUMNS,
            "The file must have exactly two columns, id and prediction "
            f"(a header line for CSV); found: {found}.",
        )


def _too_many_rows(limits: PredictionFileLimits) -> IntakeError:
    return IntakeError(
        IntakeCode.TOO_MANY_ROWS, f"The file has more than {limits.rows:,} rows."
    )


def _check_ids(
    rows: list[tuple[str, object]], expected: list[str]
) -> dict[str, object]:
    counts = Counter(row_id for row_id, _ in rows)
    duplicates = [i for i, n in counts.items() if n > 1]
    if duplicates:
        raise IntakeError(
            IntakeCode.DUPLICATE_IDS,
            f"Ids that appear more than once ({len(duplicates):,}): "
            f"{_some(duplicates)}. Give each id exactly one row.",
        )
    wanted = set(expected)
    unexpected = [i for i in counts if i not in wanted]
    if unexpected:
        raise IntakeError(
            IntakeCode.UNEXPECTED_IDS,
            f"Ids that are not in the test set ({len(unexpected):,}): "
            f"{_some(unexpected)}.",
        )
    missing = [i for i in expected if i not in counts]
    if missing:
        raise IntakeError(
            IntakeCode.MISSING_IDS,
            f"{len(missing):,} of {len(expected):,} ids "
            f"{'has' if len(missing) == 1 else 'have'} no prediction, for "
            f"example {_some(missing)}.",
        )
    return dict(rows)


def _check_values(
    values: list[object], ids: list[str], kind: str, limits: PredictionFileLimits
) -> list[float] | list[str]:
    numbers: list[float] = []
    labels: list[str] = []
    for row_id, value in zip(ids, values, strict=True):
        where = f"The prediction for id {_show(row_id)}"
        if value is None or value == "":
            raise IntakeError(IntakeCode.MISSING_VALUE, f"{where} is empty.")
        if isinstance(value, str):
            if value.lower().lstrip("+-") in _NON_FINITE_WORDS:
                raise IntakeError(
                    IntakeCode.NOT_FINITE, f"{where} is {value}; use a finite number."
                )
            if _NUMBER_RE.fullmatch(value):
                numbers.append(_finite(float(value), where))
            elif kind == "classification":
                if len(value) > limits.label_chars:
                    raise IntakeError(
                        IntakeCode.BAD_LABEL,
                        f"{where} is a label of {len(value):,} characters; the "
                        f"limit is {limits.label_chars}.",
                    )
                labels.append(value)
            else:
                raise IntakeError(
                    IntakeCode.NOT_A_NUMBER,
                    f"{where} is {_show(value)}, not a number.",
                )
        elif isinstance(value, int | float) and not isinstance(value, bool):
            try:
                numbers.append(_finite(float(value), where))
            except OverflowError:
                raise IntakeError(
                    IntakeCode.NOT_FINITE, f"{where} is too large."
                ) from None
        else:
            raise IntakeError(
                IntakeCode.NOT_A_NUMBER, f"{where} is {_show(value)}, not a number."
            )
        if numbers and labels:
            raise IntakeError(
                IntakeCode.MIXED_VALUES,
                "The predictions mix numbers and labels; use one or the other.",
            )
    return labels if labels else numbers


def _finite(value: float, where: str) -> float:
    if not math.isfinite(value):
        raise IntakeError(
            IntakeCode.NOT_FINITE, f"{where} is {value}; use a finite number."
        )
    return value
