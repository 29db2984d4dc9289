"""Reading an uploaded archive member by member, under the caps.

The format comes from the first bytes (zip or gzip-compressed tar). Every
member's name and type are checked, and its decompressed bytes are counted
against the total and ratio caps as they arrive, never trusting a header.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import re
import stat
import struct
import tarfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Self

from evaluations.intake._common import GIB, KIB, MIB, _describe, _show, _size
from evaluations.intake.errors import IntakeCode, IntakeError

_CHUNK = 1 * MIB
# A pax or GNU long-name header holds a path and a few attributes; tarfile
# reads the whole header into memory, so a huge one is refused before that.
_TAR_HEADER_BYTES = 1 * MIB
# Tar headers and padding count towards the decompressed stream but not
# towards the files' total; this much stream overhead is tolerated.
_TAR_OVERHEAD_BYTES = 16 * MIB
# A central directory entry is 46 bytes plus its name and extra fields.
_ZIP_DIRECTORY_BYTES_PER_MEMBER = 4 * KIB
_ZIP_METHODS = (
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
)
_DRIVE_RE = re.compile(r"[A-Za-z]:")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class IntakeLimits:
    archive_bytes: int = 200 * MIB
    members: int = 2_000
    total_bytes: int = 1 * GIB
    # Decompressed bytes per archive byte, over the whole archive.
    ratio: float = 100.0
    # Below this many decompressed bytes the ratio is not checked: a tiny
    # archive of repetitive text can exceed 100:1 and is harmless.
    ratio_floor_bytes: int = 1 * MIB
    component_bytes: int = 255
    path_bytes: int = 4_096
    manifest_bytes: int = 64 * KIB


DEFAULT_LIMITS = IntakeLimits()


# -- Reading the upload ------------------------------------------------------


def _sha256(f: BinaryIO) -> str:
    f.seek(0)
    digest = hashlib.sha256()
    while chunk := f.read(_CHUNK):
        digest.update(chunk)
    f.seek(0)
    return digest.hexdigest()


def _detect_archive_format(f: BinaryIO) -> str:
    head = f.read(512)
    f.seek(0)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if head[:2] == b"\x1f\x8b":
        return "tar.gz"
    if head[257:262] == b"ustar":
        raise IntakeError(
            IntakeCode.UNKNOWN_FORMAT,
            "The upload is an uncompressed tar file. Upload a .zip, or a "
            ".tar.gz made with `tar czf`.",
        )
    raise IntakeError(
        IntakeCode.UNKNOWN_FORMAT,
        "The upload is neither a .zip nor a .tar.gz archive (judged by its "
        "content, not its name).",
    )


@dataclass
class _Entry:
    name: str  # normalised; "" for the archive's own root folder
    is_dir: bool
    size: int
    chunks: Iterator[bytes]


def _consume(entry: _Entry, *, keep: bool) -> bytes | None:
    """Read an entry to its end; return its bytes if ``keep``."""
    parts: list[bytes] = []
    for chunk in entry.chunks:
        if keep:
            parts.append(chunk)
    return b"".join(parts) if keep else None


class _Budget:
    """Count members and decompressed bytes against the caps as they come."""

    def __init__(self, archive_bytes: int, limits: IntakeLimits) -> None:
        self.limits = limits
        self.archive_bytes = archive_bytes
        self.ratio_cap = max(
            limits.ratio_floor_bytes, int(limits.ratio * max(archive_bytes, 1))
        )
        self.members = 0
        self.data = 0
        self.stream = 0

    def add_member(self) -> None:
        self.members += 1
        if self.members > self.limits.members:
            raise self.too_many()

    def too_many(self) -> IntakeError:
        return IntakeError(
            IntakeCode.TOO_MANY_MEMBERS,
            f"The archive has more than {self.limits.members:,} files and "
            "folders; bundle small files (for example weights) into fewer, "
            "larger ones.",
        )

    def add_data(self, n: int) -> None:
        self.data += n
        if self.data > self.limits.total_bytes:
            raise self.too_large()

    def add_stream(self, n: int, *, overhead: int = 0) -> None:
        self.stream += n
        if self.stream > self.ratio_cap:
            raise self.ratio_exceeded()
        if self.stream > self.limits.total_bytes + overhead:
            raise self.too_large()

    def check_declared(self, declared: int) -> None:
        if declared > self.limits.total_bytes:
            raise self.too_large()
        if declared > self.ratio_cap:
            raise self.ratio_exceeded()

    def too_large(self) -> IntakeError:
        return IntakeError(
            IntakeCode.TOO_LARGE_UNCOMPRESSED,
            "The archive's contents add up to more than "
            f"{_size(self.limits.total_bytes)} uncompressed, the limit.",
        )

    def ratio_exceeded(self) -> IntakeError:
        return IntakeError(
            IntakeCode.COMPRESSION_RATIO,
            f"The archive ({_size(self.archive_bytes)}) expands to more than "
            f"{_size(self.ratio_cap)}, beyond the limit of "
            f"{self.limits.ratio:g}:1. Remove large, highly repetitive files "
            "such as zero-filled arrays, or store them in a compressed format.",
        )


def _iter_entries(
    f: BinaryIO, fmt: str, size: int, limits: IntakeLimits
) -> Iterator[_Entry]:
    budget = _Budget(size, limits)
    raw_entries = _iter_zip(f, size, budget) if fmt == "zip" else _iter_tar(f, budget)
    for raw_name, is_dir, entry_size, chunks in raw_entries:
        name = normalise_member_name(raw_name, limits)
        if not name and not is_dir:
            raise IntakeError(
                IntakeCode.BAD_CHARACTER, "The archive has a file with an empty name."
            )
        entry = _Entry(name, is_dir, entry_size, chunks)
        yield entry
        # Drain what the consumer left, so the counts stay complete.
        for _ in entry.chunks:
            pass


def normalise_member_name(raw: str, limits: IntakeLimits = DEFAULT_LIMITS) -> str:
    """Return the member's path with "." and empty parts removed, or raise.

    Refused: names that are not UTF-8, control characters, backslashes,
    absolute paths, drive letters, ".." parts and over-long names.
    """
    try:
        encoded = raw.encode("utf-8")
    except UnicodeEncodeError:
        raise IntakeError(
            IntakeCode.NAME_NOT_UTF8,
            f"The name {_show(raw)} is not valid UTF-8. Rename the file using "
            "UTF-8 (or plain ASCII) characters and rebuild the archive.",
        ) from None
    if _CONTROL_RE.search(raw):
        raise IntakeError(
            IntakeCode.BAD_CHARACTER,
            f"The name {_show(raw)} contains a control character.",
        )
    if len(encoded) > limits.path_bytes:
        raise IntakeError(
            IntakeCode.PATH_TOO_LONG,
            f"A path is {len(encoded):,} bytes long; the limit is "
            f"{limits.path_bytes:,}: {_show(raw)}.",
        )
    if "\\" in raw:
        raise IntakeError(
            IntakeCode.BACKSLASH,
            f"The name {_show(raw)} contains a backslash. Use forward slashes "
            "between folders (the archive was probably made on Windows with a "
            "tool that does not convert them).",
        )
    if raw.startswith("/"):
        raise IntakeError(
            IntakeCode.ABSOLUTE_PATH,
            f"The name {_show(raw)} is an absolute path. Paths must be relative "
            "to the archive's top.",
        )
    if _DRIVE_RE.match(raw):
        raise IntakeError(
            IntakeCode.DRIVE_LETTER,
            f"The name {_show(raw)} starts with a drive letter. Paths must be "
            "relative to the archive's top.",
        )
    parts: list[str] = []
    for part in raw.split("/"):
        if part == "..":
            raise IntakeError(
                IntakeCode.PARENT_REFERENCE,
                f"The name {_show(raw)} contains '..'. Paths must stay inside "
                "the archive.",
            )
        if len(part.encode("utf-8")) > limits.component_bytes:
            raise IntakeError(
                IntakeCode.NAME_TOO_LONG,
                f"A file or folder name is longer than {limits.component_bytes} "
                f"bytes: {_show(part)}.",
            )
        if part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


class _NameRegistry:
    """Refuse two members with one name, or a name used as file and folder."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.dirs: set[str] = set()  # explicit folder members
        self.parents: set[str] = set()  # folders implied by any member

    def add(self, name: str, is_dir: bool) -> None:
        if not name:
            return
        key = unicodedata.normalize("NFC", name)
        if key in self.files or key in self.dirs:
            raise IntakeError(
                IntakeCode.DUPLICATE_NAME,
                f"The archive contains {_show(name)} more than once.",
            )
        if not is_dir and key in self.parents:
            raise IntakeError(
                IntakeCode.DUPLICATE_NAME,
                f"{_show(name)} is both a file and a folder in the archive.",
            )
        parts = key.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent in self.files:
                raise IntakeError(
                    IntakeCode.DUPLICATE_NAME,
                    f"{_show(parent)} is both a file and a folder in the archive.",
                )
            self.parents.add(parent)
        (self.dirs if is_dir else self.files).add(key)


