"""Prediction files: CSV or Parquet with an ``id`` and a ``prediction``.

A file is read in bounded chunks (CSV blocks, Parquet batches), never as a
whole, and checked chunk by chunk into numpy arrays aligned to the expected
ids: no Python object per row. What stays in memory is linear in the number
of expected ids and small per row (docs/metrics.md, "Prediction files:
memory", states the bound and a test enforces it):

1. The expected ids, as one Arrow string array in scoring order, and, only
   when the file's rows are not in that order, a sorted 64-bit hash of each
   with its position (``ExpectedIds``).
2. Per expected id: the file row that gave it (0 while unseen) and its value
   as a float64, or, for labels, an int32 code into the file's dictionary
   of distinct labels (``CodedLabels``; at most ``distinct_labels``).
3. The file's unexpected ids and repeated ids, kept only to name them in the
   error message.

A chunk is matched to the expected ids by position first (a file written in
the order of ``ids.csv`` costs one comparison per row), else through the
hash index; either way the match is confirmed on the text itself. The
matching and the checks of values are in ``prediction_matching``; this
module reads the files.

The errors, their order and their messages are those of the row-by-row
reader this replaced: columns, the row cap, the id column's type, then
duplicate, unexpected and missing ids, then the first bad value in expected
id order, or mixed numbers and labels where that comes first.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from evaluations.intake._common import (
    MIB,
    _describe,
    _open_upload,
    _show,
    _size,
)
from evaluations.intake.errors import IntakeCode, IntakeError
from evaluations.intake.manifest import TASK_KINDS
from evaluations.intake.prediction_matching import (
    ExpectedIds,
    PredictionValues,
    _Matcher,
)

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

# The csv module refuses longer fields; the Arrow reader hands such a file
# to it so that the message stays the same.
_CSV_FIELD_LIMIT = csv.field_size_limit()
_CSV_BLOCK_BYTES = 4 * MIB
_PYTHON_CHUNK_ROWS = 65_536
_PARQUET_BATCH_ROWS = 262_144


@dataclass(frozen=True)
class PredictionFileLimits:
    # Sized for 10 million rows of CSV (about 35 bytes a row).
    file_bytes: int = 512 * MIB
    rows: int = 10_000_000
    # Parquet pages are decompressed in memory; their declared total is
    # checked before reading.
    parquet_uncompressed_bytes: int = 1024 * MIB
    label_chars: int = 100
    # Labels are held as codes into a dictionary of the distinct ones,
    # which this keeps small.
    distinct_labels: int = 10_000


DEFAULT_PREDICTION_LIMITS = PredictionFileLimits()

# The declared bound on a process's peak RSS while it checks and scores a
# prediction file for a suite of ``rows`` ids (docs/metrics.md, "Prediction
# files"), Django and the imports included; a test enforces it. Labels are
# held as int32 codes into a dictionary of at most ``distinct_labels``
# names (``CodedLabels``), so their length does not count per row.
MEMORY_BOUND_BASE = 350 * MIB
MEMORY_BOUND_PER_ROW = 100


def memory_bound(rows: int) -> int:
    """Bytes: the most a prediction file of ``rows`` rows may take."""
    return MEMORY_BOUND_BASE + MEMORY_BOUND_PER_ROW * rows


def inspect_prediction_file(
    path: Path,
    *,
    expected_ids: Sequence[str | int],
    kind: str,
    limits: PredictionFileLimits = DEFAULT_PREDICTION_LIMITS,
) -> list[float] | list[str]:
    """Check a CSV or Parquet prediction file; return values in id order.

    A convenience over ``read_prediction_file`` for short id lists: the
    values come back as a Python list.
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"Unknown task kind {kind!r}.")
    result = read_prediction_file(
        path, expected=ExpectedIds.of(expected_ids), kind=kind, limits=limits
    )
    values: list[float] | list[str] = result.values.tolist()
    return values


