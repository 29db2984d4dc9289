"""Build the example solutions into deterministic .zip archives.

Usage, from the repository root::

    python examples/solutions/build.py [--dist DIR]

Each folder here with a ``solution.toml`` becomes ``<dist>/<folder>.zip``
(default ``examples/solutions/dist/``, which git ignores). Members are
sorted and carry a fixed timestamp, so rebuilding gives identical bytes.
Every archive is then checked with the portal's own intake checks, exactly
as an upload would be.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the portal importable
    sys.path.insert(0, str(ROOT))

from evaluations.intake import inspect_archive, pack_solution  # noqa: E402


def package_folders() -> list[Path]:
    return sorted(p.parent for p in HERE.glob("*/solution.toml"))


def build_all(dist: Path) -> list[tuple[Path, str]]:
    """Build and check every example; return (archive, sha256) pairs."""
    dist.mkdir(parents=True, exist_ok=True)
    built = []
    for folder in package_folders():
        archive = dist / f"{folder.name}.zip"
        sha256 = pack_solution(folder, archive)
        inspect_archive(archive)  # raises IntakeError if an upload would fail
        built.append((archive, sha256))
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=HERE / "dist")
    args = parser.parse_args(argv)
    for archive, sha256 in build_all(args.dist):
        sys.stdout.write(f"{sha256}  {archive}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
