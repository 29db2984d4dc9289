"""Write ledger entries as JSON lines, for offline verification."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import ledger_export_lines, ledger_slice


class Command(BaseCommand):
    help = (
        "Write the entries about an object (--subject and/or --evidence), or "
        "the whole ledger (--all), as JSON lines; docs/ledger.md shows how to "
        "check them offline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subject", help="For example scenario:42.")
        parser.add_argument("--evidence", help="For example run:17.")
        parser.add_argument("--all", action="store_true", help="Every entry.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            entries = LedgerEntry.objects.all()
        elif options["subject"] or options["evidence"]:
            entries = ledger_slice(
                subject=options["subject"], evidence=options["evidence"]
            )
        else:
            raise CommandError("Give --subject, --evidence or --all.")
        for line in ledger_export_lines(entries):
            self.stdout.write(line, ending="")
