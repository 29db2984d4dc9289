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
   as a float64; labels are kept as Arrow text with their positions until
   the end.
3. The file's unexpected ids and repeated ids, kept only to name them in the
   error message.

A chunk is matched to the expected ids by position first (a file written in
the order of ``ids.csv`` costs one comparison per row), else through the
hash index; either way the match is confirmed on the text itself.

The errors, their order and their messages are those of the row-by-row
reader this replaced: columns, the row cap, the id column's type, then
duplicate, unexpected and missing ids, then the first bad value in expected
id order, or mixed numbers and labels where that comes first.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import numpy.typing as npt

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

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NON_FINITE_WORDS = {"nan", "inf", "infinity"}
# The same tests for ASCII text, run by Arrow on a whole chunk at once. A
# value with other characters goes through the Python tests above (``\d``
# matches any Unicode digit, which float() accepts).
_ASCII_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_ASCII_NON_FINITE = r"^[+-]*(?i:nan|inf|infinity)$"
# What str.strip() removes (every character whose isspace() is true), so
# that Arrow trims exactly as the csv reader's fields were trimmed before.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
    "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
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


DEFAULT_PREDICTION_LIMITS = PredictionFileLimits()

# The declared bound on a process's peak RSS while it checks and scores a
# prediction file for a suite of ``rows`` ids (docs/metrics.md, "Prediction
# files"), Django and the imports included; a test enforces it. Labels are
# held as fixed-width text, as the metrics take them, so they add bytes per
# character of the longest label.
MEMORY_BOUND_BASE = 350 * MIB
MEMORY_BOUND_PER_ROW = 100
# Truth and predictions (4 bytes a character each), and the copy of both
# that the classification metrics concatenate.
MEMORY_BOUND_PER_LABEL_CHAR = 16


def memory_bound(rows: int, *, label_chars: int = 0) -> int:
    """Bytes: the most a prediction file of ``rows`` rows may take."""
    per_row = MEMORY_BOUND_PER_ROW + MEMORY_BOUND_PER_LABEL_CHAR * label_chars
    return MEMORY_BOUND_BASE + per_row * rows


