"""Create demo reviewers and one open review round (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create two more demo reviewers and an open, blind review round on the "
        "demo scenario GRID-PO-FC-001 (idempotent). Run after load_demo and "
        "load_demo_suites. Refuses unless demo mode is on."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo reviewers have a published password; set "
                "PORTAL_DEMO_MODE=true (local use only) to load them."
            )
        from reviews.demo import ensure_demo_reviews

        for line in ensure_demo_reviews().lines:
            self.stdout.write(line)
