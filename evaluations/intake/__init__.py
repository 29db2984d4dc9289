"""Intake checks for vendor uploads: solution archives and prediction files.

Everything here runs on the host, before any vendor code runs anywhere, and
treats the upload as hostile. It never trusts a header alone: sizes and the
compression ratio are counted on the bytes actually decompressed, and
extraction writes only regular files and folders, relative to a directory
file descriptor, without following links.

Pure Python (standard library; pyarrow is imported only to read Parquet), so
a worker, a management command or a test can call it without Django.

The code lives in ``archives`` (inspection, extraction, packing),
``readers`` (zip and tar.gz members under the caps), ``manifest``
(``solution.toml``), ``prediction_files`` (reading) with
``prediction_matching`` (ids and values) and ``errors``; this package
re-exports the public names, so ``from evaluations.intake import
inspect_archive`` keeps working.
"""

from __future__ import annotations

from evaluations.intake._common import GIB, KIB, MIB
from evaluations.intake.archives import (
    ArchiveMember,
    ArchiveReport,
    extract_archive,
    inspect_archive,
    pack_solution,
)
from evaluations.intake.errors import IntakeCode, IntakeError
from evaluations.intake.manifest import (
    ENTRYPOINT_RE,
    MANIFEST_NAME,
    TASK_KINDS,
    validate_manifest,
)
from evaluations.intake.prediction_files import (
    DEFAULT_PREDICTION_LIMITS,
    PredictionFileLimits,
    inspect_prediction_file,
    read_prediction_file,
)
from evaluations.intake.prediction_matching import ExpectedIds, PredictionValues
from evaluations.intake.readers import (
    DEFAULT_LIMITS,
    IntakeLimits,
    normalise_member_name,
)

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_PREDICTION_LIMITS",
    "ENTRYPOINT_RE",
    "GIB",
    "KIB",
    "MANIFEST_NAME",
    "MIB",
    "TASK_KINDS",
    "ArchiveMember",
    "ArchiveReport",
    "ExpectedIds",
    "IntakeCode",
    "IntakeError",
    "IntakeLimits",
    "PredictionFileLimits",
    "PredictionValues",
    "extract_archive",
    "inspect_archive",
    "inspect_prediction_file",
    "normalise_member_name",
    "pack_solution",
    "read_prediction_file",
    "validate_manifest",
]
