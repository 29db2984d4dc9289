"""The ``solution.toml`` manifest: its fields and the entrypoint."""

from __future__ import annotations

import keyword
import re
import tomllib
from typing import Any

from evaluations.intake._common import _show
from evaluations.intake.errors import IntakeCode, IntakeError

MANIFEST_NAME = "solution.toml"
TASK_KINDS = ("forecasting", "classification", "event_detection")
ENTRYPOINT_RE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*"
)


def validate_manifest(raw: bytes) -> dict[str, Any]:
    """Parse ``solution.toml`` and check its fields; return it as a dict."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise IntakeError(
            IntakeCode.MANIFEST_SYNTAX, f"{MANIFEST_NAME} is not valid UTF-8 text."
        ) from None
    try:
        manifest = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IntakeError(
            IntakeCode.MANIFEST_SYNTAX, f"{MANIFEST_NAME} is not valid TOML: {exc}."
        ) from None
    _check_text_field(manifest, "name", 1, 100, example='"my-forecaster"')
    _check_text_field(manifest, "version", 1, 50, example='"1.0.0"')
    _check_text_field(
        manifest, "description", 0, 5_000, example='"Ridge on lagged load"'
    )
    entrypoint = manifest.get("entrypoint")
    if not isinstance(entrypoint, str):
        raise IntakeError(
            IntakeCode.BAD_ENTRYPOINT,
            f"{MANIFEST_NAME} needs an entrypoint, a string such as "
            'entrypoint = "my_model:predict" (module path, a colon, the '
            "function name).",
        )
    parts = re.split(r"[.:]", entrypoint)
    if not ENTRYPOINT_RE.fullmatch(entrypoint) or any(
        keyword.iskeyword(p) for p in parts
    ):
        raise IntakeError(
            IntakeCode.BAD_ENTRYPOINT,
            f"The entrypoint {_show(entrypoint)} is not of the form "
            '"module:function" or "package.module:function" with Python '
            'identifiers, for example "my_model:predict".',
        )
    if "task_kind" in manifest and manifest["task_kind"] not in TASK_KINDS:
        raise IntakeError(
            IntakeCode.MANIFEST_FIELD,
            f"task_kind {_show(manifest['task_kind'])} is not one of "
            f"{', '.join(TASK_KINDS)}.",
        )
    return manifest


def _check_text_field(
    manifest: dict[str, Any], key: str, low: int, high: int, *, example: str
) -> None:
    value = manifest.get(key)
    if value is None:
        raise IntakeError(
            IntakeCode.MANIFEST_FIELD,
            f"{MANIFEST_NAME} has no {key}. Add a line such as {key} = {example}.",
        )
    if not isinstance(value, str):
        raise IntakeError(
            IntakeCode.MANIFEST_FIELD,
            f"{key} in {MANIFEST_NAME} must be a quoted string, "
            f"for example {key} = {example}.",
        )
    length = len(value.strip()) if low else len(value)
    if not low <= length <= high:
        raise IntakeError(
            IntakeCode.MANIFEST_FIELD,
            f"{key} in {MANIFEST_NAME} must be {low}–{high} characters long "
            f"(not counting surrounding spaces); it has {length}.",
        )


def _check_entrypoint_module(entrypoint: str, files: set[str]) -> None:
    module = entrypoint.split(":", 1)[0].replace(".", "/")
    if f"{module}.py" not in files and f"{module}/__init__.py" not in files:
        raise IntakeError(
            IntakeCode.ENTRYPOINT_MISSING,
            f"The entrypoint {entrypoint} needs {module}.py or "
            f"{module}/__init__.py in the archive, next to {MANIFEST_NAME}; "
            "neither is there.",
        )
