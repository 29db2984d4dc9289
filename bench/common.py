"""Helpers shared by the benchmarks: a private world, statistics, machine info.

A benchmark runs in a throwaway world (``tests/evaluations/worker_support``):
its own ``PORTAL_VAR_DIR`` with a file SQLite database, its own sandbox base
folder and a locked block of sandbox uids, so it never touches ``var/`` or
the slots of a running portal or test suite. ``setup_django(world)`` points
this process's settings at that world.
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.evaluations.worker_support import (  # noqa: E402 - needs ROOT on sys.path
    EVAL_ENV,
    EXAMPLES,
    World,
)

__all__ = [
    "EVAL_ENV",
    "EXAMPLES",
    "ROOT",
    "World",
    "machine_info",
    "markdown_table",
    "note",
    "say",
    "setup_django",
    "summarize",
    "synthetic_load",
    "wait_for_quiet",
    "write_json",
]


def setup_django(world: World, **overrides: str) -> None:
    """Load the portal's settings for ``world`` in this process."""
    os.environ.update(world.env)
    os.environ.update(overrides)
    import django

    django.setup()


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), ``q`` in [0, 1]."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = q * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(values: Iterable[float]) -> dict[str, float]:
    data = list(values)
    return {
        "n": len(data),
        "median": percentile(data, 0.5),
        "p90": percentile(data, 0.9),
        "p95": percentile(data, 0.95),
        "min": min(data) if data else math.nan,
        "max": max(data) if data else math.nan,
        "mean": sum(data) / len(data) if data else math.nan,
    }


def synthetic_load(days: int, *, start: str = "2026-01-05", seed: int = 7) -> Any:
    """Half-hourly synthetic load: daily shape, weekday offset, 1 % noise.

    Made here for benchmarking; it resembles a national demand curve only
    in its shape and size.
    """
    import numpy as np
    import pandas as pd

    times = pd.date_range(start, periods=days * 48, freq="30min")
    slot = np.asarray(times.hour * 2 + times.minute // 30, dtype=float)
    shape = 30_000 + 8_000 * np.sin(np.pi * slot / 48) ** 2
    weekday = np.where(times.day_of_week < 5, 3_000.0, 0.0)
    noise = np.random.default_rng(seed).normal(1.0, 0.01, len(times))
    return pd.DataFrame({"timestamp": times, "load_mw": (shape + weekday) * noise})


def _first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=10, check=False)  # noqa: S603
    except OSError:
        return "unavailable"
    text = (done.stdout or done.stderr).decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "unavailable"


def machine_info() -> dict[str, Any]:
    """What the figures were measured on."""
    model = "unknown"
    mhz = ""
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model == "unknown":
                model = value.strip()
            if key.strip() == "cpu MHz" and not mhz:
                mhz = value.strip()
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kib = int(handle.readline().split()[1])
    cgroup = "v2" if os.path.exists("/sys/fs/cgroup/cgroup.controllers") else "v1"
    seccomp = subprocess.run(
        ["/usr/bin/python3", "-c", "import seccomp"], capture_output=True, check=False
    )
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "cpu_mhz": mhz,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": _first_line(["/usr/bin/lsb_release", "-ds"])
        if os.path.exists("/usr/bin/lsb_release")
        else _os_release(),
        "bwrap": _first_line(["/usr/bin/bwrap", "--version"]),
        "host_python": sys.version.split()[0],
        "eval_python": _first_line([str(EVAL_ENV / "bin" / "python3"), "--version"]),
        "cgroups": cgroup,
        "seccomp_filter": "python3-seccomp installed"
        if seccomp.returncode == 0
        else "off (python3-seccomp not installed)",
    }


def _os_release() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return "unknown"


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def wait_for_quiet(threshold: float | None, max_wait: float = 3600) -> None:
    """Wait until the 1-minute load average drops below ``threshold``."""
    if threshold is None:
        return
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        note(f"waiting for a quiet machine (load {os.getloadavg()[0]:.2f})")
        time.sleep(30)


def say(text: str = "") -> None:
    """Print a result line (these are command-line tools)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def note(text: str) -> None:
    """Print progress to stderr, so stdout holds only the results."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def write_json(path: Path | None, data: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def shuffled(items: Sequence[Any], seed: int) -> list[Any]:
    """Return ``items`` in a seeded random order (interleaves the modes)."""
    order = list(items)
    random.Random(seed).shuffle(order)  # noqa: S311 - an order, not a secret
    return order
