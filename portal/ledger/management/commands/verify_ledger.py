"""Verify the ledger's hash chain: exit 0 when intact, 1 at the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from portal.ledger.models import LedgerCheck
from portal.ledger.selectors import ledger_verify
from portal.ledger.services import ledger_check_record


class Command(BaseCommand):
    help = (
        "Recompute every entry's hashes and the chain between them; report the "
        "first broken link. Exit status 0 if the ledger is intact, 1 if not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", type=int, default=1, help="First sequence.")
        parser.add_argument("--end", type=int, default=None, help="Last sequence.")
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Do not keep the result for the operator page.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The report, and the result kept for the operator page, are in
        # English, like the output of every other command.
        with translation.override("en"):
            self._verify(options)

    def _verify(self, options: dict[str, Any]) -> None:
        verification = ledger_verify(start=options["start"], end=options["end"])
        if not options["no_record"]:
            ledger_check_record(
                verification=verification,
                user=None,
                source=LedgerCheck.Source.COMMAND,
            )
        self.stdout.write(
            f"Checked {verification.checked} of {verification.total} entries "
            f"from {verification.start}."
        )
        if verification.broken is None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The ledger is intact. Head: entry {verification.head_sequence}, "
                    f"hash {verification.head_hash}."
                )
            )
            return
        self.stderr.write(f"BROKEN: {verification.broken.describe()}")
        self.stderr.write(
            f"Last good entry: {verification.head_sequence}, hash "
            f"{verification.head_hash or '-'}."
        )
        raise SystemExit(1)
