"""Add the bundle summary to suite versions made without one (idempotent)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, no_translations


class Command(BaseCommand):
    help = (
        "Check the bundle of every suite version that has no bundle summary "
        "(versions made by load_demo_suites, or before uploads were checked) "
        "and store its summary: counts and names, never a label value. The "
        "configuration and the bundle themselves do not change."
    )

    @no_translations  # the report in English, whatever the locale
    def handle(self, *args: Any, **options: Any) -> None:
        from evaluations.models import SuiteVersion
        from evaluations.suite_bundles import check_bundle

        pending = SuiteVersion.objects.filter(
            bundle__isnull=False, bundle_summary={}
        ).select_related("suite", "bundle")
        for version in pending:
            if version.bundle is None:  # pragma: no cover - filtered above
                continue
            with tempfile.TemporaryDirectory(prefix="suite-summary-") as folder:
                path = Path(folder) / "bundle.tar.gz"
                with (
                    default_storage.open(version.bundle.storage_name, "rb") as source,
                    path.open("wb") as target,
                ):
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
                try:
                    summary = check_bundle(path)
                except ValidationError as exc:
                    self.stderr.write(f"{version}: {' '.join(exc.messages)}")
                    continue
            # A derived field; the locked configuration and bundle stay as
            # they are.
            SuiteVersion.objects.filter(pk=version.pk, bundle_summary={}).update(
                bundle_summary=summary
            )
            self.stdout.write(f"{version}: summarised")
