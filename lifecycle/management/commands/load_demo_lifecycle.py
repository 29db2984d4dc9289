"""Register the demo baselines as solutions and move them on (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Register each demo baseline submission as a solution and move it "
        "through the stages whose gates its real evidence passes (idempotent). "
        "Run after load_demo_reviews. Refuses unless demo mode is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--run-pending",
            action="store_true",
            help=(
                "First evaluate the demo runs still queued, in the sandbox, as "
                "a worker would (about seven minutes on a fresh demo)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo data is for local use; set PORTAL_DEMO_MODE=true to load it."
            )
        from lifecycle.demo import (
            DemoLifecycleReport,
            ensure_demo_lifecycle,
            run_pending_demo_runs,
        )

        if options["run_pending"]:
            runs = DemoLifecycleReport()
            run_pending_demo_runs(runs)
            for line in runs.lines:
                self.stdout.write(line)
        for line in ensure_demo_lifecycle().lines:
            self.stdout.write(line)
