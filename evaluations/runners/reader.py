"""Read a sandbox's output files without trusting them.

The output folder is written by the untrusted program, so every file in it
may be a symbolic link to a host secret (the Judge0 class of bug), a FIFO
that blocks a naive reader forever, a hard link to something else, or far
larger than promised. The reader therefore:

1. opens the folder itself with ``O_DIRECTORY|O_NOFOLLOW``;
2. opens only the names it was asked for, relative to that folder, with
   ``O_NOFOLLOW|O_NONBLOCK`` (a link fails with ``ELOOP``; a FIFO opens at
   once instead of waiting for a writer);
3. requires ``S_ISREG`` and ``st_nlink == 1`` from ``fstat`` of the open
   descriptor, so what is checked is what is read;
4. refuses a file above the byte cap and reads at most the cap, even if the
   file grows while it is read.

Nothing else in the folder is listed, opened or parsed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_NAME_MAX = 255
_CHUNK = 1024 * 1024


@dataclass
class OutputRead:
    """The files that were safely read, and why the others were not."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def output_name_problem(name: str) -> str | None:
    """Return why ``name`` is not a plain file name, or None if it is."""
    if not name:
        return "an output name is empty"
    if name in {".", ".."} or "/" in name or "\0" in name:
        return f"output name {name!r} is not a plain file name"
    if len(os.fsencode(name)) > _NAME_MAX:
        return f"output name {name[:40]!r}... is longer than {_NAME_MAX} bytes"
    return None


def read_outputs(
    directory: Path, names: Sequence[str], *, max_bytes: int
) -> OutputRead:
    """Read ``names`` from ``directory`` without following links.

    ``max_bytes`` caps each file and the total of all files.
    """
    result = OutputRead()
    for name in names:
        problem = output_name_problem(name)
        if problem is not None:
            result.problems.append(problem)
    if result.problems:
        return result
    try:
        dir_fd = os.open(
            directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        )
    except OSError as exc:
        result.problems.append(
            f"the output folder could not be opened ({_errno_name(exc)})"
        )
        return result
    try:
        budget = max_bytes
        for name in names:
            data, problem = _read_one(dir_fd, name, budget, max_bytes)
            if problem is not None:
                result.problems.append(problem)
            elif data is not None:
                result.files[name] = data
                budget -= len(data)
    finally:
        os.close(dir_fd)
    return result


def _read_one(
    dir_fd: int, name: str, budget: int, max_bytes: int
) -> tuple[bytes | None, str | None]:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None, f"output {name!r} is missing"
        if exc.errno == errno.ELOOP:
            return None, f"output {name!r} is a symbolic link; it was not followed"
        if exc.errno == errno.ENXIO:
            return None, f"output {name!r} is a socket, not a regular file"
        return None, f"output {name!r} could not be opened ({_errno_name(exc)})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _file_kind(info.st_mode)
            return None, f"output {name!r} is a {kind}, not a regular file"
        if info.st_nlink != 1:
            return None, (
                f"output {name!r} has {info.st_nlink} hard links; "
                "only a file with exactly one link is read"
            )
        if info.st_size > budget:
            return None, _too_large(name, max_bytes)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, budget + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > budget:
                return None, _too_large(name, max_bytes)
        return b"".join(chunks), None
    except OSError as exc:
        return None, f"output {name!r} could not be read ({_errno_name(exc)})"
    finally:
        os.close(fd)


def _too_large(name: str, max_bytes: int) -> str:
    return f"output {name!r} is larger than the {max_bytes} bytes allowed for outputs"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _errno_name(exc: OSError) -> str:
    if exc.errno is None:
        return str(exc)
    return errno.errorcode.get(exc.errno, str(exc.errno))
