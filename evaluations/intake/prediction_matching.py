"""Matching a prediction file's chunks to the expected ids, and checking
their values (used by ``prediction_files``, which reads the chunks).

``ExpectedIds`` holds the ids a file must cover; ``_Matcher`` takes the
chunks one by one and keeps, per expected id, the file row that gave it
and its value; ``_Matcher.finish`` raises the file's first problem, in the
order of the row-by-row reader this replaced, or returns the values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from evaluations.coded_labels import CodedLabels
from evaluations.intake._common import _show, _some
from evaluations.intake.errors import IntakeCode, IntakeError

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no stubs

    from evaluations.intake.prediction_files import PredictionFileLimits

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

    ``numbers`` is float64; or, for labels, ``labels`` holds an int32
    code a row and the distinct labels (4 bytes a row, whatever the
    labels' length).
    """

    numbers: npt.NDArray[np.float64] | None = None
    labels: CodedLabels | None = None
    file_format: str = "csv"

    @property
    def values(self) -> npt.NDArray[Any] | CodedLabels:
        array = self.labels if self.labels is not None else self.numbers
        if array is None:
            raise RuntimeError("PredictionValues holds neither numbers nor labels.")
        return array

    @property
    def are_labels(self) -> bool:
        return self.labels is not None

    def __len__(self) -> int:
        return len(self.values)


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
        # Labels as codes into label_names, filled as numbers are; the
        # codes are allocated with the first label.
        self.label_codes: npt.NDArray[np.int32] | None = None
        self.label_names: list[str] = []
        self.label_code_of: dict[str, int] = {}
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
        import pyarrow as pa
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
        if long.all():
            return
        if long.any():
            # Refused already (an error is kept): not worth a code.
            positions = positions[~long]
            labels = labels.filter(pa.array(~long))
        self.first_label = min(self.first_label, int(positions.min()))
        self._encode_labels(positions, labels)

    def _encode_labels(
        self, positions: npt.NDArray[np.int64], labels: pa.Array
    ) -> None:
        """Store the chunk's labels as codes of the file's dictionary."""
        encoded = labels.dictionary_encode()
        table = np.empty(len(encoded.dictionary), dtype=np.int32)
        for at, name in enumerate(encoded.dictionary.to_pylist()):
            code = self.label_code_of.get(name)
            if code is None:
                code = len(self.label_names)
                if code == self.limits.distinct_labels:
                    raise IntakeError(
                        IntakeCode.TOO_MANY_LABELS,
                        f"The predictions have more than "
                        f"{self.limits.distinct_labels:,} distinct labels.",
                    )
                self.label_code_of[name] = code
                self.label_names.append(name)
            table[at] = code
        if self.label_codes is None:
            self.label_codes = np.zeros(len(self.expected), dtype=np.int32)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        self.label_codes[positions] = table[indices]

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
        if self.label_codes is not None:
            self.numbers = np.zeros(0, dtype=np.float64)
            return PredictionValues(
                labels=CodedLabels(self.label_codes, tuple(self.label_names))
            )
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