def read_prediction_file(
    path: Path,
    *,
    expected: ExpectedIds,
    kind: str,
    limits: PredictionFileLimits = DEFAULT_PREDICTION_LIMITS,
) -> PredictionValues:
    """Check a CSV or Parquet prediction file; return its values as arrays.

    The file has exactly the columns ``id`` and ``prediction``. Every
    expected id appears exactly once and no other id appears. Values are
    finite numbers; for classification they may instead all be labels
    (text up to ``limits.label_chars`` characters). Ids are compared as
    text, so ``7`` and ``"7"`` are the same id.
    """
    if kind not in TASK_KINDS:
        raise ValueError(f"Unknown task kind {kind!r}.")
    upload = _open_upload(Path(path), limits.file_bytes, IntakeCode.FILE_TOO_LARGE)
    with upload as (f, size):
        if size == 0:
            raise IntakeError(IntakeCode.CORRUPT_FILE, "The file is empty.")
        head = f.read(4)
        f.seek(0)
        if head == b"PAR1":
            matcher = _Matcher(expected, kind, limits)
            _read_parquet(f, matcher, limits)
            file_format = "parquet"
        elif head[:2] in (b"PK", b"\x1f\x8b"):
            raise IntakeError(
                IntakeCode.UNKNOWN_FORMAT,
                "Compressed files are not accepted; upload a plain CSV or a "
                "Parquet file.",
            )
        else:
            matcher = _read_csv(f, expected, kind, limits)
            file_format = "csv"
    result = matcher.finish()
    result.file_format = file_format
    return result


# -- Reading CSV --------------------------------------------------------------------


class _NeedsPythonReader(Exception):
    """The Arrow reader met something the csv module must judge."""


def _read_csv(
    f: BinaryIO, expected: ExpectedIds, kind: str, limits: PredictionFileLimits
) -> _Matcher:
    """Read with Arrow's streaming reader; anything it cannot read, or might
    read differently, goes again through the csv module, which gives the
    messages of before (line numbers, byte offsets).

    1. The header line is parsed by the csv module (quotes allowed there).
    2. If no quote follows the header, Arrow reads the rest without quoting
       (no quote, so no quoting rule can differ); otherwise, or if Arrow
       fails, the csv module reads the whole file.
    3. A refusal found before the end (columns, the row cap) waits for the
       UTF-8 check of the whole file, which came first before.
    """
    import pyarrow as pa

    try:
        matcher = _Matcher(expected, kind, limits)
        for ids, values in _arrow_csv_chunks(f, limits):
            matcher.add(ids, values, stripped=False)
        return matcher
    except (_NeedsPythonReader, pa.ArrowException):
        pass
    except IntakeError:
        f.seek(0)
        _check_utf8(f)
        raise
    del matcher
    f.seek(0)
    _check_utf8(f)
    f.seek(0)
    matcher = _Matcher(expected, kind, limits)
    for ids, values in _python_csv_chunks(f, limits):
        matcher.add(ids, values, stripped=True)
    return matcher


def _csv_header(f: BinaryIO) -> tuple[list[str], int]:
    """The header's fields and where the data starts, or _NeedsPythonReader."""
    head = f.read(64 * 1024)
    start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    ends = [i for i in (head.find(b"\n", start), head.find(b"\r", start)) if i >= 0]
    if not ends:
        raise _NeedsPythonReader  # one line, or a very long header
    end = min(ends)
    try:
        line = head[start:end].decode("utf-8")
        rows = list(csv.reader([line], strict=True))
    except (UnicodeDecodeError, csv.Error):
        raise _NeedsPythonReader from None
    if len(rows) != 1 or len(rows[0]) != 2:
        raise _NeedsPythonReader
    return rows[0], end


def _has_quote(f: BinaryIO, start: int) -> bool:
    f.seek(start)
    return any(b'"' in chunk for chunk in iter(lambda: f.read(_CSV_BLOCK_BYTES), b""))


