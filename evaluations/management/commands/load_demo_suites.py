"""Create the demo test suites and submit their baseline solutions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Create the demo test suites on their demo scenarios, publish their "
        "data bundles and submit the baseline solutions (idempotent). "
        "Refuses unless demo mode is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "suites",
            nargs="*",
            metavar="SUITE",
            help="Only these suites (for example c1); default: all.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo suites are submitted by demo accounts with a published "
                "password; set PORTAL_DEMO_MODE=true (local use only) to load them."
            )
        from evaluations.demo_suites import SuiteDataError, ensure_demo_suites

        try:
            report = ensure_demo_suites(options["suites"] or None)
        except (SuiteDataError, KeyError) as exc:
            raise CommandError(str(exc).strip("'\"")) from exc
        for line in report.lines:
            self.stdout.write(line)
        if report.created:
            self.stdout.write(self.style.SUCCESS("Demo suites loaded."))
        else:
            self.stdout.write("Demo suites already present; nothing to add.")
