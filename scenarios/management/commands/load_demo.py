"""Load the demo organisations, accounts, scenarios, datasets and lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create the demo content (idempotent). Refuses unless demo mode is on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Print the demo accounts and their password afterwards.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo accounts have a published password; set PORTAL_DEMO_MODE=true "
                "(local use only) to load them."
            )
        from scenarios.demo import ensure_demo_data

        summary = ensure_demo_data()
        if summary.created:
            created = ", ".join(f"{n} {kind}" for kind, n in summary.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {created}."))
        else:
            self.stdout.write("Demo data already present; nothing to add.")
        if options["print_logins"]:
            width = max(len(u) for u, _p, _r in summary.logins)
            self.stdout.write("")
            self.stdout.write("Demo accounts (local use only):")
            for username, password, persona in summary.logins:
                self.stdout.write(f"  {username.ljust(width)}  {password}  {persona}")
