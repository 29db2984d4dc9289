"""Suite data bundles: the archive checks of a scenario owner's upload.

A bundle (its layout is described in ``evaluations.suites``) is uploaded by
a scenario owner, stored, and later extracted on every evaluation worker. It
gets the same treatment as a vendor's solution archive, with the readers of
``evaluations.intake.readers``: sizes and the compression ratio counted on
the decompressed bytes, only regular files and folders, safe member names,
no duplicates. What differs: a bundle is always a gzip-compressed tar (the
workers read it with ``tarfile``), its caps are larger, and ``manifest.json``
must be at its top, since the workers do not strip a top-level folder.

Only these archive-level checks live here, in the standard library like the
rest of the package; ``evaluations.suite_bundles`` extracts an inspected
bundle with ``extract_archive`` and checks its layout and labels.
"""

from __future__ import annotations

from pathlib import Path

from evaluations.intake._common import GIB, MIB, _open_upload
from evaluations.intake.archives import ArchiveMember, ArchiveReport
from evaluations.intake.errors import IntakeCode, IntakeError
from evaluations.intake.readers import (
    IntakeLimits,
    _consume,
    _detect_archive_format,
    _iter_entries,
    _NameRegistry,
    _sha256,
)

BUNDLE_MANIFEST = "manifest.json"

# A bundle holds many small call folders (one per forecast origin, three
# files each, times the probes) and can be large; the workers extract it
# once per machine and keep it.
BUNDLE_LIMITS = IntakeLimits(
    archive_bytes=512 * MIB,
    members=200_000,
    total_bytes=2 * GIB,
)

PACK_HINT = (
    "Pack the bundle folder's contents, for example "
    "`tar czf bundle.tar.gz -C my-bundle .` or "
    "`portal_cli.py suite-bundle pack my-bundle bundle.tar.gz`."
)


def inspect_bundle_archive(
    path: Path, *, limits: IntakeLimits = BUNDLE_LIMITS
) -> ArchiveReport:
    """Check an uploaded suite bundle archive and describe its members.

    1. The file is a regular file within the size cap; its SHA-256 is taken.
    2. Its first bytes show a gzip-compressed tar (a zip is refused).
    3. Every member is read to the end under the caps, with its type
       (regular file or folder) and name checked, and no name twice.
    4. ``manifest.json`` is at the top of the archive.

    Return a report that ``extract_archive`` accepts; raise ``IntakeError``
    on the first problem.
    """
    upload = _open_upload(
        Path(path), limits.archive_bytes, IntakeCode.ARCHIVE_TOO_LARGE
    )
    with upload as (f, size):
        sha256 = _sha256(f)
        fmt = _detect_archive_format(f)
        if fmt != "tar.gz":
            raise IntakeError(
                IntakeCode.UNKNOWN_FORMAT,
                f"The upload is a zip file; a suite bundle is a .tar.gz. {PACK_HINT}",
            )
        registry = _NameRegistry()
        members: list[ArchiveMember] = []
        for entry in _iter_entries(f, fmt, size, limits):
            registry.add(entry.name, entry.is_dir)
            _consume(entry, keep=False)
            if entry.name:
                members.append(ArchiveMember(entry.name, entry.size, entry.is_dir))
    names = {m.name for m in members if not m.is_dir}
    if BUNDLE_MANIFEST not in names:
        if not members:
            raise IntakeError(IntakeCode.MANIFEST_MISSING, "The archive is empty.")
        nested = sorted(n for n in names if n.endswith(f"/{BUNDLE_MANIFEST}"))
        where = f" It was found at {nested[0]!r} instead." if nested else ""
        raise IntakeError(
            IntakeCode.MANIFEST_MISSING,
            f"No {BUNDLE_MANIFEST} at the top of the archive.{where} {PACK_HINT}",
        )
    return ArchiveReport(
        format=fmt,
        sha256=sha256,
        archive_bytes=size,
        members=tuple(members),
        total_bytes=sum(m.size for m in members),
        manifest={},
        root="",
        limits=limits,
    )