def _arrow_csv_chunks(
    f: BinaryIO, limits: PredictionFileLimits
) -> Iterator[tuple[pa.Array, pa.Array]]:
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]
    import pyarrow.csv as pcsv  # type: ignore[import-untyped]

    header, data_start = _csv_header(f)
    if _has_quote(f, data_start):
        raise _NeedsPythonReader
    columns = [c.strip() for c in header]
    _check_columns(columns)
    id_at = columns.index("id")
    f.seek(data_start)
    reader = pcsv.open_csv(
        f,
        read_options=pcsv.ReadOptions(
            column_names=["c0", "c1"], block_size=_CSV_BLOCK_BYTES, use_threads=False
        ),
        parse_options=pcsv.ParseOptions(quote_char=False, newlines_in_values=False),
        convert_options=pcsv.ConvertOptions(
            column_types={"c0": pa.string(), "c1": pa.string()},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    rows = 0
    for batch in reader:
        first, second = batch.column(0), batch.column(1)
        for column in (first, second):
            if (
                len(column)
                and pc.max(pc.binary_length(column)).as_py() > _CSV_FIELD_LIMIT
            ):
                raise _NeedsPythonReader
        rows += len(first)
        if rows > limits.rows:
            raise _too_many_rows(limits)
        yield (first, second) if id_at == 0 else (second, first)


def _check_utf8(f: BinaryIO) -> None:
    """Refuse a file that is not UTF-8, naming the first bad byte."""
    if f.read(3) != codecs.BOM_UTF8:
        f.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # bytes decoded before the current chunk, after the BOM
    for chunk in iter(lambda: f.read(_CSV_BLOCK_BYTES), b""):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise _bad_encoding(offset - pending + exc.start) from None
        offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _bad_encoding(offset - len(exc.object) + exc.start) from None


def _bad_encoding(at: int) -> IntakeError:
    return IntakeError(
        IntakeCode.BAD_ENCODING,
        f"The CSV file is not UTF-8 text (byte {at:,}). Save it as UTF-8.",
    )


def _python_csv_chunks(
    f: BinaryIO, limits: PredictionFileLimits
) -> Iterator[tuple[pa.Array, pa.Array]]:
    import pyarrow as pa

    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    ids: list[str] = []
    values: list[str] = []
    rows = 0
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
            if rows >= limits.rows:
                raise _too_many_rows(limits)
            rows += 1
            ids.append(fields[id_at].strip())
            values.append(fields[1 - id_at].strip())
            if len(ids) == _PYTHON_CHUNK_ROWS:
                yield pa.array(ids, pa.string()), pa.array(values, pa.string())
                ids, values = [], []
    except csv.Error as exc:
        raise IntakeError(
            IntakeCode.CORRUPT_FILE,
            f"The CSV file cannot be parsed at line {reader.line_num}: {exc}.",
        ) from None
    finally:
        text.detach()
    if ids:
        yield pa.array(ids, pa.string()), pa.array(values, pa.string())


# -- Reading Parquet ------------------------------------------------------------------


def _read_parquet(f: BinaryIO, matcher: _Matcher, limits: PredictionFileLimits) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        parquet = pq.ParquetFile(f, buffer_size=MIB, pre_buffer=False)
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
        rows = 0
        batches = parquet.iter_batches(
            batch_size=_PARQUET_BATCH_ROWS, columns=["id", "prediction"]
        )
        for batch in batches:
            rows += batch.num_rows
            if rows > limits.rows:
                raise _too_many_rows(limits)
            ids = _parquet_ids(batch.column(0))
            matcher.add(ids, _plain(batch.column(1)), stripped=True)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise IntakeError(
            IntakeCode.CORRUPT_FILE,
            f"The Parquet file cannot be read ({_describe(exc)}).",
        ) from None


def _plain(column: pa.Array) -> pa.Array:
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if pa.types.is_large_string(column.type) or pa.types.is_string_view(column.type):
        column = column.cast(pa.string())
    return column


def _parquet_ids(column: pa.Array) -> pa.Array:
    """The id column as text; text or whole numbers only, none missing."""
    import pyarrow as pa

    column = _plain(column)
    is_text = pa.types.is_string(column.type)
    if (is_text or pa.types.is_integer(column.type)) and column.null_count == 0:
        return column if is_text else column.cast(pa.string())
    if is_text or pa.types.is_integer(column.type):
        bad = column.is_null().to_numpy(zero_copy_only=False).argmax()
    else:
        bad = 0
    raise IntakeError(
        IntakeCode.CORRUPT_FILE,
        "The id column must hold text or whole numbers; found "
        f"{_show(column[int(bad)].as_py())}.",
    )


# -- Checks ---------------------------------------------------------------------------


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