# -- Zip ----------------------------------------------------------------------


def _zip_directory_size(f: BinaryIO, size: int) -> tuple[int, int]:
    """Return the entry count and byte size the zip's end record declares."""
    tail_len = min(size, 22 + 65_535)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        raise IntakeError(
            IntakeCode.CORRUPT_ARCHIVE,
            "The zip file is damaged: its end-of-archive record is missing.",
        )
    entries, cd_size = struct.unpack("<HI", tail[pos + 10 : pos + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        locator = size - tail_len + pos - 20
        if locator >= 0:
            f.seek(locator)
            buf = f.read(20)
            if buf[:4] == b"PK\x06\x07":
                (offset,) = struct.unpack("<Q", buf[8:16])
                f.seek(offset)
                record = f.read(56)
                if record[:4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack("<QQ", record[32:48])
    f.seek(0)
    return entries, cd_size


def _zip_name(info: zipfile.ZipInfo) -> str:
    if "\x00" in info.orig_filename:
        raise IntakeError(
            IntakeCode.BAD_CHARACTER,
            f"The name {_show(info.orig_filename)} contains a NUL character.",
        )
    if info.flag_bits & 0x800:
        return info.orig_filename
    # Without the UTF-8 flag zipfile decodes as cp437, which maps every byte;
    # encoding back recovers the stored bytes exactly.
    raw = info.orig_filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise IntakeError(
            IntakeCode.NAME_NOT_UTF8,
            f"The name {_show(raw)} is not valid UTF-8. Rename the file using "
            "UTF-8 (or plain ASCII) characters and rebuild the archive.",
        ) from None


def _zip_is_dir(info: zipfile.ZipInfo, name: str) -> bool:
    fmt = stat.S_IFMT(info.external_attr >> 16)
    if fmt == stat.S_IFLNK:
        raise IntakeError(
            IntakeCode.SYMLINK,
            f"{_show(name)} is a symbolic link. Links are not allowed: "
            "include a copy of the file instead.",
        )
    if fmt in (stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK):
        raise IntakeError(
            IntakeCode.SPECIAL_FILE,
            f"{_show(name)} is a device, FIFO or socket. Only regular files "
            "and folders are allowed.",
        )
    is_dir = name.endswith("/")
    if (fmt == stat.S_IFDIR and not is_dir) or (is_dir and info.file_size):
        raise IntakeError(
            IntakeCode.CORRUPT_ARCHIVE,
            f"The zip entry {_show(name)} is inconsistent: it is marked both "
            "as a folder and as a file.",
        )
    if info.flag_bits & 0x1:
        raise IntakeError(
            IntakeCode.ENCRYPTED_MEMBER,
            f"{_show(name)} is encrypted. Upload the archive without a password.",
        )
    if info.compress_type not in _ZIP_METHODS:
        raise IntakeError(
            IntakeCode.UNSUPPORTED_COMPRESSION,
            f"{_show(name)} uses zip compression method {info.compress_type}; "
            "use deflate (the default of every zip tool) or store.",
        )
    return is_dir


def _iter_zip(
    f: BinaryIO, size: int, budget: _Budget
) -> Iterator[tuple[str, bool, int, Iterator[bytes]]]:
    entries, cd_size = _zip_directory_size(f, size)
    limits = budget.limits
    # Checked before zipfile builds an object per entry in memory.
    if entries > limits.members or cd_size > (
        limits.members * _ZIP_DIRECTORY_BYTES_PER_MEMBER
    ):
        raise budget.too_many()
    with _archive_errors("zip"):
        try:
            archive = zipfile.ZipFile(f)
        except UnicodeDecodeError:
            raise IntakeError(
                IntakeCode.NAME_NOT_UTF8,
                "A name in the archive is marked as UTF-8 but is not valid "
                "UTF-8. Rename the file and rebuild the archive.",
            ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.members:
            raise budget.too_many()
        checked: list[tuple[zipfile.ZipInfo, str, bool]] = []
        for info in infos:
            name = _zip_name(info)
            checked.append((info, name, _zip_is_dir(info, name)))
        budget.check_declared(sum(info.file_size for info in infos))
        for info, name, is_dir in checked:
            budget.add_member()
            yield name, is_dir, info.file_size, _zip_chunks(archive, info, name, budget)


def _zip_chunks(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: _Budget
) -> Iterator[bytes]:
    if info.is_dir():
        return
    actual = 0
    with _archive_errors("zip", name), archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            actual += len(chunk)
            if actual > info.file_size:
                break
            budget.add_stream(len(chunk))
            budget.add_data(len(chunk))
            yield chunk
    if actual != info.file_size:
        raise IntakeError(
            IntakeCode.SIZE_MISMATCH,
            f"{_show(name)} expands to a different size than its zip header "
            f"declares ({info.file_size:,} bytes); the archive is damaged or "
            "crafted.",
        )


# -- Tar ----------------------------------------------------------------------


_TAR_HEADER_TYPES = (
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
)


class _CheckedTarInfo(tarfile.TarInfo):
    """Refuse huge long-name or pax headers before tarfile reads them."""

    @classmethod
    def frombuf(cls, buf: bytes | bytearray, encoding: str, errors: str) -> Self:
        info = super().frombuf(buf, encoding, errors)
        if info.type == tarfile.GNUTYPE_SPARSE:
            raise IntakeError(
                IntakeCode.SPECIAL_FILE,
                f"{_show(info.name)} is a sparse file; store it as a regular file.",
            )
        if info.type in _TAR_HEADER_TYPES and info.size > _TAR_HEADER_BYTES:
            raise IntakeError(
                IntakeCode.CORRUPT_ARCHIVE,
                f"The archive has an extended header of {_size(info.size)}; "
                "it is damaged or crafted.",
            )
        return info


class _CountingReader:
    """Pass decompressed bytes to tarfile, counting them against the caps."""

    def __init__(self, inner: gzip.GzipFile, budget: _Budget) -> None:
        self.inner = inner
        self.budget = budget

    def read(self, n: int = -1, /) -> bytes:
        data = self.inner.read(n if n >= 0 else _CHUNK)
        self.budget.add_stream(len(data), overhead=_TAR_OVERHEAD_BYTES)
        return data

    def tell(self) -> int:
        return self.budget.stream

    def write(self, b: bytes, /) -> int:
        raise io.UnsupportedOperation("read-only")

    def seek(self, pos: int, /) -> int:
        raise io.UnsupportedOperation("stream")

    def close(self) -> None:
        self.inner.close()


def _iter_tar(
    f: BinaryIO, budget: _Budget
) -> Iterator[tuple[str, bool, int, Iterator[bytes]]]:
    reader = _CountingReader(gzip.GzipFile(fileobj=f, mode="rb"), budget)
    with _archive_errors("tar.gz"):
        # Opening reads the first header; the archive is closed by the
        # "with archive" block below.
        archive = tarfile.open(  # noqa: SIM115
            fileobj=reader,
            mode="r|",
            tarinfo=_CheckedTarInfo,
            encoding="utf-8",
            errors="surrogateescape",
        )
    with archive:
        while True:
            with _archive_errors("tar.gz"):
                info = archive.next()
            if info is None:
                return
            budget.add_member()
            if info.sparse is not None:
                raise IntakeError(
                    IntakeCode.SPECIAL_FILE,
                    f"{_show(info.name)} is a sparse file; store it as a regular file.",
                )
            if info.issym():
                raise IntakeError(
                    IntakeCode.SYMLINK,
                    f"{_show(info.name)} is a symbolic link (to "
                    f"{_show(info.linkname)}). Links are not allowed: include "
                    "a copy of the file instead.",
                )
            if info.islnk():
                raise IntakeError(
                    IntakeCode.HARD_LINK,
                    f"{_show(info.name)} is a hard link (to "
                    f"{_show(info.linkname)}). Links are not allowed: include "
                    "a copy of the file instead.",
                )
            if info.ischr() or info.isblk() or info.isfifo():
                what = "a FIFO" if info.isfifo() else "a device file"
                raise IntakeError(
                    IntakeCode.SPECIAL_FILE,
                    f"{_show(info.name)} is {what}. Only regular files and "
                    "folders are allowed.",
                )
            if info.isdir():
                yield info.name, True, 0, iter(())
            elif info.isreg():
                yield info.name, False, info.size, _tar_chunks(archive, info, budget)
            else:
                raise IntakeError(
                    IntakeCode.SPECIAL_FILE,
                    f"{_show(info.name)} has the unsupported tar entry type "
                    f"{_show(info.type)}. Only regular files and folders are "
                    "allowed.",
                )


def _tar_chunks(
    archive: tarfile.TarFile, info: tarfile.TarInfo, budget: _Budget
) -> Iterator[bytes]:
    with _archive_errors("tar.gz", info.name):
        member = archive.extractfile(info)
        if member is None:  # pragma: no cover - isreg() members always open
            return
        while chunk := member.read(_CHUNK):
            budget.add_data(len(chunk))
            yield chunk


_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RecursionError,
)


@contextlib.contextmanager
def _archive_errors(fmt: str, name: str | None = None) -> Iterator[None]:
    """Turn the many exceptions of damaged archives into one IntakeError."""
    try:
        yield
    except _ARCHIVE_ERRORS as exc:
        where = f" while reading {_show(name)}" if name else ""
        raise IntakeError(
            IntakeCode.CORRUPT_ARCHIVE,
            f"The {fmt} archive is damaged or not a valid archive{where} "
            f"({_describe(exc)}).",
        ) from None
