"""Helpers shared by the intake modules: sizes, opening uploads, messages."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from evaluations.intake.errors import IntakeCode, IntakeError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

_SHOW_AT_MOST = 5


@contextlib.contextmanager
def _open_upload(
    path: Path, cap: int, code: IntakeCode
) -> Iterator[tuple[BinaryIO, int]]:
    """Open a host file for reading; refuse anything but a regular file."""
    try:
        # O_NONBLOCK: a FIFO planted at the path must not hang the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise IntakeError(
            IntakeCode.UNREADABLE, f"The upload cannot be read ({exc.strerror})."
        ) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IntakeError(IntakeCode.UNREADABLE, "The upload is not a file.")
        if info.st_size > cap:
            raise IntakeError(
                code,
                f"The upload is {_size(info.st_size)}; the limit is {_size(cap)}.",
            )
        yield f, info.st_size


# -- Messages -----------------------------------------------------------------


def _show(value: object, limit: int = 120) -> str:
    """Quote a vendor-supplied value for a message, shortened and escaped."""
    if isinstance(value, bytes):
        text = repr(value)
    elif isinstance(value, str):
        text = repr(value.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _some(items: list[str], total: int | None = None) -> str:
    """The first few of ``items``; ``total`` counts them when only the
    first few are passed."""
    shown = ", ".join(_show(i, 40) for i in items[:_SHOW_AT_MOST])
    more = (len(items) if total is None else total) - _SHOW_AT_MOST
    return f"{shown} and {more:,} more" if more > 0 else shown


def _describe(exc: object) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _size(n: int) -> str:
    if n < KIB:
        return f"{n} bytes"
    for unit, scale in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= scale:
            value = n / scale
            return (
                f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
            )
    return f"{n} bytes"  # pragma: no cover
