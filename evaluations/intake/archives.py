"""Solution archives: inspection, extraction and packing.

``inspect_archive`` checks an upload and describes it, ``extract_archive``
writes an inspected archive to disk without following links, and
``pack_solution`` builds a deterministic zip (examples and tests).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluations.intake import nested
from evaluations.intake._common import _SHOW_AT_MOST, _open_upload, _show, _size
from evaluations.intake.errors import IntakeCode, IntakeError
from evaluations.intake.manifest import (
    MANIFEST_NAME,
    _check_entrypoint_module,
    validate_manifest,
)
from evaluations.intake.readers import (
    DEFAULT_LIMITS,
    IntakeLimits,
    _consume,
    _detect_archive_format,
    _Entry,
    _iter_entries,
    _NameRegistry,
    _sha256,
)


@dataclass(frozen=True)
class ArchiveMember:
    """A file or folder, named relative to the solution root."""

    name: str
    size: int
    is_dir: bool


@dataclass(frozen=True)
class ArchiveReport:
    format: str  # "zip" or "tar.gz"
    sha256: str
    archive_bytes: int
    members: tuple[ArchiveMember, ...]
    total_bytes: int
    manifest: dict[str, Any]
    # The single top-level folder that was stripped ("" if none).
    root: str = ""
    limits: IntakeLimits = field(default=DEFAULT_LIMITS, repr=False)


# -- Archives ---------------------------------------------------------------


def inspect_archive(
    path: Path, *, limits: IntakeLimits = DEFAULT_LIMITS
) -> ArchiveReport:
    """Check an uploaded solution archive and describe it.

    1. The file is a regular file within the size cap; its SHA-256 is taken.
    2. The format comes from the first bytes: zip, or gzip-compressed tar.
    3. Every member is read to the end, counting the decompressed bytes
       against the total and ratio caps as they arrive, and checking its
       type (regular file or folder only) and name.
    4. ``solution.toml`` is found at the root, or inside a single top-level
       folder (which is then stripped), parsed and validated.
    5. The entrypoint's module must be one of the archive's files.

    Raise ``IntakeError`` on the first problem.
    """
    upload = _open_upload(
        Path(path), limits.archive_bytes, IntakeCode.ARCHIVE_TOO_LARGE
    )
    with upload as (f, size):
        sha256 = _sha256(f)
        fmt = _detect_archive_format(f)
        registry = _NameRegistry()
        entries: list[ArchiveMember] = []
        manifests: dict[str, bytes] = {}
        inner = _NestedArchives(size, limits)
        outer_bytes = 0
        for entry in _iter_entries(f, fmt, size, limits):
            registry.add(entry.name, entry.is_dir)
            # Keep the root manifest and the first nested one only: with two
            # nested manifests there is no single top-level folder anyway.
            keep = _is_manifest_candidate(entry, limits) and (
                entry.name == MANIFEST_NAME or len(manifests) < 2
            )
            data = _consume(inner.watch(entry), keep=keep)
            if data is not None:
                manifests[entry.name] = data
            if entry.name:
                entries.append(ArchiveMember(entry.name, entry.size, entry.is_dir))
            outer_bytes += entry.size
            inner.check(entry, outer_bytes)

    root = _find_root(entries)
    manifest_name = f"{root}/{MANIFEST_NAME}" if root else MANIFEST_NAME
    manifest_bytes = manifests.get(manifest_name)
    if manifest_bytes is None:
        raise IntakeError(
            IntakeCode.MANIFEST_TOO_LARGE,
            f"{MANIFEST_NAME} is larger than {_size(limits.manifest_bytes)}; "
            "it should hold a few lines of metadata.",
        )
    manifest = validate_manifest(manifest_bytes)
    members = tuple(_strip_root(entries, root))
    files = {m.name for m in members if not m.is_dir}
    _check_entrypoint_module(manifest["entrypoint"], files)
    return ArchiveReport(
        format=fmt,
        sha256=sha256,
        archive_bytes=size,
        members=members,
        total_bytes=sum(m.size for m in members),
        manifest=manifest,
        root=root,
        limits=limits,
    )


class _NestedArchives:
    """Count how far archives inside the upload would expand (``nested``)."""

    def __init__(self, archive_bytes: int, limits: IntakeLimits) -> None:
        self.archive_bytes = archive_bytes
        self.limits = limits
        self.cap = min(
            limits.total_bytes,
            max(limits.ratio_floor_bytes, int(limits.ratio * max(archive_bytes, 1))),
        )
        self.extra = 0  # expansion beyond the nested archives' own sizes
        self._head: list[bytes] | None = None

    def watch(self, entry: _Entry) -> _Entry:
        """The same entry, its bytes also kept if it starts like an archive."""
        self._head = None
        if entry.is_dir or entry.size > nested.KEEP_AT_MOST:
            return entry

        def chunks() -> Iterator[bytes]:
            for index, chunk in enumerate(entry.chunks):
                if index == 0 and nested.looks_like_archive(chunk):
                    self._head = []
                if self._head is not None:
                    self._head.append(chunk)
                yield chunk

        return dataclasses.replace(entry, chunks=chunks())

    def check(self, entry: _Entry, outer_bytes: int) -> None:
        if self._head is None:
            return
        data = b"".join(self._head)
        self._head = None
        grown = nested.expanded_size(data, self.cap) - len(data)
        self.extra += max(0, grown)
        if outer_bytes + self.extra > self.cap:
            raise IntakeError(
                IntakeCode.COMPRESSION_RATIO,
                f"{_show(entry.name)} is an archive inside the archive; with it "
                f"unpacked, the upload ({_size(self.archive_bytes)}) expands to "
                f"more than {_size(self.cap)}, beyond the limit of "
                f"{self.limits.ratio:g}:1 (or {_size(self.limits.total_bytes)} "
                "in all). Ship its contents unpacked, or leave it out.",
            )


def extract_archive(path: Path, dest: Path, report: ArchiveReport) -> None:
    """Extract an inspected archive into ``dest``.

    ``dest`` must not exist (it is created, mode 0755) or be an empty
    folder. Only regular files (0644) and folders (0755) are written, each
    opened relative to its parent's file descriptor with ``O_NOFOLLOW``, and
    files with ``O_EXCL``, so nothing is overwritten and no link is followed.
    The archive must still have the inspected SHA-256, and the caps are
    enforced again while writing. On any failure, what this call created is
    removed again (and nothing else).
    """
    path, dest = Path(path), Path(dest)
    limits = report.limits
    upload = _open_upload(path, limits.archive_bytes, IntakeCode.ARCHIVE_TOO_LARGE)
    with upload as (f, size):
        if _sha256(f) != report.sha256:
            raise IntakeError(
                IntakeCode.ARCHIVE_CHANGED,
                "The archive changed after it was inspected; inspect it again.",
            )
        created_dest = _prepare_destination(dest)
        writer = _TreeWriter()
        try:
            writer.open_root(dest)
            expected = iter(report.members)
            for entry in _iter_entries(f, report.format, size, limits):
                name = _relative_to_root(entry.name, report.root)
                if name is None:
                    _consume(entry, keep=False)
                    continue
                if next(expected, None) != ArchiveMember(
                    name, entry.size, entry.is_dir
                ):
                    raise IntakeError(
                        IntakeCode.ARCHIVE_CHANGED,
                        "The archive's members differ from the inspected ones.",
                    )
                if entry.is_dir:
                    writer.make_dir(name)
                else:
                    writer.write_file(name, entry.chunks)
            if next(expected, None) is not None:
                raise IntakeError(
                    IntakeCode.ARCHIVE_CHANGED,
                    "The archive has fewer members than when it was inspected.",
                )
        except BaseException:
            writer.undo()
            if created_dest:
                with contextlib.suppress(OSError):
                    os.rmdir(dest)
            raise
        finally:
            writer.close()


def _is_manifest_candidate(entry: _Entry, limits: IntakeLimits) -> bool:
    if entry.is_dir or entry.name.rsplit("/", 1)[-1] != MANIFEST_NAME:
        return False
    return entry.name.count("/") <= 1 and entry.size <= limits.manifest_bytes


def _find_root(members: list[ArchiveMember]) -> str:
    names = {m.name for m in members}
    if MANIFEST_NAME in names:
        return ""
    tops = sorted({m.name.split("/", 1)[0] for m in members})
    if len(tops) == 1 and f"{tops[0]}/{MANIFEST_NAME}" in names:
        return tops[0]
    if not members:
        raise IntakeError(IntakeCode.MANIFEST_MISSING, "The archive is empty.")
    shown = ", ".join(_show(t) for t in tops[:_SHOW_AT_MOST])
    more = f" and {len(tops) - _SHOW_AT_MOST} more" if len(tops) > _SHOW_AT_MOST else ""
    raise IntakeError(
        IntakeCode.MANIFEST_MISSING,
        f"No {MANIFEST_NAME} found. It must be at the top of the archive, or "
        "inside a single top-level folder that holds everything else. The "
        f"archive's top level has: {shown}{more}.",
    )


def _relative_to_root(name: str, root: str) -> str | None:
    """Return ``name`` without the stripped root, or None to skip it."""
    if not root:
        return name or None
    if name == root or not name:
        return None
    return name.removeprefix(f"{root}/")


def _strip_root(members: list[ArchiveMember], root: str) -> Iterator[ArchiveMember]:
    for member in members:
        name = _relative_to_root(member.name, root)
        if name is not None:
            yield ArchiveMember(name, member.size, member.is_dir)


# -- Extraction -----------------------------------------------------------------

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _prepare_destination(dest: Path) -> bool:
    """Create ``dest`` or check that it is an empty real folder.

    Return True if it was created here.
    """
    try:
        os.mkdir(dest, 0o755)
    except FileExistsError:
        if not stat.S_ISDIR(os.lstat(dest).st_mode) or _has_children(dest):
            raise IntakeError(
                IntakeCode.DESTINATION_NOT_EMPTY,
                f"Cannot extract into {dest}: it exists and is not an empty folder.",
            ) from None
        return False
    # The sandbox reads the code as another user: 0755 is deliberate.
    os.chmod(dest, 0o755)  # noqa: S103
    return True


class _TreeWriter:
    """Write folders and files under ``root`` through directory fds."""

    def __init__(self) -> None:
        self.fds: dict[str, int] = {}
        # (parent folder, leaf, is_dir) of everything created, in order.
        self.created: list[tuple[str, str, bool]] = []

    def open_root(self, root: Path) -> None:
        self.fds[""] = os.open(root, _DIR_FLAGS)

    def make_dir(self, name: str) -> int:
        fd = self.fds.get(name)
        if fd is not None:
            return fd
        parent, _, leaf = name.rpartition("/")
        parent_fd = self.make_dir(parent)
        created = True
        try:
            os.mkdir(leaf, 0o755, dir_fd=parent_fd)
        except FileExistsError:
            created = False
        try:
            fd = os.open(leaf, _DIR_FLAGS, dir_fd=parent_fd)
        except OSError:
            raise IntakeError(
                IntakeCode.DESTINATION_EXISTS,
                f"Cannot extract {_show(name)}: something that is not a folder "
                "is already there.",
            ) from None
        if created:
            self.created.append((parent, leaf, True))
            os.fchmod(fd, 0o755)
        self.fds[name] = fd
        return fd

    def write_file(self, name: str, chunks: Iterator[bytes]) -> None:
        parent, _, leaf = name.rpartition("/")
        parent_fd = self.make_dir(parent)
        try:
            fd = os.open(leaf, _FILE_FLAGS, 0o644, dir_fd=parent_fd)
        except FileExistsError:
            raise IntakeError(
                IntakeCode.DESTINATION_EXISTS,
                f"Cannot extract {_show(name)}: it already exists; nothing is "
                "overwritten.",
            ) from None
        self.created.append((parent, leaf, False))
        with os.fdopen(fd, "wb") as out:
            os.fchmod(fd, 0o644)
            for chunk in chunks:
                out.write(chunk)

    def undo(self) -> None:
        """Remove what was created, newest first, through the parent fds."""
        for parent, leaf, is_dir in reversed(self.created):
            parent_fd = self.fds.get(parent)
            if parent_fd is None:  # pragma: no cover - parents stay open
                continue
            with contextlib.suppress(OSError):
                if is_dir:
                    os.close(self.fds.pop(f"{parent}/{leaf}" if parent else leaf))
                    os.rmdir(leaf, dir_fd=parent_fd)
                else:
                    os.unlink(leaf, dir_fd=parent_fd)
        self.created.clear()

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


def _has_children(folder: Path) -> bool:
    with os.scandir(folder) as children:
        return any(True for _ in children)


# -- Packing (examples and tests) ---------------------------------------------

_PACK_SKIP_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", "dist"}
_PACK_SKIP_FILES = {".DS_Store"}
_PACK_TIME = (1980, 1, 1, 0, 0, 0)


def pack_solution(folder: Path, dest: Path) -> str:
    """Zip a solution folder deterministically; return the archive's SHA-256.

    Members are the folder's files (not bytecode caches), sorted, at the
    archive's root, with a fixed timestamp and mode 0644, so the same
    folder always gives the same bytes. Links are refused. The archive is
    written next to ``dest`` and renamed into place.
    """
    folder, dest = Path(folder), Path(dest)
    files: list[tuple[str, Path]] = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _PACK_SKIP_DIRS)
        for name in names:
            path = Path(current, name)
            if name in _PACK_SKIP_FILES or name.endswith((".pyc", ".pyo")):
                continue
            if path.is_symlink() or not path.is_file():
                raise ValueError(f"{path} is not a regular file; cannot pack it.")
            files.append((path.relative_to(folder).as_posix(), path))
    files.sort()
    partial = dest.with_name(dest.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, _PACK_TIME)
            info.create_system = 3  # Unix, so the mode below is honoured
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(partial, dest)
    with dest.open("rb") as f:
        return _sha256(f)
