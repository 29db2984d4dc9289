"""What every demo suite is made of: pinned data files and the suite record.

``DataFile`` pins an input by its SHA-256; ``DemoSuite`` names a suite's
demo scenario, bilingual texts, configuration, inputs, bundle builder and
baselines. The suites themselves live in ``c1``, ``c2a`` and ``c2b``.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluations.models import TaskKind
from evaluations.suites import validate_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "examples" / "solutions"
DATA_DIR = ROOT / "evaluations" / "data"


class SuiteDataError(Exception):
    """A data file is missing or is not the pinned one, or the demo is absent."""


@dataclass(frozen=True)
class DataFile:
    """A file a bundle is built from, pinned by its SHA-256."""

    path: Path
    sha256: str

    @property
    def display_path(self) -> str:
        try:
            return self.path.relative_to(ROOT).as_posix()
        except ValueError:
            return str(self.path)

    def verified_path(self) -> Path:
        """Return the path after checking the file's SHA-256."""
        if not self.path.is_file():
            raise SuiteDataError(
                f"{self.display_path} is missing; run `manage.py build_suite_data`."
            )
        actual = file_sha256(self.path)
        if actual != self.sha256:
            raise SuiteDataError(
                f"{self.display_path} has SHA-256 {actual}, expected {self.sha256}; "
                "rebuild it with `manage.py build_suite_data`."
            )
        return self.path


@dataclass(frozen=True)
class DemoSuite:
    """One demo suite: what it tests, on which data, with which baselines."""

    key: str
    scenario_code: str
    slug: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    config: dict[str, Any]
    inputs: tuple[DataFile, ...]
    builder: Callable[[Path], Path]
    # Folders under examples/solutions/, submitted by load_demo_suites.
    baselines: tuple[str, ...]
    task_kind: str = TaskKind.FORECASTING

    def make_config(self) -> dict[str, Any]:
        """Return a fresh, validated copy of the configuration."""
        return validate_config(copy.deepcopy(self.config))

    def build_bundle(self, target: Path) -> Path:
        """Check the input files, then write the bundle folder at ``target``."""
        for data_file in self.inputs:
            data_file.verified_path()
        return self.builder(target)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe_bundle(folder: Path) -> dict[str, Any]:
    """Return the number of calls per split and probe of a bundle folder."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        "splits": {k: len(v["calls"]) for k, v in manifest["splits"].items()},
        "probes": {k: len(v["calls"]) for k, v in manifest["probes"].items()},
    }
