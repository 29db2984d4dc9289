"""The offline verification script of docs/ledger.md works as printed."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import ledger_export_lines, ledger_slice
from portal.ledger.services import ledger_append
from tests.base import PortalTestCase

DOC = Path(settings.BASE_DIR) / "docs" / "ledger.md"


def snippet() -> str:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- verify-snippet:start -->")[1].split(
        "<!-- verify-snippet:end -->"
    )[0]
    return block.strip().removeprefix("```python").removesuffix("```")


class OfflineVerificationTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for n in range(1, 5):
            ledger_append(
                kind="run.scored",
                actor=cls.alice if n % 2 else None,
                true_actor=cls.olivia if n == 3 else None,
                organisation=cls.vendor_a,
                subject=f"run:{n % 2}",
                payload={"metrics": {"mae": n / 7, "rmse": 2.0}, "note": "风电"},
                evidence=[f"submission:{n}"],
            )

    def run_script(self, lines: list[str], *args: str) -> tuple[int, str]:
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "verify_ledger.py"
            script.write_text(snippet(), encoding="utf-8")
            export = Path(folder) / "slice.jsonl"
            export.write_text("".join(lines), encoding="utf-8")
            done = subprocess.run(  # noqa: S603 - our own script and file
                [sys.executable, str(script), str(export), *args],
                capture_output=True,
                text=True,
                check=False,
            )
        return done.returncode, done.stdout.strip()

    def test_a_full_export_verifies(self):
        lines = list(ledger_export_lines(LedgerEntry.objects.all()))
        head = LedgerEntry.objects.get(sequence=4).entry_hash
        self.assertEqual(
            self.run_script(lines, "--full"), (0, f"OK: 4 entries, head {head}")
        )

    def test_a_slice_verifies(self):
        lines = list(ledger_export_lines(ledger_slice(subject="run:1")))
        self.assertEqual(self.run_script(lines)[0], 0)

    def test_a_tampered_export_fails(self):
        lines = list(ledger_export_lines(LedgerEntry.objects.all()))
        record = json.loads(lines[2])
        record["payload"]["note"] = "光伏"
        lines[2] = json.dumps(record, ensure_ascii=False) + "\n"
        self.assertEqual(
            self.run_script(lines, "--full"),
            (1, "entry 3: content does not match its content hash"),
        )

    def test_a_missing_line_fails_a_full_check(self):
        lines = list(ledger_export_lines(LedgerEntry.objects.all()))
        del lines[1]
        self.assertEqual(self.run_script(lines, "--full"), (1, "entry 2 is missing"))
