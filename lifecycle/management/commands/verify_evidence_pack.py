"""Check an evidence pack: exit 0 when it holds, 1 with each problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lifecycle import pack_verifier
from lifecycle.evidence_pack import pack_against_ledger


class Command(BaseCommand):
    help = (
        "Run the checks of the pack's own verify_pack.py (file hashes, ledger "
        "entry hashes and chain, records against the ledger entries); with "
        "--against-ledger also compare the pack with this portal's ledger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", help="The evidence pack's ZIP file.")
        parser.add_argument(
            "--against-ledger",
            action="store_true",
            help=(
                "Also check that the ledger recorded the pack's manifest hash, "
                "that its slice matches the stored entries, and that the live "
                "chain verifies over the slice."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["pack"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        data = path.read_bytes()
        result = pack_verifier.verify_archive(data)
        problems = list(result.problems)
        if options["against_ledger"] and result.manifest_sha256:
            problems += pack_against_ledger(pack_verifier.read_archive(data), result)
        for problem in problems:
            self.stderr.write(f"FAIL {problem}")
        if problems:
            self.stderr.write(f"BROKEN: {result.summary()}")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"OK: {result.summary()}"))