class ExpectedIds:
    """The ids a prediction file must cover, as text, in scoring order.

    Held as one Arrow string array. To find ids that come out of order, a
    sorted 64-bit hash of every id and the positions in that order are
    built on first need and kept (16 bytes an id); a match by hash is then
    confirmed on the text. Should two expected ids share a hash, the ids
    are sorted as text instead, and searched as text.
    """

    def __init__(self, ids: pa.Array) -> None:
        import pyarrow as pa

        if isinstance(ids, pa.ChunkedArray):
            # One chunk is used as it is: combining would copy it.
            array = ids.chunk(0) if ids.num_chunks == 1 else ids.combine_chunks()
        else:
            array = ids
        if not pa.types.is_string(array.type):
            array = array.cast(pa.string())
        self.array: pa.Array = array
        self._index: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]] | None = None
        self._sorted: pa.Array | None = None

    @classmethod
    def of(cls, ids: Sequence[str | int]) -> ExpectedIds:
        """Build from a short Python sequence; ids are compared as text."""
        import pyarrow as pa

        expected = cls(pa.array([str(i) for i in ids], type=pa.string()))
        if expected.has_duplicates():
            raise ValueError("expected_ids contains duplicates.")
        return expected

    def __len__(self) -> int:
        return len(self.array)

    def has_duplicates(self) -> bool:
        import pyarrow.compute as pc  # type: ignore[import-untyped]

        return bool(len(pc.unique(self.array)) != len(self.array))

    def find(
        self, ids: pa.Array
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Where each of ``ids`` is in scoring order, and whether it is there."""
        import pyarrow as pa
        import pyarrow.compute as pc

        size = len(self.array)
        if size == 0:
            return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=bool)
        if self._index is None:
            hashes = _hashes(self.array)
            order = np.argsort(hashes, kind="stable")
            ordered = hashes[order]
            del hashes
            if len(ordered) > 1 and bool(np.any(ordered[1:] == ordered[:-1])):
                text_order = pc.sort_indices(self.array)
                self._sorted = self.array.take(text_order)
                order = text_order.to_numpy().view(np.int64)
            self._index = (ordered, order)
        ordered, order = self._index
        if self._sorted is not None:
            at = pc.search_sorted(self._sorted, ids).to_numpy().astype(np.int64)
        else:
            # Sorted keys make the search walk the table forward (numpy
            # starts from the previous key's place): several times faster.
            needles = _hashes(ids)
            by_hash = np.argsort(needles)
            at = np.empty(len(needles), dtype=np.int64)
            at[by_hash] = np.searchsorted(ordered, needles[by_hash])
        inside = at < size
        at[~inside] = 0
        positions = order[at]
        same = pc.equal(self.array.take(pa.array(positions)), ids)
        found = inside & np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)
        return positions, found

    def text(self, positions: Sequence[int] | npt.NDArray[np.int64]) -> list[str]:
        """The ids at ``positions`` as Python strings (for messages)."""
        import pyarrow as pa

        taken = self.array.take(pa.array(np.asarray(positions, dtype=np.int64)))
        return [str(v) for v in taken.to_pylist()]


_HASH_MULTIPLIER = np.uint64(0x100000001B3)  # FNV-1a's prime
_HASH_SEED = np.uint64(0xCBF29CE484222325)  # FNV-1a's offset basis


def _hashes(ids: pa.Array) -> npt.NDArray[np.uint64]:
    """FNV-1a of each id's UTF-8 bytes, computed a byte position at a time.

    Ids are visited longest first, so position k only touches the ids that
    have a byte there: the work is the total number of bytes, whatever
    the lengths.
    """
    import pyarrow as pa

    if not pa.types.is_string(ids.type):
        ids = ids.cast(pa.string())
    count = len(ids)
    _validity, offsets_buffer, data_buffer = ids.buffers()
    # A slice shares its parent's buffers: its offsets start at ids.offset.
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        ids.offset : ids.offset + count + 1
    ]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, dtype=np.uint8)
    )
    starts = offsets[:-1].astype(np.int64)
    lengths = (offsets[1:] - offsets[:-1]).astype(np.int64)
    if count and int(lengths.min()) == int(lengths.max()):
        return _hashes_of_width(data[offsets[0] : offsets[-1]], count, int(lengths[0]))
    # Radix sort (numpy's stable sort of 16-bit keys) when lengths allow.
    key = -lengths
    if count and int(lengths.max()) < 2**15:
        key = key.astype(np.int16)
    order = np.argsort(key, kind="stable")
    del key
    longest_first = lengths[order]
    at = starts[order]
    hashes = np.full(count, _HASH_SEED, dtype=np.uint64)
    longest = int(longest_first[0]) if count else 0
    negated = -longest_first  # ascending, for searchsorted
    with np.errstate(over="ignore"):
        for k in range(longest):
            # The ids with more than k bytes come first.
            reach = int(np.searchsorted(negated, -k, side="left"))
            part = hashes[:reach]
            part ^= data[at[:reach] + k]
            part *= _HASH_MULTIPLIER
        hashes ^= longest_first.astype(np.uint64)
    result = np.empty(count, dtype=np.uint64)
    result[order] = hashes
    return result


def _hashes_of_width(
    data: npt.NDArray[np.uint8], count: int, width: int
) -> npt.NDArray[np.uint64]:
    """``_hashes`` of ``count`` ids of ``width`` bytes each, back to back."""
    table = data.reshape(count, width) if width else data.reshape(count, 0)
    hashes = np.full(count, _HASH_SEED, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(width):
            hashes ^= table[:, k]
            hashes *= _HASH_MULTIPLIER
        hashes ^= np.uint64(width)
    return hashes


@dataclass
class PredictionValues:
    """A checked file's values in expected id order.

    ``numbers`` is float64; or, for labels, ``labels`` is a fixed-width
    text array (what the metrics take; 4 bytes per character of the
    longest label, per row).
    """

    numbers: npt.NDArray[np.float64] | None = None
    labels: npt.NDArray[np.str_] | None = None
    file_format: str = "csv"

    @property
    def values(self) -> npt.NDArray[Any]:
        array = self.labels if self.labels is not None else self.numbers
        if array is None:
            raise RuntimeError("PredictionValues holds neither numbers nor labels.")
        return array

    @property
    def are_labels(self) -> bool:
        return self.labels is not None

    def __len__(self) -> int:
        return len(self.values)


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
    import pyarrow.compute as pc
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


@dataclass(order=True)
class _BadValue:
    """The first bad value, by position in expected id order."""

    position: int
    code: str = field(compare=False)
    message: str = field(compare=False)


class _Matcher:
    """Match chunks of (id, value) to the expected ids; see the module's
    docstring for what it keeps."""

    def __init__(
        self, expected: ExpectedIds, kind: str, limits: PredictionFileLimits
    ) -> None:
        self.expected = expected
        self.kind = kind
        self.limits = limits
        size = len(expected)
        # The file row (counted from 1) that gave each expected id; 0: none.
        self.row_of = np.zeros(size, dtype=np.int64)
        self.numbers = np.zeros(size, dtype=np.float64)
        self.rows = 0
        self.in_order = True
        self.repeated: list[npt.NDArray[np.int64]] = []
        self.unexpected_ids: list[pa.Array] = []
        self.unexpected_rows: list[npt.NDArray[np.int64]] = []
        self.label_chunks: list[pa.Array] = []
        self.label_positions: list[npt.NDArray[np.int64]] = []
        self.first_number = size
        self.first_label = size
        self.first_error: _BadValue | None = None

    # -- ids --

    def add(self, ids: pa.Array, values: pa.Array, *, stripped: bool) -> None:
        """Take one chunk; ``stripped`` says the CSV fields are trimmed."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not stripped:
            ids = pc.utf8_trim(ids, characters=_WHITESPACE)
        rows = np.arange(self.rows + 1, self.rows + 1 + len(ids), dtype=np.int64)
        self.rows += len(ids)
        positions, found = self._positions(ids, int(rows[0]) - 1 if len(ids) else 0)
        if not found.all():
            missing = ~found
            self.unexpected_ids.append(ids.filter(pa.array(missing)))
            self.unexpected_rows.append(rows[missing])
            positions, rows = positions[found], rows[found]
            values = values.filter(pa.array(found))
        before = self.row_of[positions]
        self.row_of[positions] = rows
        # An id given twice in the chunk keeps only its last row: no sort
        # needed to see that every id of the chunk is new and single.
        if before.any() or not np.array_equal(self.row_of[positions], rows):
            self.row_of[positions] = before
            seen = before != 0
            # Only the first row of an id counts as its row; the others
            # are repeats.
            order = np.argsort(positions, kind="stable")
            ordered = positions[order]
            first = np.ones(len(positions), dtype=bool)
            first[order[1:]] = ordered[1:] != ordered[:-1]
            first &= ~seen
            self.repeated.append(positions[~first])
            self.row_of[positions[first]] = rows[first]
        self._values(positions, values, stripped=stripped)

    def _positions(
        self, ids: pa.Array, offset: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        """Where each id is in the expected order, and whether it is there."""
        import pyarrow.compute as pc

        count = len(ids)
        size = len(self.expected)
        if self.in_order and offset + count <= size:
            window = self.expected.array.slice(offset, count)
            if pc.all(pc.equal(ids, window)).as_py() in (True, None):
                return (
                    np.arange(offset, offset + count, dtype=np.int64),
                    np.ones(count, dtype=bool),
                )
        self.in_order = False
        return self.expected.find(ids)

    # -- values --

    def _values(
        self, positions: npt.NDArray[np.int64], values: pa.Array, *, stripped: bool
    ) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(values):
            return
        kind = values.type
        if pa.types.is_string(kind):
            if not stripped:
                values = pc.utf8_trim(values, characters=_WHITESPACE)
            self._text_values(positions, values)
        elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
            nulls = values.is_null().to_numpy(zero_copy_only=False)
            self._error_at(positions, nulls, IntakeCode.MISSING_VALUE, "is empty.")
            # Unsafe: a large integer becomes the nearest float, as float()
            # made it before.
            numbers = values.cast(pa.float64(), safe=False).to_numpy(
                zero_copy_only=False
            )
            self._store_numbers(positions[~nulls], numbers[~nulls])
        else:
            # Booleans, dates, decimals...: each non-empty one is not a
            # number; the message shows the first in expected order.
            nulls = values.is_null().to_numpy(zero_copy_only=False)
            self._error_at(positions, nulls, IntakeCode.MISSING_VALUE, "is empty.")
            if (~nulls).any():
                first = int(np.argmin(np.where(nulls, len(self.expected), positions)))
                shown = _show(values[first].as_py())
                self._error_at(
                    positions,
                    ~nulls,
                    IntakeCode.NOT_A_NUMBER,
                    f"is {shown}, not a number.",
                )

    def _store_numbers(
        self, positions: npt.NDArray[np.int64], numbers: npt.NDArray[np.float64]
    ) -> None:
        if not len(positions):
            return
        finite = np.isfinite(numbers)
        if not finite.all():
            bad = ~finite
            first = int(np.argmin(np.where(bad, positions, len(self.expected))))
            self._error_at(
                positions[first : first + 1],
                np.ones(1, dtype=bool),
                IntakeCode.NOT_FINITE,
                f"is {float(numbers[first])}; use a finite number.",
            )
        self.numbers[positions] = numbers
        if finite.any():
            valid = int(positions[finite].min())
            self.first_number = min(self.first_number, valid)

    def _text_values(self, positions: npt.NDArray[np.int64], values: pa.Array) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        def mask(array: pa.Array) -> npt.NDArray[np.bool_]:
            filled = pc.fill_null(array, False)
            return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)

        # A Parquet text column may hold nulls; CSV fields never do.
        empty = mask(pc.equal(pc.binary_length(values), 0)) | mask(values.is_null())
        self._error_at(positions, empty, IntakeCode.MISSING_VALUE, "is empty.")
        ascii_text = mask(pc.string_is_ascii(values))
        words = mask(pc.match_substring_regex(values, _ASCII_NON_FINITE)) & ascii_text
        if words.any():
            self._first_text_error(
                positions,
                values,
                words,
                IntakeCode.NOT_FINITE,
                "is {value}; use a finite number.",
            )
        number = mask(pc.match_substring_regex(values, _ASCII_NUMBER)) & ascii_text
        if number.any():
            self._store_numbers(
                positions[number],
                values.filter(pa.array(number))
                .cast(pa.float64())
                .to_numpy(zero_copy_only=False),
            )
        other = ~(empty | words | number)
        unicode_other = other & ~ascii_text
        if unicode_other.any():
            self._python_values(
                positions[unicode_other], values.filter(pa.array(unicode_other))
            )
        text = other & ascii_text
        if text.any():
            if self.kind == "classification":
                self._store_labels(positions[text], values.filter(pa.array(text)))
            else:
                self._first_text_error(
                    positions,
                    values,
                    text,
                    IntakeCode.NOT_A_NUMBER,
                    "is {shown}, not a number.",
                )

    def _store_labels(self, positions: npt.NDArray[np.int64], labels: pa.Array) -> None:
        import pyarrow.compute as pc

        lengths = pc.utf8_length(labels).to_numpy(zero_copy_only=False)
        long = lengths > self.limits.label_chars
        if long.any():
            first = int(np.argmin(np.where(long, positions, len(self.expected))))
            self._error_at(
                positions[first : first + 1],
                np.ones(1, dtype=bool),
                IntakeCode.BAD_LABEL,
                f"is a label of {int(lengths[first]):,} characters; the "
                f"limit is {self.limits.label_chars}.",
            )
        self.label_chunks.append(labels)
        self.label_positions.append(positions)
        if not long.all():
            valid = int(positions[~long].min())
            self.first_label = min(self.first_label, valid)

    def _python_values(
        self, positions: npt.NDArray[np.int64], values: pa.Array
    ) -> None:
        """Values with non-ASCII text: the tests of before, one by one."""
        import pyarrow as pa

        numbers: list[tuple[int, float]] = []
        labels: list[tuple[int, str]] = []
        for position, value in zip(positions.tolist(), values.to_pylist(), strict=True):
            if value.lower().lstrip("+-") in _NON_FINITE_WORDS:
                self._error_one(
                    position, IntakeCode.NOT_FINITE, f"is {value}; use a finite number."
                )
            elif _NUMBER_RE.fullmatch(value):
                numbers.append((position, float(value)))
            elif self.kind == "classification":
                labels.append((position, value))
            else:
                self._error_one(
                    position,
                    IntakeCode.NOT_A_NUMBER,
                    f"is {_show(value)}, not a number.",
                )
        if numbers:
            self._store_numbers(
                np.array([p for p, _ in numbers], dtype=np.int64),
                np.array([v for _, v in numbers], dtype=np.float64),
            )
        if labels:
            self._store_labels(
                np.array([p for p, _ in labels], dtype=np.int64),
                pa.array([v for _, v in labels], pa.string()),
            )

    def _first_text_error(
        self,
        positions: npt.NDArray[np.int64],
        values: pa.Array,
        bad: npt.NDArray[np.bool_],
        code: str,
        template: str,
    ) -> None:
        first = int(np.argmin(np.where(bad, positions, len(self.expected))))
        value = str(values[first].as_py())
        self._error_one(
            int(positions[first]),
            code,
            template.format(value=value, shown=_show(value)),
        )

    def _error_at(
        self,
        positions: npt.NDArray[np.int64],
        bad: npt.NDArray[np.bool_],
        code: str,
        tail: str,
    ) -> None:
        if bad.any():
            self._error_one(int(positions[bad].min()), code, tail)

    def _error_one(self, position: int, code: str, tail: str) -> None:
        if self.first_error is None or position < self.first_error.position:
            self.first_error = _BadValue(position, code, tail)

    # -- the verdict --

    def finish(self) -> PredictionValues:
        """Raise the file's first problem, or return its values."""
        self._check_repeated()
        self._check_unexpected()
        self._check_missing()
        size = len(self.expected)
        mixed_at = max(self.first_number, self.first_label)
        error = self.first_error
        if error is not None and (error.position < mixed_at or mixed_at == size):
            where = f"The prediction for id {_show(self.expected.text([error.position])[0])}"
            raise IntakeError(error.code, f"{where} {error.message}")
        if mixed_at < size:
            raise IntakeError(
                IntakeCode.MIXED_VALUES,
                "The predictions mix numbers and labels; use one or the other.",
            )
        if self.label_chunks:
            return PredictionValues(labels=self._labels())
        return PredictionValues(numbers=self.numbers)

    def _check_repeated(self) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        # (first row, id) of every id given more than once, in file order.
        found: list[tuple[int, str]] = []
        if self.repeated:
            repeated = np.unique(np.concatenate(self.repeated))
            rows = self.row_of[repeated]
            found.extend(zip(rows.tolist(), self.expected.text(repeated), strict=True))
        if self.unexpected_ids:
            ids = pa.concat_arrays(self.unexpected_ids)
            rows = np.concatenate(self.unexpected_rows)
            counted = pc.value_counts(ids)
            twice = counted.field("values").filter(
                pc.greater(counted.field("counts"), 1)
            )
            if len(twice):
                code = pc.index_in(ids, value_set=twice)
                hit = code.is_valid().to_numpy(zero_copy_only=False)
                codes = code.drop_null().to_numpy().astype(np.int64)
                first = np.full(len(twice), np.iinfo(np.int64).max, dtype=np.int64)
                np.minimum.at(first, codes, rows[hit])
                found.extend(zip(first.tolist(), twice.to_pylist(), strict=True))
        if found:
            found.sort()
            shown = [row_id for _, row_id in found[:5]]
            raise IntakeError(
                IntakeCode.DUPLICATE_IDS,
                f"Ids that appear more than once ({len(found):,}): "
                f"{_some(shown, len(found))}. Give each id exactly one row.",
            )

    def _check_unexpected(self) -> None:
        import pyarrow as pa

        if self.unexpected_ids:
            ids = pa.concat_arrays(self.unexpected_ids)
            total = len(ids)
            shown = [str(v) for v in ids.slice(0, 5).to_pylist()]
            raise IntakeError(
                IntakeCode.UNEXPECTED_IDS,
                f"Ids that are not in the test set ({total:,}): {_some(shown, total)}.",
            )

    def _check_missing(self) -> None:
        missing = np.flatnonzero(self.row_of == 0)
        if len(missing):
            size = len(self.expected)
            shown = self.expected.text(missing[:5])
            raise IntakeError(
                IntakeCode.MISSING_IDS,
                f"{len(missing):,} of {size:,} ids "
                f"{'has' if len(missing) == 1 else 'have'} no prediction, for "
                f"example {_some(shown, len(missing))}.",
            )

    def _labels(self) -> npt.NDArray[np.str_]:
        """The labels in expected order, built from their distinct values."""
        import pyarrow as pa

        positions = np.concatenate(self.label_positions)
        labels = pa.concat_arrays(self.label_chunks)
        self.label_chunks = []
        aligned = labels.take(pa.array(np.argsort(positions, kind="stable")))
        encoded = aligned.dictionary_encode()
        names = np.array(encoded.dictionary.to_pylist(), dtype=np.str_)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        result: npt.NDArray[np.str_] = names[codes]
        return result
