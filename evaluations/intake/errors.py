"""Why an upload was refused: the error every intake check raises."""

from __future__ import annotations

import enum


class IntakeCode(enum.StrEnum):
    """Why an upload was refused. The values are stable; the UI and the API
    may show them next to the message."""

    # Reading the upload at all.
    UNREADABLE = "unreadable"
    ARCHIVE_TOO_LARGE = "archive_too_large"
    UNKNOWN_FORMAT = "unknown_format"
    CORRUPT_ARCHIVE = "corrupt_archive"
    # Size and count caps.
    TOO_MANY_MEMBERS = "too_many_members"
    TOO_LARGE_UNCOMPRESSED = "too_large_uncompressed"
    COMPRESSION_RATIO = "compression_ratio"
    SIZE_MISMATCH = "size_mismatch"
    ENCRYPTED_MEMBER = "encrypted_member"
    UNSUPPORTED_COMPRESSION = "unsupported_compression"
    # Member names.
    ABSOLUTE_PATH = "absolute_path"
    PARENT_REFERENCE = "parent_reference"
    BACKSLASH = "backslash"
    DRIVE_LETTER = "drive_letter"
    BAD_CHARACTER = "bad_character"
    NAME_NOT_UTF8 = "name_not_utf8"
    NAME_TOO_LONG = "name_too_long"
    PATH_TOO_LONG = "path_too_long"
    DUPLICATE_NAME = "duplicate_name"
    # Member types.
    SYMLINK = "symlink"
    HARD_LINK = "hard_link"
    SPECIAL_FILE = "special_file"
    # The manifest.
    MANIFEST_MISSING = "manifest_missing"
    MANIFEST_TOO_LARGE = "manifest_too_large"
    MANIFEST_SYNTAX = "manifest_syntax"
    MANIFEST_FIELD = "manifest_field"
    BAD_ENTRYPOINT = "bad_entrypoint"
    ENTRYPOINT_MISSING = "entrypoint_missing"
    # Extraction.
    ARCHIVE_CHANGED = "archive_changed"
    DESTINATION_NOT_EMPTY = "destination_not_empty"
    DESTINATION_EXISTS = "destination_exists"
    # Prediction files.
    FILE_TOO_LARGE = "file_too_large"
    CORRUPT_FILE = "corrupt_file"
    BAD_ENCODING = "bad_encoding"
    WRONG_COLUMNS = "wrong_columns"
    TOO_MANY_ROWS = "too_many_rows"
    MISSING_VALUE = "missing_value"
    NOT_A_NUMBER = "not_a_number"
    NOT_FINITE = "not_finite"
    BAD_LABEL = "bad_label"
    TOO_MANY_LABELS = "too_many_labels"
    MIXED_VALUES = "mixed_values"
    DUPLICATE_IDS = "duplicate_ids"
    UNEXPECTED_IDS = "unexpected_ids"
    MISSING_IDS = "missing_ids"


class IntakeError(Exception):
    """An upload that is refused; ``message`` is written for the vendor."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
