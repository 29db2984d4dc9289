"""Text labels held as small integer codes.

A classification file or truth column of n text labels costs 4 bytes a row
as codes, whatever the length of the labels; as a fixed-width numpy text
array it would cost 4 bytes per character of the longest label, per row.
``names`` is the dictionary (code -> label); it is small, since the number
of distinct labels is capped (``PredictionFileLimits.distinct_labels``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class CodedLabels:
    """Labels as ``codes`` (int32, one a row) into ``names``."""

    codes: npt.NDArray[np.int32]
    names: tuple[str, ...]

    @classmethod
    def from_arrow(cls, array: Any) -> CodedLabels:
        """Encode an Arrow text array (no nulls) without a row of text."""
        encoded = array.dictionary_encode()
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
        return cls(
            codes.astype(np.int32, copy=False),
            tuple(str(name) for name in encoded.dictionary.to_pylist()),
        )

    @classmethod
    def from_text(cls, array: npt.NDArray[Any]) -> CodedLabels:
        """Encode a numpy text array; the names come out sorted."""
        names, inverse = np.unique(array, return_inverse=True)
        return cls(
            inverse.astype(np.int32, copy=False).reshape(-1),
            tuple(str(name) for name in names.tolist()),
        )

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, index: slice) -> CodedLabels:
        return CodedLabels(self.codes[index], self.names)

    @property
    def size(self) -> int:
        return len(self.codes)

    def tolist(self) -> list[str]:
        names = self.names
        return [names[code] for code in self.codes.tolist()]

    def present(self) -> list[str]:
        """The names that occur, in the dictionary's order."""
        counts = np.bincount(self.codes, minlength=len(self.names))
        return [self.names[code] for code in np.flatnonzero(counts).tolist()]

    def recoded(self, names: Sequence[str]) -> npt.NDArray[np.int32]:
        """The codes under ``names``, which holds every name that occurs."""
        where = {name: code for code, name in enumerate(names)}
        table = np.array([where.get(name, -1) for name in self.names], dtype=np.int32)
        result: npt.NDArray[np.int32] = table[self.codes]
        return result

    def decode(self) -> npt.NDArray[np.str_]:
        """A fixed-width text array (4 bytes a character of the longest
        name, per row): only for the rare callers that need the text."""
        names = np.array(self.names or ("",), dtype=np.str_)
        result: npt.NDArray[np.str_] = names[self.codes]
        return result
