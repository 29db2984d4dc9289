"""Archives inside a solution archive: how far they would expand.

The outer archive's ratio and size caps see a nested archive only as the
bytes it occupies, so a zip of a zip of a zip of zeros passes them while
expanding, once the solution unpacks it, to gigabytes. Intake never opens
nested archives for the solution, and the sandbox's disk quota stops one
being unpacked at run time; this check refuses such a package at upload,
with a clear message, instead of letting it fail later.

A member is treated as an archive by its first bytes (zip or gzip), not by
its name. Its expansion is measured by decompressing it in chunks, never
all at once, counting archives within it to ``MAX_DEPTH`` levels, and
stopping as soon as the count passes the cap. Damaged nested archives
count as their own size: they are data the solution may read as it likes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"
MAX_DEPTH = 3
# A nested archive larger than this is not kept in memory to look inside;
# it still counts with its own size against the outer caps.
KEEP_AT_MOST = 16 * 1024 * 1024
_CHUNK = 1024 * 1024


def looks_like_archive(head: bytes) -> bool:
    return head.startswith((ZIP_MAGIC, GZIP_MAGIC))


def expanded_size(data: bytes, cap: int, *, depth: int = 1) -> int:
    """Bytes ``data`` expands to, nested archives included; stops past ``cap``."""
    if data.startswith(ZIP_MAGIC):
        return _zip_expansion(data, cap, depth)
    if data.startswith(GZIP_MAGIC):
        return _gzip_expansion(data, cap, depth)
    return len(data)


def _zip_expansion(data: bytes, cap: int, depth: int) -> int:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return len(data)
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        try:
            with archive.open(info) as member:
                total += _member_expansion(
                    iter(lambda m=member: m.read(_CHUNK), b""),  # type: ignore[misc]
                    cap - total,
                    depth,
                )
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
            # Encrypted, an unknown method or damaged: its stored size.
            total += info.compress_size
        except (EOFError, OSError, ValueError):
            total += info.compress_size
        if total > cap:
            break
    return total


def _gzip_expansion(data: bytes, cap: int, depth: int) -> int:
    def chunks() -> Iterator[bytes]:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        while pending:
            out = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if out:
                yield out
            elif not pending or inflater.eof:
                break

    try:
        return _member_expansion(chunks(), cap, depth)
    except zlib.error:
        return len(data)


def _member_expansion(chunks: Iterator[bytes], cap: int, depth: int) -> int:
    """Count a member's bytes; look inside it if it is itself an archive."""
    total = 0
    kept: list[bytes] | None = None
    for index, chunk in enumerate(chunks):
        if index == 0 and depth < MAX_DEPTH and looks_like_archive(chunk):
            kept = []
        if kept is not None:
            if total + len(chunk) <= KEEP_AT_MOST:
                kept.append(chunk)
            else:
                kept = None
        total += len(chunk)
        if total > cap:
            return total
    if kept is not None:
        return max(total, expanded_size(b"".join(kept), cap, depth=depth + 1))
    return total
